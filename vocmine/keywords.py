"""Keyword ranking: the one scorer used by the pipeline and measured by bench/bench_keywords.py.

Candidates come from the language pipeline (nouns and noun phrases, lemma form). Each is scored by

    score = tf^TF_EXP * specificity * (1 + POS_BONUS / (1 + POS_DECAY * first_position)) * length_factor

- tf: how often the candidate occurs in the document (a phrase's words also count for the single words);
- specificity: how rare the words are in general language. It comes from a fixed background table
  (`wordfreq`, many billions of words of general text per language), so a keyword's score never depends on
  which other conversations happened to be in the same batch, and a nightly run of five calls ranks the same
  way as a backfill of fifty thousand. Words absent from the table (product codes, jargon) count as rare;
- first_position: where the candidate first appears, 0..1 (people say what they came for early);
- length_factor: multi-word phrases are more specific than their head noun.

The constants below were tuned on the SemEval2017 train/dev documents only (see bench/bench_keywords.py).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from vocmine.lang.base import Candidate, LangDoc

TF_EXP = 0.3
POS_BONUS = 1.0
POS_DECAY = 2.0
LENGTH_BONUS = 0.6  # per extra word, capped at 3 extra words
MAX_ZIPF = 8.0  # wordfreq Zipf scale: 8 = "the"; 0 = never seen


@lru_cache(maxsize=8)
def _frequencies(lang: str) -> dict[str, float]:
    """wordfreq's table for a language (read from the installed package, never downloaded); looked up
    directly, without wordfreq's tokeniser (which needs MeCab for Korean)."""
    from wordfreq import available_languages, get_frequency_dict

    return get_frequency_dict(lang) if lang in available_languages() else {}


@lru_cache(maxsize=200_000)
def specificity(word: str, lang: str) -> float:
    """How rare a word is in general language, 0 (very common) .. MAX_ZIPF (unknown)."""
    freq = _frequencies(lang).get(word.lower())
    if not freq:
        return (
            MAX_ZIPF - 1.0
        )  # unseen in billions of words: jargon, codes, compounds (a little below the rarest)
    return max(0.0, MAX_ZIPF - (math.log10(freq) + 9.0))


@dataclass
class Ranked:
    norm: str
    display: str
    score: float
    count: int


def phrase_specificity(norm: str, lang: str) -> float:
    words = [w for part in norm.split() for w in part.split("-")] if lang == "en" else norm.split()
    return sum(specificity(w, lang) for w in words) / max(len(words), 1)


def rank(
    docs: Sequence[LangDoc] | Iterable[LangDoc], lang: str, top_k: int = 10, max_words: int = 4
) -> list[Ranked]:
    """Rank the candidates of one document, given as the LangDocs of its parts in order (utterances)."""
    docs = list(docs)
    total = sum(max(d.length, 1) for d in docs)
    offset = 0
    count: Counter = Counter()
    first: dict[str, float] = {}
    n_words: dict[str, int] = {}
    surfaces: dict[str, Counter] = defaultdict(Counter)
    for d in docs:
        for c in d.candidates:
            if c.n_words > max_words:
                continue
            count[c.norm] += 1
            first.setdefault(c.norm, (offset + c.start) / total)
            n_words[c.norm] = c.n_words
            surfaces[c.norm][_display(c)] += 1
        offset += max(d.length, 1)
    scored = []
    for norm, tf in count.items():
        pos = 1.0 + POS_BONUS / (1.0 + POS_DECAY * first[norm])
        length = 1.0 + LENGTH_BONUS * min(n_words[norm] - 1, 3)
        s = (tf**TF_EXP) * phrase_specificity(norm, lang) * pos * length
        scored.append((s, norm))
    scored.sort(key=lambda x: (-x[0], x[1]))
    return [
        Ranked(norm, surfaces[norm].most_common(1)[0][0], round(s, 4), count[norm])
        for s, norm in scored[:top_k]
    ]


def _display(c: Candidate) -> str:
    d = " ".join(c.display.split())
    # keep acronyms and proper names as written; lowercase ordinary words so "Refund"/"refund" merge
    return d if any(w.isupper() and len(w) > 1 for w in d.split()) else d.lower() if d.isascii() else d
