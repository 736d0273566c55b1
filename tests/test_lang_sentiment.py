"""Language pipelines (spaCy English, Kiwi Korean) and sentiment backends on contact-centre text."""

from __future__ import annotations

import pytest

from vocmine.lang import get_pipeline, supported_languages
from vocmine.sentiment import get_backend, label


@pytest.fixture(scope="module")
def en():
    return get_pipeline("en")


@pytest.fixture(scope="module")
def ko():
    return get_pipeline("ko")


def terms(pipe, text: str) -> list[str]:
    (doc,) = pipe.process([text])
    return [norm for norm, _ in doc.content_terms()]


def scores(lang: str, pipe, texts: list[str]) -> list[float]:
    return get_backend(lang).score(texts, pipe.process(texts))


def test_registry():
    assert {"en", "ko"} <= set(supported_languages())
    assert get_pipeline("en") is get_pipeline("en")  # loaded once per process
    assert get_pipeline("xx").code == "en"  # unknown languages fall back to English


# -- English terms --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "um",
        "uh",
        "Um, uh, okay.",
        "Thank you for calling, how can I help you today?",
        "Yeah, sure, no problem at all, sir.",
    ],
)
def test_english_fillers_and_script_have_no_content_terms(en, text):
    found = terms(en, text)
    assert not ({"um", "uh", "thank", "call", "help", "today", "okay", "yeah", "sure"} & set(found)), found
    if text != "Yeah, sure, no problem at all, sir.":
        assert found == []


def test_english_domain_phrase_and_nouns(en):
    found = terms(en, "Um, I want to cancel, but the early termination fee is way too high.")
    assert "early termination fee" in found
    assert "fee" in found and "cancel" in found
    assert "um" not in found and "way" not in found


def test_english_lemmas(en):
    found = terms(en, "The routers were rebooted twice and the outages continued.")
    assert "router" in found and "outage" in found


def test_english_batch_matches_single(en):
    texts = ["My router keeps dropping.", "Refund the double charge please."]
    batch = [d.content_terms() for d in en.process(texts)]
    single = [en.process([t])[0].content_terms() for t in texts]
    assert batch == single


def test_redaction_placeholders_are_not_terms(en, ko):
    found = terms(en, "Reach me at [PHONE], the charge went on [CARD] and [EMAIL].")
    assert not ({"phone", "card", "email"} & set(found)), found
    assert "charge" in found
    # the ordinary word is still a term
    assert "card" in terms(en, "My credit card was declined.")
    found = terms(ko, "제 번호는 [PHONE] 입니다")
    assert "phone" not in {t.lower() for t in found}


# -- Korean terms ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["네 네", "감사합니다 고객님", "네, 네. 감사합니다 고객님."])
def test_korean_back_channels_and_script_have_no_content_terms(ko, text):
    assert terms(ko, text) == []


def test_korean_domain_nouns_are_single_terms(ko):
    found = terms(ko, "해지하면 위약금이 얼마인가요? 요금제를 바꾸고 싶어요.")
    assert "위약금" in found and "요금제" in found
    assert "요금" not in found and "위약" not in found  # not split into pieces
    assert "해지" in found


# -- sentiment ------------------------------------------------------------------------------------------


def test_english_sentiment_signs(en):
    neg, pos, neutral = scores(
        "en",
        en,
        [
            "You charged me twice, I was on hold for an hour and nobody fixed anything. This is terrible.",
            "The agent was really helpful and resolved my problem quickly. Great service!",
            "What time does the store open?",
        ],
    )
    assert neg < -0.3
    assert pos > 0.3
    assert abs(neutral) < 0.3
    assert label(neg) == "negative" and label(pos) == "positive"


def test_english_domain_expressions_are_negative(en):
    assert all(
        s < 0 for s in scores("en", en, ["I was on hold.", "The internet is not working.", "Outage again."])
    )


@pytest.mark.parametrize(
    "text, sign",
    [
        ("인터넷이 계속 끊겨서 너무 짜증나요", -1),
        ("상담원이 너무 불친절했어요. 최악입니다", -1),
        ("빠르게 해결해 주셔서 정말 만족합니다", 1),
        ("상담원이 친절했어요", 1),
        ("상담원이 친절하지 않았어요", -1),
        ("친절하지 않았어요", -1),
        ("친절했어요", 1),
    ],
)
def test_korean_sentiment_signs(ko, text, sign):
    (score,) = scores("ko", ko, [text])
    assert score * sign > 0.05, score


def test_korean_negation_flips_the_sign(ko):
    plain, negated = scores("ko", ko, ["친절했어요", "친절하지 않았어요"])
    assert plain > 0 > negated
    slow, not_slow = scores("ko", ko, ["배송이 늦었어요", "배송이 늦지 않았어요"])
    assert slow < 0 < not_slow


def test_korean_contrast_weights_the_second_clause(ko):
    kind_but_unsolved, problem_but_kind = scores(
        "ko", ko, ["친절했지만 문제는 해결되지 않았어요", "문제가 있었지만 상담원이 친절하게 해결해 주셨어요"]
    )
    assert kind_but_unsolved < 0
    assert problem_but_kind > 0


def test_korean_thanks_is_positive(ko):
    (score,) = scores("ko", ko, ["정말 감사합니다"])
    assert score > 0.05


def test_label_uses_neutral_band():
    assert label(0.04) == "neutral" and label(-0.04) == "neutral"
    assert label(0.2, neutral_band=0.3) == "neutral"
    assert label(0.05) == "positive" and label(-0.05) == "negative"
