"""The interface every language pipeline implements."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from typing import Protocol


@dataclass
class LangToken:
    text: str
    lemma: str  # normalised form: lowercase lemma (English), morpheme / dictionary form (Korean)
    pos: str  # universal-ish tag: NOUN, PROPN, VERB, ADJ, ADV, NEG, OTHER
    is_stop: bool
    start: int  # character offset in the text


@dataclass
class Candidate:
    """A keyword candidate: a content noun or a noun phrase, where it starts in the text."""

    norm: str  # lemma form, words joined by one space
    display: str  # surface form as written
    start: int  # character offset of the first word
    n_words: int


@dataclass
class LangDoc:
    tokens: list[LangToken]
    phrases: list[tuple[str, str]] = field(default_factory=list)  # (normalised, display) multi-word terms
    candidates: list[Candidate] = field(default_factory=list)  # keyword candidates, in text order
    length: int = 0  # characters in the text (for relative positions)

    def content_terms(self) -> list[tuple[str, str]]:
        """(normalised, display) content words and phrases, in order, with stop words and fillers removed."""
        out = [(t.lemma, t.text) for t in self.tokens if not t.is_stop and t.pos in CONTENT_POS]
        return out + list(self.phrases)


CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ"})
KEYWORD_POS = frozenset({"NOUN", "PROPN"})


class LanguagePipeline(Protocol):
    code: str

    def process(self, texts: list[str]) -> list[LangDoc]:
        """Analyse a batch of texts (batched internally; never one model call per token)."""
        ...


def load_wordlist(name: str) -> frozenset[str]:
    text = resources.files("vocmine.resources").joinpath(name).read_text(encoding="utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )
