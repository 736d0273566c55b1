"""Korean: Kiwi morphological analysis (kiwipiepy + kiwipiepy-model, offline)."""

from __future__ import annotations

from vocmine.lang import register
from vocmine.lang.base import Candidate, LangDoc, LangToken, load_wordlist
from vocmine.lang.dictionary import LangDictionary
from vocmine.redact import PLACEHOLDERS

# Domain nouns Kiwi would otherwise split (요금+제) or mis-tag; the user dictionary (configs/) extends this.
DOMAIN_NOUNS = (
    "요금제",
    "위약금",
    "약정",
    "해지",
    "상담원",
    "환불",
    "청구",
    "미납",
    "부가서비스",
    "공유기",
    "번호이동",
)

_NOUN_TAGS = {"NNG": "NOUN", "NNP": "PROPN", "SL": "PROPN", "XR": "NOUN"}
_PRED_TAGS = {"VV": "VERB", "VA": "ADJ", "VV-I": "VERB", "VA-I": "ADJ", "VV-R": "VERB", "VA-R": "ADJ"}
_PLACEHOLDER_WORDS = frozenset(p.strip("[]").lower() for p in PLACEHOLDERS.values())
# "상담원 김민지입니다", "담당자 박서준입니다": the name after a staff title is a person, never a keyword
_TITLES = frozenset({"상담원", "상담사", "담당자", "매니저", "팀장"})


class KoreanPipeline:
    code = "ko"

    def __init__(self) -> None:
        from kiwipiepy import Kiwi

        self.kiwi = Kiwi()
        self.added: set[str] = set()
        for word in DOMAIN_NOUNS:
            self._add(word)
        self.base_stop = load_wordlist("stopwords_ko.txt")
        self.set_dictionary(LangDictionary())

    def _add(self, word: str, tag: str = "NNG") -> None:
        if word not in self.added:
            self.kiwi.add_user_word(word, tag, 0.0)
            self.added.add(word)

    def set_dictionary(self, d: LangDictionary) -> None:
        """Apply a user dictionary: its nouns become single morphemes, its ignore list stop words."""
        self.dictionary = d
        for term in d.terms:
            if " " not in term:
                self._add(term)
        for name in d.ignore:
            if " " not in name:
                self._add(name, "NNP")  # kept whole (노스스타, not 노스 + 스타), then ignored
        self.stop = self.base_stop | d.ignore

    def _tokens(self, text: str, morphs) -> LangDoc:
        tokens: list[LangToken] = []
        prev_end = -1
        in_name = False  # inside a staff member's name (Kiwi may split 박서준 into 박 + 서 + 준)
        for m in morphs:
            tag = m.tag
            glue = (
                tag in ("NNG", "NNP", "XSN")
                and tokens
                and tokens[-1].pos in ("NOUN", "PROPN")
                and m.start == prev_end
                and tokens[-1].text.isalpha()
                and not tokens[-1].text.isascii()
            )
            if glue:
                # a noun (or noun suffix) written right after a noun is one compound: 요금 + 제 -> 요금제
                last = tokens[-1]
                form = last.text + m.form
                tokens[-1] = LangToken(form, form, last.pos, in_name or form in self.stop, last.start)
                prev_end = m.start + m.len
                continue
            elif tag in _NOUN_TAGS:
                form = m.form.lower() if tag == "SL" else m.form
                stop = (
                    form in self.stop
                    or form.replace(" ", "") in self.stop  # Kiwi may give a user word as "노스 스타"
                    or (tag != "SL" and len(form) < 2)
                    or form in _PLACEHOLDER_WORDS
                )
                in_name = tag == "NNP" and bool(tokens) and tokens[-1].text in _TITLES
                stop = stop or in_name  # a staff member's name
                tokens.append(LangToken(m.form, form, _NOUN_TAGS[tag], stop, m.start))
            elif tag in _PRED_TAGS:
                lemma = m.form + "다"
                tokens.append(LangToken(m.form, lemma, _PRED_TAGS[tag], lemma in self.stop, m.start))
            elif tag == "MAG" and m.form in ("안", "못"):
                tokens.append(LangToken(m.form, m.form, "NEG", True, m.start))
            elif tag == "VX" and m.form in ("않", "못하"):
                tokens.append(LangToken(m.form, m.form + "다", "NEG", True, m.start))
            elif tag == "EC" and m.form in ("지만", "는데", "은데"):
                tokens.append(LangToken(m.form, m.form, "CONTRAST", True, m.start))
            else:
                tokens.append(LangToken(m.form, m.form, "OTHER", True, m.start))
            prev_end = m.start + m.len
        candidates, phrases = self._candidates(tokens)
        return LangDoc(tokens, phrases, candidates, len(text))

    @staticmethod
    def _candidates(tokens: list[LangToken]) -> tuple[list[Candidate], list[tuple[str, str]]]:
        """Content nouns, and runs of nouns written as separate words (인터넷 속도, 해지 위약금)."""
        out: list[Candidate] = []
        run: list[LangToken] = []

        def flush() -> None:
            if len(run) > 1:
                out.append(Candidate(" ".join(t.lemma for t in run[-4:]), " ".join(t.text for t in run[-4:]),
                                     run[-4:][0].start, len(run[-4:])))  # fmt: skip
            run.clear()

        for t in tokens:
            if t.pos in ("NOUN", "PROPN") and not t.is_stop:
                run.append(t)
                out.append(Candidate(t.lemma, t.text, t.start, 1))
            else:
                flush()
        flush()
        out.sort(key=lambda c: (c.start, -c.n_words))
        return out, list(dict.fromkeys((c.norm, c.display) for c in out if c.n_words > 1))

    def process(self, texts: list[str]) -> list[LangDoc]:
        # Kiwi tokenises an iterable of texts in one call (batched, multithreaded inside).
        return [
            self._tokens(text, morphs) for text, morphs in zip(texts, self.kiwi.tokenize(texts), strict=True)
        ]


@register("ko")
def _factory() -> KoreanPipeline:
    return KoreanPipeline()
