"""Configuration: one validated object, loaded from YAML, hashed for lineage.

Every knob a user may want to turn lives here with its default, so a run is fully described by its config
hash (stored in the `runs` table).
"""

from __future__ import annotations

import difflib
import hashlib
import json
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from vocmine.errors import ConfigError


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ASRConfig(_Strict):
    model: str = Field(
        "tiny.en",
        description="Whisper model: 'tiny.en' or 'base' (shipped offline by registry packages), a local "
        "CTranslate2 model directory, or any faster-whisper model name (downloaded on first use).",
    )
    device: Literal["auto", "cpu", "cuda"] = "auto"
    compute_type: str = Field("auto", description="'auto' = float16 on CUDA, int8 on CPU.")
    beam_size: int = Field(5, ge=1, le=20)
    vad_filter: bool = True
    word_timestamps: bool = True
    language: str = Field(
        "auto",
        description="Language code for all audio, or 'auto': the conversation's metadata, else Whisper's detection.",
    )
    cpu_threads: int = Field(0, ge=0, description="0 = let CTranslate2 decide.")
    window_s: float = Field(
        600.0,
        ge=30,
        description="Long calls are decoded and transcribed in windows of about this many seconds (cut at a "
        "quiet moment), so memory stays bounded however long a call is.",
    )
    model_cache_dir: str | None = Field(
        None, description="Where joined/downloaded models are kept (default ~/.cache/vocmine/models)."
    )


class ChannelsConfig(_Strict):
    """Which speaker each channel of a stereo recording carries."""

    left: Literal["agent", "customer"] = "agent"
    right: Literal["agent", "customer"] = "customer"

    @field_validator("right")
    @classmethod
    def _distinct(cls, v: str, info) -> str:
        if info.data.get("left") == v:
            raise ValueError("channels.left and channels.right must name different speakers")
        return v


class KeywordsConfig(_Strict):
    top_k: int = Field(10, ge=1, le=100)
    max_ngram: int = Field(
        4,
        ge=1,
        le=5,
        description="Longest multi-word keyword kept, in words (longer phrases keep their last words).",
    )


class CooccurrenceConfig(_Strict):
    periods: list[Literal["day", "week"]] = ["day", "week"]
    min_pair_count: int = Field(
        2, ge=1, description="Pairs seen fewer times in a period are dropped as noise."
    )
    window: int = Field(
        10,
        ge=0,
        le=100,
        description="Also count pairs within a sliding window of N consecutive terms of a conversation "
        "(across turns); 0 = utterance pairs only.",
    )
    min_term_count: int = Field(
        2, ge=1, description="Terms seen in fewer units than this in a period are left out of the pairs."
    )


class TopicsConfig(_Strict):
    enabled: bool = True
    periods: list[Literal["day", "week"]] = ["week"]
    n_topics: int = Field(
        8, ge=2, le=100, description="Topics per period and language (fewer for small periods)."
    )
    min_documents: int = Field(
        20, ge=2, description="Periods with fewer conversations of a language get no topic model."
    )
    seed: int = Field(7, description="Random seed, so re-running a period gives the same topics.")


class SentimentBackendsConfig(_Strict):
    """Which sentiment backend scores each language (see vocmine/sentiment/__init__.py)."""

    en: str = Field("en-lexicon", description="en-lexicon | vader | transformers")
    ko: str = Field("ko-lexicon", description="ko-lexicon | ko-count | transformers")

    @field_validator("en", "ko")
    @classmethod
    def _known(cls, v: str) -> str:
        from vocmine.sentiment import backend_names

        if v not in backend_names():
            raise ValueError(f"unknown sentiment backend {v!r}; choose one of {backend_names()}")
        return v


class TransformersSentimentConfig(_Strict):
    """The optional `transformers` backend: a local model directory; nothing is downloaded."""

    model_dir: str | None = Field(
        None, description="Local sequence-classification model directory (config.json, tokenizer, weights)."
    )
    label_scores: dict[str, float] | None = Field(
        None, description="Score per model label when its names are not negative/neutral/positive or N stars."
    )
    batch_size: int = Field(16, ge=1, le=1024)
    max_length: int = Field(256, ge=8, le=4096)
    device: str = Field("cpu", description="torch device, e.g. cpu or cuda")


