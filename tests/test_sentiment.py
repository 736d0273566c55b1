"""Sentiment on contact-centre language: rules, quality on the labelled sets, quarters, config, store, views."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pytest

from vocmine.config import Config, SentimentConfig, load_config
from vocmine.errors import ConfigError
from vocmine.records import Conversation, Transcript, Utterance
from vocmine.sentiment import get_backend, label
from vocmine.sentiment.aggregate import conversation_sentiments, split_sentences
from vocmine.sentiment.evaluate import LABELS, evaluate, load_labelled, macro_f1

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def en():
    return get_backend("en")


@pytest.fixture(scope="module")
def vader():
    return get_backend("en", SentimentConfig(backend={"en": "vader"}))


@pytest.fixture(scope="module")
def ko():
    return get_backend("ko")


def one(backend, text: str) -> float:
    return backend.score([text], None)[0]


# -- English rules ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Thank you for calling, how can I help you today?",
        "I apologize for the inconvenience, is there anything else I can help you with?",
        "Thanks for your patience, have a wonderful day!",
        "You're very welcome, it was my pleasure.",
        "Can I have your account number please?",
        "I'd like to check my balance.",
    ],
)
def test_english_scripts_and_requests_are_neutral(en, vader, text):
    assert label(one(en, text)) == "neutral", en.rewrite(text)
    assert label(one(vader, text)) == "positive"  # what plain VADER makes of them


@pytest.mark.parametrize(
    "text",
    [
        "I was on hold for an hour.",
        "You charged me twice.",
        "My internet is not working.",
        "My order was cancelled.",
        "I want a refund.",
        "I need you to escalate this.",
        "The parcel never arrived.",
        "Nobody called me back.",
    ],
)
def test_english_domain_expressions_are_negative(en, text):
    assert one(en, text) <= -0.05, en.rewrite(text)


@pytest.mark.parametrize(
    "text",
    [
        "The problem is resolved.",
        "That fixed it.",
        "That was quick.",
        "You've been really helpful.",
        "Your refund has been processed.",
        "I've waived the late fee.",
    ],
)
def test_english_domain_expressions_are_positive(en, text):
    assert one(en, text) >= 0.05, en.rewrite(text)


def test_english_negation_contrast_intensity_and_sarcasm(en):
    assert one(en, "The agent was helpful.") > 0 > one(en, "The agent was not helpful.")
    assert one(en, "It has been fixed.") > 0 > one(en, "It still hasn't been fixed.")
    # the clause after "but" decides
    assert one(en, "The technician was polite, but the line is still dead.") < 0
    assert one(en, "It took a while, but you solved it and I'm grateful.") > 0
    assert one(en, "Although the wait was long, the agent was brilliant.") > 0
    # intensity
    assert one(en, "I am extremely upset.") < one(en, "I am upset.") < 0
    # a cheerful interjection in front of a complaint is not praise
    assert one(en, "Oh great, another hour on hold.") < 0
    assert one(en, "Great, the refund has come through.") > 0


def test_english_persistence_contrast_and_information_questions(en):
    # "still" inside a clause is persistence (a complaint), after a comma it is contrast
    assert one(en, "I was promised a credit and it still isn't on my account.") < 0
    assert one(en, "The first agent was friendly, although she didn't actually fix anything.") < 0
    # asking about a problem is not having it; asking "why" is a complaint; escalation stays negative
    assert label(one(en, "What happens if I pay my bill a few days late?")) == "neutral"
    assert label(one(en, "How long does a refund usually take?")) == "neutral"
    assert one(en, "Why have I been charged twice?") < 0
    assert one(en, "Can I make a formal complaint?") < 0
    # implicit money complaints and agent good news
    assert one(en, "You've taken the direct debit twice this month.") < 0
    assert one(en, "My gas bill has tripled.") < 0
    assert one(en, "I've cancelled the duplicate charge so you won't pay twice.") > 0
    assert one(en, "Your replacement has been dispatched.") > 0
    assert label(one(en, "Could you check if the order has been dispatched?")) == "neutral"
    # sarcasm: the marker must not fall under a later "not" (VADER negates the three words before a word)
    assert one(en, "Brilliant, so I wait for an engineer who may or may not turn up.") < 0


def test_english_bare_thanks_is_polite_but_intensified_thanks_is_positive(en):
    assert label(one(en, "Okay, thanks.")) == "neutral"
    assert label(one(en, "Thank you so much, that's brilliant.")) == "positive"


# -- Korean rules ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "전화 주셔서 감사합니다. 무엇을 도와드릴까요?",
        "불편을 드려 죄송합니다. 잠시만 기다려 주세요.",
        "감사합니다 고객님. 좋은 하루 되세요.",
        "네, 감사합니다.",
    ],
)
def test_korean_scripts_are_neutral(ko, text):
    assert label(one(ko, text)) == "neutral"


def test_korean_negation_contrast_and_absence(ko):
    assert one(ko, "해결됐어요") > 0 > one(ko, "해결되지 않았어요")
    assert one(ko, "좋아요") > 0 > one(ko, "안 좋아요")
    assert one(ko, "어렵지 않았어요") > 0  # a negated negative
    assert one(ko, "답변을 못 받았어요") < 0  # a negated neutral verb is the complaint
    assert one(ko, "인터넷이 안 돼요") < 0
    assert one(ko, "불편한 점이 없었어요") > 0 > one(ko, "불편했어요")  # 없다 flips the noun before it
    assert one(ko, "직원이 불친절했어요") < 0 < one(ko, "직원이 친절했어요")  # 불- prefix
    assert one(ko, "설치 기사님은 친절했지만 인터넷은 여전히 안 돼요") < 0
    assert one(ko, "조금 기다렸지만 친절하게 해결해 주셨어요") > 0
    assert one(ko, "하지만 너무 느려요") < one(ko, "느려요") < 0  # intensity


def test_korean_negated_subjects_inability_and_questions(ko):
    assert one(ko, "상담원분은 친절했지만 문제는 해결이 안 됐어요.") < 0  # 해결이 안 되다 negates 해결
    assert one(ko, "전혀 도움이 안 됐어요.") < 0
    assert one(ko, "이미 출고되어서 취소가 안 됩니다.") < 0  # a negative subject stays a complaint
    assert one(ko, "인터넷 속도가 너무 느려서 쓸 수가 없어요.") < 0  # -ㄹ 수 없다 = cannot
    assert one(ko, "이런 요금제는 신청한 적이 없어요.") < 0  # never applied for it
    assert one(ko, "문제가 생긴 적이 없어요.") > 0  # never had a problem
    assert one(ko, "죄송하지만 이건 좀 너무한 것 같아요.") < 0  # 너무 + 하다 = 너무하다
    assert one(ko, "카드 결제가 두 번 됐습니다.") < 0  # twice, after the noun
    assert one(ko, "요금이 갑자기 만 원이나 올랐어요.") < 0
    assert one(ko, "주문한 거랑 다른 색상이 왔어요.") < 0
    assert label(one(ko, "요금을 며칠 늦게 내면 어떻게 되나요?")) == "neutral"
    assert one(ko, "왜 요금이 두 번 결제됐나요?") < 0  # why-questions are complaints
    assert label(one(ko, "네 기다릴게요.")) == "neutral"
    assert one(ko, "중복 결제된 금액은 전액 환불 처리해 드렸습니다.") > 0  # what was resolved is no complaint
    assert one(ko, "상품이 품절되어 부득이하게 주문이 취소되었습니다.") < 0  # bad news, not a resolution


def test_korean_domain_resolution_and_complaints(ko):
    assert one(ko, "환불이 완료되었습니다.") > 0
    assert one(ko, "요금이 두 번 결제됐어요.") < 0
    assert one(ko, "책임자 바꿔 주세요.") < 0
    assert one(ko, "벌써 세 번째 전화드리는 거예요.") < 0


# -- labelled sets and quality ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang, minimum", [("en", 300), ("ko", 150)])
def test_dev_sets_are_big_balanced_and_tricky(lang, minimum):
    rows = load_labelled(DATA / f"sentiment_dev_{lang}.tsv")
    assert len(rows) >= minimum
    for lab in LABELS:
        share = sum(r.label == lab for r in rows) / len(rows)
        assert 0.28 <= share <= 0.40, (lab, share)
    assert {r.speaker for r in rows} == {"agent", "customer"}
    tags = {r.tags for r in rows}
    assert {"neg", "con", "pol", "pcomp", "dom"} <= tags
    heldout = load_labelled(DATA / f"sentiment_heldout_{lang}.tsv")
    assert len(heldout) >= minimum // 3
    assert not ({r.text for r in rows} & {r.text for r in heldout})  # held-out really is separate


def test_macro_f1():
    assert macro_f1(["negative", "neutral", "positive"], ["negative", "neutral", "positive"]) == 1.0
    assert macro_f1(["negative", "positive"], ["positive", "negative"]) == 0.0
    # negative: P=1 R=.5 F=2/3; neutral: P=.5 R=1 F=2/3; positive: F=1
    assert macro_f1(
        ["negative", "negative", "positive"], ["negative", "neutral", "positive"]
    ) == pytest.approx((2 / 3 + 0 + 1) / 3)


@pytest.mark.parametrize("split", ["dev", "heldout", "blind"])
@pytest.mark.parametrize(
    "lang, ours, baseline", [("en", "en-lexicon", "vader"), ("ko", "ko-lexicon", "ko-count")]
)
def test_default_beats_the_baseline_by_ten_points(split, lang, ours, baseline):
    rows = load_labelled(DATA / f"sentiment_{split}_{lang}.tsv")
    f_ours = evaluate(get_backend(lang, SentimentConfig(backend={lang: ours})), rows)
    f_base = evaluate(get_backend(lang, SentimentConfig(backend={lang: baseline})), rows)
    assert f_ours >= f_base + 0.10, (f_ours, f_base)
    # the blind set was written by someone who never saw the rules: only the gain is a promise there
    assert f_ours >= (0.70 if split == "blind" else 0.80)


@pytest.mark.parametrize("lang, minimum", [("en", 150), ("ko", 90)])
def test_blind_sets_are_balanced(lang, minimum):
    rows = load_labelled(DATA / f"sentiment_blind_{lang}.tsv")
    assert len(rows) >= minimum
    assert {sum(r.label == lab for r in rows) for lab in LABELS} == {len(rows) // 3}


# -- conversation sentiment: quarters, shift, text items ------------------------------------------------


def utt(i, speaker, start, end, score, text="word " * 4):
    u = Utterance("c", i, speaker, start, end, text.strip())
    u.sentiment = score
    return u


CALL = Conversation("c", "audio", "phone", "x.wav", "h")


def by_speaker(rows):
    return {r.speaker: r for r in rows}


def test_call_quarters_are_by_time_on_one_clock():
    # a 100 s call: the customer starts angry (0-10 s), is calmer mid-call (40-45 s), ends happy (80-100 s)
    utts = [
        utt(0, "customer", 0, 10, -0.8),
        utt(1, "agent", 10, 20, 0.0),
        utt(2, "customer", 40, 45, -0.2),
        utt(3, "agent", 60, 70, 0.4),
        utt(4, "customer", 80, 100, 0.6),
    ]
    rows = by_speaker(conversation_sentiments(CALL, utts, SentimentConfig(), "en"))
    cu = rows["customer"]
    assert (cu.q1, cu.q2, cu.q3, cu.q4) == (-0.8, -0.2, None, 0.6)
    assert (cu.start_score, cu.end_score, cu.shift) == (-0.8, 0.6, pytest.approx(1.4))
    assert cu.score == pytest.approx((-0.8 - 0.2 + 0.6) / 3, abs=1e-4)  # equal word counts
    assert cu.n_utterances == 3 and cu.unit == "utterance" and cu.backend == "en-lexicon"
    ag = rows["agent"]
    assert (ag.q1, ag.q2, ag.q3, ag.q4) == (0.0, None, 0.4, None)
    # the agent said nothing in the last quarter: end is their last utterance
    assert (ag.start_score, ag.end_score) == (0.0, 0.4)
    assert rows["all"].q1 == pytest.approx(-0.4)  # customer and agent, 4 words each
    assert rows["all"].label == label(rows["all"].score)


def test_an_utterance_across_a_quarter_boundary_counts_by_its_share():
    # 0-100 s; one utterance 20-30 s: half of it lies in Q1, half in Q2
    utts = [utt(0, "customer", 0, 10, -0.5), utt(1, "customer", 20, 30, 0.5), utt(2, "agent", 90, 100, 0.0)]
    cu = by_speaker(conversation_sentiments(CALL, utts, SentimentConfig(), "en"))["customer"]
    assert cu.q1 == pytest.approx((-0.5 * 4 + 0.5 * 2) / 6, abs=1e-4)
    assert cu.q2 == 0.5 and cu.q4 is None
    assert cu.end_score == 0.5  # no Q4 speech: last utterance


def test_untimed_utterances_use_their_order():
    utts = [utt(i, "customer", None, None, s) for i, s in enumerate([-0.6, -0.2, 0.2, 0.6])]
    cu = by_speaker(conversation_sentiments(CALL, utts, SentimentConfig(), "en"))["customer"]
    assert (cu.q1, cu.q2, cu.q3, cu.q4, cu.shift) == (-0.6, -0.2, 0.2, 0.6, pytest.approx(1.2))


def test_text_item_quarters_come_from_its_sentences(en):
    text = "The agent on the phone was lovely. Sadly my bill is still wrong. I am furious and want to cancel."
    item = Conversation("t", "text", "email", "f#t", "h")
    u = Utterance("t", 0, "customer", None, None, text)
    u.sentiment = one(en, text)
    rows = by_speaker(conversation_sentiments(item, [u], SentimentConfig(), "en"))
    first, _, last = (one(en, s) for s in split_sentences(text))
    cu = rows["customer"]
    assert cu.unit == "sentence" and cu.n_utterances == 1
    assert cu.score == round(u.sentiment, 4)
    assert cu.q1 == pytest.approx(first, abs=1e-4) and cu.q4 == pytest.approx(last, abs=1e-4)
    assert cu.shift == pytest.approx(last - first, abs=2e-4) and cu.shift < 0
    assert set(rows) == {"customer", "all"}

    short = Utterance("t", 0, "customer", None, None, "Quick and helpful, thanks.")
    short.sentiment = one(en, short.text)
    cu = by_speaker(conversation_sentiments(item, [short], SentimentConfig(), "en"))["customer"]
    assert cu.q1 == cu.q2 == cu.q3 == cu.q4 == cu.start_score == cu.end_score == round(short.sentiment, 4)
    assert cu.shift == 0

    # a neutral closing sentence is not a fall: only opinions make the arc
    praise = "The technician was friendly and fixed it fast."
    closing = Utterance("t", 0, "customer", None, None, f"{praise} My order number is 4411.")
    closing.sentiment = one(en, closing.text)
    assert label(one(en, "My order number is 4411.")) == "neutral" and one(en, praise) > 0.05
    cu = by_speaker(conversation_sentiments(item, [closing], SentimentConfig(), "en"))["customer"]
    assert cu.q4 == pytest.approx(one(en, praise), abs=1e-4) and cu.shift == 0


def test_agent_scripts_do_not_make_the_agent_or_the_call_happy():
    """Through the real analysis stage: a call where only the agent's scripts carry 'positive' words."""
    from vocmine.analyze import analyze

    turns = [
        ("agent", "Thank you for calling, my name is Sam, how can I help you today?"),
        ("customer", "Hi, I'd like to check when my contract ends."),
        ("agent", "Of course, I'd be happy to help. Can I have your account number please?"),
        ("customer", "It's four five two seven."),
        ("agent", "Thank you. Your contract ends on the fifth of March."),
        (
            "agent",
            "Is there anything else I can help you with today? Thank you for your patience, have a great day!",
        ),
    ]

    def transcript():
        utts = [Utterance("s", i, sp, i * 10.0, i * 10.0 + 8, t) for i, (sp, t) in enumerate(turns)]
        conv = Conversation("s", "audio", "phone", "s.wav", "h", language="en")
        return Transcript(conv, utts, "en", 1.0, 60.0, 1.0)

    rows = by_speaker(analyze([transcript()], Config()).pop().sentiments)
    assert rows["agent"].label == "neutral" and rows["all"].label == "neutral", rows
    plain = Config.model_validate({"sentiment": {"backend": {"en": "vader"}}})
    assert by_speaker(analyze([transcript()], plain).pop().sentiments)["agent"].label == "positive"


