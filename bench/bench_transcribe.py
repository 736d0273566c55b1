"""Pipeline overhead around ASR: bare faster-whisper vs the vocmine flow, same files, same settings, one run.

    python bench/bench_transcribe.py [--input DIR] [--rounds 2] [--model tiny.en]

Bare faster-whisper decodes each recording with `decode_audio(split_stereo=True)` and transcribes both
channels with the settings vocmine uses (beam 5, VAD, word timestamps, int8 on CPU). The pipeline is the
real Prefect flow (ingest, hashing, transcription, redaction, NLP, sentiment, keywords, DuckDB writes,
co-occurrence) into a fresh DuckDB file. Both include one model load. The Prefect server is started before
timing (a nightly deployment has one running), with the transcription concurrency limit `make serve` creates;
its start-up is printed separately. Rounds alternate the two
so that machine noise hits both; the best round of each is compared.

Target (DESIGN.md): pipeline within 10% of bare faster-whisper, i.e. ratio <= 1.10.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

from vocmine.audio import AUDIO_EXTENSIONS  # noqa: E402
from vocmine.evaluation import word_error_rate  # noqa: E402


def bare_faster_whisper(files: list[Path], model_name: str) -> tuple[float, float, dict[str, list[str]]]:
    from faster_whisper import WhisperModel, decode_audio

    from vocmine.asr_models import resolve_model

    t0 = time.perf_counter()
    model = WhisperModel(resolve_model(model_name), device="cpu", compute_type="int8")
    audio_s = 0.0
    texts: dict[str, list[str]] = {}
    for f in files:
        left, right = decode_audio(str(f), split_stereo=True)
        audio_s += len(left) / 16000
        for audio in (left, right):
            segments, _ = model.transcribe(
                audio, language="en", beam_size=5, vad_filter=True, word_timestamps=True,
                condition_on_previous_text=False,
            )  # fmt: skip
            texts.setdefault(f.name, []).append(" ".join(s.text.strip() for s in segments))
    return time.perf_counter() - t0, audio_s, texts


def pipeline(inbox: Path, db: Path, model_name: str) -> float:
    from pipelines.flows import process_inputs
    from vocmine import transcribe

    transcribe._MODELS.clear()  # load the model inside the timed run, as the bare baseline does
    cfg = db.parent / "bench.yaml"
    cfg.write_text(f"asr:\n  model: {model_name}\n  device: cpu\n")
    t0 = time.perf_counter()
    summary = process_inputs(input_dir=str(inbox), db=str(db), config_path=str(cfg))
    elapsed = time.perf_counter() - t0
    assert summary["failed"] == 0 and summary["new"] > 0, summary
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--input", type=Path, default=ROOT / "data" / "samples" / "inbox" / "calls")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--model", default="tiny.en")
    args = ap.parse_args()

    files = sorted(p for p in args.input.iterdir() if p.suffix.lower() in AUDIO_EXTENSIONS)
    from prefect.testing.utilities import prefect_test_harness

    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, prefect_test_harness(server_startup_timeout=180):
        startup = time.perf_counter() - t0
        from pipelines.deployments import apply_transcribe_limit
        from vocmine.config import Config

        apply_transcribe_limit(Config())  # the server-wide transcription limit, as `make serve` creates it
        inbox = Path(tmp) / "calls"
        inbox.mkdir()
        for f in args.input.iterdir():  # calls plus their manifest/sidecars, no text feedback
            shutil.copy2(f, inbox / f.name)
        bare_times, pipe_times = [], []
        audio_s = 0.0
        for r in range(args.rounds):
            b, audio_s, _ = bare_faster_whisper(files, args.model)
            p = pipeline(inbox, Path(tmp) / f"round{r}.duckdb", args.model)
            bare_times.append(b)
            pipe_times.append(p)
            print(f"round {r + 1}: bare {b:.2f}s  pipeline {p:.2f}s  ratio {p / b:.3f}", flush=True)
    bare, pipe = min(bare_times), min(pipe_times)
    print(f"\nfiles: {len(files)} stereo calls, {audio_s / 60:.1f} min audio, model {args.model}, CPU int8")
    print(f"prefect server start-up (once per process, not in the ratio): {startup:.1f}s")
    print(f"bare faster-whisper : {bare:.2f}s  (RTF {bare / audio_s:.3f})")
    print(f"vocmine pipeline    : {pipe:.2f}s  (RTF {pipe / audio_s:.3f})")
    print(f"ratio pipeline/bare : {pipe / bare:.3f}  (target <= 1.10)")

    refs_path = ROOT / "data" / "samples" / "reference" / "transcripts.json"
    if args.input == ROOT / "data" / "samples" / "inbox" / "calls" and refs_path.exists():
        import json

        refs = json.loads(refs_path.read_text(encoding="utf-8"))
        _, _, texts = bare_faster_whisper(files, args.model)
        r_all, h_all = [], []
        for ref in refs.values():
            for i, side in enumerate(("agent", "customer")):
                r_all.append(" ".join(t["text"] for t in ref["turns"] if t["speaker"] == side))
                h_all.append(texts[ref["file"]][i])
        print(f"corpus WER of bare {args.model} on the bundled calls: {word_error_rate(r_all, h_all):.3f}")


if __name__ == "__main__":
    main()