class SentimentConfig(_Strict):
    neutral_band: float = Field(0.05, ge=0, lt=1, description="|score| below this is 'neutral'.")
    backend: SentimentBackendsConfig = SentimentBackendsConfig()
    transformers: TransformersSentimentConfig = TransformersSentimentConfig()

    @model_validator(mode="after")
    def _transformers_needs_a_directory(self):
        for lang in ("en", "ko"):
            if getattr(self.backend, lang) == "transformers" and not self.transformers.model_dir:
                raise ValueError(
                    f"sentiment.backend.{lang} is 'transformers' but sentiment.transformers.model_dir is not set; "
                    "set it to a local model directory, or use the lexicon backend"
                )
        return self


class RedactionConfig(_Strict):
    enabled: bool = True
    originals_file: str | None = Field(
        None,
        description="Opt-in: append every redacted original (conversation id, entity, value) as JSONL to this "
        "file, created owner-only (0600). Off by default: originals are then never written anywhere.",
    )
    entities: list[Literal["card", "phone", "email", "ssn", "rrn", "account"]] = [
        "card",
        "phone",
        "email",
        "ssn",
        "rrn",
        "account",
    ]


class ScheduleConfig(_Strict):
    """When the `voc-nightly` deployment runs (see docs/operations.md)."""

    cron: str = Field(
        "0 2 * * *", description="Cron expression for voc-nightly, read in the top-level `timezone`."
    )
    active: bool = Field(True, description="false = serve voc-nightly without an active schedule.")

    @field_validator("cron")
    @classmethod
    def _valid_cron(cls, v: str) -> str:
        from datetime import datetime

        from cronsim import CronSim, CronSimError

        try:
            CronSim(v, datetime(2026, 1, 1))
        except CronSimError as exc:
            raise ValueError(
                f"not a cron expression ({exc}); use five fields, e.g. '0 2 * * *' for 02:00 every day"
            ) from exc
        return v


class RunsConfig(_Strict):
    """How one run treats a file that fails or hangs."""

    retries: int = Field(
        2, ge=0, le=10, description="Extra attempts for a transient failure (I/O, memory); bad input never."
    )
    retry_delay_s: float = Field(
        10.0, ge=0, description="Delay before the first retry; it doubles for each further one (with jitter)."
    )
    timeout_base_s: float = Field(
        120.0, gt=0, description="Per-file transcription timeout: this much, plus timeout_per_audio_s..."
    )
    timeout_per_audio_s: float = Field(2.0, ge=0, description="...times the recording's length in seconds.")
    transcribe_limit: int = Field(
        1,
        ge=0,
        description="Recordings transcribed at once across all runs of one Prefect server (the tag "
        "concurrency limit 'vocmine-transcribe', set by `make serve`); 0 = no server-side limit.",
    )


class TaskRunnerConfig(_Strict):
    """Where transcription runs: in the flow's process, or fanned out over Dask workers."""

    kind: Literal["local", "dask"] = Field(
        "local", description="local = one process; dask = prefect-dask over a cluster."
    )
    address: str | None = Field(
        None, description="dask: scheduler address (tcp://host:8786); none = start a local cluster."
    )
    workers: int = Field(2, ge=1, le=256, description="dask local cluster: worker processes.")


