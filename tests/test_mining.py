"""Corpus mining in a real DuckDB file: trends flag a spike, topics and collocations are stored and stable,
`vocmine related` and the related_terms view agree, and the sample run has no fillers in related terms."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import duckdb
import pytest
from typer.testing import CliRunner

from tests.conftest import make_v1_database
from tests.test_keywords import EN_NEVER, KO_NEVER
from vocmine.cli import app
from vocmine.config import Config
from vocmine.mining import load_collocations, mine
from vocmine.records import Analysis, Conversation, Utterance
from vocmine.store import Store, connect_read_only
from vocmine.store import schema as schema_mod

SUN = date(2026, 11, 15)
MON = SUN + timedelta(1)
TUE = SUN + timedelta(2)


def conv(cid: str, day: date, terms: list[list[str]], language: str = "en", speakers=None) -> Analysis:
    c = Conversation(cid, "text", "chat", f"f#{cid}", cid, language=language)
    c.started_at = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    speakers = speakers or ["customer"] * len(terms)
    utts = [
        Utterance(cid, i, sp, None, None, " ".join(t), terms=t)
        for i, (sp, t) in enumerate(zip(speakers, terms, strict=True))
    ]
    return Analysis(c, utts, [], [])


def write(store: Store, analyses: list[Analysis]) -> None:
    days = {a.conversation.conversation_id: a.conversation.started_at.date() for a in analyses}
    store.write_results(
        analyses, [], run_id="r", ingested_at=datetime(2026, 11, 20, tzinfo=UTC), period_day=days
    )


def spike_corpus() -> list[Analysis]:
    """40 conversations a day. 'bill' is in 10 every day; 'outage' in 1 on Sunday, 15 on Monday, 1 on Tuesday."""
    out = []
    for day, n_outage in ((SUN, 1), (MON, 15), (TUE, 1)):
        for i in range(40):
            terms = ["plan"]
            if i < 10:
                terms.append("bill")
            if i >= 40 - n_outage:
                terms.append("outage")
            out.append(conv(f"{day}-{i}", day, [terms]))
    return out


@pytest.fixture
def spike_db(tmp_path):
    path = tmp_path / "spike.duckdb"
    with Store(path) as store:
        write(store, spike_corpus())
    return path


def trend(con, day: date, term: str) -> tuple:
    return con.execute(
        "SELECT conversations, prev_conversations, z, trend FROM keyword_trends "
        "WHERE period = 'day' AND period_start = ? AND term = ?",
        [day, term],
    ).fetchone()


def test_trends_flag_a_spike_and_not_a_stable_term(spike_db):
    with connect_read_only(spike_db) as con:
        c, prev, z, label = trend(con, MON, "outage")
        assert (c, prev) == (15, 1)
        assert z >= 3 and label == "rising"
        c, prev, z, label = trend(con, MON, "bill")
        assert (c, prev) == (10, 10)
        assert abs(z) < 1 and label == "stable"
        c, prev, z, label = trend(con, TUE, "outage")
        assert (c, prev, label) == (1, 15, "falling") and z <= -3
        # weeks: Sunday belongs to the week before (ISO weeks start on Monday)
        week = con.execute(
            "SELECT conversations, period_conversations, prev_conversations, prev_period_conversations "
            "FROM keyword_trends WHERE period = 'week' AND term = 'outage'"
        ).fetchall()
        assert week == [(16, 80, 1, 40)]


def test_trend_statistic_grows_with_evidence(tmp_path):
    """The same doubling is more unusual over 400 conversations than over 40."""
    small, big = tmp_path / "s.duckdb", tmp_path / "b.duckdb"
    for path, scale in ((small, 1), (big, 10)):
        rows = []
        for day, k in ((SUN, 3), (MON, 6)):
            rows += [
                conv(f"{day}-{i}", day, [["plan", "outage"] if i < k * scale else ["plan"]])
                for i in range(40 * scale)
            ]
        with Store(path) as store:
            write(store, rows)
    with connect_read_only(small) as a, connect_read_only(big) as b:
        z_small, z_big = trend(a, MON, "outage")[2], trend(b, MON, "outage")[2]
    assert 0 < z_small < z_big


def topic_corpus() -> list[Analysis]:
    rng = random.Random(3)
    vocab = {
        "billing": ["refund", "charge", "bill", "payment", "card", "double charge"],
        "network": ["outage", "router", "internet", "signal", "modem", "speed"],
        "retention": ["cancel", "contract", "fee", "early termination fee", "discount", "offer"],
    }
    out = []
    for i in range(60):
        words = vocab[list(vocab)[i % 3]]
        turns = [rng.sample(words, 3) for _ in range(3)]
        out.append(conv(f"t{i}", MON + timedelta(i % 5), turns, speakers=["customer", "agent", "customer"]))
    return out


def test_mining_writes_window_pairs_topics_and_is_idempotent(tmp_path):
    path = tmp_path / "topics.duckdb"
    cfg = Config()
    days = {MON + timedelta(i) for i in range(5)}
    with Store(path) as store:
        write(store, topic_corpus())
        first = mine(store.con, days, cfg)
        topics1 = store.con.execute("SELECT * FROM topics ORDER BY ALL").fetchall()
        second = mine(store.con, days, cfg)
        topics2 = store.con.execute("SELECT * FROM topics ORDER BY ALL").fetchall()
        q = store.con.execute
        assert first == second and topics1 == topics2  # recomputed and swapped, never duplicated; seeded
        assert first["term_cooccurrence"] == q("SELECT count(*) FROM term_cooccurrence").fetchone()[0]
        scopes = dict(q("SELECT scope, count(*) FROM term_cooccurrence GROUP BY 1").fetchall())
        assert scopes["utterance"] > 0 and scopes["window"] > 0
        # topics: one model for the week, shares sum to ~1, each topic is mostly one of the three themes
        rows = q("SELECT topic_id, terms, share FROM topics WHERE period = 'week'").fetchall()
        assert 2 <= len(rows) <= cfg.topics.n_topics
        assert sum(r[2] for r in rows) == pytest.approx(1.0, abs=0.02)
        themes = [set(v) for v in (["refund", "charge", "bill", "payment", "card"],
                                   ["outage", "router", "internet", "signal", "modem", "speed"],
                                   ["cancel", "contract", "fee", "discount", "offer"])]  # fmt: skip
        big = [r for r in rows if r[2] > 0.15]
        assert big and all(max(len(set(r[1][:4]) & t) for t in themes) >= 3 for r in big), rows
        bad = q(
            "SELECT count(*) FROM conversation_topics ct LEFT JOIN topics t USING (period, period_start, "
            "language, topic_id) WHERE t.topic_id IS NULL"
        ).fetchone()[0]
        assert bad == 0
        assert q("SELECT count(DISTINCT conversation_id) FROM conversation_topics").fetchone()[0] == 60
        assert q("SELECT count(*) FROM topic_terms").fetchone()[0] == sum(len(r[1]) for r in rows)
        stored = q("SELECT DISTINCT phrase FROM collocations WHERE language = 'en'").fetchall()
        assert sorted(load_collocations(store.con).get("en", [])) == sorted(r[0] for r in stored)


def test_window_pairs_cross_turns_and_speakers(tmp_path):
    """A complaint and the agent's answer in different turns pair up under 'window' for speaker 'all' only."""
    path = tmp_path / "w.duckdb"
    rows = [
        conv(f"w{i}", MON, [["outage"], ["credit"]], speakers=["customer", "agent"]) for i in range(3)
    ] + [conv("x", MON, [["router"]])]
    with Store(path) as store:
        write(store, rows)
        mine(store.con, {MON}, Config())
        got = store.con.execute(
            "SELECT scope, speaker, pair_count, count_a, count_b, n_units FROM term_cooccurrence "
            "WHERE period = 'day' AND term_a = 'credit' AND term_b = 'outage' ORDER BY ALL"
        ).fetchall()
    # conversations (units) for 'all': w0, w1, w2, x -> 4; the pair is in 3 of them
    assert got == [("window", "all", 3, 3, 3, 4)]


