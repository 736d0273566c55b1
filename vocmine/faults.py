"""Named fault points, so crash tests can stop a real `vocmine run` at an exact place instead of guessing
with timers.

Off unless the environment says otherwise. `VOCMINE_FAULT=<point>[@<n>][:<action>]` fires at the n-th time
(default 1st) the process reaches `<point>`:

- action `kill` (default): the process sends itself SIGKILL, exactly what an OOM killer or `kill -9` does;
- action `pause`: the process stops there (holding whatever it holds) until someone kills it.

Before acting it writes the point name to the file `VOCMINE_FAULT_FILE` (when set), so a test knows the
process has arrived. Points: `transcribe` (a call is decoded and about to be transcribed) and `write` (a
batch's rows are inserted but not yet committed).
"""

from __future__ import annotations

import os
import signal
import time
from collections import Counter

POINTS = ("transcribe", "write")
_seen: Counter = Counter()


def _spec() -> tuple[str, int, str] | None:
    raw = os.environ.get("VOCMINE_FAULT", "").strip()
    if not raw:
        return None
    action = "kill"
    if ":" in raw:
        raw, action = raw.split(":", 1)
    nth = 1
    if "@" in raw:
        raw, n = raw.split("@", 1)
        nth = int(n)
    return raw, nth, action


def fault_point(name: str) -> None:
    """Fire the configured fault if this is the chosen point and occurrence; otherwise do nothing."""
    spec = _spec()
    if spec is None or spec[0] != name:
        return
    _seen[name] += 1
    if _seen[name] != spec[1]:
        return
    marker = os.environ.get("VOCMINE_FAULT_FILE")
    if marker:
        with open(marker, "w", encoding="utf-8") as f:
            f.write(f"{name} {os.getpid()}\n")
    if spec[2] == "pause":
        while True:  # until killed from outside
            time.sleep(0.2)
    os.kill(os.getpid(), signal.SIGKILL)
