"""Audio decoding with PyAV: real sample files and small WAVs written with the stdlib."""

from __future__ import annotations

import math
import os
import random
import wave
from pathlib import Path

import numpy as np
import pytest

from vocmine.audio import SAMPLE_RATE, is_dual_mono, load_channels, probe
from vocmine.errors import AudioDecodeError, InputError

CALLS = Path(__file__).resolve().parents[1] / "data" / "samples" / "inbox" / "calls"
SAMPLE_CALLS = sorted(p for p in CALLS.iterdir() if p.suffix.lower() not in (".csv", ".json"))


def write_wav(path: Path, channels: list[list[float]], rate: int) -> Path:
    """16-bit PCM WAV; each inner list is one channel in -1..1."""
    n = len(channels[0])
    frames = bytearray()
    for i in range(n):
        for ch in channels:
            frames += int(max(-1.0, min(1.0, ch[i])) * 32767).to_bytes(2, "little", signed=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(len(channels))
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(bytes(frames))
    return path


def sine(freq: float, seconds: float, rate: int, amp: float = 0.5) -> list[float]:
    return [amp * math.sin(2 * math.pi * freq * i / rate) for i in range(int(seconds * rate))]


def noise(seconds: float, rate: int, seed: int, amp: float = 0.3) -> list[float]:
    rng = random.Random(seed)
    return [rng.uniform(-amp, amp) for _ in range(int(seconds * rate))]


def test_samples_cover_several_codecs():
    suffixes = {p.suffix.lower() for p in SAMPLE_CALLS}
    assert {".wav", ".mp3", ".flac", ".m4a", ".ogg"} <= suffixes
    assert len(SAMPLE_CALLS) == 8


@pytest.mark.parametrize("path", SAMPLE_CALLS, ids=lambda p: p.name)
def test_every_sample_decodes_to_two_16k_float32_channels(path):
    info = probe(path)
    assert info.channels == 2
    assert info.duration_s is not None and info.duration_s > 10
    chans = load_channels(path)
    assert len(chans) == 2
    assert all(c.dtype == np.float32 and c.ndim == 1 for c in chans)
    assert len(chans[0]) == len(chans[1])
    assert len(chans[0]) / SAMPLE_RATE == pytest.approx(info.duration_s, abs=0.1)
    # agent on the left, customer on the right: both carry speech, and they differ
    assert all(float(np.abs(c).max()) > 0.05 for c in chans)
    assert not is_dual_mono(chans)


def test_probe_reports_codecs_of_compressed_samples():
    codecs = {p.suffix.lower(): probe(p).codec for p in SAMPLE_CALLS}
    assert codecs[".mp3"].startswith("mp3")
    assert codecs[".m4a"] == "aac"
    assert codecs[".ogg"] == "opus"
    assert codecs[".flac"] == "flac"


def test_8k_mono_wav_is_resampled_to_16k(tmp_path):
    path = write_wav(tmp_path / "mono8k.wav", [sine(440, 1.5, 8000)], 8000)
    info = probe(path)
    assert (info.sample_rate, info.channels) == (8000, 1)
    assert info.duration_s == pytest.approx(1.5, abs=0.01)
    chans = load_channels(path)
    assert len(chans) == 1
    assert chans[0].dtype == np.float32
    assert len(chans[0]) == pytest.approx(1.5 * SAMPLE_RATE, abs=SAMPLE_RATE * 0.02)
    # the tone survives resampling: dominant frequency still 440 Hz
    spectrum = np.abs(np.fft.rfft(chans[0]))
    peak_hz = np.argmax(spectrum) * SAMPLE_RATE / len(chans[0])
    assert peak_hz == pytest.approx(440, abs=5)
    assert float(np.abs(chans[0]).max()) == pytest.approx(0.5, abs=0.05)


def test_8k_stereo_wav_keeps_channels_apart(tmp_path):
    left, right = sine(300, 1.0, 8000), noise(1.0, 8000, seed=1)
    path = write_wav(tmp_path / "stereo8k.wav", [left, right], 8000)
    assert (probe(path).sample_rate, probe(path).channels) == (8000, 2)
    chans = load_channels(path)
    assert len(chans) == 2
    assert all(len(c) == pytest.approx(SAMPLE_RATE, abs=SAMPLE_RATE * 0.02) for c in chans)
    spectrum = np.abs(np.fft.rfft(chans[0]))
    assert np.argmax(spectrum) * SAMPLE_RATE / len(chans[0]) == pytest.approx(300, abs=5)
    assert not is_dual_mono(chans)


def test_custom_target_rate(tmp_path):
    path = write_wav(tmp_path / "stereo16k.wav", [sine(200, 1.0, 16000), sine(500, 1.0, 16000)], 16000)
    chans = load_channels(path, sample_rate=8000)
    assert len(chans) == 2 and len(chans[0]) == pytest.approx(8000, abs=160)


def test_dual_mono_true_for_identical_channels(tmp_path):
    tone = sine(440, 1.0, 8000)
    chans = load_channels(write_wav(tmp_path / "dual.wav", [tone, tone], 8000))
    assert is_dual_mono(chans)


def test_dual_mono_on_arrays():
    a = np.sin(np.linspace(0, 100, 16000)).astype(np.float32)
    assert is_dual_mono([a, a.copy()])
    assert not is_dual_mono([a, np.zeros_like(a)])
    assert not is_dual_mono([a, -a])
    assert not is_dual_mono([a])  # mono is not "dual mono"
    assert not is_dual_mono([a, a, a])


def test_corrupt_file_raises_with_path(tmp_path):
    path = tmp_path / "garbage.wav"
    path.write_bytes(os.urandom(4096))
    with pytest.raises(AudioDecodeError) as exc:
        load_channels(path)
    assert str(path) in str(exc.value)
    with pytest.raises(AudioDecodeError) as exc:
        probe(path)
    assert str(path) in str(exc.value)
    assert isinstance(exc.value, InputError)  # the run goes on without it


@pytest.mark.parametrize(
    "name",
    ["call_cancellation_fee.wav", "call_internet_outage.mp3", "call_transfer.flac", "call_plan_upgrade.m4a"],
)
def test_truncated_sample_raises_with_path(tmp_path, name):
    data = (CALLS / name).read_bytes()
    path = tmp_path / f"truncated_{name}"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(AudioDecodeError) as exc:
        load_channels(path)
    assert str(path) in str(exc.value)


def test_wav_with_only_a_header_is_an_error(tmp_path):
    path = tmp_path / "empty.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
    with pytest.raises(AudioDecodeError) as exc:
        load_channels(path)
    assert str(path) in str(exc.value)
