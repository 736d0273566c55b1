"""Co-occurring terms (연관어) across the corpus, per period and speaker.

The unit of co-occurrence is an utterance: two terms co-occur when the same speaker turn contains both.
Counts are of units, not of repetitions, so a customer repeating "refund" five times in one turn does not
inflate anything. Association is normalised PMI (-1..1, 0 = independent) and lift (1 = independent); a
minimum pair count keeps one-off coincidences out.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from itertools import combinations

from vocmine.records import CooccurrencePair


def period_start(day: date, period: str) -> date:
    if period == "day":
        return day
    if period == "week":
        return day - timedelta(days=day.weekday())  # ISO weeks start on Monday
    raise ValueError(f"unknown period {period!r}; use 'day' or 'week'")


def days_of_periods(days: Iterable[date], period: str) -> set[date]:
    """All days belonging to the periods that contain `days` (a new Tuesday call changes its whole week)."""
    out: set[date] = set()
    for d in days:
        start = period_start(d, period)
        length = 1 if period == "day" else 7
        out.update(start + timedelta(days=i) for i in range(length))
    return out


def cooccurrence(
    units: Iterable[tuple[date, str, list[str]]], period: str, min_pair_count: int = 2
) -> list[CooccurrencePair]:
    """Pairs per (period_start, speaker), plus speaker 'all', from (day, speaker, terms) units."""
    term_counts: dict[tuple[date, str], Counter] = defaultdict(Counter)
    pair_counts: dict[tuple[date, str], Counter] = defaultdict(Counter)
    n_units: Counter = Counter()
    for day, speaker, terms in units:
        uniq = sorted(set(terms))
        start = period_start(day, period)
        for key in ((start, speaker), (start, "all")):
            n_units[key] += 1
            term_counts[key].update(uniq)
            pair_counts[key].update(combinations(uniq, 2))
    out: list[CooccurrencePair] = []
    for key, pairs in pair_counts.items():
        n = n_units[key]
        tc = term_counts[key]
        for (a, b), nab in pairs.items():
            if nab < min_pair_count:
                continue
            pa, pb, pab = tc[a] / n, tc[b] / n, nab / n
            lift = pab / (pa * pb)
            npmi = 1.0 if pab >= 1.0 else math.log(lift) / -math.log(pab)
            out.append(
                CooccurrencePair(
                    period, key[0], key[1], a, b, nab, tc[a], tc[b], n, round(npmi, 4), round(lift, 4)
                )
            )
    out.sort(key=lambda p: (p.period_start, p.speaker, -p.pair_count, p.term_a, p.term_b))
    return out
