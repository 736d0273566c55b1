#!/usr/bin/env python3
"""Regenerate the bundled vocmine sample data from ``scripts.py``.

    python data/samples/generate.py            # regenerate everything
    python data/samples/generate.py --check    # only verify the existing audio

Requires ``espeak-ng`` and ``sox`` on PATH, plus numpy and PyAV (``av``) for
the mp3 / m4a (AAC) / ogg (Opus) encodes.  Output is deterministic for a given
espeak-ng / sox / FFmpeg version (gaps come from a seeded RNG, containers are
written with the ``bitexact`` flag).

Audio layout: stereo, agent on the LEFT channel, customer on the RIGHT
channel; while one party talks the other channel is digital silence.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import shutil
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.dont_write_bytecode = True  # keep data/samples free of __pycache__
sys.path.insert(0, str(HERE))
import scripts  # noqa: E402

CALLS_DIR = HERE / "inbox" / "calls"
FEEDBACK_DIR = HERE / "inbox" / "feedback"
REFERENCE_DIR = HERE / "reference"

MANIFEST_FIELDS = [
    "file",
    "call_id",
    "started_at",
    "agent_id",
    "queue",
    "customer_id",
    "language",
    "campaign",
]
SIDECAR_FIELDS = ["call_id", "started_at", "agent_id", "queue", "customer_id", "language"]
FEEDBACK_FIELDS = ["id", "text", "started_at", "channel", "language", "agent_id", "queue", "customer_id"]

LEAD_S = 0.5  # silence before the first turn
TAIL_S = 0.6  # silence after the last turn
GAP_S = (0.3, 0.8)  # silence between turns
PEAK = 0.7  # per-turn peak normalisation (fraction of full scale)

# PyAV encodes: format -> (container format, codec, bit rate)
PYAV_CODECS = {
    "mp3": ("mp3", "libmp3lame", 32_000),
    "m4a": ("mp4", "aac", 40_000),
    "ogg": ("ogg", "libopus", 32_000),
}


def run(cmd: list[str]) -> None:
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def read_wav_mono(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path), "rb") as w:
        assert w.getnchannels() == 1 and w.getsampwidth() == 2, path
        sr = w.getframerate()
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    return data.astype(np.float32) / 32768.0, sr


def write_wav_stereo(path: Path, stereo: np.ndarray, sr: int) -> None:
    pcm = np.clip(np.round(stereo * 32767.0), -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(sr)
        w.writeframes(pcm.tobytes())  # interleaved L R L R ...


def trim_silence(x: np.ndarray, sr: int, thresh: float = 1e-3) -> np.ndarray:
    idx = np.flatnonzero(np.abs(x) > thresh)
    if idx.size == 0:
        return x
    pad = int(0.05 * sr)
    return x[max(0, idx[0] - pad) : idx[-1] + pad]


def synth_turn(text: str, voice: str, rate: int, sr: int, tmp: Path, telephone: bool) -> np.ndarray:
    """espeak-ng -> 22.05 kHz mono wav -> sox (resample, telephone band) -> float32 mono."""
    raw = tmp / "turn_raw.wav"
    out = tmp / "turn.wav"
    run(["espeak-ng", "-v", voice, "-s", str(rate), "-w", str(raw), text])
    effects = ["rate", "-v", str(sr)]
    if telephone:
        # crude telephone channel: 300-3400 Hz band-pass before the 8 kHz resample
        effects = ["highpass", "300", "lowpass", "3400"] + effects
    run(["sox", "-D", str(raw), "-b", "16", "-c", "1", str(out)] + effects)
    x, got_sr = read_wav_mono(out)
    assert got_sr == sr
    x = trim_silence(x, sr)
    peak = float(np.max(np.abs(x))) or 1.0
    return x * (PEAK / peak)


def build_call(call: dict, tmp: Path) -> tuple[np.ndarray, int, list[dict]]:
    """Return (stereo float32 [n, 2], sample rate, turn timing list)."""
    sr = call["sample_rate"]
    telephone = sr == 8000
    rng = random.Random("vocmine:" + call["stem"])
    chunks: list[np.ndarray] = [np.zeros((int(LEAD_S * sr), 2), np.float32)]
    t = LEAD_S
    timings = []
    for i, (speaker, text) in enumerate(call["turns"]):
        if i:
            gap = rng.uniform(*GAP_S)
            chunks.append(np.zeros((int(round(gap * sr)), 2), np.float32))
            t += int(round(gap * sr)) / sr
        mono = synth_turn(text, call["voices"][speaker], call["rate"][speaker], sr, tmp, telephone)
        st = np.zeros((mono.size, 2), np.float32)
        st[:, 0 if speaker == "agent" else 1] = mono
        chunks.append(st)
        timings.append({"speaker": speaker, "start": round(t, 3), "end": round(t + mono.size / sr, 3)})
        t += mono.size / sr
    chunks.append(np.zeros((int(TAIL_S * sr), 2), np.float32))
    return np.concatenate(chunks), sr, timings


def encode_pyav(wav_path: Path, out_path: Path, fmt: str) -> None:
    import av

    container_fmt, codec, bit_rate = PYAV_CODECS[fmt]
    with wave.open(str(wav_path), "rb") as w:
        sr = w.getframerate()
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    with av.open(str(out_path), "w", format=container_fmt, options={"fflags": "+bitexact"}) as out:
        stream = out.add_stream(codec, rate=sr)
        stream.layout = "stereo"
        stream.bit_rate = bit_rate
        stream.codec_context.flags |= int(av.codec.context.Flags.bitexact)
        block = 4096
        frames = pcm.reshape(-1, 2)
        pts = 0
        for start in range(0, len(frames), block):
            part = np.ascontiguousarray(frames[start : start + block]).reshape(1, -1)
            frame = av.AudioFrame.from_ndarray(part, format="s16", layout="stereo")
            frame.sample_rate = sr
            frame.pts = pts
            pts += part.shape[1] // 2
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


def write_audio(call: dict, stereo: np.ndarray, sr: int, tmp: Path) -> Path:
    fmt = call["format"]
    out = CALLS_DIR / f"{call['stem']}.{fmt}"
    wav = tmp / "call.wav"
    write_wav_stereo(wav, stereo, sr)
    if fmt == "wav":
        if call.get("encoding", "pcm16") == "u-law":
            run(["sox", "-D", str(wav), "-e", "u-law", "-b", "8", str(out)])
        else:
            shutil.copyfile(wav, out)
    elif fmt == "flac":
        run(["sox", "-D", str(wav), "-C", "8", str(out)])
    elif fmt in PYAV_CODECS:
        encode_pyav(wav, out, fmt)
    else:
        raise ValueError(fmt)
    return out


def probe(path: Path) -> dict:
    """Decode fully with PyAV; return format, sample rate, channels, duration, per-channel energy."""
    import av

    with av.open(str(path)) as c:
        s = c.streams.audio[0]
        codec = s.codec_context.name
        chunks = []
        rate = None
        for frame in c.decode(s):
            rate = frame.sample_rate
            arr = frame.to_ndarray()
            arr = arr.T if frame.format.is_planar else arr.reshape(-1, len(frame.layout.channels))
            chunks.append(arr.astype(np.float64))
        data = np.concatenate(chunks)
        channels = data.shape[1]
        fmt = c.format.name
    return {
        "file": path.name,
        "container": fmt,
        "codec": codec,
        "decoded_sr": rate,
        "channels": channels,
        "duration": data.shape[0] / rate,
        "rms_l": float(np.sqrt(np.mean(data[:, 0] ** 2))),
        "rms_r": float(np.sqrt(np.mean(data[:, 1] ** 2))) if channels > 1 else 0.0,
    }


def verify(expected: dict[str, float] | None = None) -> bool:
    ok = True
    print(
        f"{'file':34} {'format':6} {'codec':10} {'src_sr':>6} {'dec_sr':>6} {'ch':>3} {'dur_s':>7} {'size_kB':>8}"
    )
    for call in scripts.CALLS:
        path = CALLS_DIR / f"{call['stem']}.{call['format']}"
        p = probe(path)
        flag = ""
        if p["decoded_sr"] not in (
            call["sample_rate"],
            48000 if call["format"] == "ogg" else call["sample_rate"],
        ):
            flag += " BAD-RATE"
        if min(p["rms_l"], p["rms_r"]) < 1e-3:
            flag += " SILENT-CHANNEL"
        if p["channels"] != 2:
            flag += " BAD-CHANNELS"
        if expected is not None:
            exp = expected[call["stem"]]
            if abs(p["duration"] - exp) > 0.15:
                flag += f" BAD-DURATION(expected {exp:.2f})"
        if not (20 <= p["duration"] <= 90):
            flag += " OUT-OF-RANGE"
        ok &= not flag
        print(
            f"{p['file']:34} {call['format']:6} {p['codec']:10} {call['sample_rate']:>6} {p['decoded_sr']:>6} {p['channels']:>3} "
            f"{p['duration']:7.2f} {path.stat().st_size / 1024:8.1f}{flag}"
        )
    return ok


# ---------------------------------------------------------------------------
# metadata / text
# ---------------------------------------------------------------------------


def write_call_metadata() -> None:
    rows = []
    for call in scripts.CALLS:
        fname = f"{call['stem']}.{call['format']}"
        if call.get("sidecar"):
            side = {k: call["meta"][k] for k in SIDECAR_FIELDS}
            (CALLS_DIR / f"{call['stem']}.json").write_text(
                json.dumps(side, indent=2) + "\n", encoding="utf-8"
            )
        else:
            rows.append({"file": fname, **{k: call["meta"].get(k, "") for k in MANIFEST_FIELDS[1:]}})
    with open(CALLS_DIR / "manifest.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=MANIFEST_FIELDS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)

    ref = {}
    for call in scripts.CALLS:
        ref[call["meta"]["call_id"]] = {
            "file": f"{call['stem']}.{call['format']}",
            "turns": [{"speaker": s, "text": t} for s, t in call["turns"]],
        }
    REFERENCE_DIR.mkdir(parents=True, exist_ok=True)
    (REFERENCE_DIR / "transcripts.json").write_text(
        json.dumps(ref, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


AGENTS_EN = {
    "billing": ["AG-101", "AG-109"],
    "tech_support": ["AG-102", "AG-104", "AG-105"],
    "retention": ["AG-107", "AG-110"],
    "sales": ["AG-108"],
    "orders": ["AG-103"],
    "accounts": ["AG-106"],
}
AGENTS_KO = {
    "billing": ["AG-201", "AG-202"],
    "tech_support": ["AG-203", "AG-204"],
    "retention": ["AG-205"],
    "sales": ["AG-206"],
    "orders": ["AG-207"],
    "accounts": ["AG-208"],
}
WEEK_START = dt.date(2026, 11, 16)  # Monday; calls are on the 16th, 17th and 19th


def _timestamps(rng: random.Random, n: int, tz: dt.timezone) -> list[str]:
    out = []
    for _ in range(n):
        day = WEEK_START + dt.timedelta(days=rng.randrange(7))
        secs = rng.randrange(8 * 3600, 21 * 3600)
        t = dt.datetime.combine(day, dt.time(), tzinfo=tz) + dt.timedelta(seconds=secs)
        out.append(t.isoformat())
    return sorted(out)


def _feedback_records(items, lang: str, agents: dict, tz: dt.timezone, cust_base: int) -> list[dict]:
    rng = random.Random(f"vocmine:feedback:{lang}")
    order = list(range(len(items)))
    rng.shuffle(order)  # interleave themes over the week
    stamps = _timestamps(rng, len(items), tz)
    customers = rng.sample(range(cust_base, cust_base + 9000), len(items))
    records = []
    for n, (idx, ts, cust) in enumerate(zip(order, stamps, customers, strict=False), start=1):
        item = items[idx]
        if lang == "en":
            channel, queue, nps, text = item
        else:
            (channel, queue, text), nps = item, None
        rec = {
            "id": f"FB-{lang.upper()}-{n:04d}",
            "text": text,
            "started_at": ts,
            "channel": channel,
            "language": lang,
            "agent_id": rng.choice(agents[queue]),
            "queue": queue,
            "customer_id": f"CUST-{cust}",
        }
        if nps is not None:
            rec["nps"] = nps
        records.append(rec)
    return records


def write_feedback() -> None:
    FEEDBACK_DIR.mkdir(parents=True, exist_ok=True)
    en = _feedback_records(scripts.FEEDBACK_EN, "en", AGENTS_EN, dt.timezone(dt.timedelta(hours=-5)), 30000)
    with open(FEEDBACK_DIR / "feedback_en.jsonl", "w", encoding="utf-8", newline="\n") as f:
        for rec in en:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    ko = _feedback_records(scripts.FEEDBACK_KO, "ko", AGENTS_KO, dt.timezone(dt.timedelta(hours=9)), 50000)
    with open(FEEDBACK_DIR / "feedback_ko.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=FEEDBACK_FIELDS, lineterminator="\n")
        w.writeheader()
        w.writerows(ko)
    print(f"feedback: {len(en)} en items, {len(ko)} ko items")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only verify existing audio files")
    ap.add_argument("--only", nargs="*", help="regenerate only these call stems")
    args = ap.parse_args()
    if args.check:
        return 0 if verify() else 1

    for tool in ("espeak-ng", "sox"):
        if not shutil.which(tool):
            sys.exit(f"{tool} not found on PATH (apt-get install espeak-ng sox)")
    CALLS_DIR.mkdir(parents=True, exist_ok=True)
    expected = {}
    timings = {}
    with tempfile.TemporaryDirectory() as td:
        tmp = Path(td)
        for call in scripts.CALLS:
            stereo, sr, tim = build_call(call, tmp)
            expected[call["stem"]] = stereo.shape[0] / sr
            timings[call["stem"]] = tim
            if args.only and call["stem"] not in args.only:
                continue
            out = write_audio(call, stereo, sr, tmp)
            print(f"wrote {out.relative_to(HERE)} ({stereo.shape[0] / sr:.2f} s @ {sr} Hz)")
    write_call_metadata()
    write_feedback()
    ok = verify(expected)
    total = sum(p.stat().st_size for p in HERE.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    print(f"total size of data/samples: {total / 1024:.0f} kB")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
