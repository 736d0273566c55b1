"""Discover inputs under a directory and turn them into `Conversation` records.

Inputs (see docs/input-formats.md):
- audio files (wav, mp3, flac, m4a, ogg/opus, ...), one conversation each;
- text feedback, JSONL or CSV, one conversation per line/row (`id` and `text` required);
- call metadata: a manifest CSV with a `file` column, and/or a same-stem JSON sidecar next to an audio file.

A bad file or row never stops discovery: it becomes a `Conversation` with status 'failed' and an error that
names the file (and line) and says what to fix.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from vocmine.audio import AUDIO_EXTENSIONS, probe
from vocmine.errors import InputError
from vocmine.records import Conversation
from vocmine.redact import ALL_ENTITIES, install_log_redaction, pseudonymise, scrub, scrub_json

log = logging.getLogger(__name__)

KNOWN_FIELDS = ("started_at", "channel", "language", "agent_id", "queue", "customer_id")
MANIFEST_KEY_COLUMNS = ("file", "file_name", "filename", "path")


@dataclass
class IngestResult:
    conversations: list[Conversation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[Conversation]:
        return [c for c in self.conversations if c.status == "failed"]


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def parse_timestamp(value: Any, tz: str = "UTC") -> datetime | None:
    """ISO 8601 (date or date-time); a naive value is read in the configured time zone."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        dt = value
    else:
        text = str(value).strip()
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        try:
            dt = datetime.fromisoformat(text)
        except ValueError as exc:
            raise InputError(
                f"started_at {value!r} is not an ISO 8601 timestamp; write it like 2026-11-16T09:30:00+09:00"
            ) from exc
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=ZoneInfo(tz))
    return dt


def normalise_language(code: str) -> str:
    """'ko-KR', 'KO', 'en_US' -> 'ko', 'ko', 'en': pipelines are chosen by the primary language subtag."""
    return code.strip().replace("_", "-").split("-")[0].lower()


def detect_text_language(text: str, default: str = "en") -> str:
    """Hangul share decides Korean; anything else falls back to the configured default."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return default
    hangul = sum(1 for ch in letters if "\uac00" <= ch <= "\ud7a3" or "\u3131" <= ch <= "\u318e")
    if hangul / len(letters) > 0.3:
        return "ko"
    return "en" if default == "ko" and hangul == 0 else default


def _clean(v: Any) -> Any:
    if isinstance(v, str):
        v = v.strip()
        return v or None
    return v


def _apply_fields(conv: Conversation, row: dict[str, Any], tz: str, where: str) -> None:
    """Copy the known optional fields of a row onto a conversation; the rest goes to metadata."""
    for key, value in row.items():
        value = _clean(value)
        if value is None:
            continue
        if key == "started_at":
            try:
                conv.started_at = parse_timestamp(value, tz)
            except InputError as exc:
                raise InputError(f"{where}: {exc}") from exc
        elif key == "language":
            conv.language = normalise_language(str(value))
        elif key in ("channel", "agent_id", "queue", "customer_id"):
            setattr(conv, key, str(value))
        elif key in ("id", "text", "call_id", *MANIFEST_KEY_COLUMNS):
            continue
        else:
            conv.metadata[key] = value


def _read_table(path: Path) -> tuple[list[dict[str, Any]], list[tuple[int, str]]]:
    """Rows of a JSONL or CSV file, plus (line, problem) for rows that could not be read."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: not UTF-8 (byte {exc.start}). Re-save the file as UTF-8, e.g. "
            f"`iconv -f cp949 -t utf-8 {path.name} > fixed.{path.suffix.lstrip('.')}`."
        ) from exc
    rows: list[dict[str, Any]] = []
    bad: list[tuple[int, str]] = []
    if path.suffix.lower() == ".jsonl":
        for lineno, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                bad.append((lineno, f"not valid JSON ({exc.msg})"))
                continue
            if not isinstance(obj, dict):
                bad.append((lineno, "expected a JSON object per line"))
                continue
            obj = {str(k).strip().lower(): v for k, v in obj.items()}
            obj["__line__"] = lineno
            rows.append(obj)
    else:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        if reader.fieldnames:  # header names are matched case-insensitively ("File", "Call_ID")
            reader.fieldnames = [h.strip().lower() for h in reader.fieldnames]
        for row in reader:
            lineno = reader.line_num
            if None in row:  # more cells than header columns
                bad.append(
                    (lineno, f"{len(row) - 1 + len(row[None])} cells but the header has {len(row) - 1}")
                )
                continue
            row = dict(row)
            row["__line__"] = lineno
            rows.append(row)
    return rows, bad


def _is_manifest(path: Path) -> bool:
    if path.suffix.lower() != ".csv":
        return False
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as f:
        header = next(csv.reader(f), [])
    cols = {h.strip().lower() for h in header}
    return bool(cols & set(MANIFEST_KEY_COLUMNS)) and "text" not in cols


