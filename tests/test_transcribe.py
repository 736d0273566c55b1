"""Transcription on real audio with real models: channel-to-speaker mapping, mono, language detection."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import INBOX
from vocmine.audio import load_channels
from vocmine.config import ASRConfig, ChannelsConfig
from vocmine.errors import InputError
from vocmine.ingest import discover
from vocmine.records import Conversation
from vocmine.transcribe import transcribe_conversation


def _write_wav(path: Path, channels: list[np.ndarray], rate: int = 16000) -> None:
    data = np.stack(channels, axis=1) if len(channels) > 1 else channels[0][:, None]
    pcm = (np.clip(data, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(len(channels))
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    """The first 20 s of the outage call (agent greets, customer describes the outage), as stereo WAV."""
    src = next(p for p in (INBOX / "calls").iterdir() if p.name.startswith("call_internet_outage"))
    left, right = load_channels(src)
    out = tmp_path_factory.mktemp("clip")
    n = 16000 * 20
    return {"left": left[:n], "right": right[:n], "dir": out}


def _conv(path: Path, language: str | None = None) -> Conversation:
    return Conversation(path.stem, "audio", "phone", str(path), "x", language=language)


def test_stereo_sides_become_agent_and_customer(clip):
    path = clip["dir"] / "stereo.wav"
    _write_wav(path, [clip["left"], clip["right"]])
    tr = transcribe_conversation(_conv(path), ASRConfig(), ChannelsConfig())
    agent = " ".join(u.text for u in tr.utterances if u.speaker == "agent").lower()
    customer = " ".join(u.text for u in tr.utterances if u.speaker == "customer").lower()
    assert "thank you for calling" in agent
    assert "internet" in customer
    assert [u.utterance_idx for u in tr.utterances] == list(range(len(tr.utterances)))
    assert all(u.words for u in tr.utterances)
    # swapping the mapping in config swaps the speakers
    swapped = transcribe_conversation(
        _conv(path), ASRConfig(), ChannelsConfig(left="customer", right="agent")
    )
    assert (
        "thank you for calling"
        in " ".join(u.text for u in swapped.utterances if u.speaker == "customer").lower()
    )


def test_mono_and_identical_sides_are_speaker_unknown(clip):
    mixed = (clip["left"] + clip["right"]) * 0.7
    mono = clip["dir"] / "mono.wav"
    dual = clip["dir"] / "dual.wav"
    _write_wav(mono, [mixed])
    _write_wav(dual, [mixed, mixed])
    for path in (mono, dual):
        tr = transcribe_conversation(_conv(path), ASRConfig(), ChannelsConfig())
        assert tr.utterances and {u.speaker for u in tr.utterances} == {"unknown"}


def test_8khz_recording_is_transcribed(clip):
    # telephone band: decimate to 8 kHz and store as such
    path = clip["dir"] / "tel8k.wav"
    _write_wav(path, [clip["left"][::2], clip["right"][::2]], rate=8000)
    tr = transcribe_conversation(_conv(path), ASRConfig(), ChannelsConfig())
    assert abs(tr.audio_duration_s - 20.0) < 0.1
    assert "thank you" in " ".join(u.text for u in tr.utterances).lower()


def test_language_detection_with_multilingual_model(clip, tmp_path_factory):
    path = clip["dir"] / "stereo_detect.wav"
    _write_wav(path, [clip["left"], clip["right"]])
    cache = tmp_path_factory.mktemp("models")
    tr = transcribe_conversation(
        _conv(path), ASRConfig(model="base", model_cache_dir=str(cache)), ChannelsConfig()
    )
    assert tr.language == "en" and tr.language_probability > 0.5


def test_korean_on_english_only_model_is_a_clear_error(clip):
    path = clip["dir"] / "ko.wav"
    _write_wav(path, [clip["left"], clip["right"]])
    with pytest.raises(InputError, match="English-only"):
        transcribe_conversation(_conv(path, language="ko"), ASRConfig(), ChannelsConfig())


def test_ingested_sample_calls_carry_audio_facts():
    calls = [c for c in discover(INBOX).conversations if c.source == "audio"]
    rates = {c.metadata["audio"]["sample_rate"] for c in calls}
    assert 8000 in rates and all(c.metadata["audio"]["channels"] == 2 for c in calls)
