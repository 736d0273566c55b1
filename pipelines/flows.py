"""The vocmine pipeline as a Prefect flow: ingest -> transcribe -> analyze -> store -> mine corpus.

Orchestration only: every step calls a plain function from `vocmine`. The flow reads like the business
process; each task is small enough to retry on its own. Work is committed in batches, so a crash loses at
most one batch and the next run resumes by skipping what is already stored (content hashes).
"""

from __future__ import annotations

import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from vocmine.analyze import analyze
from vocmine.config import Config, load_config
from vocmine.errors import VocmineError
from vocmine.ingest import IngestResult, discover
from vocmine.lineage import package_versions
from vocmine.mining import mine
from vocmine.records import Analysis, Conversation, Transcript
from vocmine.store import Store
from vocmine.transcribe import get_model, text_to_transcript, transcribe_conversation


@dataclass
class RunSummary:
    run_id: str
    db: str
    discovered: int = 0
    new: int = 0
    skipped: int = 0
    failed: int = 0
    utterances: int = 0
    audio_seconds: float = 0.0
    asr_seconds: float = 0.0
    failures: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def _period_day(conv: Conversation, ingested_at: datetime, tz: str) -> date:
    moment = conv.started_at or ingested_at
    return moment.astimezone(ZoneInfo(tz)).date()