def test_languages_are_counted_separately(tmp_path):
    path = tmp_path / "l.duckdb"
    rows = [conv(f"e{i}", MON, [["refund", "charge"]]) for i in range(2)] + [
        conv(f"k{i}", MON, [["해지", "위약금"]], language="ko") for i in range(3)
    ]
    with Store(path) as store:
        write(store, rows)
        mine(store.con, {MON}, Config())
        got = dict(
            store.con.execute(
                "SELECT language, n_units FROM term_cooccurrence WHERE period = 'day' AND scope = 'utterance' "
                "AND speaker = 'customer'"
            ).fetchall()
        )
    assert got == {"en": 2, "ko": 3}


def test_v1_file_migrates_to_v2_keeping_cooccurrence_rows(tmp_path):
    path = make_v1_database(tmp_path / "v1.duckdb")
    con = duckdb.connect(str(path))
    con.execute(
        "INSERT INTO term_cooccurrence VALUES ('day', DATE '2026-11-16', 'all', 'charge', 'refund', 3, 3, 4, 5, 0.4, 1.2)"
    )
    con.close()
    with Store(path) as store:
        assert store.schema_version() == schema_mod.SCHEMA_VERSION >= 2
        assert store.con.execute(
            "SELECT language, scope, term_a, term_b, pair_count FROM term_cooccurrence"
        ).fetchall() == [("mixed", "utterance", "charge", "refund", 3)]
        assert store.con.execute("SELECT count(*) FROM related_terms").fetchone()[0] == 2


