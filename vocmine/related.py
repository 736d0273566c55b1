"""Top related terms (연관어) for a term, read from the `related_terms` view with parameterised SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from vocmine.cooccurrence import period_start as start_of

COLUMNS = ["related_term", "pair_count", "term_count", "related_count", "n_units", "npmi", "lift"]


@dataclass
class RelatedResult:
    term: str
    period: str
    period_start: date | None
    speaker: str
    scope: str
    rows: list[tuple]


def normalise(term: str) -> str:
    t = " ".join(term.split())
    return t.lower() if t.isascii() else t


def lemma_of(term: str) -> str:
    """The stored (lemma / morpheme) form of what the user typed: "Refunds" -> "refund"."""
    from vocmine.lang import get_pipeline

    lang = "en" if term.isascii() else "ko"
    (doc,) = get_pipeline(lang).process([term])
    words = [t.lemma for t in doc.tokens if t.pos != "OTHER" or lang == "en"]
    return " ".join(words) if words else term


def related(
    con, term: str, *, period: str = "week", speaker: str = "all", scope: str = "utterance",
    start: date | None = None, language: str | None = None, limit: int = 20,
) -> RelatedResult:  # fmt: skip
    """The terms most associated with `term` (by NPMI, then support) in one period: the one containing
    `start`, else the latest period in which the term has related terms."""
    base = "FROM related_terms WHERE term = ? AND period = ? AND speaker = ? AND scope = ?"
    lang_sql = " AND language = ?" if language else ""
    for candidate in dict.fromkeys([normalise(term), None]):
        cand = candidate if candidate is not None else lemma_of(normalise(term))
        params: list = [cand, period, speaker, scope] + ([language] if language else [])
        if start is not None:
            ps = start_of(start, period)
        else:
            ps = con.execute(f"SELECT max(period_start) {base}{lang_sql}", params).fetchone()[0]
        if ps is None:
            continue
        rows = con.execute(
            f"SELECT {', '.join(COLUMNS)} {base}{lang_sql} AND period_start = ? "
            "ORDER BY npmi DESC, pair_count DESC, related_term LIMIT ?",
            [*params, ps, limit],
        ).fetchall()
        if rows:
            return RelatedResult(cand, period, ps, speaker, scope, rows)
    return RelatedResult(normalise(term), period, None, speaker, scope, [])
