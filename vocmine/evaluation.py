"""Word error rate, for checking transcription against reference scripts (tests and benchmarks)."""

from __future__ import annotations

import re
import unicodedata

_NUMBERS = {
    "0": "zero", "1": "one", "2": "two", "3": "three", "4": "four", "5": "five", "6": "six", "7": "seven",
    "8": "eight", "9": "nine",
}  # fmt: skip


def normalise(text: str) -> list[str]:
    """Lowercase, drop punctuation, spell single digits, so '5, 5' and 'five five' compare equal."""
    text = unicodedata.normalize("NFKC", text).lower().replace("'", "")
    text = re.sub(r"(?<=\d)(?=\d)", " ", text)  # 555 -> 5 5 5
    text = re.sub(r"[^\w\s]", " ", text)
    return [_NUMBERS.get(w, w) for w in text.split()]


def edit_distance(ref: list[str], hyp: list[str]) -> int:
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, start=1):
        cur = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, start=1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r != h))
        prev = cur
    return prev[-1]


def word_error_rate(references: list[str], hypotheses: list[str]) -> float:
    """Corpus WER: total word edits over total reference words."""
    edits = words = 0
    for ref, hyp in zip(references, hypotheses, strict=True):
        r, h = normalise(ref), normalise(hyp)
        edits += edit_distance(r, h)
        words += len(r)
    return edits / words if words else 0.0
