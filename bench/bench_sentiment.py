"""Sentiment quality on contact-centre utterances: the default backends against their baselines, in one run.

    python bench/bench_sentiment.py [--band 0.05]

English: `en-lexicon` (default) vs plain VADER (compound score). Korean: `ko-lexicon` (default) vs `ko-count`
(positive minus negative lexicon hits over Kiwi morphemes, no negation, contrast or scripts). Every backend maps
scores to labels with the same neutral band (VADER's customary 0.05, which is also vocmine's default).

Sets (tests/data/, written for this project): `dev` was used while writing the rules; `heldout` was written at
the same time and not looked at while tuning. `blind` was written later by someone who had never seen the
rules (150 English, 90 Korean); every second row from the second on (`blind-seen`) was then read to find
classes of errors, the others (`blind-unseen`) never were: `blind-unseen` is the most honest figure here. Macro-F1 over
negative/neutral/positive.

Target (issue 4): default >= baseline + 0.10 macro-F1 in each language.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vocmine.config import SentimentConfig  # noqa: E402
from vocmine.sentiment import get_backend  # noqa: E402
from vocmine.sentiment.evaluate import evaluate, load_labelled  # noqa: E402

PAIRS = {"en": ("en-lexicon", "vader"), "ko": ("ko-lexicon", "ko-count")}


def load_split(lang: str, split: str):
    name, _, half = split.partition("-")
    rows = load_labelled(ROOT / "tests" / "data" / f"sentiment_{name}_{lang}.tsv")
    if half:  # seen: the 2nd, 4th, 6th... labelled row; unseen: the 1st, 3rd, 5th...
        rows = rows[1 if half == "seen" else 0 :: 2]
    return rows


def backend(lang: str, name: str):
    return get_backend(lang, SentimentConfig(backend={lang: name}))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--band", type=float, default=0.05, help="neutral band for every backend")
    args = ap.parse_args()
    print(
        f"{'lang':4} {'set':12} {'n':>4}  {'default':>12} {'F1':>6}  {'baseline':>9} {'F1':>6}  {'gain':>6}  target"
    )
    ok = True
    for lang, (ours, base) in PAIRS.items():
        for split in ("dev", "heldout", "blind-seen", "blind-unseen"):
            rows = load_split(lang, split)
            t0 = time.perf_counter()
            f_ours = evaluate(backend(lang, ours), rows, args.band)
            f_base = evaluate(backend(lang, base), rows, args.band)
            gain = f_ours - f_base
            ok &= gain >= 0.10
            print(
                f"{lang:4} {split:12} {len(rows):4}  {ours:>12} {f_ours:6.3f}  {base:>9} {f_base:6.3f}  "
                f"{gain:+6.3f}  {'met' if gain >= 0.10 else 'MISSED'}   ({time.perf_counter() - t0:.1f}s)"
            )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
