"""The only code that speaks SQL: one writer, bulk Arrow inserts, idempotent replace-by-conversation."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from vocmine.errors import StoreError
from vocmine.records import Analysis, Conversation, CooccurrencePair
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
}


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
        "source_uri": c.source_uri,
        "content_sha256": c.content_sha256,
        "started_at": _utc(c.started_at),
        "duration_s": c.duration_s,
        "language": c.language,
        "agent_id": c.agent_id,
        "queue": c.queue,
        "customer_id": c.customer_id,
        "metadata": json.dumps(c.metadata, ensure_ascii=False, default=str),
        "status": c.status,
        "error": c.error,
        "run_id": run_id,
        "ingested_at": _utc(ingested_at),
        "period_day": period_day,
        "n_utterances": n_utt,
        "language_probability": lang_prob,
        "redactions": json.dumps(redactions or {}),
    }


class Store:
    """A read-write handle on a vocmine DuckDB file. DuckDB allows one writing process per file, so a run
    holds exactly one of these; analysts open the file read-only (see `connect_read_only`)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(str(self.path))
        except duckdb.IOException as exc:
            raise StoreError(
                f"{self.path}: cannot open for writing ({exc}). Another vocmine run (or a read-write client) "
                "probably holds it; wait for it to finish, or point --db at another file."
            ) from exc
        self.migrate()

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

    def stored_audio_hashes(self, hashes: Sequence[str]) -> dict[str, str]:
        """content_sha256 -> conversation_id for recordings already stored successfully."""
        if not hashes:
            return {}
        rows = self.con.execute(
            "SELECT content_sha256, min(conversation_id) FROM conversations WHERE source = 'audio' AND status = 'ok' "
            "AND content_sha256 IN (SELECT unnest(?::VARCHAR[])) GROUP BY 1",
            [list(hashes)],
        ).fetchall()
        return dict(rows)

    def term_units(self, days: Iterable[date]) -> list[tuple[date, str, list[str]]]:
        """(period_day, speaker, terms) of every utterance of successful conversations on the given days."""
        days = sorted(set(days))
        if not days:
            return []
        return self.con.execute(
            """
            SELECT c.period_day, u.speaker, u.terms
            FROM utterances u JOIN conversations c USING (conversation_id)
            WHERE c.status = 'ok' AND c.period_day IN (SELECT unnest(?::DATE[])) AND len(u.terms) > 0
            ORDER BY u.conversation_id, u.utterance_idx
            """,
            [days],
        ).fetchall()

    # -- writes ------------------------------------------------------------------------------------------
    def _insert(self, table: str, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        arrow = pa.Table.from_pylist(rows, schema=ARROW_SCHEMAS[table])
        name = f"_vocmine_{table}"
        self.con.register(name, arrow)
        try:
            cols = ", ".join(ARROW_SCHEMAS[table].names)
            self.con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {name}")
        finally:
            self.con.unregister(name)

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
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise

    def replace_cooccurrence(
        self, period: str, starts: Iterable[date], pairs: Sequence[CooccurrencePair]
    ) -> None:
        """Recompute-and-swap the co-occurrence rows of whole periods, so late arrivals never double count."""
        starts = sorted(set(starts))
        rows = [asdict(p) for p in pairs]
        self.con.execute("BEGIN TRANSACTION")
        try:
            self.con.execute(
                "DELETE FROM term_cooccurrence WHERE period = ? AND period_start IN (SELECT unnest(?::DATE[]))",
                [period, starts],
            )
            self._insert("term_cooccurrence", rows)
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise

    def start_run(self, run: dict[str, Any]) -> None:
        cols = list(run)
        self.con.execute(
            f"INSERT INTO runs ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
            [json.dumps(v, default=str) if isinstance(v, dict) else v for v in run.values()],
        )

    def finish_run(self, run_id: str, **fields: Any) -> None:
        sets = ", ".join(f"{k} = ?" for k in fields)
        values = [json.dumps(v, default=str) if isinstance(v, dict) else v for v in fields.values()]
        self.con.execute(f"UPDATE runs SET {sets} WHERE run_id = ?", [*values, run_id])

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def connect_read_only(path: str | Path) -> duckdb.DuckDBPyConnection:
    """An analyst's connection: read-only, and unable to read or write files or reach the network."""
    p = Path(path)
    if not p.is_file():
        raise StoreError(f"{p}: no such database. Run `vocmine run INPUT --db {p}` first, or fix --db.")
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
