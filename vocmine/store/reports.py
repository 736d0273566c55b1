"""Read-only summaries of one run, for the run report an operator reads in the Prefect UI."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import duckdb


def stored_days(con: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> dict[str, date | None]:
    """conversation_id -> period_day of what is stored (used to select by date items without a start time)."""
    if not ids:
        return {}
    rows = con.execute(
        "SELECT conversation_id, period_day FROM conversations "
        "WHERE conversation_id IN (SELECT unnest(?::VARCHAR[]))",
        [list(ids)],
    ).fetchall()
    return dict(rows)


def top_keywords(
    con: duckdb.DuckDBPyConnection, run_id: str, limit: int = 10
) -> list[tuple[str, int, float]]:
    """(keyword, conversations, summed score) over the conversations this run stored."""
    return con.execute(
        """
        SELECT k.keyword, count(DISTINCT k.conversation_id) AS conversations, round(sum(k.score), 2)
        FROM conversation_keywords k JOIN conversations c USING (conversation_id)
        WHERE c.run_id = ? AND c.status = 'ok' AND k.speaker = 'all'
        GROUP BY k.keyword ORDER BY conversations DESC, 3 DESC, k.keyword LIMIT ?
        """,
        [run_id, limit],
    ).fetchall()


def sentiment_by_queue(con: duckdb.DuckDBPyConnection, run_id: str) -> list[tuple]:
    """(queue, conversations, avg score, negative, neutral, positive) of the customer side, this run only."""
    return con.execute(
        """
        SELECT coalesce(c.queue, '(none)') AS queue, count(*), round(avg(s.score), 3),
               count(*) FILTER (WHERE s.label = 'negative'),
               count(*) FILTER (WHERE s.label = 'neutral'),
               count(*) FILTER (WHERE s.label = 'positive')
        FROM conversation_sentiment s JOIN conversations c USING (conversation_id)
        WHERE c.run_id = ? AND c.status = 'ok' AND s.speaker = 'customer'
        GROUP BY 1 ORDER BY 3, 1
        """,
        [run_id],
    ).fetchall()
