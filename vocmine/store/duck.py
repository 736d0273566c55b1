"""The only code that speaks SQL: one writer, bulk Arrow inserts, idempotent replace-by-conversation."""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import shutil
import time
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from vocmine.errors import StoreError
from vocmine.faults import fault_point
from vocmine.records import Analysis, Conversation
from vocmine.redact import scrub
from vocmine.store.schema import MIGRATIONS, SCHEMA_VERSION, VIEWS

log = logging.getLogger(__name__)

CHILD_TABLES = ("utterances", "conversation_keywords", "conversation_sentiment")

_TS = pa.timestamp("us", tz="UTC")
_WORD = pa.struct(
    [("start_s", pa.float64()), ("end_s", pa.float64()), ("word", pa.string()), ("probability", pa.float64())]
)
ARROW_SCHEMAS = {
    "conversations": pa.schema(
        [
            ("conversation_id", pa.string()),
            ("source", pa.string()),
            ("channel", pa.string()),
            ("source_uri", pa.string()),
            ("content_sha256", pa.string()),
            ("started_at", _TS),
            ("duration_s", pa.float64()),
            ("language", pa.string()),
            ("agent_id", pa.string()),
            ("queue", pa.string()),
            ("customer_id", pa.string()),
            ("metadata", pa.string()),
            ("status", pa.string()),
            ("error", pa.string()),
            ("run_id", pa.string()),
            ("ingested_at", _TS),
            ("period_day", pa.date32()),
            ("n_utterances", pa.int32()),
            ("language_probability", pa.float64()),
            ("redactions", pa.string()),
            ("audio_sha256", pa.string()),
        ]
    ),
    "utterances": pa.schema(
        [
            ("conversation_id", pa.string()),
            ("utterance_idx", pa.int32()),
            ("speaker", pa.string()),
            ("start_s", pa.float64()),
            ("end_s", pa.float64()),
            ("text", pa.string()),
            ("sentiment", pa.float64()),
            ("sentiment_label", pa.string()),
            ("channel_index", pa.int32()),
            ("avg_logprob", pa.float64()),
            ("no_speech_prob", pa.float64()),
            ("terms", pa.list_(pa.string())),
            ("words", pa.list_(_WORD)),
        ]
    ),
    "conversation_keywords": pa.schema(
        [
            ("conversation_id", pa.string()),
            ("speaker", pa.string()),
            ("keyword", pa.string()),
            ("display", pa.string()),
            ("score", pa.float64()),
            ("rank", pa.int32()),
            ("count", pa.int32()),
        ]
    ),
    "conversation_sentiment": pa.schema(
        [
            ("conversation_id", pa.string()),
            ("speaker", pa.string()),
            ("score", pa.float64()),
            ("label", pa.string()),
            ("start_score", pa.float64()),
            ("end_score", pa.float64()),
            ("shift", pa.float64()),
            ("n_utterances", pa.int32()),
            ("q1", pa.float64()),
            ("q2", pa.float64()),
            ("q3", pa.float64()),
            ("q4", pa.float64()),
            ("unit", pa.string()),
            ("backend", pa.string()),
        ]
    ),
    "term_cooccurrence": pa.schema(
        [
            ("period", pa.string()),
            ("period_start", pa.date32()),
            ("speaker", pa.string()),
            ("language", pa.string()),
            ("scope", pa.string()),
            ("term_a", pa.string()),
            ("term_b", pa.string()),
            ("pair_count", pa.int32()),
            ("count_a", pa.int32()),
            ("count_b", pa.int32()),
            ("n_units", pa.int32()),
            ("npmi", pa.float64()),
            ("lift", pa.float64()),
        ]
    ),
    "topics": pa.schema(
        [
            ("period", pa.string()),
            ("period_start", pa.date32()),
            ("language", pa.string()),
            ("topic_id", pa.int32()),
            ("terms", pa.list_(pa.string())),
            ("weights", pa.list_(pa.float64())),
            ("share", pa.float64()),
            ("n_documents", pa.int32()),
            ("coherence", pa.float64()),
        ]
    ),
    "conversation_topics": pa.schema(
        [
            ("conversation_id", pa.string()),
            ("period", pa.string()),
            ("period_start", pa.date32()),
            ("language", pa.string()),
            ("topic_id", pa.int32()),
            ("weight", pa.float64()),
        ]
    ),
    "collocations": pa.schema(
        [
            ("period", pa.string()),
            ("period_start", pa.date32()),
            ("language", pa.string()),
            ("phrase", pa.string()),
            ("count", pa.int32()),
            ("score", pa.float64()),
        ]
    ),
}


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]]) -> None:
    """Bulk-insert rows (dicts keyed by column) through Arrow, in the caller's transaction."""
    if not rows:
        return
    arrow = pa.Table.from_pylist(rows, schema=ARROW_SCHEMAS[table])
    name = f"_vocmine_{table}"
    con.register(name, arrow)
    try:
        cols = ", ".join(ARROW_SCHEMAS[table].names)  # names from the fixed schemas above, never from input
        con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {name}")
    finally:
        con.unregister(name)


