"""Corpus mining after each run: co-occurrence (utterance and window), collocations and topics per period.

Everything here is recomputed from what is stored for whole periods (day / week) that a run touched, and
swapped in within one transaction per period kind, so late arrivals never double count and re-runs never
duplicate rows.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from vocmine.config import Config
from vocmine.cooccurrence import cooccurrence, days_of_periods, period_start, window_cooccurrence
from vocmine.records import CooccurrencePair
from vocmine.store.duck import insert_rows

log = logging.getLogger(__name__)

# the conversation's language, else Korean when the turn has Hangul, else English
_LANGUAGE_SQL = "coalesce(c.language, CASE WHEN regexp_matches(u.text, '[가-힣]') THEN 'ko' ELSE 'en' END)"


@dataclass
class Turn:
    day: date
    conversation_id: str
    language: str
    speaker: str
    terms: list[str]


def load_turns(con, days: Iterable[date]) -> list[Turn]:
    """Every turn (in order) of the `ok` conversations on the given days."""
    days = sorted(set(days))
    if not days:
        return []
    rows = con.execute(
        f"""
        SELECT c.period_day, u.conversation_id, {_LANGUAGE_SQL}, u.speaker, coalesce(u.terms, [])
        FROM utterances u JOIN conversations c USING (conversation_id)
        WHERE c.status = 'ok' AND c.period_day IN (SELECT unnest(?::DATE[]))
        ORDER BY u.conversation_id, u.utterance_idx
        """,
        [days],
    ).fetchall()
    return [Turn(*r) for r in rows]


def load_collocations(con, min_periods: int = 1) -> dict[str, list[str]]:
    """Collocations learned so far (language -> phrases), for `analyze(..., collocations=...)`: the next
    batches then keep them whole as keywords and terms."""
    rows = con.execute(
        "SELECT language, phrase FROM collocations GROUP BY ALL HAVING count(DISTINCT period_start) >= ? ORDER BY ALL",
        [min_periods],
    ).fetchall()
    out: dict[str, list[str]] = defaultdict(list)
    for language, phrase in rows:
        out[language].append(phrase)
    return dict(out)


def pairs_for(turns: Sequence[Turn], period: str, cfg: Config) -> list[CooccurrencePair]:
    co = cfg.cooccurrence
    units = [(t.day, t.speaker, t.language, t.terms) for t in turns if t.terms]
    out = cooccurrence(units, period, co.min_pair_count, co.min_term_count, scope="utterance")
    if co.window > 0:
        convs: dict[str, tuple[date, str, list[tuple[str, list[str]]]]] = {}
        for t in turns:
            convs.setdefault(t.conversation_id, (t.day, t.language, []))[2].append((t.speaker, t.terms))
        out += window_cooccurrence(convs.values(), period, co.window, co.min_pair_count, co.min_term_count)
    return out


def _replace(con, period: str, starts: list[date], tables: dict[str, list[dict]]) -> None:
    con.execute("BEGIN TRANSACTION")
    try:
        for table, rows in tables.items():
            con.execute(
                f"DELETE FROM {table} WHERE period = ? AND period_start IN (SELECT unnest(?::DATE[]))",
                [period, starts],
            )
            insert_rows(con, table, rows)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def mine(con, days: set[date], cfg: Config) -> dict[str, int]:
    """Recompute co-occurrence (and topics/collocations for `topics.periods`) for every period touched."""
    totals: dict[str, int] = defaultdict(int)
    periods = list(
        dict.fromkeys([*cfg.cooccurrence.periods, *(cfg.topics.periods if cfg.topics.enabled else [])])
    )
    for period in periods:
        all_days = days_of_periods(days, period)
        starts = sorted({period_start(d, period) for d in all_days})
        turns = load_turns(con, all_days)
        tables: dict[str, list[dict]] = {}
        if period in cfg.cooccurrence.periods:
            tables["term_cooccurrence"] = [
                vars(p) for p in pairs_for(turns, period, cfg)
            ]  # flat: no deep copy
        if cfg.topics.enabled and period in cfg.topics.periods:
            from vocmine.topics import topics_for

            topic_rows, conv_rows, colloc_rows = topics_for(turns, period, cfg.topics)
            tables.update(topics=topic_rows, conversation_topics=conv_rows, collocations=colloc_rows)
        _replace(con, period, starts, tables)
        for table, rows in tables.items():
            totals[table] += len(rows)
    return dict(totals)
