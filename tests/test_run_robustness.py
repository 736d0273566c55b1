"""Robust runs with real parts: real recordings, real Whisper, the real Prefect task engine (retries,
timeouts, task runners), a real DuckDB file; a real crash (SIGKILL) of a real run."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pytest
import yaml
from prefect import flow

from pipelines.flows import failure_reason, is_transient, run_pipeline, transcribe_task
from tests.conftest import ROOT, make_small_inbox
from vocmine.config import Config
from vocmine.errors import AudioDecodeError, InputError, ModelError
from vocmine.ingest import discover
from vocmine.records import Conversation, Transcript

TABLES = (
    "conversations",
    "utterances",
    "conversation_keywords",
    "conversation_sentiment",
    "term_cooccurrence",
)
RUN_COLUMNS = {"run_id", "ingested_at"}  # differ between two runs by design


def q(db, sql, params=None):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def write_config(path: Path, **settings) -> str:
    path.write_text(yaml.safe_dump(settings), encoding="utf-8")
    return str(path)


def table_rows(db: Path, table: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall() if r[0] not in RUN_COLUMNS]
        return con.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY ALL").fetchall()


def test_transient_means_io_and_memory_not_bad_input():
    enoent = FileNotFoundError(2, "No such file or directory")
    wrapped = AudioDecodeError("x.wav: could not be decoded")
    wrapped.__cause__ = enoent
    assert (
        is_transient(wrapped)
        and is_transient(OSError(5, "Input/output error"))
        and is_transient(MemoryError())
    )
    undecodable = AudioDecodeError("x.wav: could not be decoded")
    undecodable.__cause__ = ValueError("Invalid data found when processing input")
    assert not is_transient(undecodable)
    assert not is_transient(InputError("x.wav: language is 'ko' but the model is English-only"))
    assert not is_transient(ModelError("could not load Whisper model"))
    assert not is_transient(TimeoutError("Scope timed out after 1 second(s)."))


@flow
def transcribe_one(conv: Conversation, cfg: Config):
    """The flow's per-file task with its per-file options; returns the outcome and how often it ran."""
    fut = transcribe_task(conv, cfg).submit(conv, cfg)
    out = fut.result(raise_on_failure=False)
    return out, fut.state


def _task_run_count(state) -> int:
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        return client.read_task_run(state.state_details.task_run_id).run_count


