"""Keywords in English and Korean on the bundled sample conversations: fillers, scripted agent phrases, agent
and brand names never become keywords; domain phrases do; ranking does not depend on the batch."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from vocmine.analyze import analyze
from vocmine.config import Config
from vocmine.errors import ConfigError
from vocmine.lang import get_pipeline
from vocmine.lang.dictionary import load_dictionary
from vocmine.records import Conversation, Transcript, Utterance

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("sample_scripts", ROOT / "data" / "samples" / "scripts.py")
scripts = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(scripts)

# Fillers, back-channels and scripted agent phrases (as lemmas / morphemes): never a keyword or related term.
EN_NEVER = {
    "um", "uh", "yeah", "okay", "thank", "thanks", "call", "calling", "help", "today", "anything", "else",
    "great", "day", "sorry", "moment", "patience", "northstar", "maria", "daniel", "kevin", "sarah", "james",
    "priya", "emma", "lucas", "name", "sir", "madam", "north star",
}  # fmt: skip
KO_NEVER = {"네", "예", "그", "음", "저", "감사", "감사합니다", "고객", "고객님", "안녕", "잠시", "하루", "돕다", "김민지",
            "노스스타", "노스 스타", "궁금하다", "기다리다"}  # fmt: skip

# A Korean call in the usual script: greeting with the brand and the agent's name, back-channels, closing.
KO_CALL = [
    ("agent", "네, 감사합니다 고객님. 노스스타 고객센터 상담원 김민지입니다. 무엇을 도와드릴까요?"),
    ("customer", "네, 그, 해지하려고 하는데요. 위약금이 얼마나 나오는지 궁금해서요."),
    ("agent", "네 고객님, 잠시만 기다려 주시겠어요? 약정이 4개월 남아서 위약금은 3만 원입니다."),
    ("customer", "음, 위약금이 너무 비싸요. 요금제를 바꾸면 위약금이 없나요?"),
    ("agent", "네, 요금제 변경은 위약금 없이 가능합니다. 더 궁금하신 점 있으신가요?"),
    ("customer", "아니요, 감사합니다."),
    ("agent", "감사합니다 고객님, 좋은 하루 되세요."),
]


def call_transcript(cid: str, turns, language: str) -> Transcript:
    conv = Conversation(cid, "audio", "phone", f"{cid}.wav", "h", language=language)
    utts = [Utterance(cid, i, sp, float(i), float(i) + 1, text) for i, (sp, text) in enumerate(turns)]
    return Transcript(conv, utts, language, 1.0, 10.0, 1.0)


def text_transcript(cid: str, text: str, language: str) -> Transcript:
    conv = Conversation(cid, "text", "chat", f"f#{cid}", "h", language=language, text=text)
    return Transcript(conv, [Utterance(cid, 0, "customer", None, None, text)], language, None, 0.0, 0.0)


def sample_transcripts() -> list[Transcript]:
    out = [call_transcript(c["stem"], c["turns"], "en") for c in scripts.CALLS]
    out += [text_transcript(f"en-{i}", item[-1], "en") for i, item in enumerate(scripts.FEEDBACK_EN)]
    out += [text_transcript(f"ko-{i}", item[-1], "ko") for i, item in enumerate(scripts.FEEDBACK_KO)]
    out.append(call_transcript("ko-call", KO_CALL, "ko"))
    return out


@pytest.fixture(scope="module")
def analysed():
    return {a.conversation.conversation_id: a for a in analyze(sample_transcripts(), Config())}


def _parts(term: str) -> set[str]:
    return {term, *term.split()}


def test_fillers_script_and_names_are_never_keywords_or_terms(analysed):
    seen_en, seen_ko = set(), set()
    for cid, a in analysed.items():
        seen = seen_ko if cid.startswith("ko") else seen_en
        for k in a.keywords:
            seen |= _parts(k.keyword) | _parts(k.display.lower())
        for u in a.utterances:
            for t in u.terms:
                seen |= _parts(t)
    assert seen_en and seen_ko
    assert not (seen_en & EN_NEVER), sorted(seen_en & EN_NEVER)
    assert not (seen_ko & KO_NEVER), sorted(seen_ko & KO_NEVER)


def test_calls_get_their_topic_as_top_keywords(analysed):
    top = {cid: [k.keyword for k in a.keywords if k.speaker == "all"][:5] for cid, a in analysed.items()}
    assert (
        "refund" in top["call_billing_double_charge"] or "double charge" in top["call_billing_double_charge"]
    )
    assert {"outage", "router", "internet"} & set(top["call_internet_outage"])
    assert "위약금" in top["ko-call"][:3]
    assert "요금제" in {k.keyword for k in analysed["ko-call"].keywords}


def test_keywords_have_ranks_display_forms_and_speakers(analysed):
    a = analysed["call_billing_double_charge"]
    for speaker in ("all", "agent", "customer"):
        mine = [k for k in a.keywords if k.speaker == speaker]
        assert [k.rank for k in mine] == list(range(1, len(mine) + 1))
        assert all(x.score >= y.score for x, y in zip(mine, mine[1:], strict=False))
        assert 0 < len(mine) <= Config().keywords.top_k
    phrases = [k for k in a.keywords if " " in k.keyword]
    assert phrases, "multi-word keywords are included"
    assert all(k.display for k in a.keywords)


def test_keywords_do_not_depend_on_the_rest_of_the_batch():
    """A nightly run of one conversation ranks it exactly like a large backfill does."""
    everything = sample_transcripts()
    alone = analyze(
        [t for t in sample_transcripts() if t.conversation.conversation_id == "call_internet_outage"],
        Config(),
    )
    together = {a.conversation.conversation_id: a for a in analyze(everything, Config())}
    assert [(k.keyword, k.score) for k in alone[0].keywords] == [
        (k.keyword, k.score) for k in together["call_internet_outage"].keywords
    ]


def test_english_lemmas_keep_data_and_phrases():
    en = get_pipeline("en")
    (doc,) = en.process(["The data plan ran out and my data usage was wrong."])
    norms = {c.norm for c in doc.candidates}
    assert "data" in norms and "datum" not in norms
    assert "data plan" in norms and "data usage" in norms


def test_agent_names_in_greetings_are_dropped_in_both_languages():
    en, ko = get_pipeline("en"), get_pipeline("ko")
    (doc,) = en.process(["Hi, my name is Olivia, and this is about the Zephyr router."])
    norms = {c.norm for c in doc.candidates}
    assert "olivia" not in norms and "zephyr router" in norms
    (doc,) = ko.process(["상담원 박서준입니다. 공유기 교체 도와드리겠습니다."])
    assert "박서준" not in {c.norm for c in doc.candidates}
    assert "공유기" in {c.norm for c in doc.candidates}


def test_user_dictionary_ignores_names_and_keeps_terms(tmp_path):
    d = tmp_path / "dict.yaml"
    d.write_text(
        "en:\n  terms: [loyalty points]\n  ignore: [acme]\nko:\n  terms: [결합할인]\n  ignore: [아크미]\n"
    )
    cfg = Config(dictionary=str(d))
    none = Config(dictionary=None)
    en_text = "Acme took my loyalty points away after the upgrade."
    ko_text = "아크미 결합할인 적용이 안 됐어요"
    for c, expect_brand in ((none, True), (cfg, False)):
        (a_en, a_ko) = analyze([text_transcript("e", en_text, "en"), text_transcript("k", ko_text, "ko")], c)
        en_kw = {k.keyword for k in a_en.keywords}
        ko_kw = {k.keyword for k in a_ko.keywords}
        assert ("acme" in en_kw) is expect_brand, en_kw
        assert any("아크미" in k.replace(" ", "") for k in ko_kw) is expect_brand, ko_kw
    assert "loyalty point" in en_kw
    assert "결합할인" in ko_kw


def test_user_dictionary_errors_name_the_file(tmp_path):
    with pytest.raises(ConfigError, match="dictionary"):
        load_dictionary(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("en:\n  terms: early termination fee\n")
    with pytest.raises(ConfigError, match="en.terms"):
        load_dictionary(bad)
    shipped = load_dictionary("configs/dictionary.yaml")
    assert "위약금" in shipped.get("ko").terms and "northstar" in shipped.get("en").ignore


def test_hyphenated_words_stay_whole_but_fillers_do_not():
    (a,) = analyze(
        [text_transcript("h", "Uh-huh, mm-hmm. The wi-fi drops and the x-ray of my e-mail bill.", "en")],
        Config(),
    )
    terms = set(a.utterances[0].terms)
    keywords = {k.keyword for k in a.keywords}
    assert {"wi-fi", "x-ray", "e-mail bill"} <= keywords
    assert not {"wi", "fi", "ray", "uh-huh", "mm-hmm", "uh", "huh"} & (terms | keywords)


def test_learned_collocations_become_keywords_and_terms():
    """Collocations gensim Phrases learned on the stored corpus (vocmine.mining.load_collocations) are kept
    whole where they occur, like dictionary terms; names on the ignore list stay out even if learned."""
    text = "The app keeps logging out, North Star please fix it."
    (plain,) = analyze([text_transcript("c", text, "en")], Config())
    (learned,) = analyze([text_transcript("c", text, "en")], Config(), {"en": ["log out", "north star"]})
    assert "log out" not in {k.keyword for k in plain.keywords} | set(plain.utterances[0].terms)
    assert "log out" in {k.keyword for k in learned.keywords} and "log out" in learned.utterances[0].terms
    assert "north star" not in {k.keyword for k in learned.keywords} | set(learned.utterances[0].terms)