# -- on the real end-to-end run of the samples -------------------------------------------------------------


def test_sample_run_related_terms_and_keywords_have_no_fillers(pipeline_run):
    with connect_read_only(pipeline_run["db"]) as con:
        related = con.execute("SELECT DISTINCT language, term FROM related_terms").fetchall()
        keywords = con.execute(
            "SELECT DISTINCT c.language, k.keyword FROM conversation_keywords k JOIN conversations c USING (conversation_id)"
        ).fetchall()
        topic_terms = con.execute("SELECT DISTINCT language, term FROM topic_terms").fetchall()
    for rows in (related, keywords, topic_terms):
        assert rows
        for language, term in rows:
            parts = {term, *term.split()}
            assert not parts & (KO_NEVER if language == "ko" else EN_NEVER), (language, term)
    assert {lang for lang, _ in related} == {"en", "ko"}


def test_related_command_and_view_agree(pipeline_run):
    db = str(pipeline_run["db"])
    runner = CliRunner()
    res = runner.invoke(app, ["related", "위약금", "--db", db, "--format", "csv"])
    assert res.exit_code == 0, res.output
    lines = res.output.strip().splitlines()
    assert lines[0].startswith("related_term,pair_count")
    cli_terms = [line.split(",")[0] for line in lines[1:]]
    assert "해지" in cli_terms
    with connect_read_only(db) as con:
        start = con.execute(
            "SELECT max(period_start) FROM related_terms WHERE term = ? AND period = 'week' AND speaker = 'all'",
            ["위약금"],
        ).fetchone()[0]
        view = con.execute(
            "SELECT related_term FROM related_terms WHERE term = ? AND period = 'week' AND speaker = 'all' "
            "AND scope = 'utterance' AND period_start = ? ORDER BY npmi DESC, pair_count DESC, related_term",
            ["위약금", start],
        ).fetchall()
    assert cli_terms == [r[0] for r in view][:20]
    # English, by customer, with an inflected form typed by the user
    res = runner.invoke(app, ["related", "Refunds", "--db", db, "--speaker", "customer", "--format", "csv"])
    assert res.exit_code == 0 and "charge" in res.output
    # unknown terms and hostile input are answered, not executed
    for term in ("zzzz", "refund' OR '1'='1"):
        res = runner.invoke(app, ["related", term, "--db", db])
        assert res.exit_code == 1 and "no related terms" in res.output
    res = runner.invoke(app, ["related", "refund", "--db", db, "--date", "yesterday"])
    assert res.exit_code == 2 and "YYYY-MM-DD" in res.output


def test_related_terms_view_is_plain_sql(pipeline_run):
    con = duckdb.connect(str(pipeline_run["db"]), read_only=True)
    try:
        n = con.execute("SELECT count(*) FROM related_terms WHERE npmi > 0").fetchone()[0]
        both = con.execute(
            "SELECT count(*) FROM related_terms a JOIN related_terms b ON a.term = b.related_term "
            "AND a.related_term = b.term AND a.period = b.period AND a.period_start = b.period_start "
            "AND a.speaker = b.speaker AND a.scope = b.scope AND a.language = b.language"
        ).fetchone()[0]
    finally:
        con.close()
    assert n > 0
    assert both == con_count(pipeline_run["db"])


def con_count(db) -> int:
    with connect_read_only(db) as con:
        return con.execute("SELECT count(*) FROM related_terms").fetchone()[0]
