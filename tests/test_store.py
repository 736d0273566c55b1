"""DuckDB store: schema, idempotent writes, failures, version checks, read-only safety, single writer."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone

import duckdb
import pytest

from vocmine.errors import StoreError
from vocmine.records import (
    Analysis,
    Conversation,
    Keyword,
    SpeakerSentiment,
    Utterance,
    Word,
)
from vocmine.store import SCHEMA_VERSION, Store, connect_read_only
from vocmine.store.schema import VIEWS

TABLES = {
    "conversations",
    "utterances",
    "conversation_keywords",
    "conversation_sentiment",
    "term_cooccurrence",
    "runs",
}
NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)


def conversation(cid: str = "CALL-1", **kw) -> Conversation:
    base = dict(
        conversation_id=cid,
        source="audio",
        channel="phone",
        source_uri=f"/in/{cid}.wav",
        content_sha256="ab" * 32,
        started_at=datetime(2026, 11, 16, 9, 0, tzinfo=timezone(timedelta(hours=-5))),
        duration_s=42.0,
        language="en",
        agent_id="AG-1",
        queue="billing",
        customer_id="C-1",
        metadata={"campaign": "fall"},
    )
    base.update(kw)
    return Conversation(**base)


def analysis(cid: str = "CALL-1", n_utt: int = 2, keyword: str = "refund", **kw) -> Analysis:
    utts = [
        Utterance(
            cid,
            i,
            "customer" if i % 2 else "agent",
            float(i),
            float(i) + 0.9,
            f"text {i}",
            words=[Word(float(i), float(i) + 0.5, "text", 0.9)],
            channel_index=i % 2,
            sentiment=-0.5,
            sentiment_label="negative",
            terms=[keyword, "charge"],
        )
        for i in range(n_utt)
    ]
    return Analysis(
        conversation=conversation(cid, **kw),
        utterances=utts,
        keywords=[Keyword(cid, keyword, keyword.title(), 1.0, 1, 2)],
        sentiments=[SpeakerSentiment(cid, "customer", -0.5, "negative", -0.2, -0.7, -0.5, n_utt // 2)],
        redactions={"phone": 1},
    )


def write(store: Store, analyses=(), failed=(), run_id="run-1"):
    ids = [a.conversation.conversation_id for a in analyses] + [c.conversation_id for c in failed]
    store.write_results(
        list(analyses),
        list(failed),
        run_id=run_id,
        ingested_at=NOW,
        period_day={i: date(2026, 11, 16) for i in ids},
    )


def count(con, table: str, cid: str | None = None) -> int:
    if cid is None:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return con.execute(f"SELECT count(*) FROM {table} WHERE conversation_id = ?", [cid]).fetchone()[0]


def test_new_file_has_schema_version_tables_and_views(tmp_path):
    db = tmp_path / "sub" / "voc.duckdb"
    with Store(db) as s:
        assert s.schema_version() == SCHEMA_VERSION
        version = s.con.execute("SELECT value FROM schema_info WHERE key = 'version'").fetchone()[0]
        assert int(version) == SCHEMA_VERSION
        names = dict(s.con.execute("SELECT table_name, table_type FROM information_schema.tables").fetchall())
    assert {n for n, t in names.items() if t == "BASE TABLE"} >= TABLES
    assert set(VIEWS) <= {n for n, t in names.items() if t == "VIEW"}
    # every view actually runs on an empty database
    with Store(db) as s:
        for view in VIEWS:
            s.con.execute(f"SELECT * FROM {view}").fetchall()
        assert s.schema_version() == SCHEMA_VERSION  # reopening does not migrate twice


def test_write_results_stores_everything(tmp_path):
    with Store(tmp_path / "v.duckdb") as s:
        write(s, [analysis("CALL-1", n_utt=4)])
        row = s.con.execute(
            "SELECT status, error, run_id, started_at, metadata, redactions, n_utterances, period_day "
            "FROM conversations WHERE conversation_id = 'CALL-1'"
        ).fetchone()
        assert row[:3] == ("ok", None, "run-1")
        assert row[3] == datetime(2026, 11, 16, 14, 0, tzinfo=UTC)
        assert json.loads(row[4]) == {"campaign": "fall"}
        assert json.loads(row[5]) == {"phone": 1}
        assert row[6] == 4 and row[7] == date(2026, 11, 16)
        assert count(s.con, "utterances", "CALL-1") == 4
        terms, words = s.con.execute(
            "SELECT terms, words FROM utterances WHERE conversation_id = 'CALL-1' AND utterance_idx = 1"
        ).fetchone()
        assert terms == ["refund", "charge"]
        assert words == [{"start_s": 1.0, "end_s": 1.5, "word": "text", "probability": 0.9}]
        assert count(s.con, "conversation_keywords", "CALL-1") == 1
        assert count(s.con, "conversation_sentiment", "CALL-1") == 1


def test_writing_the_same_conversation_again_replaces(tmp_path):
    with Store(tmp_path / "v.duckdb") as s:
        write(s, [analysis("CALL-1", n_utt=4), analysis("CALL-2", n_utt=2)])
        write(s, [analysis("CALL-1", n_utt=2, keyword="outage", queue="tech")], run_id="run-2")
        assert count(s.con, "conversations") == 2
        assert count(s.con, "utterances", "CALL-1") == 2
        assert count(s.con, "utterances", "CALL-2") == 2  # untouched
        kws = s.con.execute(
            "SELECT keyword FROM conversation_keywords WHERE conversation_id = 'CALL-1'"
        ).fetchall()
        assert kws == [("outage",)]
        queue, run = s.con.execute(
            "SELECT queue, run_id FROM conversations WHERE conversation_id = 'CALL-1'"
        ).fetchone()
        assert (queue, run) == ("tech", "run-2")
        assert s.known(["CALL-1", "CALL-2", "CALL-9"]) == {
            "CALL-1": ("ab" * 32, "ok"),
            "CALL-2": ("ab" * 32, "ok"),
        }


def test_failed_conversation_is_a_row_with_its_error(tmp_path):
    bad = conversation("CALL-BAD", status="failed", error="/in/bad.wav: file is empty (0 bytes).")
    with Store(tmp_path / "v.duckdb") as s:
        write(s, [analysis("CALL-1")], failed=[bad])
        row = s.con.execute(
            "SELECT status, error, n_utterances FROM conversations WHERE conversation_id = 'CALL-BAD'"
        ).fetchone()
        assert row == ("failed", "/in/bad.wav: file is empty (0 bytes).", None)
        assert count(s.con, "utterances", "CALL-BAD") == 0
        assert s.con.execute("SELECT conversation_id, error FROM failed_conversations").fetchall() == [
            ("CALL-BAD", "/in/bad.wav: file is empty (0 bytes).")
        ]
        # a later success replaces the failure, and its child rows appear
        write(s, [analysis("CALL-BAD")], run_id="run-2")
        assert s.con.execute(
            "SELECT status FROM conversations WHERE conversation_id = 'CALL-BAD'"
        ).fetchone() == ("ok",)
        assert count(s.con, "failed_conversations") == 0


def test_a_success_that_later_fails_loses_its_children(tmp_path):
    with Store(tmp_path / "v.duckdb") as s:
        write(s, [analysis("CALL-1")])
        write(s, failed=[conversation("CALL-1", status="failed", error="boom")], run_id="run-2")
        assert count(s.con, "conversations") == 1
        assert count(s.con, "utterances", "CALL-1") == 0
        assert count(s.con, "conversation_keywords", "CALL-1") == 0


def test_write_is_all_or_nothing(tmp_path):
    dup = analysis("CALL-X")
    dup.utterances[1].utterance_idx = 0  # violates the primary key
    with Store(tmp_path / "v.duckdb") as s:
        write(s, [analysis("CALL-1")])
        with pytest.raises(duckdb.Error):
            write(s, [analysis("CALL-1", n_utt=6), dup], run_id="run-2")
        assert count(s.con, "utterances", "CALL-1") == 2  # the earlier state survives
        assert count(s.con, "conversations", "CALL-X") == 0


def test_newer_schema_raises_upgrade_error(tmp_path):
    db = tmp_path / "v.duckdb"
    Store(db).close()
    con = duckdb.connect(str(db))
    con.execute("UPDATE schema_info SET value = ? WHERE key = 'version'", [str(SCHEMA_VERSION + 1)])
    con.close()
    with pytest.raises(StoreError) as exc:
        Store(db)
    assert "upgrade" in str(exc.value).lower()
    assert str(db) in str(exc.value)


def test_read_only_connection_cannot_write_or_touch_files(tmp_path):
    db = tmp_path / "v.duckdb"
    with Store(db) as s:
        write(s, [analysis("CALL-1")])
    outside = tmp_path / "outside.csv"
    outside.write_text("a,b\n1,2\n")
    con = connect_read_only(db)
    try:
        assert con.execute("SELECT count(*) FROM conversations").fetchone() == (1,)
        assert con.execute("SELECT count(*) FROM utterances").fetchone() == (2,)
        with pytest.raises(duckdb.Error):
            con.execute("INSERT INTO runs (run_id, flow, started_at, status) VALUES ('x', 'f', now(), 'ok')")
        with pytest.raises(duckdb.Error):
            con.execute(f"COPY conversations TO '{tmp_path / 'leak.csv'}'")
        assert not (tmp_path / "leak.csv").exists()
        with pytest.raises(duckdb.Error):
            con.execute(f"SELECT * FROM read_csv('{outside}')").fetchall()
        with pytest.raises(duckdb.Error):
            con.execute("SET enable_external_access = true")
    finally:
        con.close()


def test_read_only_on_missing_file_is_a_store_error(tmp_path):
    with pytest.raises(StoreError, match="no such database"):
        connect_read_only(tmp_path / "nope.duckdb")
    assert not (tmp_path / "nope.duckdb").exists()


_SECOND_WRITER = """
import sys
from vocmine.errors import StoreError
from vocmine.store import Store
try:
    Store(sys.argv[1])