# -- backends by name in config -------------------------------------------------------------------------


def write(tmp_path, text: str) -> Path:
    p = tmp_path / "c.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_backend_is_chosen_by_name_in_config(tmp_path):
    cfg = load_config(write(tmp_path, "sentiment:\n  backend:\n    en: vader\n    ko: ko-count\n"))
    assert get_backend("en", cfg.sentiment).name == "vader"
    assert get_backend("ko", cfg.sentiment).name == "ko-count"
    assert get_backend("en").name == "en-lexicon" and get_backend("ko").name == "ko-lexicon"
    assert get_backend("xx").name == "en-lexicon"  # unknown languages fall back to English


def test_unknown_backend_names_the_key(tmp_path):
    with pytest.raises(ConfigError, match=r"sentiment\.backend\.en.*unknown sentiment backend 'roberta'"):
        load_config(write(tmp_path, "sentiment:\n  backend:\n    en: roberta\n"))


def test_transformers_without_a_directory_names_the_key(tmp_path):
    with pytest.raises(ConfigError, match=r"sentiment\.transformers\.model_dir is not set"):
        load_config(write(tmp_path, "sentiment:\n  backend:\n    ko: transformers\n"))


def test_transformers_with_a_missing_directory_is_a_clear_error(tmp_path):
    missing = tmp_path / "no-such-model"
    cfg = load_config(
        write(
            tmp_path,
            f"sentiment:\n  backend:\n    en: transformers\n  transformers:\n    model_dir: {missing}\n",
        )
    )
    with pytest.raises(
        ConfigError, match=r"sentiment\.transformers\.model_dir: .*no-such-model.*save_pretrained"
    ):
        get_backend("en", cfg.sentiment)