_RUN_COLUMNS = frozenset(
    [
        "run_id",
        "flow",
        "started_at",
        "finished_at",
        "status",
        "input_uri",
        "n_discovered",
        "n_new",
        "n_skipped",
        "n_failed",
        "n_utterances",
        "audio_seconds",
        "asr_seconds",
        "asr_model",
        "asr_device",
        "compute_type",
        "config_hash",
        "config",
        "versions",
        "error",
    ]
)


def _run_columns(fields: dict[str, Any]) -> list[str]:
    """Column names are the only thing ever formatted into SQL here (values are bound as parameters), and
    only names of the runs table get through."""
    unknown = [k for k in fields if k not in _RUN_COLUMNS]
    if unknown:
        raise ValueError(f"unknown runs column(s): {unknown}")
    return list(fields)


def _utc(dt: datetime | None) -> datetime | None:
    return dt.astimezone(UTC) if dt is not None else None


def _conversation_row(
    c: Conversation, run_id: str, ingested_at: datetime, period_day: date | None, n_utt: int | None,
    lang_prob: float | None, redactions: dict[str, int] | None,
) -> dict[str, Any]:  # fmt: skip
    return {
        "conversation_id": c.conversation_id,
        "source": c.source,
        "channel": c.channel,
        "source_uri": scrub(c.source_uri),  # a file name may hold a phone number
        "content_sha256": c.content_sha256,
        "started_at": _utc(c.started_at),
        "duration_s": c.duration_s,
        "language": c.language,
        "agent_id": c.agent_id,
        "queue": c.queue,
        "customer_id": c.customer_id,
        "metadata": json.dumps(c.metadata, ensure_ascii=False, default=str),
        "status": c.status,
        "error": scrub(c.error),
        "run_id": run_id,
        "ingested_at": _utc(ingested_at),
        "period_day": period_day,
        "n_utterances": n_utt,
        "language_probability": lang_prob,
        "redactions": json.dumps(redactions or {}),
        "audio_sha256": c.audio_sha256,
    }


def lock_path(db: str | Path) -> Path:
    """The run lock beside the database: whoever holds an exclusive flock on it is the one writer."""
    db = Path(db)
    return db.with_name(db.name + ".lock")


def snapshot_path(db: str | Path) -> Path:
    """The published read-only copy analysts open while (and after) a run writes the database."""
    db = Path(db)
    return db.with_name(f"{db.stem}.snapshot{db.suffix}")


