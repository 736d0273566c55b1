"""Transcription with faster-whisper, one channel at a time so that every utterance has a speaker.

Stereo contact-centre recordings carry the agent on one side and the customer on the other (which side is
configured in `channels`). Each side is transcribed on its own and the segments are merged by start time.
Mono recordings (and "stereo" files whose two sides are identical) get speaker 'unknown': without a
diarisation model we do not guess.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

import numpy as np

from vocmine.asr_models import resolve_model
from vocmine.audio import SAMPLE_RATE, is_dual_mono, iter_windows
from vocmine.config import ASRConfig, ChannelsConfig
from vocmine.errors import InputError, ModelError
from vocmine.faults import fault_point
from vocmine.records import Conversation, Transcript, Utterance, Word

log = logging.getLogger(__name__)

SILENCE_PEAK = 1e-4  # about -80 dBFS: below any real line noise, so only true digital silence is skipped
_MODELS: dict[tuple, WhisperHandle] = {}
_LOCK = threading.Lock()


@dataclass
class WhisperHandle:
    model: object  # faster_whisper.WhisperModel
    name: str
    path: str
    device: str
    compute_type: str
    multilingual: bool


def _cuda_available() -> bool:
    try:
        import ctranslate2

        return ctranslate2.get_cuda_device_count() > 0
    except Exception:
        return False


def resolve_device(cfg: ASRConfig) -> tuple[str, str]:
    device = cfg.device
    if device == "auto":
        device = "cuda" if _cuda_available() else "cpu"
    compute = cfg.compute_type
    if compute == "auto":
        compute = "float16" if device == "cuda" else "int8"
    return device, compute


def get_model(cfg: ASRConfig) -> WhisperHandle:
    """Load the configured Whisper model once per process and reuse it for every file."""
    device, compute = resolve_device(cfg)
    key = (cfg.model, device, compute, cfg.cpu_threads, cfg.model_cache_dir)
    with _LOCK:
        if key in _MODELS:
            return _MODELS[key]
        from faster_whisper import WhisperModel

        path = resolve_model(cfg.model, cfg.model_cache_dir)
        t0 = time.perf_counter()
        try:
            model = WhisperModel(path, device=device, compute_type=compute, cpu_threads=cfg.cpu_threads)
        except Exception as exc:
            raise ModelError(
                f"could not load Whisper model {cfg.model!r} ({path}) on {device}/{compute}: {exc}. "
                "Check asr.model, asr.device and asr.compute_type in your config."
            ) from exc
        log.info("loaded Whisper %s on %s/%s in %.1fs", cfg.model, device, compute, time.perf_counter() - t0)
        handle = WhisperHandle(model, cfg.model, path, device, compute, bool(model.model.is_multilingual))
        _MODELS[key] = handle
        return handle


def _segments_to_utterances(
    conversation_id: str, segments, speaker: str, channel_index: int, offset_s: float = 0.0
) -> list[Utterance]:
    out = []
    for seg in segments:
        text = seg.text.strip()
        if not text:
            continue
        words = [
            Word(
                start_s=round(float(w.start) + offset_s, 3),
                end_s=round(float(w.end) + offset_s, 3),
                word=w.word,
                probability=float(w.probability),
            )
            for w in (seg.words or [])
        ]
        out.append(
            Utterance(
                conversation_id=conversation_id,
                utterance_idx=-1,
                speaker=speaker,  # type: ignore[arg-type]
                start_s=round(float(seg.start) + offset_s, 3),
                end_s=round(float(seg.end) + offset_s, 3),
                text=text,
                words=words,
                channel_index=channel_index,
                avg_logprob=float(seg.avg_logprob),
                no_speech_prob=float(seg.no_speech_prob),
            )
        )
    return out


def channel_speakers(n_channels: int, channels_cfg: ChannelsConfig) -> list[str]:
    if n_channels == 2:
        return [channels_cfg.left, channels_cfg.right]
    return ["unknown"] * n_channels


def _speaker_channels(
    channels: list[np.ndarray], uri: str, mono: bool | None
) -> tuple[list[np.ndarray], bool]:
    """Channels to transcribe: more than two sides are mixed down; identical sides count once. Whether a
    stereo file is dual mono is decided on its first window and kept for the rest of the call."""
    if len(channels) > 2:
        # More than two sides (conference bridges): without a mapping we cannot attribute speakers, so mix down.
        if mono is None:
            log.warning("%s: %d channels; mixed down to mono, speaker 'unknown'", uri, len(channels))
        return [np.mean(np.stack(channels), axis=0).astype(np.float32)], True
    if mono is None:
        mono = len(channels) == 1 or is_dual_mono(channels)
    return (channels[:1] if mono else channels), mono


def transcribe_conversation(conv: Conversation, cfg: ASRConfig, channels_cfg: ChannelsConfig) -> Transcript:
    """Decode one recording and transcribe each speaker's channel, one window of `asr.window_s` at a time,
    so memory stays bounded however long the call is."""
    t0 = time.perf_counter()
    handle = get_model(cfg)
    language = None if cfg.language == "auto" else cfg.language
    language = language or conv.language
    if language and language != "en" and not handle.multilingual:
        raise InputError(
            f"{conv.source_uri}: language is {language!r} but Whisper model {handle.name!r} is English-only. "
            "Set asr.model to a multilingual model (e.g. 'base') or fix the conversation's language."
        )
    if not handle.multilingual:
        language = "en"
    lang_prob = None
    mono: bool | None = None
    duration = 0.0
    utterances: list[Utterance] = []
    for offset, window in iter_windows(conv.source_uri, window_s=cfg.window_s):
        channels, mono = _speaker_channels(window, conv.source_uri, mono)
        speakers = channel_speakers(len(channels), channels_cfg)
        duration = offset + len(window[0]) / SAMPLE_RATE
        fault_point("transcribe")
        if language is None:
            # Detect on the customer side when there is one (agents often greet in a fixed script).
            probe_idx = speakers.index("customer") if "customer" in speakers else 0
            language, lang_prob, _ = handle.model.detect_language(channels[probe_idx], vad_filter=True)
        for idx, (audio, speaker) in enumerate(zip(channels, speakers, strict=True)):
            if not np.any(np.abs(audio) > SILENCE_PEAK):
                continue  # digital silence (hold, a muted side): nothing to hear, skip the model
            segments, _info = handle.model.transcribe(
                audio,
                language=language,
                beam_size=cfg.beam_size,
                vad_filter=cfg.vad_filter,
                word_timestamps=cfg.word_timestamps,
                condition_on_previous_text=False,  # limits runaway repetition on long, noisy calls
            )
            utterances.extend(_segments_to_utterances(conv.conversation_id, segments, speaker, idx, offset))
        window = channels = audio = None  # free this window before the next one is decoded
    utterances.sort(key=lambda u: (u.start_s or 0.0, u.channel_index or 0))
    for i, u in enumerate(utterances):
        u.utterance_idx = i
    conv.language = language
    conv.duration_s = round(duration, 3)
    return Transcript(
        conversation=conv,
        utterances=utterances,
        language=language,
        language_probability=lang_prob,
        audio_duration_s=duration,
        processing_s=time.perf_counter() - t0,
    )


def text_to_transcript(conv: Conversation) -> Transcript:
    """A text feedback item is one customer utterance, so it flows through the same analysis as a call."""
    utt = Utterance(
        conversation_id=conv.conversation_id,
        utterance_idx=0,
        speaker="customer",
        start_s=None,
        end_s=None,
        text=conv.text or "",
    )
    return Transcript(conv, [utt], conv.language, None, 0.0, 0.0)
