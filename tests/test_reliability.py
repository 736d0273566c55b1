"""Crashes and concurrency with real `vocmine run` processes: SIGKILL at named points, a reader during a
write, a second run while one holds the database, and personal data kept out of tables and logs.

One scenario, three runs over the same small inbox (three calls, written one per batch, plus text feedback):
1. killed by SIGKILL while transcribing the third call. By then the first call's batch is committed (with
   the local runner the second's too; a Dask runner transcribes one batch ahead of the writer);
2. paused in the middle of writing a batch (rows inserted, not committed): meanwhile a reader process
   queries the published snapshot and a second run is refused; then it is SIGKILLed;
3. a normal run, which must finish the work without duplicates and mark both dead runs 'abandoned'.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]
CALLS = ROOT / "data" / "samples" / "inbox" / "calls"
FEEDBACK = ROOT / "data" / "samples" / "inbox" / "feedback" / "feedback_en.jsonl"
RAW_PII = ["jane.doe@example.com", "555-213-4478", "4111 1111 1111 1111", "4111111111111111", "010-1234-5678"]


API_URL: str | None = None  # the session's Prefect server, set by the scenario fixture


def _env(tmp: Path, **extra: str) -> dict[str, str]:
    """The runs talk to the session's real Prefect server: a run killed with SIGKILL cannot stop an ephemeral
    server it started itself, and that orphan would keep the test's pipes open."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_API", "VOCMINE_FAULT"))}
    env.update(
        PREFECT_HOME=str(tmp / "prefect-home"), PREFECT_SERVER_ANALYTICS_ENABLED="false", COLUMNS="200", **extra
    )  # fmt: skip
    if API_URL:
        env["PREFECT_API_URL"] = API_URL
    return env


def _cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "vocmine.cli", *args]


