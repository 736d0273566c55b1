"""Co-occurring terms (연관어) across the corpus, per period and speaker.

Two units of co-occurrence (the `scope` column): an utterance (two terms co-occur when the same speaker
turn contains both) and a sliding window over a conversation's terms (two terms co-occur when they come
within N terms of each other, across turns). Counts are of units, not of repetitions, so a customer
repeating "refund" five times in one turn does not inflate anything. Each language is counted on its own,
so Korean terms are not diluted by English units of the same day. Association is normalised PMI (-1..1, 0 = independent) and lift (1 = independent); a
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


Unit = tuple  # (day, speaker, terms) or (day, speaker, language, terms)


def _nested(a: str, b: str) -> bool:
    """A phrase and one of its own words ("early termination fee", "fee") always co-occur: not news."""
    return (
        (" " in a and b in a.split())
        or (" " in b and a in b.split())
        or (a in b and " " in b)
        or (b in a and " " in a)
    )


def cooccurrence(
    units: Iterable[Unit], period: str, min_pair_count: int = 2, min_term_count: int = 1,
    scope: str = "utterance", add_all: bool = True,
) -> list[CooccurrencePair]:  # fmt: skip
    """Pairs per (period_start, speaker, language), plus speaker 'all' when `add_all`.

    A unit is (day, speaker, [language,] terms): the terms of one utterance (scope 'utterance'), or, for
    scope 'window', the pairs found within one conversation's sliding window (see `window_units`). Terms
    are counted once per unit; a pair needs `min_pair_count` units and both terms `min_term_count` units.
    """
    term_counts: dict[tuple, Counter] = defaultdict(Counter)
    unit_terms: dict[tuple, list[list[str]]] = defaultdict(list)
    n_units: Counter = Counter()
    for unit in units:
        day, speaker, *rest = unit
        language, terms = (rest[0], rest[1]) if len(rest) == 2 else ("und", rest[0])
        start = period_start(day, period)
        uniq = sorted(set(terms))
        keys = [(start, speaker, language)]
        if add_all and speaker != "all":
            keys.append((start, "all", language))
        for key in keys:
            n_units[key] += 1
            term_counts[key].update(uniq)
            unit_terms[key].append(uniq)
    out: list[CooccurrencePair] = []
    for key, docs in unit_terms.items():
        n = n_units[key]
        tc = term_counts[key]
        pairs: Counter = Counter()
        for terms in docs:
            kept = [t for t in terms if tc[t] >= min_term_count]
            pairs.update((a, b) for a, b in combinations(kept, 2) if not _nested(a, b))
        for (a, b), nab in pairs.items():
            if nab < min_pair_count:
                continue
            pa, pb, pab = tc[a] / n, tc[b] / n, nab / n
            lift = pab / (pa * pb)
            npmi = 1.0 if pab >= 1.0 else math.log(lift) / -math.log(pab)
            out.append(
                CooccurrencePair(
                    period,
                    key[0],
                    key[1],
                    a,
                    b,
                    nab,
                    tc[a],
                    tc[b],
                    n,
                    round(npmi, 4),
                    round(lift, 4),
                    language=key[2],
                    scope=scope,
                )  # fmt: skip
            )
    out.sort(key=lambda p: (p.period_start, p.speaker, p.language, -p.pair_count, p.term_a, p.term_b))
    return out


def window_pairs(seq: list[str], window: int) -> set[tuple[str, str]]:
    """Unordered pairs of distinct terms at most `window - 1` positions apart in a term sequence."""
    out: set[tuple[str, str]] = set()
    for i, a in enumerate(seq):
        for b in seq[i + 1 : i + window]:
            if a != b:
                out.add((a, b) if a < b else (b, a))
    return out


def window_cooccurrence(
    conversations: Iterable[tuple[date, str, list[tuple[str, list[str]]]]], period: str, window: int,
    min_pair_count: int = 2, min_term_count: int = 1,
) -> list[CooccurrencePair]:  # fmt: skip
    """Sliding-window pairs: terms at most `window` terms apart in a conversation, across turns.

    The unit is a conversation (per speaker: that speaker's turns in order; 'all': every turn in order), so
    counts are of conversations: pair_count = conversations where the two terms came within the window,
    count_a = conversations mentioning a. A customer's complaint and the agent's answer ("outage" ... "credit")
    pair up under 'all' even though no single turn holds both.
    """
    term_counts: dict[tuple, Counter] = defaultdict(Counter)
    pair_counts: dict[tuple, Counter] = defaultdict(Counter)
    n_units: Counter = Counter()
    for day, language, turns in conversations:
        start = period_start(day, period)
        streams: dict[str, list[str]] = defaultdict(list)
        for speaker, terms in turns:
            streams[speaker].extend(terms)
            streams["all"].extend(terms)
        for speaker, seq in streams.items():
            key = (start, speaker, language)
            n_units[key] += 1
            term_counts[key].update(set(seq))
            pair_counts[key].update(window_pairs(seq, window))
    out: list[CooccurrencePair] = []
    for key, pairs in pair_counts.items():
        n, tc = n_units[key], term_counts[key]
        for (a, b), nab in pairs.items():
            if nab < min_pair_count or tc[a] < min_term_count or tc[b] < min_term_count or _nested(a, b):
                continue
            pa, pb, pab = tc[a] / n, tc[b] / n, nab / n
            lift = pab / (pa * pb)
            npmi = 1.0 if pab >= 1.0 else math.log(lift) / -math.log(pab)
            out.append(
                CooccurrencePair(
                    period,
                    key[0],
                    key[1],
                    a,
                    b,
                    nab,
                    tc[a],
                    tc[b],
                    n,
                    round(npmi, 4),
                    round(lift, 4),
                    language=key[2],
                    scope="window",
                )  # fmt: skip
            )
    out.sort(key=lambda p: (p.period_start, p.speaker, p.language, -p.pair_count, p.term_a, p.term_b))
    return out