def test_transformers_without_the_packages_says_what_to_install(tmp_path, monkeypatch):
    model = tmp_path / "model"
    model.mkdir()
    (model / "config.json").write_text("{}", encoding="utf-8")
    monkeypatch.setitem(sys.modules, "transformers", None)  # as if not installed (import raises ImportError)
    cfg = SentimentConfig(backend={"en": "transformers"}, transformers={"model_dir": str(model)})
    with pytest.raises(ConfigError, match=r"sentiment\.backend\.en.*pip install transformers torch"):
        get_backend("en", cfg)


def test_transformers_label_mapping():
    from vocmine.sentiment.hf import label_value

    assert [label_value(x) for x in ("NEGATIVE", "neutral", "Positive")] == [-1.0, 0.0, 1.0]
    assert [label_value(f"{n} stars") for n in (1, 3, 5)] == [-1.0, 0.0, 1.0]
    assert label_value("LABEL_2", {"LABEL_2": 0.5}) == 0.5
    with pytest.raises(ConfigError, match="label_scores"):
        label_value("LABEL_0")


# -- store: migration and views on a real pipeline run ---------------------------------------------------


def test_v1_file_gains_the_quarter_columns(tmp_path):
    from tests.conftest import make_v1_database
    from vocmine.store import Store

    path = make_v1_database(tmp_path / "old.duckdb")
    con = duckdb.connect(str(path))
    con.execute("INSERT INTO conversation_sentiment VALUES ('c', 'all', 0.5, 'positive', 0, 1, 1, 2)")
    con.close()
    with Store(path) as store:
        row = store.con.execute("SELECT score, q1, q4, unit, backend FROM conversation_sentiment").fetchall()
    assert row == [(0.5, None, None, None, None)]


