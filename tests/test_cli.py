"""The command line, as a user runs it: real subprocesses, real files, no Prefect server started by hand."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VOCMINE = [sys.executable, "-m", "vocmine.cli"]


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    env["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    env["COLUMNS"] = "200"
    return env


def vocmine(tmp_path: Path, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*VOCMINE, *args], cwd=ROOT, env=_env(tmp_path), capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    """`vocmine run` on a small inbox: three feedback items (one with an e-mail) and one broken recording."""
    tmp = tmp_path_factory.mktemp("cli")
    inbox = tmp / "inbox"
    inbox.mkdir()
    items = [
        {
            "id": "t1",
            "text": "My internet outage lasted two days and the router keeps rebooting.",
            "queue": "tech",
        },
        {
            "id": "t2",
            "text": "The router outage again, I want a refund. Write to me at kim@example.org",
            "queue": "tech",
        },
        {
            "id": "t3",
            "text": "상담원이 친절했어요. 요금제 변경이 빨랐어요.",
            "language": "ko",
            "queue": "sales",
        },
    ]
    (inbox / "feedback.jsonl").write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n")
    (inbox / "broken.mp3").write_bytes(b"ID3" + os.urandom(2000))
    db = tmp / "out.duckdb"
    proc = vocmine(tmp, "run", str(inbox), "--db", str(db))
    return {"tmp": tmp, "db": db, "proc": proc, "inbox": inbox}


def test_run_works_without_a_prefect_server(small_run):
    proc = small_run["proc"]
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "4 discovered" in proc.stdout and "1 failed" in proc.stdout
    assert "broken.mp3" in proc.stdout  # the failure is named, with its file


def test_status_lists_counts_and_failures(small_run):
    proc = vocmine(small_run["tmp"], "status", "--db", str(small_run["db"]))
    assert proc.returncode == 0, proc.stderr
    assert "Failures" in proc.stdout and "broken.mp3" in proc.stdout
    assert "could not be decoded" in proc.stdout


def test_sql_is_read_only_and_cannot_touch_files(small_run):
    tmp, db = small_run["tmp"], str(small_run["db"])
    ok = vocmine(
        tmp, "sql", "SELECT conversation_id, text FROM utterances ORDER BY 1", "--db", db, "-f", "json"
    )
    assert ok.returncode == 0, ok.stderr
    rows = json.loads(ok.stdout)
    assert [r["conversation_id"] for r in rows] == ["t1", "t2", "t3"]
    assert "kim@example.org" not in ok.stdout and "[EMAIL]" in rows[1]["text"]
    for attempt in (
        "DELETE FROM conversations",
        "CREATE TABLE x AS SELECT 1",
        f"COPY conversations TO '{tmp / 'leak.csv'}'",
        f"SELECT * FROM read_csv('{ROOT / 'data/samples/inbox/calls/manifest.csv'}')",
        "SET enable_external_access = true",
    ):
        res = vocmine(tmp, "sql", attempt, "--db", db)
        assert res.returncode != 0, attempt
        assert "error" in res.stderr.lower(), attempt
    assert not (tmp / "leak.csv").exists()
    counts = vocmine(tmp, "sql", "SELECT count(*) AS n FROM conversations", "--db", db, "-f", "csv")
    assert counts.stdout.splitlines() == ["n", "4"]


def test_bad_config_names_the_key(tmp_path):
    cfg = tmp_path / "bad.yaml"
    cfg.write_text("asr:\n  beam_size: 0\n  modle: base\n")
    res = vocmine(
        tmp_path, "run", str(ROOT / "data/samples/inbox"), "--db", str(tmp_path / "x.duckdb"), "-c", str(cfg)
    )
    assert res.returncode == 2
    assert "asr.beam_size" in res.stderr and "asr.modle" in res.stderr and str(cfg) in res.stderr
    assert not (tmp_path / "x.duckdb").exists()


def test_missing_inputs_and_database_are_explained(tmp_path):
    res = vocmine(tmp_path, "run", str(tmp_path / "nope"), "--db", str(tmp_path / "x.duckdb"))
    assert res.returncode == 2 and "does not exist" in res.stderr
    res = vocmine(tmp_path, "sql", "SELECT 1", "--db", str(tmp_path / "missing.duckdb"))
    assert res.returncode == 2 and "vocmine run" in res.stderr
