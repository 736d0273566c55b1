"""Sentiment backends, chosen by name per language, behind one interface.

- `vader` (English): VADER's rule-based scorer with contact-centre expressions added to its lexicon
  ("on hold", "charged twice", "outage" are negative here, whatever a general lexicon says).
- `ko-lexicon` (Korean): a small morpheme-keyed lexicon over Kiwi tokens, with negation (안/못/-지 않다)
  and contrast (-지만: the clause after it counts more).

Scores are in -1..1; labels use a neutral band from config.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from typing import Protocol

from vocmine.lang.base import LangDoc

# Domain phrases rewritten to single lexicon tokens before VADER sees them; VADER works on words.
_EN_PHRASES = {
    r"\bon hold\b": "onhold",
    r"\bcharged (?:me )?twice\b": "doublecharged",
    r"\bdouble[- ]charged\b": "doublecharged",
    r"\bnot working\b": "broken",
    r"\bdoesn'?t work\b": "broken",
    r"\bstill (?:not|no)\b": "stillnot",
    r"\bearly termination fee\b": "terminationfee",
}
_EN_LEXICON = {
    "onhold": -1.6,
    "doublecharged": -2.2,
    "broken": -1.8,
    "stillnot": -1.2,
    "terminationfee": -1.0,
    "outage": -1.8,
    "outages": -1.8,
    "overcharged": -2.2,
    "refund": -0.6,
    "cancel": -0.8,
    "cancelled": -0.9,
    "canceled": -0.9,
    "escalate": -1.0,
    "disconnected": -1.4,
    "dropped": -1.0,
    "late": -1.0,
    "delayed": -1.2,
    "waiting": -0.6,
    "locked": -1.0,
    "resolved": 1.8,
    "fixed": 1.6,
    "quick": 1.2,
    "quickly": 1.2,
    "helpful": 2.0,
    "sorted": 1.2,
}


class SentimentBackend(Protocol):
    name: str

    def score(self, texts: Sequence[str], docs: Sequence[LangDoc]) -> list[float]: ...


class VaderBackend:
    name = "vader"

    def __init__(self) -> None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self.analyzer = SentimentIntensityAnalyzer()
        self.analyzer.lexicon.update(_EN_LEXICON)
        self._phrases = [(re.compile(p, re.IGNORECASE), r) for p, r in _EN_PHRASES.items()]

    def score(self, texts: Sequence[str], docs: Sequence[LangDoc]) -> list[float]:
        out = []
        for text in texts:
            for rx, repl in self._phrases:
                text = rx.sub(repl, text)
            out.append(float(self.analyzer.polarity_scores(text)["compound"]))
        return out


_KO_LEXICON = {
    # positive
    "친절": 2.0, "감사": 1.2, "감사하다": 1.2, "만족": 2.0, "빠르다": 1.5, "좋다": 1.8, "해결": 1.5, "편하다": 1.2,
    "편리": 1.2, "최고": 2.5, "훌륭하다": 2.2, "신속": 1.5, "추천": 1.5, "정확하다": 1.0, "감동": 2.2,
    "다행": 1.2, "고맙다": 1.5, "괜찮다": 0.8, "상냥하다": 1.8, "깔끔하다": 1.2, "칭찬": 1.8,
    # negative
    "불만": -2.0, "불친절": -2.2, "짜증": -2.2, "화나다": -2.2, "늦다": -1.2, "느리다": -1.5, "끊기다": -1.8,
    "장애": -1.8, "불편": -1.6, "불편하다": -1.6, "실망": -2.0, "최악": -3.0, "이중": -1.0, "오류": -1.5,
    "지연": -1.5, "위약금": -1.0, "해지": -0.8, "문제": -1.0, "답답하다": -1.8, "황당하다": -2.0,
    "어이없다": -2.2, "비싸다": -1.4, "안되다": -1.5, "고장": -1.8, "기다리다": -0.6, "대기": -0.6,
    "환불": -0.6, "항의": -1.5, "불량": -1.8, "싫다": -1.8, "나쁘다": -1.8, "엉망": -2.5, "손해": -1.5,
}  # fmt: skip


class KoreanLexiconBackend:
    name = "ko-lexicon"

    def __init__(self, lexicon: dict[str, float] | None = None) -> None:
        self.lexicon = dict(_KO_LEXICON if lexicon is None else lexicon)

    def _score_doc(self, doc: LangDoc) -> float:
        total = 0.0
        weight = 1.0
        toks = doc.tokens
        for i, t in enumerate(toks):
            if t.pos == "CONTRAST":
                total *= 0.5  # "좋지만 ..." : what comes after the contrast dominates
                weight = 1.5
                continue
            value = self.lexicon.get(t.lemma)
            if value is None:
                continue
            # 안/못 right before, or -지 않다 / 못하다 right after (skipping one ending), negates
            before = toks[i - 1] if i > 0 else None
            after = [x for x in toks[i + 1 : i + 4] if x.pos == "NEG"]
            if (before is not None and before.pos == "NEG") or after:
                value = -0.7 * value
            total += weight * value
        return total / math.sqrt(total * total + 15.0) if total else 0.0

    def score(self, texts: Sequence[str], docs: Sequence[LangDoc]) -> list[float]:
        return [self._score_doc(d) for d in docs]


_BACKENDS: dict[str, Callable[[], SentimentBackend]] = {
    "vader": VaderBackend,
    "ko-lexicon": KoreanLexiconBackend,
}
DEFAULT_BACKEND = {"en": "vader", "ko": "ko-lexicon"}
_LOADED: dict[str, SentimentBackend] = {}


def register_backend(name: str, factory: Callable[[], SentimentBackend]) -> None:
    _BACKENDS[name] = factory


def get_backend(language: str) -> SentimentBackend:
    name = DEFAULT_BACKEND.get(language, "vader")
    if name not in _LOADED:
        _LOADED[name] = _BACKENDS[name]()
    return _LOADED[name]


def label(score: float, neutral_band: float = 0.05) -> str:
    if score >= neutral_band:
        return "positive"
    if score <= -neutral_band:
        return "negative"
    return "neutral"
