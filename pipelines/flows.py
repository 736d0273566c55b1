"""The vocmine pipeline as a Prefect flow: ingest -> transcribe -> analyze -> store -> mine corpus.

Orchestration only: every step calls a plain function from `vocmine`. The flow reads like the business
process; each task is small enough to retry on its own. Work is committed in batches, so a crash loses at
most one batch and the next run resumes by skipping what is already stored (content hashes).

Transcription is the only parallel part: one task per recording, run in the flow's own thread or submitted
to Dask workers through prefect-dask (config `task_runner`), with retries for transient failures only, a
timeout that grows with the recording's length and a tag concurrency limit. This process stays the one
writer of the DuckDB file. The deployments operators use (`voc-nightly`, `voc-reprocess`) are in
`pipelines/deployments.py` and call `run_process`.
"""

from __future__ import annotations

import errno
import logging
import sys
import time
import uuid
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from prefect import Task, flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.client.orchestration import get_client
from prefect.concurrency.sync import concurrency
from prefect.context import FlowRunContext
from prefect.exceptions import ObjectNotFound
from prefect.futures import PrefectFuture
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner
from prefect.tasks import exponential_backoff

from vocmine.analyze import analyze
from vocmine.config import Config, load_config
from vocmine.errors import VocmineError
from vocmine.ingest import IngestResult, discover
from vocmine.lineage import package_versions
from vocmine.mining import load_collocations, mine
from vocmine.records import Analysis, Conversation, Transcript
from vocmine.selection import Selection, select
from vocmine.store import Store
from vocmine.store import reports as store_reports
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
    status: str = "running"
    selected_from: int | None = None  # conversations in the inbox before a selection narrowed them
    task_runner: str = ""
    top_keywords: list[tuple[str, int, float]] = field(default_factory=list)
    sentiment_by_queue: list[tuple] = field(default_factory=list)

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


# -- transcription: retries for transient failures only, a timeout per file, a concurrency limit ----------

TRANSCRIBE_TAG = "vocmine-transcribe"  # tag concurrency limit (a global limit named "tag:vocmine-transcribe")
TRANSCRIBE_LIMIT = f"tag:{TRANSCRIBE_TAG}"

# errno values that say "try again later", not "this file is bad": a network share that blinked, a file
# still being moved into place (it was there at discovery), a busy device, memory pressure.
_TRANSIENT_ERRNOS = {
    errno.EIO, errno.EAGAIN, errno.EBUSY, errno.EINTR, errno.ENOMEM, errno.ETIMEDOUT, errno.ESTALE,
    errno.ECONNRESET, errno.ECONNABORTED, errno.ENOENT,
}  # fmt: skip


def is_transient(exc: BaseException) -> bool:
    """True when a failure is worth retrying: I/O hiccups and memory pressure, also when wrapped in an
    InputError by the decoder. Bad input (undecodable audio, wrong language for the model), a missing model
    and a timeout are not: retrying them only burns the night."""
    seen: set[int] = set()
    e: BaseException | None = exc
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        if isinstance(e, TimeoutError) and e.errno is None:  # the per-file timeout, not a socket's
            return False
        if isinstance(e, MemoryError | ConnectionError):
            return True
        if isinstance(e, OSError) and e.errno in _TRANSIENT_ERRNOS:
            return True
        if isinstance(e, RuntimeError) and "out of memory" in str(e).lower():
            return True  # CUDA / CTranslate2 allocation failure under load
        e = e.__cause__ or e.__context__
    return False


def _retry_if_transient(task: Task, task_run: Any, state: Any) -> bool:
    """Prefect retry condition: retry a failed transcription only if the failure was transient."""
    try:
        exc = state.result(raise_on_failure=False)
    except BaseException as inner:  # the state's own exception, re-raised by result()
        exc = inner
    return isinstance(exc, BaseException) and is_transient(exc)


