"""Plain records that flow between the stages.

Every stage takes and returns these dataclasses; none of them knows about Prefect or DuckDB. They are the
currency of the pipeline in the way `Segment`/`Word` are in faster-whisper.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

Speaker = Literal["agent", "customer", "unknown"]
Source = Literal["audio", "text"]
Status = Literal["ok", "failed"]

SPEAKERS: tuple[str, ...] = ("agent", "customer", "unknown")


@dataclass
class Conversation:
    """One call or one text-feedback item, as discovered by ingest."""

    conversation_id: str
    source: Source
    channel: str  # phone, chat, email, survey, ...
    source_uri: str  # file path; for text items "path#id"
    content_sha256: str
    started_at: datetime | None = None
    duration_s: float | None = None
    language: str | None = None
    agent_id: str | None = None
    queue: str | None = None
    customer_id: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    text: str | None = None  # text items only; raw, not yet redacted
    status: Status = "ok"
    error: str | None = None
    audio_sha256: str | None = (
        None  # recordings: hash of the audio bytes alone (finds copies under other ids)
    )


@dataclass
class Word:
    start_s: float
    end_s: float
    word: str
    probability: float


@dataclass
class Utterance:
    """A speaker turn (one Whisper segment of one channel, or one text item)."""

    conversation_id: str
    utterance_idx: int
    speaker: Speaker
    start_s: float | None
    end_s: float | None
    text: str
    words: list[Word] = field(default_factory=list)
    channel_index: int | None = None
    avg_logprob: float | None = None
    no_speech_prob: float | None = None
    sentiment: float | None = None
    sentiment_label: str | None = None
    terms: list[str] = field(default_factory=list)  # normalised content terms, filled by analysis


@dataclass
class Transcript:
    """The result of transcribing one conversation."""

    conversation: Conversation
    utterances: list[Utterance]
    language: str | None
    language_probability: float | None
    audio_duration_s: float
    processing_s: float


@dataclass
class Keyword:
    conversation_id: str
    keyword: str  # normalised (lemma) form
    display: str  # most frequent surface form
    score: float
    rank: int
    count: int
    speaker: str = "all"


@dataclass
class SpeakerSentiment:
    conversation_id: str
    speaker: str  # agent, customer, unknown or all
    score: float
    label: str
    start_score: float | None
    end_score: float | None
    shift: float | None
    n_utterances: int
    q1: float | None = None  # score per quarter of the conversation (NULL: the speaker said nothing in it)
    q2: float | None = None
    q3: float | None = None
    q4: float | None = None
    unit: str = "utterance"  # what the quarters are made of: utterance (calls) or sentence (text feedback)
    backend: str | None = None  # the sentiment backend that scored it


@dataclass
class Analysis:
    """Everything the analysis stage produced for one conversation."""

    conversation: Conversation
    utterances: list[Utterance]
    keywords: list[Keyword]
    sentiments: list[SpeakerSentiment]
    redactions: dict[str, int] = field(default_factory=dict)


@dataclass
class CooccurrencePair:
    period: str  # day or week
    period_start: Any  # datetime.date
    speaker: str  # customer, agent, unknown, all
    term_a: str
    term_b: str
    pair_count: int
    count_a: int
    count_b: int
    n_units: int
    npmi: float
    lift: float
    language: str = "und"  # language of the units (en, ko); 'mixed' for rows written before schema v2
    scope: str = "utterance"  # utterance | window
