"""Peak memory of transcribing a long call: a 5-minute and a 60-minute call in the same run.

    python bench/bench_memory.py [--minutes 5 20 60] [--baseline]

Each call is a synthetic stereo 8 kHz WAV: a 12 s excerpt of a sample call (agent left, customer right) every
five minutes, and a faint line-noise floor (about -60 dBFS) everywhere else, so voice activity detection runs
over the whole hour (no digital-silence shortcut). Every measurement runs in its own child process and
reports that process's peak resident set size (ru_maxrss), model load included.

- `windowed`: vocmine's `transcribe_conversation` (decode and transcribe in `asr.window_s` windows);
- `whole` (with --baseline): the old way, whole-file arrays (`load_channels` + one faster-whisper call per
  channel), for comparison on the longest call.

Target: memory is bounded by one window, not by the call: once a call is longer than a window (600 s), a 60-minute
call needs about as much as a 20-minute one (ratio close to 1), and well under whole-file decoding.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RATE = 8000


def make_call(path: Path, minutes: int) -> Path:
    from vocmine.audio import load_channels

    left, right = load_channels(ROOT / "data/samples/inbox/calls/call_internet_outage.mp3")
    n = 16000 * 12
    speech = np.stack([left[:n:2], right[:n:2]], axis=1)
    rng = np.random.default_rng(0)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(RATE)
        for minute in range(minutes):
            block = rng.normal(0, 0.001, size=(RATE * 60, 2))
            if minute % 5 == 0:
                block[: len(speech)] += speech
            w.writeframes((np.clip(block, -1, 1) * 32767).astype("<i2").tobytes())
    return path


def child(mode: str, path: str) -> None:
    from vocmine.config import ASRConfig, ChannelsConfig
    from vocmine.records import Conversation

    t0 = time.perf_counter()
    if mode == "windowed":
        from vocmine.transcribe import transcribe_conversation

        conv = Conversation(Path(path).name, "audio", "phone", path, "x")
        tr = transcribe_conversation(conv, ASRConfig(), ChannelsConfig())
        n_utt = len(tr.utterances)
    else:
        from vocmine.audio import load_channels
        from vocmine.transcribe import get_model

        handle = get_model(ASRConfig())
        n_utt = 0
        for audio in load_channels(path):
            segments, _ = handle.model.transcribe(
                audio, language="en", beam_size=5, vad_filter=True, word_timestamps=True,
                condition_on_previous_text=False,
            )  # fmt: skip
            n_utt += len(list(segments))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"peak_mb": peak_mb, "seconds": time.perf_counter() - t0, "utterances": n_utt}))


def measure(mode: str, path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(path)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=int, nargs="+", default=[5, 20, 60])
    ap.add_argument("--baseline", action="store_true", help="also measure whole-file decoding on the longest")
    ap.add_argument("--child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        results = {}
        for minutes in args.minutes:
            path = make_call(Path(tmp) / f"call_{minutes}min.wav", minutes)
            results[minutes] = measure("windowed", path)
            r = results[minutes]
            print(f"windowed {minutes:3d} min: peak RSS {r['peak_mb']:7.1f} MB, {r['seconds']:6.1f} s, "
                  f"{r['utterances']} utterances", flush=True)  # fmt: skip
        lo, hi = min(args.minutes), max(args.minutes)
        for m in sorted(args.minutes)[1:]:
            print(f"peak RSS ratio {m} min / {lo} min (windowed): {results[m]['peak_mb'] / results[lo]['peak_mb']:.2f}"
                  f"  (audio length ratio {m / lo:.0f})")  # fmt: skip
        if args.baseline:
            path = Path(tmp) / f"call_{hi}min.wav"
            whole = measure("whole", path)
            print(f"whole-file {hi:3d} min: peak RSS {whole['peak_mb']:7.1f} MB, {whole['seconds']:6.1f} s")
            print(f"whole-file / windowed at {hi} min: {whole['peak_mb'] / results[hi]['peak_mb']:.2f}")


if __name__ == "__main__":
    main()