class Config(_Strict):
    asr: ASRConfig = ASRConfig()
    channels: ChannelsConfig = ChannelsConfig()
    default_language: Literal["en", "ko"] = Field("en", description="Language of text items that give none.")
    keywords: KeywordsConfig = KeywordsConfig()
    dictionary: str | None = Field(
        "configs/dictionary.yaml",
        description="User dictionary (domain terms, names to ignore); relative paths are looked up from the "
        "working directory, then from the vocmine checkout. null = none.",
    )
    cooccurrence: CooccurrenceConfig = CooccurrenceConfig()
    topics: TopicsConfig = TopicsConfig()
    sentiment: SentimentConfig = SentimentConfig()
    redaction: RedactionConfig = RedactionConfig()
    timezone: str = Field("UTC", description="Time zone used for naive timestamps and for day/week periods.")
    input_roots: list[str] = Field(
        [],
        description="Folders that inputs may come from; `vocmine run` refuses any other path, and files "
        "(or symlinks) under an input folder that resolve outside these roots are skipped. Empty = no limit.",
    )
    write_batch: int = Field(
        8,
        ge=1,
        le=1000,
        description="Conversations analysed and committed together; a crash loses at most one batch.",
    )
    inbox: str = Field("data/inbox", description="Folder the voc-nightly deployment processes.")
    db: str = Field("data/vocmine.duckdb", description="DuckDB file the deployments write.")
    schedule: ScheduleConfig = ScheduleConfig()
    runs: RunsConfig = RunsConfig()
    task_runner: TaskRunnerConfig = TaskRunnerConfig()

    @field_validator("timezone")
    @classmethod
    def _known_tz(cls, v: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"unknown time zone {v!r}; use an IANA name such as 'Asia/Seoul' or 'UTC'"
            ) from exc
        return v

    @field_validator("input_roots")
    @classmethod
    def _roots_exist(cls, v: list[str]) -> list[str]:
        for root in v:
            if not Path(root).expanduser().is_dir():
                raise ValueError(f"{root!r} is not an existing folder; list folders that hold your inputs")
        return [str(Path(r).expanduser().resolve()) for r in v]

    def hash(self) -> str:
        """A stable hash of every setting, stored with each run for lineage."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def _model_at(loc: tuple) -> type[BaseModel] | None:
    model: type[BaseModel] | None = Config
    for part in loc:
        field = model.model_fields.get(str(part)) if model else None
        ann = field.annotation if field else None
        model = ann if isinstance(ann, type) and issubclass(ann, BaseModel) else None
    return model


def _describe(err: dict) -> str:
    """One line per problem: the dotted key, what is wrong, and what to write instead."""
    loc = tuple(err["loc"])
    key = ".".join(str(x) for x in loc)
    if err["type"] == "extra_forbidden":
        parent = _model_at(loc[:-1])
        valid = sorted(parent.model_fields) if parent else []
        close = difflib.get_close_matches(str(loc[-1]), valid, n=1)
        hint = f"did you mean {'.'.join([*map(str, loc[:-1]), close[0]])!r}? " if close else ""
        return f"{key}: unknown key; {hint}valid keys here: {', '.join(valid)}"
    msg = err["msg"].removeprefix("Value error, ")
    return f"{key}: {msg} (you wrote {err.get('input')!r})"


def check_input_root(path: str | Path, roots: list[str]) -> None:
    """Refuse an input folder outside the configured `input_roots` (no limit when none are configured)."""
    if not roots:
        return
    resolved = Path(path).expanduser().resolve()
    if not any(resolved.is_relative_to(r) for r in roots):
        raise ConfigError(
            f"{path}: outside the configured input roots ({', '.join(roots)}). Move the files under one of "
            "them, or add their folder to `input_roots` in your config."
        )


def load_config(path: str | Path | None = None) -> Config:
    """Load and validate a YAML config; None gives the defaults."""
    if path is None:
        return Config()
    p = Path(path)
    if not p.is_file():
        raise ConfigError(
            f"{p}: config file not found. Pass an existing YAML file, e.g. configs/default.yaml."
        )
    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{p}: not valid YAML ({exc}). Fix the syntax and try again.") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{p}: expected a mapping of settings at the top level, got {type(raw).__name__}.")
    try:
        return Config.model_validate(raw)
    except ValidationError as exc:
        problems = [f"  {_describe(err)}" for err in exc.errors()]
        raise ConfigError(
            f"{p}: invalid configuration:\n"
            + "\n".join(problems)
            + "\nSee configs/default.yaml for every key."
        ) from exc