def _load_manifests(paths: list[Path], result: IngestResult) -> dict[str, dict[str, Any]]:
    """Manifest rows keyed by file name (and relative path as written)."""
    by_name: dict[str, dict[str, Any]] = {}
    for path in paths:
        try:
            rows, bad = _read_table(path)
        except InputError as exc:
            result.warnings.append(str(exc))
            continue
        for lineno, problem in bad:
            result.warnings.append(f"{path}:{lineno}: manifest row skipped: {problem}")
        for row in rows:
            key = next((row[k] for k in MANIFEST_KEY_COLUMNS if _clean(row.get(k))), None)
            if key is None:
                result.warnings.append(f"{path}:{row['__line__']}: manifest row has no file name; skipped")
                continue
            key = str(key).strip().replace("\\", "/")
            row = {k: v for k, v in row.items() if k != "__line__"}
            row["__manifest__"] = str(path)
            by_name[key] = row
            by_name.setdefault(Path(key).name, row)
    return by_name


def _audio_conversation(path: Path, root: Path, meta: dict[str, Any] | None, tz: str) -> Conversation:
    rel = path.relative_to(root).as_posix()
    conv = Conversation(
        conversation_id=rel,
        source="audio",
        channel="phone",
        source_uri=str(path.resolve()),
        content_sha256="",
    )
    try:
        if path.stat().st_size == 0:
            raise InputError(
                f"{path}: file is empty (0 bytes). Re-export the recording; it will be picked up next run."
            )
        conv.audio_sha256 = conv.content_sha256 = sha256_file(path)
        sidecar = path.with_suffix(".json")
        merged: dict[str, Any] = {}
        if sidecar.is_file():
            try:
                side = json.loads(sidecar.read_text(encoding="utf-8"))
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise InputError(
                    f"{sidecar}: sidecar is not valid UTF-8 JSON ({exc}). Fix or remove it."
                ) from exc
            if not isinstance(side, dict):
                raise InputError(f"{sidecar}: sidecar must be a JSON object of call fields.")
            merged.update(side)
        if meta:
            merged.update({k: v for k, v in meta.items() if k != "__manifest__" and _clean(v) is not None})
        if merged:  # a metadata-only edit (manifest row, sidecar) changes the content hash too: reprocessed
            canonical = json.dumps(merged, sort_keys=True, ensure_ascii=False, default=str)
            conv.content_sha256 = hashlib.sha256(f"{conv.audio_sha256}\n{canonical}".encode()).hexdigest()
        if _clean(merged.get("call_id")):
            conv.conversation_id = str(merged["call_id"]).strip()
        where = str(meta.get("__manifest__")) if meta else str(sidecar)
        _apply_fields(conv, merged, tz, where)
        info = probe(path)
        conv.duration_s = info.duration_s
        conv.metadata.setdefault("audio", {}).update(
            {"sample_rate": info.sample_rate, "channels": info.channels, "codec": info.codec}
        )
    except InputError as exc:
        conv.status, conv.error = "failed", str(exc)
    return conv


def _unreadable_row(path: Path, root: Path, lineno: int, line: str, error: str) -> Conversation:
    """A row that cannot become an item is still a failed row, so `vocmine status` shows it; it is retired
    once the file no longer has a bad row at that line."""
    return Conversation(
        conversation_id=f"{path.relative_to(root).as_posix()}:{lineno}",
        source="text",
        channel="text",
        source_uri=f"{path.resolve()}#L{lineno}",
        content_sha256=hashlib.sha256(line.encode()).hexdigest(),
        status="failed",
        error=error,
        metadata={"unreadable_row": lineno},
    )


def _text_conversations(
    path: Path, root: Path, cfg_default_language: str, tz: str, result: IngestResult
) -> None:
    try:
        rows, bad = _read_table(path)
    except InputError as exc:
        result.warnings.append(str(exc))
        result.conversations.append(
            Conversation(
                conversation_id=path.name,
                source="text",
                channel="text",
                source_uri=str(path.resolve()),
                content_sha256=sha256_file(path),
                status="failed",
                error=str(exc),
            )
        )
        return
    for lineno, problem in bad:
        msg = f"{path}:{lineno}: row skipped: {problem}. Fix the row; it is read next run."
        result.warnings.append(msg)
        result.conversations.append(_unreadable_row(path, root, lineno, problem, msg))
    for row in rows:
        lineno = row.pop("__line__")
        where = f"{path}:{lineno}"
        cid, text = _clean(row.get("id")), _clean(row.get("text"))
        if cid is None or text is None:
            missing = " and ".join(k for k, v in (("id", cid), ("text", text)) if v is None)
            msg = f"{where}: row skipped: missing required field {missing}. Add it; the row is read next run."
            result.warnings.append(msg)
            canonical = json.dumps(row, sort_keys=True, ensure_ascii=False, default=str)
            result.conversations.append(_unreadable_row(path, root, lineno, canonical, msg))
            continue
        canonical = json.dumps(row, sort_keys=True, ensure_ascii=False, default=str)
        conv = Conversation(
            conversation_id=str(cid),
            source="text",
            channel="text",
            source_uri=f"{path.resolve()}#{cid}",
            content_sha256=hashlib.sha256(canonical.encode()).hexdigest(),
            text=str(text),
        )
        try:
            _apply_fields(conv, row, tz, where)
        except InputError as exc:
            conv.status, conv.error = "failed", str(exc)
        if conv.language is None:
            conv.language = detect_text_language(conv.text or "", cfg_default_language)
        result.conversations.append(conv)


