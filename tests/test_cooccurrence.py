"""Co-occurrence counts and association scores, checked against values computed by hand."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest

from vocmine.cooccurrence import (
    cooccurrence,
    days_of_periods,
    period_start,
    window_cooccurrence,
    window_pairs,
)

MON = date(2026, 11, 16)  # a Monday
TUE, WED, SUN = MON + timedelta(1), MON + timedelta(2), MON + timedelta(6)
NEXT_MON = MON + timedelta(7)

# Five customer turns on one day. By hand:
#   refund: units 1,2,3,5 -> 4;  charge: 1,2,3 -> 3;  twice: 1,2 -> 2;  router: 4 -> 1;  bank: 5 -> 1
#   (charge, refund): 3;  (charge, twice): 2;  (refund, twice): 2;  (bank, refund): 1
UNITS = [
    (MON, "customer", ["refund", "charge", "twice", "refund"]),  # repetition counts once
    (MON, "customer", ["charge", "twice", "refund"]),
    (MON, "customer", ["refund", "charge"]),
    (MON, "customer", ["router"]),
    (MON, "customer", ["bank", "refund"]),
]


def by_pair(pairs, speaker="customer"):
    return {(p.term_a, p.term_b): p for p in pairs if p.speaker == speaker}


def expected_scores(nab: int, na: int, nb: int, n: int) -> tuple[float, float]:
    pab, pa, pb = nab / n, na / n, nb / n
    lift = pab / (pa * pb)
    npmi = math.log(lift) / -math.log(pab)
    return lift, npmi


def test_pair_counts_marginals_and_n_units():
    pairs = by_pair(cooccurrence(UNITS, "day", min_pair_count=1))
    assert set(pairs) == {("charge", "refund"), ("charge", "twice"), ("refund", "twice"), ("bank", "refund")}
    p = pairs[("charge", "refund")]
    assert (p.pair_count, p.count_a, p.count_b, p.n_units) == (3, 3, 4, 5)
    p = pairs[("refund", "twice")]
    assert (p.pair_count, p.count_a, p.count_b, p.n_units) == (2, 4, 2, 5)
    p = pairs[("bank", "refund")]
    assert (p.pair_count, p.count_a, p.count_b) == (1, 1, 4)
    assert all(p.period == "day" and p.period_start == MON for p in pairs.values())


@pytest.mark.parametrize(
    "pair, nab, na, nb",
    [(("charge", "refund"), 3, 3, 4), (("charge", "twice"), 2, 3, 2), (("bank", "refund"), 1, 1, 4)],
)
def test_lift_and_npmi_match_hand_computation(pair, nab, na, nb):
    p = by_pair(cooccurrence(UNITS, "day", min_pair_count=1))[pair]
    lift, npmi = expected_scores(nab, na, nb, 5)
    assert p.lift == pytest.approx(lift, abs=1e-4)
    assert p.npmi == pytest.approx(npmi, abs=1e-4)


def test_hand_values_spelled_out():
    # charge/refund: p(ab)=3/5, p(a)=3/5, p(b)=4/5 -> lift = 0.6/(0.6*0.8) = 1.25
    # npmi = ln(1.25) / -ln(0.6) = 0.22314 / 0.51083 = 0.43683
    p = by_pair(cooccurrence(UNITS, "day", min_pair_count=1))[("charge", "refund")]
    assert p.lift == pytest.approx(1.25, abs=1e-4)
    assert p.npmi == pytest.approx(0.4368, abs=1e-4)


def test_independent_terms_have_zero_npmi_and_unit_lift():
    # a in 2 of 4 units, b in 2 of 4, together in 1: p(ab) = p(a) p(b)
    units = [(MON, "customer", t) for t in (["a", "b"], ["a"], ["b"], ["c"])]
    p = by_pair(cooccurrence(units, "day", min_pair_count=1))[("a", "b")]
    assert p.lift == pytest.approx(1.0)
    assert p.npmi == pytest.approx(0.0, abs=1e-9)


def test_terms_always_together_have_npmi_one():
    units = [(MON, "agent", ["a", "b"]), (MON, "agent", ["a", "b"]), (MON, "agent", ["c"])]
    p = by_pair(cooccurrence(units, "day", min_pair_count=1), "agent")[("a", "b")]
    assert p.npmi == pytest.approx(1.0, abs=1e-4)
    assert p.lift == pytest.approx(1.5, abs=1e-4)


def test_min_pair_count_filters():
    counts = {
        k: {
            (p.term_a, p.term_b)
            for p in cooccurrence(UNITS, "day", min_pair_count=k)
            if p.speaker == "customer"
        }
        for k in (1, 2, 3, 4)
    }
    assert ("bank", "refund") in counts[1] and ("bank", "refund") not in counts[2]
    assert counts[2] == {("charge", "refund"), ("charge", "twice"), ("refund", "twice")}
    assert counts[3] == {("charge", "refund")}
    assert counts[4] == set()


def test_pairs_are_ordered_alphabetically_and_never_self_pairs():
    pairs = cooccurrence(UNITS, "day", min_pair_count=1)
    assert all(p.term_a < p.term_b for p in pairs)


def test_speaker_all_aggregates_speakers():
    units = [
        (MON, "customer", ["refund", "charge"]),
        (MON, "customer", ["refund"]),
        (MON, "agent", ["refund", "charge"]),
        (MON, "agent", ["policy"]),
    ]
    pairs = cooccurrence(units, "day", min_pair_count=1)
    cust = by_pair(pairs, "customer")[("charge", "refund")]
    agent = by_pair(pairs, "agent")[("charge", "refund")]
    both = by_pair(pairs, "all")[("charge", "refund")]
    assert (cust.pair_count, cust.n_units, cust.count_b) == (1, 2, 2)
    assert (agent.pair_count, agent.n_units, agent.count_b) == (1, 2, 1)
    assert (both.pair_count, both.count_a, both.count_b, both.n_units) == (2, 2, 3, 4)
    lift, npmi = expected_scores(2, 2, 3, 4)
    assert both.lift == pytest.approx(lift, abs=1e-4)
    assert both.npmi == pytest.approx(npmi, abs=1e-4)
    # a pair below the threshold per speaker can pass it for 'all'
    only_all = cooccurrence(units, "day", min_pair_count=2)
    assert [(p.speaker, p.term_a, p.term_b) for p in only_all] == [("all", "charge", "refund")]


def test_days_and_weeks_split_units():
    units = [
        (MON, "customer", ["a", "b"]),
        (TUE, "customer", ["a", "b"]),
        (SUN, "customer", ["a", "b"]),
        (NEXT_MON, "customer", ["a", "b"]),
    ]
    days = {
        p.period_start: p for p in cooccurrence(units, "day", min_pair_count=1) if p.speaker == "customer"
    }
    assert set(days) == {MON, TUE, SUN, NEXT_MON}
    assert all(p.n_units == 1 for p in days.values())
    weeks = {
        p.period_start: p for p in cooccurrence(units, "week", min_pair_count=1) if p.speaker == "customer"
    }
    assert set(weeks) == {MON, NEXT_MON}
    assert weeks[MON].pair_count == 3 and weeks[MON].n_units == 3
    assert weeks[NEXT_MON].pair_count == 1
    assert all(p.period == "week" for p in weeks.values())


def test_week_periods_start_on_monday():
    for offset in range(7):
        assert period_start(MON + timedelta(offset), "week") == MON
    assert period_start(NEXT_MON, "week") == NEXT_MON
    assert period_start(date(2027, 1, 1), "week") == date(2026, 12, 28)  # across a year boundary
    assert period_start(WED, "day") == WED
    with pytest.raises(ValueError, match="month"):
        period_start(MON, "month")


def test_days_of_periods_returns_whole_weeks():
    days = days_of_periods([WED], "week")
    assert days == {MON + timedelta(i) for i in range(7)}
    days = days_of_periods([SUN, NEXT_MON + timedelta(3)], "week")
    assert days == {MON + timedelta(i) for i in range(14)}
    assert days_of_periods([WED, TUE], "day") == {WED, TUE}
    assert days_of_periods([], "week") == set()


# -- languages, minimum term support, sliding windows -------------------------------------------------------


def test_languages_have_their_own_units():
    units = [
        (MON, "customer", "en", ["refund", "charge"]),
        (MON, "customer", "en", ["router"]),
        (MON, "customer", "ko", ["해지", "위약금"]),
    ]
    pairs = {
        (p.language, p.term_a, p.term_b): p for p in cooccurrence(units, "day", 1) if p.speaker == "customer"
    }
    assert set(pairs) == {("en", "charge", "refund"), ("ko", "위약금", "해지")}
    assert pairs[("en", "charge", "refund")].n_units == 2
    # alone among Korean units, the Korean pair is always together: npmi 1, lift 1
    ko = pairs[("ko", "위약금", "해지")]
    assert (ko.n_units, ko.npmi, ko.lift) == (1, 1.0, 1.0)


def test_min_term_count_drops_rare_terms_before_pairing():
    kept = {
        (p.term_a, p.term_b)
        for p in cooccurrence(UNITS, "day", 1, min_term_count=2)
        if p.speaker == "customer"
    }
    # bank and router occur in one unit each
    assert kept == {("charge", "refund"), ("charge", "twice"), ("refund", "twice")}


def test_a_phrase_never_pairs_with_its_own_words():
    units = [(MON, "customer", ["early termination fee", "fee", "cancel"])] * 2
    got = {(p.term_a, p.term_b) for p in cooccurrence(units, "day", 1) if p.speaker == "customer"}
    assert got == {("cancel", "early termination fee"), ("cancel", "fee")}


def test_window_pairs_by_hand():
    seq = ["a", "b", "c", "a", "d"]
    assert window_pairs(seq, 2) == {("a", "b"), ("b", "c"), ("a", "c"), ("a", "d")}
    assert window_pairs(seq, 3) == window_pairs(seq, 2) | {("b", "c"), ("a", "b"), ("c", "d")}
    assert window_pairs(["a", "a"], 5) == set()


def test_window_cooccurrence_counts_conversations():
    # conversation 1: customer "outage ... router", agent "credit"; conversation 2: customer "router" only
    convs = [
        (MON, "en", [("customer", ["outage", "router"]), ("agent", ["credit"])]),
        (MON, "en", [("customer", ["router"])]),
    ]
    rows = {
        (p.speaker, p.term_a, p.term_b): p
        for p in window_cooccurrence(convs, "day", window=2, min_pair_count=1)
    }
    assert set(rows) == {
        ("customer", "outage", "router"),
        ("all", "outage", "router"),
        ("all", "credit", "router"),
    }
    p = rows[
        ("all", "credit", "router")
    ]  # adjacent only in the 'all' stream: router (customer) -> credit (agent)
    assert (p.pair_count, p.count_a, p.count_b, p.n_units, p.scope) == (1, 1, 2, 2, "window")
    lift, npmi = expected_scores(1, 1, 2, 2)
    assert p.lift == pytest.approx(lift, abs=1e-4) and p.npmi == pytest.approx(npmi, abs=1e-4)
    assert ("agent", "credit", "router") not in rows