def _lock_holder(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError:
        return "another process"
    return f"another vocmine run ({text})" if text else "another process"


def acquire_run_lock(db: str | Path, wait_s: float = 0.0) -> int:
    """Take the exclusive run lock for `db` (waiting up to `wait_s` seconds) and return its file descriptor.

    flock is released by the kernel when the process dies, SIGKILL included, so a crashed run never leaves a
    stale lock behind; the next run simply gets it.
    """
    path = lock_path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    # at least a moment: `vocmine status` probes the lock briefly (writer_active), which must not fail a run
    deadline = time.monotonic() + max(wait_s, 1.0)
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise StoreError(
                    f"{db}: {_lock_holder(path)} is writing this database. Wait for it to finish (or use "
                    "`vocmine run --wait SECONDS`); analysts can keep querying the published snapshot "
                    f"{snapshot_path(db).name} meanwhile."
                ) from None
            time.sleep(0.2)
    os.ftruncate(fd, 0)
    os.write(fd, f"pid {os.getpid()}, started {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC".encode())
    return fd


def writer_active(db: str | Path) -> bool:
    """True while some process holds the run lock of `db`."""
    path = lock_path(db)
    if not path.exists():
        return False
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing drops the probe lock, if we got it
    return False


class Store:
    """The read-write handle on a vocmine DuckDB file, held by one run at a time.

    DuckDB allows one writing process per file and no reader process beside it, so:
    - a run first takes an exclusive flock on `<db>.lock` (a second run gets a clear error, or waits);
    - after committed batches (at most every `snapshot_interval_s`) and on close, the file is checkpointed
      and copied to `<stem>.snapshot<suffix>`, swapped in with an atomic rename. Analysts open that snapshot
      (`connect_read_only` does), so they never block the nightly run and the run never blocks them.
    """

    def __init__(self, path: str | Path, *, snapshot_interval_s: float = 30.0, wait_s: float = 0.0):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.snapshot_interval_s = snapshot_interval_s
        self._last_publish: float | None = None
        self._lock_fd: int | None = acquire_run_lock(self.path, wait_s)
        try:
            self.con = duckdb.connect(str(self.path))
        except duckdb.IOException as exc:
            self._release()
            raise StoreError(
                f"{self.path}: cannot open for writing ({exc}). Another program (a read-write DuckDB client?) "
                "holds it; close it, or point --db at another file. Analysts should open the snapshot "
                f"{snapshot_path(self.path).name} instead."
            ) from exc
        try:
            self.migrate()
        except BaseException:
            self.con.close()
            self._release()
            raise

    def _release(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # releases the flock
            self._lock_fd = None

    # -- schema -----------------------------------------------------------------------------------------
    def schema_version(self) -> int:
        exists = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_info'"
        ).fetchone()[0]
        if not exists:
            return 0
        row = self.con.execute("SELECT value FROM schema_info WHERE key = 'version'").fetchone()
        return int(row[0]) if row else 0

    def migrate(self) -> None:
        current = self.schema_version()
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: written by a newer vocmine (schema v{current}; this one knows v{SCHEMA_VERSION}). "
                "Upgrade vocmine to read it."
            )
        if current < SCHEMA_VERSION:
            self.con.execute("BEGIN TRANSACTION")
            try:
                self.con.execute(
                    "CREATE TABLE IF NOT EXISTS schema_info (key VARCHAR PRIMARY KEY, value VARCHAR)"
                )
                for version in sorted(v for v in MIGRATIONS if v > current):
                    for stmt in MIGRATIONS[version]:
                        self.con.execute(stmt)
                    log.info("%s: migrated schema to v%d", self.path, version)
                self.con.execute(
                    "INSERT OR REPLACE INTO schema_info VALUES ('version', ?)", [str(SCHEMA_VERSION)]
                )
                self.con.execute("COMMIT")
            except Exception:
                self.con.execute("ROLLBACK")
                raise
        for stmt in VIEWS.values():
            self.con.execute(stmt)

    # -- reads used by the pipeline ----------------------------------------------------------------------
    def known(self, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        """conversation_id -> (content_sha256, status) for the ids already stored."""
        if not ids:
            return {}
        rows = self.con.execute(
            "SELECT conversation_id, content_sha256, status FROM conversations "
            "WHERE conversation_id IN (SELECT unnest(?::VARCHAR[]))",
            [list(ids)],
        ).fetchall()
        return {r[0]: (r[1], r[2]) for r in rows}

    def retire_row_failures(self, conversations: Sequence[Conversation]) -> int:
        """Delete the failed rows of unreadable lines (`metadata.unreadable_row`) of the text files read now
        that are no longer reported: the line was fixed (its item has its own row now) or removed."""
        files = sorted({scrub(c.source_uri).split("#", 1)[0] for c in conversations if c.source == "text"})
        if not files:
            return 0
        keep = [c.conversation_id for c in conversations]
        return self.con.execute(
            "DELETE FROM conversations WHERE status = 'failed' AND source = 'text' "
            "AND json_extract(metadata, '$.unreadable_row') IS NOT NULL "
            "AND split_part(source_uri, '#', 1) IN (SELECT unnest(?::VARCHAR[])) "
            "AND conversation_id NOT IN (SELECT unnest(?::VARCHAR[]))",
            [files, keep],
        ).fetchone()[0]

    def stored_audio_hashes(self, hashes: Sequence[str]) -> dict[str, str]:
        """audio hash -> conversation_id for recordings already stored successfully (files written before
        schema v4 have only content_sha256, which was the audio hash then)."""
        if not hashes:
            return {}
        rows = self.con.execute(
            "SELECT coalesce(audio_sha256, content_sha256) AS h, min(conversation_id) FROM conversations "
            "WHERE source = 'audio' AND status = 'ok' AND h IN (SELECT unnest(?::VARCHAR[])) GROUP BY 1",
            [list(hashes)],
        ).fetchall()
        return dict(rows)

    # -- writes ------------------------------------------------------------------------------------------
    def _insert(self, table: str, rows: list[dict[str, Any]]) -> None:
        insert_rows(self.con, table, rows)

    def write_results(
        self,
        analyses: Sequence[Analysis],
        failed: Sequence[Conversation],
        *,
        run_id: str,
        ingested_at: datetime,
        period_day: dict[str, date | None],
        language_probability: dict[str, float | None] | None = None,
    ) -> None:
        """Replace everything stored for these conversations, in one transaction (all or nothing)."""
        ids = [a.conversation.conversation_id for a in analyses] + [c.conversation_id for c in failed]
        if not ids:
            return
        lp = language_probability or {}
        conv_rows, utt_rows, kw_rows, sent_rows = [], [], [], []
        for a in analyses:
            cid = a.conversation.conversation_id
            conv_rows.append(
                _conversation_row(
                    a.conversation,
                    run_id,
                    ingested_at,
                    period_day.get(cid),
                    len(a.utterances),
                    lp.get(cid),
                    a.redactions,
                )  # fmt: skip
            )
            for u in a.utterances:
                utt_rows.append(
                    {
                        "conversation_id": cid,
                        "utterance_idx": u.utterance_idx,
                        "speaker": u.speaker,
                        "start_s": u.start_s,
                        "end_s": u.end_s,
                        "text": u.text,
                        "sentiment": u.sentiment,
                        "sentiment_label": u.sentiment_label,
                        "channel_index": u.channel_index,
                        "avg_logprob": u.avg_logprob,
                        "no_speech_prob": u.no_speech_prob,
                        "terms": u.terms,
                        "words": [
                            {
                                "start_s": w.start_s,
                                "end_s": w.end_s,
                                "word": w.word,
                                "probability": w.probability,
                            }
                            for w in u.words
                        ],
                    }
                )
            kw_rows += [asdict(k) for k in a.keywords]  # Keyword's fields are the table's columns
            sent_rows += [asdict(s) for s in a.sentiments]
        for c in failed:
            conv_rows.append(
                _conversation_row(c, run_id, ingested_at, period_day.get(c.conversation_id), None, None, None)
            )
        self.con.execute("BEGIN TRANSACTION")
        try:
            for table in (*CHILD_TABLES, "conversations"):
                self.con.execute(
                    f"DELETE FROM {table} WHERE conversation_id IN (SELECT unnest(?::VARCHAR[]))", [ids]
                )
            self._insert("conversations", conv_rows)
            self._insert("utterances", utt_rows)
            self._insert("conversation_keywords", kw_rows)
            self._insert("conversation_sentiment", sent_rows)
            fault_point("write")
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise
        self.maybe_publish()

    def start_run(self, run: dict[str, Any]) -> None:
        """Record a new run. Runs still marked 'running' died without finishing (we hold the run lock, so
        none can be alive): they become 'abandoned'; their committed batches stay and this run redoes the rest."""
        self.con.execute(
            "UPDATE runs SET status = 'abandoned', error = ? WHERE status = 'running'",
            [
                "the process stopped before finishing (killed or crashed); committed batches were kept and "
                f"run {run.get('run_id')} processed the rest"
            ],
        )
        cols = _run_columns(run)
        self.con.execute(
            f"INSERT INTO runs ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
            [json.dumps(v, default=str) if isinstance(v, dict) else v for v in run.values()],
        )

    def finish_run(self, run_id: str, **fields: Any) -> None:
        sets = ", ".join(f"{k} = ?" for k in _run_columns(fields))
        values = [json.dumps(v, default=str) if isinstance(v, dict) else v for v in fields.values()]
        self.con.execute(f"UPDATE runs SET {sets} WHERE run_id = ?", [*values, run_id])

    # -- snapshot for readers ----------------------------------------------------------------------------
    def publish_snapshot(self) -> Path:
        """Checkpoint and copy the database to its snapshot path, atomically replacing the previous one.

        Readers that have the old snapshot open keep reading it (the rename leaves their file intact); new
        readers get the new one. Only committed data is in a checkpointed file."""
        target = snapshot_path(self.path)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        self.con.execute("CHECKPOINT")
        try:
            shutil.copyfile(self.path, tmp)
            with open(tmp, "rb+") as f:
                os.fsync(f.fileno())
            os.replace(tmp, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        self._last_publish = time.monotonic()
        return target

    def maybe_publish(self) -> None:
        if self._last_publish is None or time.monotonic() - self._last_publish >= self.snapshot_interval_s:
            self.publish_snapshot()

    def close(self) -> None:
        if self._lock_fd is None:
            return
        try:
            self.publish_snapshot()
        finally:
            self.con.close()
            self._release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_path(path: str | Path) -> Path:
    """What a reader should open for `path`: its published snapshot when there is one, else the file."""
    snap = snapshot_path(path)
    return snap if snap.is_file() else Path(path)


def connect_read_only(path: str | Path) -> duckdb.DuckDBPyConnection:
    """An analyst's connection: read-only, and unable to read or write files or reach the network.

    Opens the published snapshot of `path` when there is one (see `Store`), so a query never blocks, and is
    never blocked by, a run writing the database."""
    if not Path(path).is_file() and not snapshot_path(path).is_file():
        raise StoreError(f"{path}: no such database. Run `vocmine run INPUT --db {path}` first, or fix --db.")
    p = read_path(path)
    try:
        con = duckdb.connect(str(p), read_only=True, config={"enable_external_access": False})
    except duckdb.Error as exc:
        hint = (
            " A vocmine run is probably writing it right now (DuckDB allows one writing process per file); "
            "try again when the run has finished."
            if "lock" in str(exc).lower()
            else ""
        )
        raise StoreError(f"{p}: cannot open read-only ({exc}).{hint}") from exc
    con.execute("SET lock_configuration = true")
    return con