@pytest.fixture(scope="module")
def db(pipeline_run):
    con = duckdb.connect(str(pipeline_run["db"]), read_only=True)
    yield con
    con.close()


def test_every_stored_utterance_has_a_score_and_label(db):
    bad = db.execute(
        """SELECT count(*) FROM utterances
           WHERE sentiment IS NULL OR sentiment NOT BETWEEN -1 AND 1
              OR sentiment_label <> CASE WHEN sentiment >= 0.05 THEN 'positive'
                                         WHEN sentiment <= -0.05 THEN 'negative' ELSE 'neutral' END"""
    ).fetchone()[0]
    assert bad == 0
    assert db.execute("SELECT count(*) FROM utterances").fetchone()[0] > 0


def test_stored_conversation_sentiment_has_quarters_per_speaker(db):
    rows = db.execute(
        """SELECT c.source, s.speaker, s.unit, s.backend, s.q1, s.q4, s.start_score, s.end_score, s.shift
           FROM conversation_sentiment s JOIN conversations c USING (conversation_id)"""
    ).fetchall()
    calls = [r for r in rows if r[0] == "audio"]
    texts = [r for r in rows if r[0] == "text"]
    assert {r[1] for r in calls} >= {"agent", "customer", "all"}
    assert {r[1] for r in texts} == {"customer", "all"}
    assert {r[2] for r in calls} == {"utterance"} and {r[2] for r in texts} == {"sentence"}
    assert {r[3] for r in rows} <= {"en-lexicon", "ko-lexicon"} and "ko-lexicon" in {r[3] for r in texts}
    for r in rows:
        assert r[8] == pytest.approx(r[7] - r[6], abs=2e-4)
    assert all(r[4] is not None and r[5] is not None for r in texts)  # text quarters always exist
    assert all(r[4] is not None for r in calls if r[1] == "all")  # someone speaks in the first quarter


