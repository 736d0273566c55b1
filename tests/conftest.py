"""Shared fixtures: a real Prefect server for the session and one real pipeline run over the samples."""

from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"
INBOX = SAMPLES / "inbox"

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


def make_v1_database(path: Path) -> Path:
    """A database file as the first release (schema v1) left it: its tables, views and version, no rows."""
    import duckdb

    con = duckdb.connect(str(path))
    try:
        con.execute((ROOT / "tests" / "data" / "schema_v1.sql").read_text(encoding="utf-8"))
    finally:
        con.close()
    return path


def count_feedback_items(inbox: Path) -> int:
    """Text items in the feedback files, counted independently of vocmine's ingest."""
    n = 0
    for path in sorted((inbox / "feedback").rglob("*")):
        if path.suffix == ".jsonl":
            n += sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
        elif path.suffix == ".csv":
            with path.open(encoding="utf-8", newline="") as f:
                n += sum(1 for _ in csv.DictReader(f))
    return n


def make_small_inbox(
    dest: Path,
    calls: tuple[str, ...] = ("call_agent_praise.ogg", "call_password_lockout.ogg"),
    feedback_lines: int = 6,
) -> Path:
    """A few real sample calls (with the manifest) and the first feedback items: enough for a whole run
    in seconds, for tests of orchestration rather than of transcription quality."""
    (dest / "calls").mkdir(parents=True)
    (dest / "feedback").mkdir()
    for name in calls:
        shutil.copy2(INBOX / "calls" / name, dest / "calls" / name)
    shutil.copy2(INBOX / "calls" / "manifest.csv", dest / "calls" / "manifest.csv")
    lines = (INBOX / "feedback" / "feedback_en.jsonl").read_text(encoding="utf-8").splitlines()
    (dest / "feedback" / "feedback_en.jsonl").write_text("\n".join(lines[:feedback_lines]) + "\n", "utf-8")
    return dest


def reference_turns() -> dict[str, dict]:
    return json.loads((SAMPLES / "reference" / "transcripts.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def prefect_server():
    """A real (temporary) Prefect API server, started once for the whole session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture(scope="session")
def pipeline_run(prefect_server, tmp_path_factory):
    """Run the real flow once over a copy of the bundled samples into a fresh DuckDB file."""
    from pipelines.flows import run_pipeline

    work = tmp_path_factory.mktemp("e2e")
    inbox = work / "inbox"
    shutil.copytree(INBOX, inbox)
    db = work / "voc.duckdb"
    summary = run_pipeline(str(inbox), str(db))
    return {"inbox": inbox, "db": db, "summary": summary, "work": work}


@pytest.fixture
def run_copy(pipeline_run, tmp_path):
    """A private copy of the processed inbox and database, for tests that change inputs and re-run."""
    inbox = tmp_path / "inbox"
    shutil.copytree(pipeline_run["inbox"], inbox)
    db = tmp_path / "voc.duckdb"
    shutil.copy2(pipeline_run["db"], db)
    # the stored source_uri points at the session copy; re-runs key on conversation_id + content hash
    return {"inbox": inbox, "db": db}