def _short_error(exc: BaseException) -> str:
    if isinstance(exc, VocmineError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def _needs_work(conv: Conversation, previous: tuple[str, str] | None) -> bool:
    """New or changed content is processed; unchanged content is skipped, except that an item which failed
    before is retried once it can be read again (e.g. after a missing model was installed)."""
    if previous is None:
        return True
    sha, status = previous
    if sha != conv.content_sha256:
        return True
    return status != "ok" and conv.status == "ok"


def _drop_copies(todo: list[Conversation], store: Store, summary: RunSummary, logger) -> list[Conversation]:
    """A recording whose exact bytes are already stored under another id (the same export copied to a second
    folder) is not transcribed again: it would count the same call twice."""
    audio = [c for c in todo if c.source == "audio" and c.status == "ok"]
    stored = store.stored_audio_hashes([c.audio_sha256 or c.content_sha256 for c in audio])
    first_seen: dict[str, str] = {}
    keep = []
    for c in todo:
        if c.source == "audio" and c.status == "ok":
            key = c.audio_sha256 or c.content_sha256  # the audio alone: a copy may carry other metadata
            original = stored.get(key) or first_seen.get(key)
            if original is not None and original != c.conversation_id:
                msg = f"{c.source_uri}: same content as conversation {original!r}; skipped as a copy."
                logger.warning(msg)
                summary.warnings.append(msg)
                continue
            first_seen.setdefault(key, c.conversation_id)
        keep.append(c)
    return keep


@task(name="discover-inputs", cache_policy=NO_CACHE)
def discover_inputs(input_dir: str, cfg: Config) -> IngestResult:
    result = discover(
        input_dir, default_language=cfg.default_language, timezone=cfg.timezone, roots=cfg.input_roots,
        redact_entities=cfg.redaction.entities if cfg.redaction.enabled else [],
    )  # fmt: skip
    logger = get_run_logger()
    for w in result.warnings:
        logger.warning(w)
    logger.info("discovered %d conversations under %s", len(result.conversations), input_dir)
    return result


@task(name="transcribe-call", cache_policy=NO_CACHE, task_run_name="transcribe-{conv.conversation_id}")
def transcribe_call(conv: Conversation, cfg: Config) -> Transcript | Conversation:
    """Transcribe one recording; a broken file comes back as a failed Conversation, never an exception."""
    try:
        return transcribe_conversation(conv, cfg.asr, cfg.channels)
    except Exception as exc:  # one broken recording must never stop the night
        conv.status, conv.error = "failed", _short_error(exc)
        get_run_logger().warning("%s: failed: %s", conv.source_uri, conv.error)
        return conv


@task(name="analyze-batch", cache_policy=NO_CACHE)
def analyze_batch(transcripts: list[Transcript], cfg: Config) -> tuple[list[Analysis], list[Conversation]]:
    """Analyse the batch together; if that fails, retry one by one so only the culprit fails."""
    try:
        return analyze(transcripts, cfg), []
    except Exception:
        done, failed = [], []
        for tr in transcripts:
            try:
                done.extend(analyze([tr], cfg))
            except Exception as exc:
                tr.conversation.status, tr.conversation.error = (
                    "failed",
                    f"analysis failed: {_short_error(exc)}",
                )
                failed.append(tr.conversation)
        return done, failed


@task(name="store-batch", cache_policy=NO_CACHE)
def store_batch(
    store: Store, analyses: list[Analysis], failed: list[Conversation], run_id: str, ingested_at: datetime,
    cfg: Config, lang_prob: dict[str, float | None],
) -> set[date]:  # fmt: skip
    days = {
        c.conversation_id: _period_day(c, ingested_at, cfg.timezone)
        for c in [a.conversation for a in analyses] + list(failed)
    }
    store.write_results(
        analyses,
        failed,
        run_id=run_id,
        ingested_at=ingested_at,
        period_day=days,
        language_probability=lang_prob,
    )
    return {days[a.conversation.conversation_id] for a in analyses}


@task(name="mine-cooccurrence", cache_policy=NO_CACHE)
def mine_cooccurrence(store: Store, days: set[date], cfg: Config) -> int:
    """Recompute co-occurrence, collocations and topics for every period touched by this run, from everything
    stored for it (vocmine.mining)."""
    totals = mine(store.con, days, cfg)
    get_run_logger().info(
        "mined %d day(s): %s", len(days), ", ".join(f"{n} {table} rows" for table, n in totals.items())
    )
    return totals.get("term_cooccurrence", 0)


TEXT_BATCH = 2000


def _batches(todo: list[Conversation], audio_batch: int) -> list[list[Conversation]]:
    """Audio in small batches (each costs seconds to minutes, so commit often); text in large ones (cheap,
    and keyword IDF is steadier over more documents)."""
    audio = [c for c in todo if c.source == "audio"]
    text = [c for c in todo if c.source != "audio"]
    return [audio[i : i + audio_batch] for i in range(0, len(audio), audio_batch)] + [
        text[i : i + TEXT_BATCH] for i in range(0, len(text), TEXT_BATCH)
    ]


def _progress(total: int):
    """A progress bar on an interactive terminal; plain log lines otherwise (Prefect UI, CI)."""
    if not sys.stderr.isatty() or total == 0:
        return None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(
        TextColumn("[bold]transcribing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        TextColumn("{task.description}"), transient=True,
    )  # fmt: skip
    bar.start()
    bar.add_task("", total=total)
    return bar


@flow(name="vocmine-process", log_prints=True)
def process_inputs(
    input_dir: str,
    db: str = "data/vocmine.duckdb",
    config_path: str | None = None,
    force: bool = False,
) -> dict[str, Any]:
    """Ingest everything under `input_dir`, transcribe and analyse what is new, and store it in `db`."""
    logger = get_run_logger()
    cfg = load_config(config_path)
    run_id = str(uuid.uuid4())
    started = datetime.now(UTC)
    summary = RunSummary(run_id=run_id, db=str(Path(db)))

    ingest = discover_inputs(input_dir, cfg)
    summary.warnings = ingest.warnings
    convs = ingest.conversations
    summary.discovered = len(convs)

    with Store(db) as store:
        known = store.known([c.conversation_id for c in convs])
        store.retire_row_failures(convs)  # failed rows of since-fixed unreadable lines
        todo = [c for c in convs if force or _needs_work(c, known.get(c.conversation_id))]
        todo = _drop_copies(todo, store, summary, logger)
        summary.skipped = summary.discovered - len(todo)
        summary.new = len(todo)
        handle = None
        if any(c.source == "audio" and c.status == "ok" for c in todo):
            handle = get_model(cfg.asr)
        store.start_run(
            {
                "run_id": run_id,
                "flow": "vocmine-process",
                "started_at": started,
                "status": "running",
                "input_uri": str(Path(input_dir).resolve()),
                "n_discovered": summary.discovered,
                "asr_model": cfg.asr.model,
                "asr_device": handle.device if handle else None,
                "compute_type": handle.compute_type if handle else None,
                "config_hash": cfg.hash(),
                "config": cfg.model_dump(mode="json"),
                "versions": package_versions(),
            }
        )
        logger.info(
            "run %s: %d discovered, %d to process, %d unchanged",
            run_id,
            len(convs),
            len(todo),
            summary.skipped,
        )
        touched: set[date] = set()
        bar = _progress(sum(1 for c in todo if c.source == "audio"))
        try:
            for batch in _batches(todo, cfg.write_batch):
                transcripts: list[Transcript] = []
                failed: list[Conversation] = [c for c in batch if c.status == "failed"]
                lang_prob: dict[str, float | None] = {}
                for conv in batch:
                    if conv.status == "failed":
                        continue
                    if conv.source == "text":
                        transcripts.append(text_to_transcript(conv))
                        continue
                    if bar:
                        bar.update(bar.task_ids[0], description=Path(conv.source_uri).name)
                    out = transcribe_call(conv, cfg)
                    if bar:
                        bar.advance(bar.task_ids[0])
                    if isinstance(out, Transcript):
                        transcripts.append(out)
                        lang_prob[conv.conversation_id] = out.language_probability
                        summary.audio_seconds += out.audio_duration_s
                        summary.asr_seconds += out.processing_s
                    else:
                        failed.append(out)
                analyses, analysis_failed = analyze_batch(transcripts, cfg) if transcripts else ([], [])
                failed += analysis_failed
                touched |= store_batch(store, analyses, failed, run_id, started, cfg, lang_prob)
                summary.utterances += sum(len(a.utterances) for a in analyses)
                summary.failed += len(failed)
                summary.failures += [(c.source_uri, c.error or "") for c in failed]
        except BaseException as exc:
            # committed batches stay; the run row says what stopped it, and the next run resumes from there
            store.finish_run(
                run_id, finished_at=datetime.now(UTC), status="failed", error=_short_error(exc)[:2000],
                n_new=summary.new, n_skipped=summary.skipped, n_failed=summary.failed,
            )  # fmt: skip
            raise
        finally:
            if bar:
                bar.stop()
        if touched:
            mine_cooccurrence(store, touched, cfg)
        store.finish_run(
            run_id,
            finished_at=datetime.now(UTC),
            status="completed" if not summary.failed else "completed_with_failures",
            n_new=summary.new,
            n_skipped=summary.skipped,
            n_failed=summary.failed,
            n_utterances=summary.utterances,
            audio_seconds=round(summary.audio_seconds, 3),
            asr_seconds=round(summary.asr_seconds, 3),
        )
    rtf = summary.asr_seconds / summary.audio_seconds if summary.audio_seconds else 0.0
    logger.info(
        "run %s done: %d new, %d skipped, %d failed, %.1f s audio, RTF %.3f",
        run_id, summary.new, summary.skipped, summary.failed, summary.audio_seconds, rtf,
    )  # fmt: skip
    for uri, err in summary.failures:
        logger.warning("failed: %s: %s", uri, err)
    return summary.as_dict()


def run_pipeline(
    input_dir: str, db: str, config_path: str | None = None, force: bool = False
) -> dict[str, Any]:
    """Entry point for the CLI and tests: the same flow, timed."""
    t0 = time.perf_counter()
    result = process_inputs(input_dir=input_dir, db=db, config_path=config_path, force=force)
    result["wall_seconds"] = round(time.perf_counter() - t0, 2)
    return result