def test_view_customer_sentiment_fell(db):
    got = db.execute("SELECT conversation_id, shift FROM customer_sentiment_fell").fetchall()
    expected = db.execute(
        """SELECT s.conversation_id, s.shift FROM conversation_sentiment s
           JOIN conversations c USING (conversation_id)
           WHERE c.status = 'ok' AND s.speaker = 'customer' AND s.end_score - s.start_score <= -0.2
           ORDER BY s.shift, s.conversation_id"""
    ).fetchall()
    assert got == expected
    assert got, "the sample feedback has complaints that end worse than they start"


def test_view_agent_scorecard_counts_calls_only_and_ranks_by_shift(db):
    rows = db.execute(
        "SELECT shift_rank, agent_id, conversations, avg_customer_shift FROM agent_scorecard"
    ).fetchall()
    calls_per_agent = dict(
        db.execute(
            """SELECT agent_id, count(*) FROM conversations
               WHERE source = 'audio' AND status = 'ok' AND agent_id IS NOT NULL GROUP BY agent_id"""
        ).fetchall()
    )
    assert {r[1]: r[2] for r in rows} == calls_per_agent
    text_only = db.execute(
        """SELECT DISTINCT agent_id FROM conversations WHERE source = 'text' AND agent_id IS NOT NULL
           EXCEPT SELECT agent_id FROM conversations WHERE source = 'audio'"""
    ).fetchall()
    assert text_only and not ({a for (a,) in text_only} & {r[1] for r in rows})
    shifts = [r[3] for r in sorted(rows)]
    assert shifts == sorted(shifts, reverse=True) and rows[0][0] == 1


def test_view_sentiment_by_day_queue_adds_up(db):
    total, shift = db.execute(
        "SELECT sum(conversations), sum(avg_shift * conversations) FROM sentiment_by_day_queue WHERE speaker = 'customer'"
    ).fetchone()
    n, s = db.execute(
        """SELECT count(*), sum(s.shift) FROM conversation_sentiment s JOIN conversations c USING (conversation_id)
           WHERE c.status = 'ok' AND s.speaker = 'customer'"""
    ).fetchone()
    assert total == n and shift == pytest.approx(s, abs=0.01 * n)