def _wait_for(marker: Path, proc: subprocess.Popen, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while not marker.exists():
        if proc.poll() is not None:
            out, err = proc.communicate()
            raise AssertionError(f"run exited ({proc.returncode}) before the fault point:\n{err[-3000:]}")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError("fault point never reached")
        time.sleep(0.2)


def _q(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def scenario(prefect_server, tmp_path_factory):
    global API_URL
    from prefect.settings import PREFECT_API_URL

    API_URL = PREFECT_API_URL.value()
    tmp = tmp_path_factory.mktemp("crash")
    inbox = tmp / "inbox"
    (inbox / "calls").mkdir(parents=True)
    (inbox / "feedback").mkdir()
    shutil.copy2(CALLS / "call_agent_praise.ogg", inbox / "calls" / "a_praise.ogg")
    shutil.copy2(CALLS / "call_password_lockout.ogg", inbox / "calls" / "b_lockout.ogg")
    shutil.copy2(CALLS / "call_internet_outage.mp3", inbox / "calls" / "c_outage.mp3")
    # personal data in metadata and ids, not only in the text
    (inbox / "calls" / "a_praise.json").write_text(
        json.dumps({"customer_id": "jane.doe@example.com", "note": "call back on 010-1234-5678"})
    )
    shutil.copy2(FEEDBACK, inbox / "feedback" / "feedback_en.jsonl")
    cfg = tmp / "one_call_per_batch.yaml"
    cfg.write_text("write_batch: 1\n")
    db = tmp / "voc.duckdb"
    run = ["run", str(inbox), "--db", str(db), "-c", str(cfg)]
    obs: dict = {"db": db, "tmp": tmp}

    # 1. SIGKILL while transcribing the third call
    marker = tmp / "fault1"
    p1 = subprocess.run(
        _cmd(*run), cwd=ROOT, capture_output=True, text=True, timeout=400,
        env=_env(tmp, VOCMINE_FAULT="transcribe@3", VOCMINE_FAULT_FILE=str(marker)),
    )  # fmt: skip
    obs["rc1"], obs["marker1"] = p1.returncode, marker.exists()
    obs["after1"] = _q(db, "SELECT conversation_id, status FROM conversations ORDER BY 1")
    obs["runs1"] = _q(db, "SELECT status FROM runs")

    # 2. paused mid-write (inserted, not committed), then SIGKILLed
    marker = tmp / "fault2"
    p2 = subprocess.Popen(
        _cmd(*run), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=_env(tmp, VOCMINE_FAULT="write@1:pause", VOCMINE_FAULT_FILE=str(marker)),
    )  # fmt: skip
    try:
        _wait_for(marker, p2)
        # a real reader process while the writer holds the database
        obs["reader"] = subprocess.run(
            _cmd("sql", "SELECT conversation_id FROM conversations ORDER BY 1", "--db", str(db), "-f", "csv"),
            cwd=ROOT, capture_output=True, text=True, timeout=120, env=_env(tmp),
        )  # fmt: skip
        obs["status"] = subprocess.run(
            _cmd("status", "--db", str(db)),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            env=_env(tmp),
        )
        # a second run started while this one writes
        t0 = time.monotonic()
        obs["second"] = subprocess.run(
            _cmd(*run), cwd=ROOT, capture_output=True, text=True, timeout=120, env=_env(tmp)
        )
        obs["second_s"] = time.monotonic() - t0
    finally:
        p2.send_signal(signal.SIGKILL)
        p2.communicate(timeout=60)
    obs["rc2"] = p2.returncode
    obs["after2"] = _q(db, "SELECT conversation_id, status FROM conversations ORDER BY 1")

    # 3. the next run completes the work
    p3 = subprocess.run(
        _cmd(*run, "--verbose"), cwd=ROOT, capture_output=True, text=True, timeout=400, env=_env(tmp)
    )
    obs["p3"] = p3
    return obs


def test_kill_during_transcription_keeps_committed_batches(scenario):
    assert scenario["rc1"] == -signal.SIGKILL and scenario["marker1"]
    # the third call is only transcribed once the first call's batch is committed (the flow works at most one
    # batch ahead), so that batch survives the kill; the call being transcribed never reached the database
    after1 = scenario["after1"]
    assert after1 in (
        [("calls/a_praise.ogg", "ok")],
        [("calls/a_praise.ogg", "ok"), ("calls/b_lockout.ogg", "ok")],
    )
    assert scenario["runs1"] == [("running",)]  # nobody could mark it: the process was killed


def test_kill_during_write_rolls_back_the_open_batch(scenario):
    assert scenario["rc2"] == -signal.SIGKILL
    # run 2 had inserted its first batch's rows in an open transaction when it died: none of them survive
    assert scenario["after2"] == scenario["after1"]


def test_reader_queries_the_snapshot_while_a_run_writes(scenario):
    reader = scenario["reader"]
    assert reader.returncode == 0, reader.stderr
    # the last published snapshot: at least the first committed batch, nothing uncommitted
    lines = reader.stdout.splitlines()
    assert lines[:2] == ["conversation_id", "calls/a_praise.ogg"]
    assert set(lines[1:]) <= {cid for cid, _ in scenario["after1"]}
    status = scenario["status"]
    assert status.returncode == 0, status.stderr
    assert "a run is writing" in status.stdout and "snapshot" in status.stdout


def test_second_run_is_refused_with_a_clear_message(scenario):
    second = scenario["second"]
    assert second.returncode == 2
    assert "is writing this database" in second.stderr and "pid" in second.stderr
    assert scenario["second_s"] < 60  # refused up front, not after a night of transcription


def test_next_run_completes_the_work_without_duplicates(scenario):
    p3, db = scenario["p3"], scenario["db"]
    assert p3.returncode == 0, p3.stderr[-3000:]
    n_text = sum(1 for line in FEEDBACK.read_text(encoding="utf-8").splitlines() if line.strip())
    stored = len(scenario["after2"])
    assert f"{stored} unchanged" in p3.stdout  # calls committed by the killed runs were not transcribed again
    rows = _q(
        db, "SELECT source, status, count(*), count(DISTINCT conversation_id) FROM conversations GROUP BY ALL"
    )
    assert sorted(rows) == [("audio", "ok", 3, 3), ("text", "ok", n_text, n_text)]
    dup = _q(db, "SELECT count(*) - count(DISTINCT (conversation_id, utterance_idx)) FROM utterances")
    assert dup == [(0,)]
    runs = _q(db, "SELECT status, error FROM runs ORDER BY started_at")
    assert [r[0] for r in runs] == ["abandoned", "abandoned", "completed"]
    assert all("killed or crashed" in r[1] for r in runs[:2])
    # the snapshot analysts open is up to date after the run
    snap = db.with_name("voc.snapshot.duckdb")
    assert _q(snap, "SELECT count(*) FROM conversations") == [(3 + n_text,)]


def test_personal_data_is_in_no_table_and_no_log(scenario):
    db, p3 = scenario["db"], scenario["p3"]
    con = duckdb.connect(str(db), read_only=True)
    try:
        dump = []
        for (table,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall():
            dump += [str(row) for row in con.execute(f'SELECT * FROM "{table}"').fetchall()]
    finally:
        con.close()
    everything = "\n".join(dump)
    logs = p3.stdout + p3.stderr
    assert "[EMAIL]" in everything and "[PHONE]" in everything  # the redactor ran on these inputs
    assert "discover" in logs.lower()  # --verbose: the task logs were captured
    for value in RAW_PII:
        assert value not in everything, value
        assert value not in logs, value
    meta = _q(
        db, "SELECT customer_id, metadata FROM conversations WHERE conversation_id = 'calls/a_praise.ogg'"
    )
    customer_id, metadata = meta[0]
    assert customer_id.startswith("[EMAIL:") and "[PHONE]" in json.loads(metadata)["note"]


def test_metadata_only_edit_is_reprocessed_without_force(run_copy):
    """A recording's hash covers its manifest row: fixing a queue in the manifest replaces that call's rows."""
    import csv

    from pipelines.flows import run_pipeline

    manifest = run_copy["inbox"] / "calls" / "manifest.csv"
    with manifest.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows[0]["queue"] = "retention-review"
    with manifest.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    before = _q(run_copy["db"], "SELECT count(*) FROM conversations")
    summary = run_pipeline(str(run_copy["inbox"]), str(run_copy["db"]))
    assert summary["new"] == 1 and summary["failed"] == 0
    queues = _q(run_copy["db"], "SELECT count(*) FROM conversations WHERE queue = 'retention-review'")
    assert queues == [(1,)] and _q(run_copy["db"], "SELECT count(*) FROM conversations") == before


def test_unreadable_line_is_a_failed_row_until_it_is_fixed(run_copy):
    from pipelines.flows import run_pipeline

    path = run_copy["inbox"] / "feedback" / "feedback_en.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    bad_id = f"feedback/feedback_en.jsonl:{len(lines) + 1}"
    path.write_text("\n".join([*lines, '{"id": "late-1", "text": "refund please']) + "\n", encoding="utf-8")
    summary = run_pipeline(str(run_copy["inbox"]), str(run_copy["db"]))
    assert summary["new"] == 1 and summary["failed"] == 1
    rows = _q(run_copy["db"], "SELECT status, error FROM conversations WHERE conversation_id = ?", [bad_id])
    assert rows[0][0] == "failed" and "not valid JSON" in rows[0][1] and "Fix the row" in rows[0][1]
    path.write_text("\n".join([*lines, '{"id": "late-1", "text": "refund please"}']) + "\n", encoding="utf-8")
    summary = run_pipeline(str(run_copy["inbox"]), str(run_copy["db"]))
    assert summary["new"] == 1 and summary["failed"] == 0
    assert _q(run_copy["db"], "SELECT count(*) FROM conversations WHERE status = 'failed'") == [(0,)]
    assert _q(run_copy["db"], "SELECT status FROM conversations WHERE conversation_id = 'late-1'") == [
        ("ok",)
    ]