def _protect(conv: Conversation, entities: Sequence[str]) -> None:
    """Personal data in identifiers and metadata never reaches the store or the logs: ids keep a stable
    pseudonym (so re-runs still match them), free-form metadata gets plain placeholders."""
    if not entities:
        return
    raw_id = conv.conversation_id
    conv.conversation_id = pseudonymise(raw_id, entities) or raw_id
    conv.customer_id = pseudonymise(conv.customer_id, entities)
    conv.agent_id = pseudonymise(conv.agent_id, entities)
    conv.queue = scrub(conv.queue, entities)
    conv.metadata = scrub_json(conv.metadata, entities)
    if conv.source == "text":  # for audio, source_uri is the file to decode; the store scrubs it
        conv.source_uri = scrub(conv.source_uri.replace(f"#{raw_id}", f"#{conv.conversation_id}"), entities)
    if conv.error:
        conv.error = scrub(conv.error, entities)


def discover(
    root: str | Path,
    *,
    default_language: str = "en",
    timezone: str = "UTC",
    roots: Sequence[str] = (),
    redact_entities: Sequence[str] = ALL_ENTITIES,
) -> IngestResult:
    """Walk `root` recursively and return one Conversation per recording or text item.

    `roots`: when given, files that resolve (through symlinks too) outside every root are skipped with a
    warning. `redact_entities`: personal data redacted from ids and metadata (empty = none)."""
    install_log_redaction()
    root = Path(root)
    if not root.exists():
        raise InputError(
            f"{root}: input directory does not exist. Pass the folder that holds recordings/feedback."
        )
    result = IngestResult()
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    if root.is_file():
        root = root.parent
    # hidden files and folders (.git, .Trash, editor backups) are never inputs, manifests included
    files = [p for p in files if not any(part.startswith(".") for part in p.relative_to(root).parts)]
    if roots:
        inside = [p for p in files if any(p.resolve().is_relative_to(r) for r in roots)]
        for p in sorted(set(files) - set(inside)):
            result.warnings.append(
                f"{p}: skipped: it resolves to {p.resolve()}, outside the configured input_roots. Move it under "
                "an input root or add its folder to input_roots."
            )
        files = inside
    manifests = [p for p in files if _is_manifest(p)]
    meta = _load_manifests(manifests, result)
    seen: dict[str, str] = {}
    used: set[int] = set()
    for path in files:
        suffix = path.suffix.lower()
        before = len(result.conversations)
        if suffix in AUDIO_EXTENSIONS:
            rel = path.relative_to(root).as_posix()
            row = meta.get(rel) or meta.get(path.name)
            if row is not None:
                used.add(id(row))
            result.conversations.append(_audio_conversation(path, root, row, timezone))
        elif suffix in (".jsonl", ".csv") and path not in manifests:
            _text_conversations(path, root, default_language, timezone, result)
        elif suffix == ".json" or path in manifests:
            continue  # sidecars and manifests are read with their audio
        else:
            result.warnings.append(f"{path}: ignored (unknown extension {suffix or '(none)'}).")
            continue
        kept = result.conversations[:before]
        for conv in result.conversations[before:]:
            _protect(conv, redact_entities)
            if conv.conversation_id in seen:
                result.warnings.append(
                    f"{conv.source_uri}: duplicate conversation id {conv.conversation_id!r} (first seen in "
                    f"{seen[conv.conversation_id]}); skipped. Give each item a unique id."
                )
                continue
            seen[conv.conversation_id] = conv.source_uri
            kept.append(conv)
        result.conversations = kept
    unmatched = {id(r): r for r in meta.values() if id(r) not in used}
    for row in unmatched.values():
        name = next((row[k] for k in MANIFEST_KEY_COLUMNS if _clean(row.get(k))), "?")
        result.warnings.append(
            f"{row['__manifest__']}: row for {name!r} matches no recording under {root}; check the file name."
        )
    for w in result.warnings:
        log.warning(w)
    return result