def _restore_when_awaiting_retry(conv: Conversation, away: Path, src: Path, done: threading.Event) -> None:
    """Put the file back once Prefect has scheduled the retry of its failed first attempt."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        TaskRunFilter,
        TaskRunFilterName,
        TaskRunFilterState,
        TaskRunFilterStateName,
    )

    flt = TaskRunFilter(
        name=TaskRunFilterName(any_=[f"transcribe-{conv.conversation_id}"]),
        state=TaskRunFilterState(name=TaskRunFilterStateName(any_=["AwaitingRetry"])),
    )
    with get_client(sync_client=True) as client:
        while not done.wait(0.2):
            if client.read_task_runs(task_run_filter=flt):
                break
    shutil.move(away, src)


@pytest.fixture
def one_call(tmp_path):
    inbox = make_small_inbox(tmp_path / "inbox", calls=("call_agent_praise.ogg",), feedback_lines=0)
    conv = next(c for c in discover(inbox).conversations if c.source == "audio")
    assert conv.status == "ok"
    return conv


def test_a_transient_failure_is_retried_and_recovers(prefect_server, one_call, tmp_path):
    """The recording is gone when transcription starts (a share that blinked) and back a moment later."""
    cfg = Config.model_validate({"runs": {"retries": 2, "retry_delay_s": 2.0}})
    src = Path(one_call.source_uri)
    away = tmp_path / "away.ogg"
    shutil.move(src, away)
    done = threading.Event()
    restorer = threading.Thread(target=_restore_when_awaiting_retry, args=(one_call, away, src, done))
    restorer.start()
    try:
        out, state = transcribe_one(one_call, cfg)
    finally:
        done.set()
        restorer.join()
    assert isinstance(out, Transcript) and out.utterances, out
    assert _task_run_count(state) == 2  # failed once (file missing), then succeeded


def test_bad_input_is_not_retried(prefect_server, tmp_path):
    bad = tmp_path / "garbage.ogg"
    bad.write_bytes(b"OggS" + os.urandom(4000))
    conv = Conversation("garbage", "audio", "phone", str(bad), "0" * 64, duration_s=30.0)
    cfg = Config.model_validate({"runs": {"retries": 3, "retry_delay_s": 0.5}})
    out, state = transcribe_one(conv, cfg)
    assert isinstance(out, AudioDecodeError) and state.is_failed()
    assert _task_run_count(state) == 1
    reason = failure_reason(conv, out, cfg)
    assert str(bad) in reason and "transient" not in reason


def test_a_file_over_its_timeout_fails_alone_and_the_next_run_recovers_it(prefect_server, tmp_path):
    """A timeout (scaled by audio length) stops that file; the rest of the night is stored; a later run
    with a sane timeout picks the failed file up again."""
    inbox = make_small_inbox(tmp_path / "inbox", calls=("call_agent_praise.ogg",), feedback_lines=4)
    db = tmp_path / "voc.duckdb"
    tight = write_config(tmp_path / "tight.yaml", runs={"timeout_base_s": 1.0, "timeout_per_audio_s": 0.0})
    summary = run_pipeline(str(inbox), str(db), tight)
    assert summary["failed"] == 1 and summary["status"] == "completed_with_failures"
    [(uri, reason)] = summary["failures"]
    assert (
        uri.endswith("call_agent_praise.ogg")
        and "timed out after 1 s" in reason
        and "timeout_base_s" in reason
    )
    assert q(db, "SELECT count(*) FROM conversations WHERE source = 'text' AND status = 'ok'")[0][0] == 4
    assert q(db, "SELECT status FROM conversations WHERE source = 'audio'") == [("failed",)]

    again = run_pipeline(str(inbox), str(db))
    assert again["new"] == 1 and again["skipped"] == 4 and again["failed"] == 0
    assert q(db, "SELECT status FROM conversations WHERE source = 'audio'") == [("ok",)]
    assert again["asr_seconds"] > 1.0  # the file needed longer than the tight timeout allowed


def test_a_killed_run_resumes_where_it_stopped(prefect_server, tmp_path):
    """SIGKILL a real run after its first committed batch; the next run skips what was committed and ends
    with exactly the rows of an uninterrupted run."""
    from prefect.settings import PREFECT_API_URL

    inbox = make_small_inbox(tmp_path / "inbox", feedback_lines=3)
    db = tmp_path / "voc.duckdb"
    cfg = write_config(tmp_path / "batch1.yaml", write_batch=1, runs={"transcribe_limit": 0})
    code = (
        "import sys; from pipelines.flows import run_pipeline; "
        "run_pipeline(sys.argv[1], sys.argv[2], sys.argv[3])"
    )
    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "PREFECT_LOGGING_LEVEL": "INFO"}
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(inbox), str(db), cfg], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    seen = []
    for line in proc.stdout:
        seen.append(line)
        if "stored batch 1/" in line:
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "".join(seen[-30:])
    committed = q(db, "SELECT conversation_id FROM conversations")
    assert len(committed) == 1  # one batch of one recording made it in before the crash

    summary = run_pipeline(str(inbox), str(db), cfg)
    assert summary["skipped"] == 1 and summary["new"] == summary["discovered"] - 1 == 4
    ids = [r[0] for r in q(db, "SELECT conversation_id FROM conversations")]
    assert len(ids) == len(set(ids)) == 5
    per_call = q(
        db, "SELECT conversation_id, count(*), count(DISTINCT utterance_idx) FROM utterances GROUP BY 1"
    )
    assert all(n == distinct for _, n, distinct in per_call)


def test_dask_fan_out_stores_what_a_local_run_stores(prefect_server, tmp_path):
    """The same inbox through the local runner and through a two-worker Dask LocalCluster (prefect-dask):
    every stored row is equal, except the run id and ingestion time."""
    inbox = make_small_inbox(tmp_path / "inbox")
    threads = {"asr": {"cpu_threads": 1}}  # same CTranslate2 threading in both, so decoding is comparable
    local_cfg = write_config(tmp_path / "local.yaml", **threads)
    dask_cfg = write_config(tmp_path / "dask.yaml", **threads, task_runner={"kind": "dask", "workers": 2})
    local = run_pipeline(str(inbox), str(tmp_path / "local.duckdb"), local_cfg)
    fanned = run_pipeline(str(inbox), str(tmp_path / "dask.duckdb"), dask_cfg)
    assert local["task_runner"] == "ThreadPoolTaskRunner" and fanned["task_runner"] == "DaskTaskRunner"
    assert fanned["new"] == local["new"] == 8 and fanned["failed"] == local["failed"] == 0
    for table in TABLES:
        a, b = table_rows(tmp_path / "local.duckdb", table), table_rows(tmp_path / "dask.duckdb", table)
        assert a and a == b, table


def test_a_local_run_holds_one_slot_of_the_transcription_limit(prefect_server):
    """A local run takes one slot of the server-wide limit for the whole run (one file at a time is what it
    does anyway); while it holds it, another run's request for a slot waits. Without the limit on the server
    there is nothing to hold."""
    from prefect.client.orchestration import get_client
    from prefect.concurrency.sync import concurrency

    from pipelines.flows import TRANSCRIBE_LIMIT, transcription_slot

    cfg = Config()
    assert cfg.runs.transcribe_limit == 1 and cfg.task_runner.kind == "local"
    with get_client(sync_client=True) as client:
        with transcription_slot(cfg, needed=True):  # no limit yet: a no-op, never a warning or a wait
            pass
        client.upsert_global_concurrency_limit_by_name(TRANSCRIBE_LIMIT, 1)
        try:
            with (
                transcription_slot(cfg, needed=True),
                pytest.raises(TimeoutError),  # another run asking for a slot waits, here 3 s, then gives up
                concurrency(TRANSCRIBE_LIMIT, occupy=1, timeout_seconds=3),
            ):
                pass
            with concurrency(TRANSCRIBE_LIMIT, occupy=1, timeout_seconds=30):  # released: free again
                pass
        finally:
            client.delete_global_concurrency_limit_by_name(TRANSCRIBE_LIMIT)
