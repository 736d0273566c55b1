"""Configuration: one validated object, loaded from YAML, hashed for lineage.

Every knob a user may want to turn lives here with its default, so a run is fully described by its config
hash (stored in the `runs` table).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

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


class CooccurrenceConfig(_Strict):
    periods: list[Literal["day", "week"]] = ["day", "week"]
    min_pair_count: int = Field(
        2, ge=1, description="Pairs seen fewer times in a period are dropped as noise."
    )
    window: int = Field(
        0,
        ge=0,
        description="0 = pairs within an utterance; N > 0 also pairs terms at most N terms apart across turns.",
    )


class SentimentConfig(_Strict):
    neutral_band: float = Field(0.05, ge=0, lt=1, description="|score| below this is 'neutral'.")


class RedactionConfig(_Strict):
    enabled: bool = True
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
    cooccurrence: CooccurrenceConfig = CooccurrenceConfig()
    sentiment: SentimentConfig = SentimentConfig()
    redaction: RedactionConfig = RedactionConfig()
    timezone: str = Field("UTC", description="Time zone used for naive timestamps and for day/week periods.")
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

    def hash(self) -> str:
        """A stable hash of every setting, stored with each run for lineage."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]


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
        problems = []
        for err in exc.errors():
            key = ".".join(str(x) for x in err["loc"])
            problems.append(f"  {key}: {err['msg']}")
        raise ConfigError(
            f"{p}: invalid configuration:\n"
            + "\n".join(problems)
            + "\nSee configs/default.yaml for every key."
        ) from exc