class _DropThreadTimeoutWarning(logging.Filter):
    """Prefect warns on every task with a timeout that runs in a worker thread that the timeout can only
    interrupt Python code. Transcription returns to Python after every decoded segment, so the timeout does
    stop it; the warning on each file would only teach operators to ignore warnings."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Timeout of %s seconds configured for this task")


logging.getLogger("prefect.task_runs").addFilter(_DropThreadTimeoutWarning())


def file_timeout(conv: Conversation, cfg: Config) -> float:
    """Seconds one recording may take: a fixed allowance (model load, decoding) plus a multiple of its
    length. A recording of unknown length is allowed as much as a 10-minute call."""
    duration = conv.duration_s if conv.duration_s else 600.0
    return round(cfg.runs.timeout_base_s + cfg.runs.timeout_per_audio_s * duration, 1)


@task(name="transcribe-call", cache_policy=NO_CACHE, task_run_name="transcribe-{conv.conversation_id}")
def transcribe_call(conv: Conversation, cfg: Config) -> Transcript:
    """Transcribe one recording. Raises on failure, so Prefect records it, retries it when transient and
    times it out; the flow turns the final failure into a failed row with the reason."""
    return transcribe_conversation(conv, cfg.asr, cfg.channels)


def transcribe_task(conv: Conversation, cfg: Config) -> Task:
    """The transcription task with this file's retry, timeout and concurrency options."""
    runs = cfg.runs
    return transcribe_call.with_options(
        retries=runs.retries,
        retry_delay_seconds=exponential_backoff(runs.retry_delay_s)(runs.retries) if runs.retries else 0,
        retry_jitter_factor=0.2 if runs.retry_delay_s else None,
        retry_condition_fn=_retry_if_transient,
        timeout_seconds=file_timeout(conv, cfg),
        # Dask workers transcribe side by side: each task takes a slot of the server-wide limit. A local run
        # transcribes one file at a time and holds one slot for the run instead (`transcription_slot`).
        tags=[TRANSCRIBE_TAG] if runs.transcribe_limit and cfg.task_runner.kind != "local" else [],
    )


def transcription_slot(cfg: Config, needed: bool):
    """A local run's one slot of the server-wide transcription limit, held while it transcribes.

    Taking a slot per file made each recording wait 1-2 s for Prefect's lease round trip (bench_transcribe: the
    pipeline at 1.30-1.55x bare faster-whisper, 1.08x with one slot per run). One file at a time per run is
    what a local run does anyway, so a slot per run bounds concurrent runs on the server the same way."""
    if not needed or cfg.task_runner.kind != "local" or not cfg.runs.transcribe_limit:
        return nullcontext()
    try:
        with get_client(sync_client=True) as client:
            client.read_global_concurrency_limit_by_name(TRANSCRIBE_LIMIT)
    except ObjectNotFound:  # no such limit on this server (`vocmine run` without `make serve`)
        return nullcontext()
    return concurrency(TRANSCRIBE_LIMIT, occupy=1, strict=False)


def failure_reason(conv: Conversation, exc: BaseException, cfg: Config) -> str:
    """What an operator reads in the failures table: the file, what went wrong, what to do."""
    if isinstance(exc, TimeoutError) and exc.errno is None:  # our timeout, not a socket's ETIMEDOUT
        return (
            f"{conv.source_uri}: transcription timed out after {file_timeout(conv, cfg):.0f} s "
            f"({conv.duration_s or 0:.0f} s of audio). If the machine was busy, re-run; if this recording "
            "is just slow, raise runs.timeout_base_s or runs.timeout_per_audio_s."
        )
    reason = _short_error(exc)
    if is_transient(exc):
        reason += f" (transient; gave up after {cfg.runs.retries + 1} attempts; the next run retries it)"
    if conv.source_uri not in reason:
        reason = f"{conv.source_uri}: {reason}"
    return reason


_DASK_THREAD_VARS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")


def task_runner_for(cfg: Config) -> TaskRunner:
    """`local`: transcription runs in the flow's own thread (see `_submit_transcriptions`); the runner only
    serves other submitted tasks, one at a time. `dask`: prefect-dask
    over a local cluster or a scheduler address; each worker process loads the model once."""
    if cfg.task_runner.kind == "dask":
        from prefect_dask import DaskTaskRunner

        if cfg.task_runner.address:
            return DaskTaskRunner(address=cfg.task_runner.address)
        import dask

        # Dask's nanny sets OMP/MKL/OpenBLAS threads to 1 in every worker it spawns. That changes Whisper's
        # numerics (measured: other words on the same call with asr.cpu_threads fixed), so a worker would
        # transcribe differently from a local run. Workers inherit this process's setting instead; the
        # thread count that matters is asr.cpu_threads.
        dask.config.set({f"distributed.nanny.pre-spawn-environ.{k}": None for k in _DASK_THREAD_VARS})
        return DaskTaskRunner(
            cluster_class="distributed.LocalCluster",
            cluster_kwargs={
                "n_workers": cfg.task_runner.workers,
                "threads_per_worker": 1,
                "processes": True,
                "dashboard_address": None,
            },
        )
    return ThreadPoolTaskRunner(max_workers=1)


