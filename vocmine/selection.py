"""Which discovered conversations a re-process run covers: by day, queue or file.

Plain logic over `Conversation` records, so the Prefect deployment, the CLI and tests all choose the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from fnmatch import fnmatchcase
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, model_validator

from vocmine.records import Conversation


class Selection(BaseModel):
    """Conversations to re-run. Empty criteria select everything; given criteria must all match."""

    model_config = ConfigDict(extra="forbid")

    date_from: date | None = Field(
        None, description="First day (inclusive) of the conversations, in the configured time zone."
    )
    date_to: date | None = Field(None, description="Last day (inclusive).")
    queues: list[str] = Field(default_factory=list, description="Only these queues (e.g. billing).")
    files: list[str] = Field(
        default_factory=list,
        description="Conversation ids, or file paths relative to the inbox; glob patterns allowed "
        "(calls/*.wav, feedback/*.jsonl, * for everything).",
    )

    @model_validator(mode="after")
    def _ordered(self) -> Selection:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError(f"date_from {self.date_from} is after date_to {self.date_to}; swap them")
        return self

    def is_empty(self) -> bool:
        return not (self.date_from or self.date_to or self.queues or self.files)


def conversation_day(conv: Conversation, tz: str, stored_day: date | None = None) -> date | None:
    """The day a conversation belongs to: its start time in `tz`, else the day it was stored under."""
    if conv.started_at is not None:
        return conv.started_at.astimezone(ZoneInfo(tz)).date()
    return stored_day


def _relative_file(conv: Conversation, root: Path) -> str:
    path = Path(conv.source_uri.split("#", 1)[0])
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def select(
    convs: list[Conversation],
    selection: Selection,
    *,
    inbox: str | Path,
    tz: str,
    stored_days: Mapping[str, date | None] | None = None,
) -> list[Conversation]:
    """The conversations that match every given criterion of `selection`, in their original order."""
    if selection.is_empty():
        return list(convs)
    root = Path(inbox).resolve()
    stored_days = stored_days or {}
    queues = {q.casefold() for q in selection.queues}
    out = []
    for conv in convs:
        if selection.date_from or selection.date_to:
            day = conversation_day(conv, tz, stored_days.get(conv.conversation_id))
            if day is None:
                continue
            if selection.date_from and day < selection.date_from:
                continue
            if selection.date_to and day > selection.date_to:
                continue
        if queues and (conv.queue or "").casefold() not in queues:
            continue
        if selection.files:
            rel = _relative_file(conv, root)
            names = (conv.conversation_id, rel, Path(rel).name)
            if not any(fnmatchcase(n, pat) for pat in selection.files for n in names):
                continue
        out.append(conv)
    return out
