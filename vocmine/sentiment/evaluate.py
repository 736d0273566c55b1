"""Measuring sentiment backends on labelled utterances (tests/data/sentiment_*.tsv): macro-F1 over 3 labels."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

LABELS = ("negative", "neutral", "positive")


@dataclass
class LabelledUtterance:
    label: str
    speaker: str
    tags: str
    text: str


def load_labelled(path: str | Path) -> list[LabelledUtterance]:
    """Rows of a tab-separated file with the header `label, speaker, tags, text`."""
    p = Path(path)
    with p.open(encoding="utf-8", newline="") as f:
        rows = [LabelledUtterance(**r) for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)]
    for i, r in enumerate(rows, start=2):
        if r.label not in LABELS or not r.text.strip():
            raise ValueError(f"{p}:{i}: label must be one of {LABELS} and text non-empty, got {r.label!r}")
    return rows


def macro_f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    """Unweighted mean of the per-label F1 over negative, neutral and positive."""
    scores = []
    for c in LABELS:
        tp = sum(g == c and p == c for g, p in zip(gold, pred, strict=True))
        fp = sum(g != c and p == c for g, p in zip(gold, pred, strict=True))
        fn = sum(g == c and p != c for g, p in zip(gold, pred, strict=True))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores)


def evaluate(backend, rows: Sequence[LabelledUtterance], neutral_band: float = 0.05) -> float:
    """Macro-F1 of a backend's labels (score -> label with the neutral band) against the gold labels."""
    from vocmine.sentiment import label

    scores = backend.score([r.text for r in rows], None)
    return macro_f1([r.label for r in rows], [label(s, neutral_band) for s in scores])