@task(name="analyze-batch", cache_policy=NO_CACHE)
def analyze_batch(
    transcripts: list[Transcript], cfg: Config, collocations: dict[str, list[str]] | None = None
) -> tuple[list[Analysis], list[Conversation]]:
    """Analyse the batch together; if that fails, retry one by one so only the culprit fails.

    `collocations` are the phrases learned by earlier nights' mining: they stay whole as keywords and terms."""
    try:
        return analyze(transcripts, cfg, collocations), []
    except Exception:
        done, failed = [], []
        for tr in transcripts:
            try:
                done.extend(analyze([tr], cfg, collocations))
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
    """Audio in small batches (each costs seconds to minutes, so commit often); text in large ones (cheap
    per item, so fewer, larger transactions)."""
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


def _select(
    convs: list[Conversation], selection: Selection | None, store: Store, input_dir: str, cfg: Config
) -> list[Conversation]:
    if selection is None or selection.is_empty():
        return convs
    days = store_reports.stored_days(store.con, [c.conversation_id for c in convs])
    return select(convs, selection, inbox=input_dir, tz=cfg.timezone, stored_days=days)


class _Deferred:
    """A transcription run in the flow's own thread when its result is collected (local runner)."""

    def __init__(self, conv: Conversation, cfg: Config):
        self.conv, self.cfg = conv, cfg

    def result(self, raise_on_failure: bool = False) -> Any:
        state = transcribe_task(self.conv, self.cfg)(self.conv, self.cfg, return_state=True)
        return state.result(raise_on_failure=raise_on_failure)


def _submit_transcriptions(batch: list[Conversation], cfg: Config) -> dict[str, PrefectFuture | _Deferred]:
    """Dask: submit now, so workers transcribe the next batch while this process stores the current one.
    Local: transcribe in the flow's thread when collected. CTranslate2 called from a second thread ran
    about 30% slower here (bench/bench_transcribe.py: ratio 1.50 against 1.13 before, same load), and
    the model already uses every core."""
    todo = [c for c in batch if c.source == "audio" and c.status == "ok"]
    if cfg.task_runner.kind == "local":
        return {c.conversation_id: _Deferred(c, cfg) for c in todo}
    return {c.conversation_id: transcribe_task(c, cfg).submit(c, cfg) for c in todo}


def _collect_batch(
    batch: list[Conversation],
    futures: dict[str, PrefectFuture | _Deferred],
    cfg: Config,
    summary: RunSummary,
    bar,
    logger,
) -> tuple[list[Transcript], list[Conversation], dict[str, float | None]]:
    """Wait for a batch's transcriptions, in input order; a failed file becomes a failed conversation."""
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
        out = futures[conv.conversation_id].result(raise_on_failure=False)
        if bar:
            bar.advance(bar.task_ids[0])
        if isinstance(out, Transcript):
            transcripts.append(out)
            lang_prob[conv.conversation_id] = out.language_probability
            summary.audio_seconds += out.audio_duration_s
            summary.asr_seconds += out.processing_s
        else:
            exc = out if isinstance(out, BaseException) else RuntimeError(f"unexpected result {out!r}")
            conv.status, conv.error = "failed", failure_reason(conv, exc, cfg)
            logger.warning("failed: %s", conv.error)
            failed.append(conv)
    return transcripts, failed, lang_prob


