"""Recall and precision of the redactor on a generated evaluation set (English and Korean, written and spoken,
with look-alikes that must stay: order and tracking numbers, dates, amounts, times, versions).

    python bench/bench_redaction.py [--n 60] [--seed 7] [--write set.jsonl] [--show 10]

Targets (issue 6): recall >= 0.99 and precision >= 0.95, overall and for every entity.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vocmine.redact import ALL_ENTITIES  # noqa: E402
from vocmine.redact_eval import generate, load_jsonl, score  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=60, help="examples per (entity, style, language)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--write", type=Path, help="also write the generated set as JSONL")
    ap.add_argument("--show", type=int, default=10, help="print this many misses and false alarms")
    args = ap.parse_args()
    examples = generate(args.n, args.seed)
    if args.write:
        with args.write.open("w", encoding="utf-8") as f:
            for ex in examples:
                f.write(json.dumps(ex.__dict__, ensure_ascii=False) + "\n")
    s = score(examples, ALL_ENTITIES)
    kinds = Counter(ex.kind.split("/")[0] for ex in examples)
    print(f"{len(examples)} examples: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    print(f"{'entity':10s} {'gold':>6s} {'found':>6s} {'false+':>6s} {'recall':>7s} {'precision':>9s}")
    for e in ALL_ENTITIES:
        gold = s.tp[e] + s.fn[e]
        print(f"{e:10s} {gold:6d} {s.tp[e]:6d} {s.fp[e]:6d} {s.recall(e):7.3f} {s.precision(e):9.3f}")
    gold = sum(s.tp.values()) + sum(s.fn.values())
    print(f"{'overall':10s} {gold:6d} {sum(s.tp.values()):6d} {sum(s.fp.values()):6d} "
          f"{s.recall():7.3f} {s.precision():9.3f}")  # fmt: skip
    show(s, args.show)
    ok = s.recall() >= 0.99 and s.precision() >= 0.95
    ok = ok and all(s.recall(e) >= 0.99 and s.precision(e) >= 0.95 for e in ALL_ENTITIES)
    print("targets (recall >= 0.99, precision >= 0.95):", "met" if ok else "NOT met")
    # hand-written sets by people who had not seen the redactor (tests/data/pii_blind_*.jsonl; docs/reliability.md)
    for path in sorted((ROOT / "tests" / "data").glob("pii_blind_*.jsonl")):
        b = score(load_jsonl(path), ALL_ENTITIES)
        n = sum(b.tp.values()) + sum(b.fn.values())
        print(f"{path.name}: {n} values, recall {b.recall():.3f}, precision {b.precision():.3f}, "
              f"{sum(b.fp.values())} false alarms")  # fmt: skip
        show(b, args.show)
    return 0 if ok else 1


def show(s, n: int) -> None:
    for kind, text in s.misses[:n]:
        print(f"  miss [{kind}] {text}")
    for kind, text in s.false_alarms[:n]:
        print(f"  false alarm [{kind}] {text}")


if __name__ == "__main__":
    raise SystemExit(main())
