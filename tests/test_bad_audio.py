"""Messy recordings, transcribed for real: G.711 μ-law and A-law telephone WAVs, more than two channels, a
wrong extension, pure silence, a truncated Ogg upload, and a one-hour call decoded in bounded windows."""

from __future__ import annotations

import wave
from pathlib import Path

import av
import numpy as np
import pytest

from tests.conftest import INBOX
from vocmine.audio import SAMPLE_RATE, iter_windows, load_channels, probe
from vocmine.config import ASRConfig, ChannelsConfig
from vocmine.errors import AudioDecodeError
from vocmine.records import Conversation
from vocmine.transcribe import transcribe_conversation

CALLS = INBOX / "calls"


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    """12 s of the outage call: the agent's greeting on the left, the customer on the right."""
    left, right = load_channels(CALLS / "call_internet_outage.mp3")
    n = SAMPLE_RATE * 12
    return {"left": left[:n], "right": right[:n], "dir": tmp_path_factory.mktemp("bad_audio")}


def write_wav(path: Path, channels: list[np.ndarray], rate: int = SAMPLE_RATE) -> Path:
    data = np.stack(channels, axis=1)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(len(channels))
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((np.clip(data, -1, 1) * 32767).astype("<i2").tobytes())
    return path


def write_g711(path: Path, channels: list[np.ndarray], codec: str, rate: int = 8000) -> Path:
    """A G.711 WAV (pcm_mulaw or pcm_alaw), encoded with PyAV as telephone recorders write them."""
    step = SAMPLE_RATE // rate
    data = np.stack([c[::step] for c in channels], axis=1)
    pcm = (np.clip(data, -1, 1) * 32767).astype("<i2").reshape(1, -1)
    layout = "stereo" if len(channels) == 2 else "mono"
    with av.open(str(path), "w", format="wav") as out:
        stream = out.add_stream(codec, rate=rate, layout=layout)
        frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout=layout)
        frame.rate = rate
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


def conv(path: Path) -> Conversation:
    return Conversation(path.name, "audio", "phone", str(path), "x")


def said(tr, speaker: str | None = None) -> str:
    return " ".join(u.text for u in tr.utterances if speaker in (None, u.speaker)).lower()


@pytest.mark.parametrize("codec", ["pcm_mulaw", "pcm_alaw"])
def test_g711_8khz_wav_is_decoded_and_transcribed(clip, codec):
    path = write_g711(clip["dir"] / f"{codec}.wav", [clip["left"], clip["right"]], codec)
    info = probe(path)
    assert (info.codec, info.sample_rate, info.channels) == (codec, 8000, 2)
    tr = transcribe_conversation(conv(path), ASRConfig(), ChannelsConfig())
    assert tr.audio_duration_s == pytest.approx(12.0, abs=0.05)
    assert "thank you for calling" in said(tr, "agent")
    assert "internet" in said(tr, "customer")


def test_more_than_two_channels_are_mixed_down(clip):
    quiet = np.zeros_like(clip["left"])
    path = write_wav(clip["dir"] / "bridge4.wav", [clip["left"], clip["right"], quiet, quiet])
    assert probe(path).channels == 4
    assert len(load_channels(path)) == 4
    tr = transcribe_conversation(conv(path), ASRConfig(), ChannelsConfig())
    assert {u.speaker for u in tr.utterances} == {"unknown"}
    text = said(tr)
    assert "thank you for calling" in text and "internet" in text


def test_wrong_extension_is_decoded_by_content(clip):
    path = write_wav(clip["dir"] / "actually_a_wav.mp3", [clip["left"], clip["right"]])
    tr = transcribe_conversation(conv(path), ASRConfig(), ChannelsConfig())
    assert "thank you for calling" in said(tr, "agent")


def test_text_saved_as_audio_fails_with_the_file_named(tmp_path):
    path = tmp_path / "notes.wav"
    path.write_text("customer called about the outage\n" * 20)
    with pytest.raises(AudioDecodeError) as exc:
        transcribe_conversation(conv(path), ASRConfig(), ChannelsConfig())
    assert str(path) in str(exc.value) and "re-copy" in str(exc.value).lower()


def test_pure_silence_is_an_empty_transcript_not_an_error(tmp_path):
    path = write_wav(tmp_path / "silence.wav", [np.zeros(SAMPLE_RATE * 30, np.float32)] * 2, rate=SAMPLE_RATE)
    tr = transcribe_conversation(conv(path), ASRConfig(), ChannelsConfig())
    assert tr.utterances == [] and tr.audio_duration_s == pytest.approx(30.0)


@pytest.mark.parametrize("name", ["call_agent_praise.ogg", "call_password_lockout.ogg"])
def test_truncated_ogg_is_detected_although_its_header_has_no_duration(tmp_path, name):
    data = (CALLS / name).read_bytes()
    whole = tmp_path / name
    whole.write_bytes(data)
    assert len(load_channels(whole)[0]) > 0  # the complete file is fine
    cut = tmp_path / f"cut_{name}"
    cut.write_bytes(data[: int(len(data) * 0.6)])
    with pytest.raises(AudioDecodeError, match="truncated") as exc:
        load_channels(cut)
    assert str(cut) in str(exc.value)


@pytest.fixture(scope="module")
def hour_call(clip):
    """A one-hour mono 8 kHz call: speech in the first and the last seconds, an hour of hold in between."""
    rate = 8000
    path = clip["dir"] / "one_hour.wav"
    speech = ((clip["left"] + clip["right"]) * 0.7)[::2]
    block = np.zeros(rate * 60, dtype="<i2").tobytes()
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        pcm = (np.clip(speech, -1, 1) * 32767).astype("<i2").tobytes()
        w.writeframes(pcm)
        for _ in range(59):
            w.writeframes(block)
        w.writeframes(np.zeros(rate * 60 - 2 * len(speech) - rate * 5, dtype="<i2").tobytes())
        w.writeframes(pcm)
        w.writeframes(np.zeros(rate * 5, dtype="<i2").tobytes())
    return path


def test_one_hour_call_is_decoded_in_bounded_windows(hour_call):
    sizes, offsets = [], []
    for offset, chans in iter_windows(hour_call, window_s=300):
        sizes.append(len(chans[0]))
        offsets.append(offset)
    assert sum(sizes) / SAMPLE_RATE == pytest.approx(3600, abs=0.1)
    assert len(sizes) >= 12 and max(sizes) <= (300 + 20) * SAMPLE_RATE  # never the whole hour at once
    assert offsets == sorted(offsets) and offsets[0] == 0


def test_one_hour_call_is_transcribed_with_true_timestamps(hour_call):
    # short windows keep the test fast: only the two windows with speech reach the model (bench_memory.py
    # measures peak memory with the default window)
    tr = transcribe_conversation(conv(hour_call), ASRConfig(window_s=120), ChannelsConfig())
    assert tr.audio_duration_s == pytest.approx(3600, abs=0.1)
    early = [u for u in tr.utterances if u.end_s < 30]
    late = [u for u in tr.utterances if u.start_s > 3600 - 40]
    assert early and late and len(early) + len(late) == len(tr.utterances)  # nothing heard during hold
    assert "thank you for calling" in " ".join(u.text for u in early).lower()
    assert "thank you for calling" in " ".join(u.text for u in late).lower()
    assert all(w.start_s > 3500 for u in late for w in u.words)  # word times carry the window offset