@flow(name="vocmine-process", log_prints=True, task_runner=ThreadPoolTaskRunner(max_workers=1))
def process_inputs(
    input_dir: str,
    db: str = "data/vocmine.duckdb",
    config_path: str | None = None,
    force: bool = False,
    selection: Selection | None = None,
    flow_label: str = "vocmine-process",
) -> dict[str, Any]:
    """Ingest everything under `input_dir` (or the `selection` of it), transcribe and analyse what is new
    (everything selected with `force`), and store it in `db`."""
    logger = get_run_logger()
    cfg = load_config(config_path)
    run_id = str(uuid.uuid4())
    started = datetime.now(UTC)
    summary = RunSummary(run_id=run_id, db=str(Path(db)))
    runner = FlowRunContext.get().task_runner
    summary.task_runner = type(runner).__name__
    logger.info("transcription on %s", summary.task_runner)

    ingest = discover_inputs(input_dir, cfg)
    summary.warnings = ingest.warnings
    convs = ingest.conversations

    with Store(db) as store:
        if selection is not None and not selection.is_empty():
            summary.selected_from = len(convs)
            convs = _select(convs, selection, store, input_dir, cfg)
            logger.info("selection %s: %d of %d conversations", selection.model_dump(mode="json"),
                        len(convs), summary.selected_from)  # fmt: skip
        summary.discovered = len(convs)
        known = store.known([c.conversation_id for c in convs])
        store.retire_row_failures(convs)  # failed rows of since-fixed unreadable lines
        collocations = load_collocations(store.con)  # learned by earlier runs' mining
        todo = [c for c in convs if force or _needs_work(c, known.get(c.conversation_id))]
        todo = _drop_copies(todo, store, summary, logger)
        summary.skipped = summary.discovered - len(todo)
        summary.new = len(todo)
        handle = None
        if any(c.source == "audio" and c.status == "ok" for c in todo):
            handle = get_model(cfg.asr)  # fail the run early, once, on a missing or broken model
        store.start_run(
            {
                "run_id": run_id,
                "flow": flow_label,
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
        batches = _batches(todo, cfg.write_batch)
        # one slot of the server-wide transcription limit for the whole run (see transcription_slot)
        with transcription_slot(cfg, needed=handle is not None):
            try:
                # transcription of the next batch is submitted before this batch is analysed and stored, so the
                # workers never wait for the writer
                ahead = _submit_transcriptions(batches[0], cfg) if batches else {}
                for i, batch in enumerate(batches):
                    futures = ahead
                    ahead = _submit_transcriptions(batches[i + 1], cfg) if i + 1 < len(batches) else {}
                    transcripts, failed, lang_prob = _collect_batch(batch, futures, cfg, summary, bar, logger)
                    analyses, analysis_failed = (
                        analyze_batch(transcripts, cfg, collocations) if transcripts else ([], [])
                    )
                    failed += analysis_failed
                    touched |= store_batch(store, analyses, failed, run_id, started, cfg, lang_prob)
                    logger.info("stored batch %d/%d: %d conversations, %d failed", i + 1, len(batches),
                                len(analyses), len(failed))  # fmt: skip
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
        summary.status = "completed" if not summary.failed else "completed_with_failures"
        store.finish_run(
            run_id,
            finished_at=datetime.now(UTC),
            status=summary.status,
            n_new=summary.new,
            n_skipped=summary.skipped,
            n_failed=summary.failed,
            n_utterances=summary.utterances,
            audio_seconds=round(summary.audio_seconds, 3),
            asr_seconds=round(summary.asr_seconds, 3),
        )
        summary.top_keywords = store_reports.top_keywords(store.con, run_id)
        summary.sentiment_by_queue = store_reports.sentiment_by_queue(store.con, run_id)
    rtf = summary.asr_seconds / summary.audio_seconds if summary.audio_seconds else 0.0
    logger.info(
        "run %s done: %d new, %d skipped, %d failed, %.1f s audio, RTF %.3f",
        run_id, summary.new, summary.skipped, summary.failed, summary.audio_seconds, rtf,
    )  # fmt: skip
    for uri, err in summary.failures:
        logger.warning("failed: %s: %s", uri, err)
    return summary.as_dict()


def run_process(
    input_dir: str,
    db: str,
    config_path: str | None = None,
    force: bool = False,
    selection: Selection | None = None,
    flow_label: str = "vocmine-process",
) -> dict[str, Any]:
    """Run the processing flow on the task runner the config names (a subflow when called from a flow)."""
    cfg = load_config(config_path)
    flow_ = process_inputs.with_options(task_runner=task_runner_for(cfg))
    return flow_(
        input_dir=input_dir, db=db, config_path=config_path, force=force, selection=selection,
        flow_label=flow_label,
    )  # fmt: skip


def run_pipeline(
    input_dir: str, db: str, config_path: str | None = None, force: bool = False
) -> dict[str, Any]:
    """Entry point for the CLI and tests: the same flow, timed."""
    t0 = time.perf_counter()
    result = run_process(input_dir=input_dir, db=db, config_path=config_path, force=force)
    result["wall_seconds"] = round(time.perf_counter() - t0, 2)
    return result
