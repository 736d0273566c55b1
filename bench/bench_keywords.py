"""Keyword quality on SemEval2017 (scientific abstracts, author+reader keyphrases): vocmine vs YAKE.

    .venv/bin/python bench/bench_keywords.py [PATH/TO/SemEval2017.zip] [--split test|train|all]

Both methods run in this one process over the same documents. Matching is exact after lowercasing,
splitting into word tokens and Porter-stemming each token (so "Langevin processes" = "langevin process"),
top 10 predictions per document; precision, recall and F1 are averaged over documents (macro).

The archive has no official split, so documents are split deterministically by a hash of their id: one in
five is `test`, the rest `train`. vocmine's scoring constants (vocmine/keywords.py) were chosen on `train`
only; the figure to report is `--split test` (the default). The vocmine side is the production English
path: EnglishPipeline.process (spaCy) + vocmine.keywords.rank, exactly what the analysis stage runs.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "SemEval2017.zip"
TOP = 10


def load(path: Path) -> list[tuple[str, str, list[str]]]:
    """(doc_id, text, gold keyphrases) read straight from the zip (never unpacked into the repo)."""
    if not path.is_file():
        sys.exit(f"error: {path}: SemEval2017 archive not found; pass its path as the first argument.")
    out = []
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        for name in sorted(names):
            m = re.fullmatch(r"(.*)/docsutf8/([^/]+)\.txt", name)
            if not m:
                continue
            key = f"{m.group(1)}/keys/{m.group(2)}.key"
            if key not in names:
                continue
            text = z.read(name).decode("utf-8")
            gold = [k.strip() for k in z.read(key).decode("utf-8").splitlines() if k.strip()]
            out.append((m.group(2), text, gold))
    if not out:
        sys.exit(f"error: {path}: no docsutf8/*.txt with keys/*.key inside; is this the SemEval2017 archive?")
    return out


def split_of(doc_id: str) -> str:
    return "test" if int(hashlib.sha1(doc_id.encode()).hexdigest(), 16) % 5 == 0 else "train"


def make_norm():
    from nltk.stem.porter import PorterStemmer

    stem = PorterStemmer().stem

    def norm(phrase: str) -> str:
        return " ".join(stem(w) for w in re.findall(r"\w+", phrase.lower()))

    return norm


def evaluate(preds: list[list[str]], golds: list[list[str]], norm) -> tuple[float, float, float]:
    ps, rs, fs = [], [], []
    for pred, gold in zip(preds, golds, strict=True):
        g = {norm(k) for k in gold} - {""}
        p = list(dict.fromkeys(x for x in (norm(k) for k in pred) if x))[:TOP]
        hit = sum(1 for x in p if x in g)
        prec = hit / len(p) if p else 0.0
        rec = hit / len(g) if g else 0.0
        ps.append(prec)
        rs.append(rec)
        fs.append(2 * prec * rec / (prec + rec) if hit else 0.0)
    n = len(fs)
    return sum(ps) / n, sum(rs) / n, sum(fs) / n


def vocmine_keywords(texts: list[str]) -> list[list[str]]:
    from vocmine.config import Config
    from vocmine.keywords import rank
    from vocmine.lang import get_pipeline

    pipe = get_pipeline("en")
    max_words = Config().keywords.max_ngram  # the shipped default
    return [[r.display for r in rank([doc], "en", TOP, max_words)] for doc in pipe.process(texts)]


def yake_keywords(texts: list[str]) -> list[list[str]]:
    import yake

    kx = yake.KeywordExtractor(lan="en", n=3)  # YAKE's defaults otherwise
    return [[kw for kw, _score in kx.extract_keywords(t)][:TOP] for t in texts]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "data", nargs="?", type=Path, default=DEFAULT, help=f"SemEval2017.zip (default {DEFAULT})"
    )
    ap.add_argument("--split", choices=["test", "train", "all"], default="test")
    args = ap.parse_args()
    docs = [d for d in load(args.data) if args.split == "all" or split_of(d[0]) == args.split]
    texts, golds = [d[1] for d in docs], [d[2] for d in docs]
    norm = make_norm()
    print(f"SemEval2017 {args.split} split: {len(docs)} documents, {sum(map(len, golds))} gold keyphrases")
    results = {}
    for name, fn in (("yake (n=3)", yake_keywords), ("vocmine", vocmine_keywords)):
        t0 = time.perf_counter()
        preds = fn(texts)
        dt = time.perf_counter() - t0
        results[name] = evaluate(preds, golds, norm)
        p, r, f = results[name]
        print(f"{name:12s} P@10 {p:.4f}  R@10 {r:.4f}  F1@10 {f:.4f}   ({dt:.1f} s)")
    base, ours = results["yake (n=3)"][2], results["vocmine"][2]
    rel = (ours - base) / base if base else float("inf")
    print(f"relative F1@10 gain over YAKE: {rel:+.1%} (target >= +25%)")


if __name__ == "__main__":
    main()
