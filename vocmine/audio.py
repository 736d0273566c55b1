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


def _ogg_is_complete(path: Path) -> bool:
    """An Ogg stream ends with a page flagged end-of-stream; a cut-off upload has none. (Ogg/Opus headers
    carry no duration, so this is how a truncated .ogg/.opus is told from a short one.)"""
    size = path.stat().st_size
    with path.open("rb") as f:
        f.seek(max(0, size - 65_536))
        tail = f.read()
    pos = tail.rfind(b"OggS")
    if pos < 0 or len(tail) - pos < 27:
        return False
    n_segments = tail[pos + 26]
    if len(tail) - pos < 27 + n_segments:
        return False
    body = sum(tail[pos + 27 : pos + 27 + n_segments])
    complete_page = len(tail) - pos >= 27 + n_segments + body
    return complete_page and bool(tail[pos + 5] & 0x04)


def iter_windows(
    path: str | Path, window_s: float = 600.0, sample_rate: int = SAMPLE_RATE, search_s: float = 20.0
) -> Iterator[tuple[float, list[np.ndarray]]]:
    """Decode a recording in windows of about `window_s` seconds: yields (offset_s, one mono float32 array
    per channel). Memory stays bounded by one window however long the call is.

    Each window is cut at the quietest 100 ms of its last `search_s` seconds, so a cut rarely splits a word.
    A recording shorter than one window comes back whole, as one window. Raises AudioDecodeError naming the
    file when it cannot be decoded, decodes to nothing, or turns out to be truncated.
    """
    import av

    path = Path(path)
    window = int(window_s * sample_rate)
    search = min(int(search_s * sample_rate), window // 2)
    pending: list[np.ndarray] = []
    pending_n = 0
    offset = 0
    with _open_audio(path) as (container, stream):
        declared = _declared_duration(container, stream)
        n_channels = stream.codec_context.channels or len(stream.layout.channels)
        layout = stream.layout.name if n_channels > 2 else ("stereo" if n_channels == 2 else "mono")
        resampler = av.AudioResampler(format="fltp", layout=layout, rate=sample_rate)

        def frames():
            try:
                for frame in container.decode(stream):
                    frame.pts = None  # let the resampler re-time; broken timestamps must not stop decoding
                    yield from resampler.resample(frame)
                yield from resampler.resample(None)
            except AudioDecodeError:
                raise
            except Exception as exc:
                raise AudioDecodeError(f"{_fix_hint(path)} ({type(exc).__name__}: {exc})") from exc

        for f in frames():
            arr = f.to_ndarray()
            pending.append(arr.reshape(n_channels, -1) if arr.ndim == 2 else arr[None, :])
            pending_n += pending[-1].shape[1]
            if pending_n >= window + search:
                data = np.concatenate(pending, axis=1)
                pending = []  # drop the decoded chunks now: only one copy of a window is ever held
                cut = _quiet_cut(data, window - search, window, sample_rate)
                yield offset / sample_rate, [np.ascontiguousarray(data[i, :cut]) for i in range(n_channels)]
                offset += cut
                pending, pending_n = [data[:, cut:].copy()], data.shape[1] - cut
                del data
    if offset == 0 and pending_n == 0:
        raise AudioDecodeError(
            f"{path}: decoded to zero samples. The recording is empty; check the recorder export."
        )
    decoded = (offset + pending_n) / sample_rate
    if declared is not None and declared - decoded > max(1.0, 0.1 * declared):
        # PyAV decodes a cut-off WAV/MP3 up to the cut without complaint; the header still knows better.
        raise AudioDecodeError(
            f"{path}: truncated: the header says {declared:.1f} s but only {decoded:.1f} s could be decoded. "
            "Re-copy the complete file from the recorder."
        )
    if path.suffix.lower() in (".ogg", ".opus") and not _ogg_is_complete(path):
        raise AudioDecodeError(
            f"{path}: truncated: the Ogg stream has no end-of-stream page (the upload was cut off). "
            "Re-copy the complete file from the recorder."
        )
    if pending_n:
        data = np.concatenate(pending, axis=1).astype(np.float32, copy=False)
        yield offset / sample_rate, [np.ascontiguousarray(data[i]) for i in range(n_channels)]


def _quiet_cut(data: np.ndarray, lo: int, hi: int, sample_rate: int) -> int:
    """The sample index in [lo, hi) that starts the quietest 100 ms (all channels together)."""
    hop = max(sample_rate // 10, 1)
    region = np.abs(data[:, lo:hi]).sum(axis=0)
    n = len(region) // hop
    if n == 0:
        return hi
    energy = region[: n * hop].reshape(n, hop).sum(axis=1)
    return lo + int(np.argmin(energy)) * hop + hop // 2


def load_channels(path: str | Path, sample_rate: int = SAMPLE_RATE) -> list[np.ndarray]:
    """Decode the first audio stream into a list of mono float32 arrays, one per channel, at `sample_rate`.

    Holds the whole recording in memory: fine for a clip; long calls go through `iter_windows`."""
    parts = [chans for _, chans in iter_windows(path, window_s=1e9, sample_rate=sample_rate)]
    if len(parts) == 1:
        return parts[0]
    return [np.concatenate([p[i] for p in parts]) for i in range(len(parts[0]))]


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
