"""Decode recordings into one float32 16 kHz array per channel, with PyAV (no ffmpeg binary needed).

Channels are kept apart on purpose: contact-centre recorders put the agent on one side and the customer on
the other, and transcribing each side on its own is how we know who said what.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vocmine.errors import AudioDecodeError

SAMPLE_RATE = 16_000
AUDIO_EXTENSIONS = frozenset(
    {".wav", ".mp3", ".flac", ".m4a", ".ogg", ".opus", ".aac", ".wma", ".webm", ".mp4"}
)


@dataclass
class AudioInfo:
    sample_rate: int
    channels: int
    codec: str
    duration_s: float | None


def _fix_hint(path: Path) -> str:
    return (
        f"{path}: could not be decoded as audio. Check that the file is complete (re-copy it from the "
        f"recorder) and is one of {', '.join(sorted(AUDIO_EXTENSIONS))}"
    )


def _declared_duration(container, stream) -> float | None:
    """Duration from the stream or container header, in seconds (None when the format does not say)."""
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / 1_000_000
    return None


@contextmanager
def _open_audio(path: Path) -> Iterator[tuple[object, object]]:
    """Open the first audio stream; any FFmpeg failure becomes an AudioDecodeError naming the file."""
    import av

    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise AudioDecodeError(
                    f"{path}: has no audio stream. Only audio recordings can be transcribed."
                )
            yield container, container.streams.audio[0]
    except AudioDecodeError:
        raise
    except Exception as exc:  # PyAV raises many FFmpeg error types
        raise AudioDecodeError(f"{_fix_hint(path)} ({type(exc).__name__}: {exc})") from exc


def probe(path: str | Path) -> AudioInfo:
    """Read the header only: sample rate, channel count, codec and duration."""
    path = Path(path)
    with _open_audio(path) as (container, stream):
        return AudioInfo(
            sample_rate=stream.codec_context.sample_rate or stream.rate or 0,
            channels=stream.codec_context.channels or len(stream.layout.channels),
            codec=stream.codec_context.name,
            duration_s=_declared_duration(container, stream),
        )


def load_channels(path: str | Path, sample_rate: int = SAMPLE_RATE) -> list[np.ndarray]:
    """Decode the first audio stream into a list of mono float32 arrays, one per channel, at `sample_rate`."""
    import av

    path = Path(path)
    chunks: list[np.ndarray] = []
    with _open_audio(path) as (container, stream):
        declared = _declared_duration(container, stream)
        n_channels = stream.codec_context.channels or len(stream.layout.channels)
        layout = stream.layout.name if n_channels > 2 else ("stereo" if n_channels == 2 else "mono")
        resampler = av.AudioResampler(format="fltp", layout=layout, rate=sample_rate)

        def _take(frames) -> None:
            for f in frames:
                arr = f.to_ndarray()
                chunks.append(arr.reshape(n_channels, -1) if arr.ndim == 2 else arr[None, :])

        for frame in container.decode(stream):
            frame.pts = None  # let the resampler re-time; broken timestamps must not stop decoding
            _take(resampler.resample(frame))
        _take(resampler.resample(None))
    if not chunks:
        raise AudioDecodeError(
            f"{path}: decoded to zero samples. The recording is empty; check the recorder export."
        )
    data = np.concatenate(chunks, axis=1).astype(np.float32, copy=False)
    decoded = data.shape[1] / sample_rate
    if declared is not None and declared - decoded > max(1.0, 0.1 * declared):
        # PyAV decodes a cut-off WAV/MP3 up to the cut without complaint; the header still knows better.
        raise AudioDecodeError(
            f"{path}: truncated: the header says {declared:.1f} s but only {decoded:.1f} s could be decoded. "
            "Re-copy the complete file from the recorder."
        )
    return [np.ascontiguousarray(data[i]) for i in range(data.shape[0])]


def is_dual_mono(channels: list[np.ndarray], tol: float = 1e-3) -> bool:
    """True when a 'stereo' file carries the same signal on both sides (a mono call saved as stereo)."""
    if len(channels) != 2:
        return False
    a, b = channels
    n = min(len(a), len(b))
    if n == 0:
        return True
    diff = float(np.mean(np.abs(a[:n] - b[:n])))
    level = float(np.mean(np.abs(a[:n]))) + 1e-9
    return diff / level < tol