except StoreError as exc:
    print("STORE_ERROR", exc)
    sys.exit(3)
print("OPENED")
"""


def test_second_writer_in_another_process_fails(tmp_path):
    db = tmp_path / "v.duckdb"
    with Store(db) as s:
        write(s, [analysis("CALL-1")])
        proc = subprocess.run(
            [sys.executable, "-c", _SECOND_WRITER, str(db)], capture_output=True, text=True, timeout=60
        )
        assert proc.returncode == 3, proc.stdout + proc.stderr
        assert "STORE_ERROR" in proc.stdout and str(db) in proc.stdout
    # once the first writer is closed, the second one can open
    proc = subprocess.run(
        [sys.executable, "-c", _SECOND_WRITER, str(db)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0 and "OPENED" in proc.stdout, proc.stdout + proc.stderr


def test_older_file_is_migrated_forward_keeping_its_rows(tmp_path, monkeypatch):
    """The migration path itself: a v1 file opened by a build that knows v2 gains the new column, keeps data."""
    import vocmine.store.duck as duck
    from vocmine.store import schema

    path = tmp_path / "old.duckdb"
    with Store(path) as store:
        store.write_results(
            [], [Conversation("c1", "text", "chat", "f#c1", "h", status="failed", error="x")],
            run_id="r", ingested_at=datetime(2026, 11, 16, tzinfo=UTC), period_day={},
        )  # fmt: skip
    monkeypatch.setattr(duck, "SCHEMA_VERSION", schema.SCHEMA_VERSION + 1)
    monkeypatch.setitem(
        schema.MIGRATIONS,
        schema.SCHEMA_VERSION + 1,
        ["ALTER TABLE conversations ADD COLUMN reviewer VARCHAR"],
    )
    with Store(path) as store:
        assert store.schema_version() == schema.SCHEMA_VERSION + 1
        assert store.con.execute("SELECT conversation_id, reviewer FROM conversations").fetchall() == [
            ("c1", None)
        ]


def test_a_first_release_file_migrates_to_the_current_schema(tmp_path):
    """A file written by schema v1 (tables, views and rows as the first release made them) opens with today's
    code: every migration runs, its rows stay, and every current view answers."""
    from tests.conftest import make_v1_database
    from vocmine.store.schema import VIEWS

    path = make_v1_database(tmp_path / "v1.duckdb")
    con = duckdb.connect(str(path))
    con.execute(
        "INSERT INTO conversations (conversation_id, source, source_uri, content_sha256, status, ingested_at, "
        "period_day) VALUES ('c1', 'text', 'f.jsonl#c1', 'h', 'ok', TIMESTAMPTZ '2026-11-16 09:00:00+00', "
        "DATE '2026-11-16')"
    )
    con.execute(
        "INSERT INTO conversation_sentiment VALUES ('c1', 'customer', -0.5, 'negative', -0.5, -0.5, 0, 1)"
    )
    con.close()
    with Store(path) as s:
        assert s.schema_version() == SCHEMA_VERSION
        assert s.con.execute("SELECT conversation_id, audio_sha256 FROM conversations").fetchall() == [
            ("c1", None)
        ]
        assert s.con.execute("SELECT score FROM conversation_sentiment").fetchall() == [(-0.5,)]
        for view in VIEWS:
            s.con.execute(f"SELECT * FROM {view} LIMIT 1").fetchall()  # binds against the migrated tables
