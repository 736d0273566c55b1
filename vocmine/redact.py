"""Personal-data redaction, applied before anything is analysed or stored.

Numbers in calls arrive written ("4111 1111 1111 1111", "555-213-4478") or, from speech recognition, spoken
("four one one one ..."). Both are found: spoken digit runs are read as digits first. Card numbers must pass
the Luhn check so that order numbers of the same length stay. Each entity is replaced by a typed placeholder
such as `[CARD]`, and the original value is never returned.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vocmine.records import Word

PLACEHOLDERS = {
    "card": "[CARD]",
    "phone": "[PHONE]",
    "email": "[EMAIL]",
    "ssn": "[SSN]",
    "rrn": "[RRN]",
    "account": "[ACCOUNT]",
}

_DIGIT_WORDS = {
    "zero": "0", "oh": "0", "o": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
    "six": "6", "seven": "7", "eight": "8", "nine": "9",
    "공": "0", "영": "0", "일": "1", "이": "2", "삼": "3", "사": "4", "오": "5", "육": "6", "칠": "7", "팔": "8", "구": "9",
}  # fmt: skip
_EN_DIGIT = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|\d)"
_SPOKEN_RUN = re.compile(
    rf"\b(?:(?:double|triple)\s+)?{_EN_DIGIT}\b(?:[\s,.\-]+(?:(?:double|triple)\s+)?{_EN_DIGIT}\b){{6,}}",
    re.IGNORECASE,
)
# A particle or copula may be glued to the last digit ("... 팔이에요", "... 사로"), so the end is open; a glued
# trailing 이 is then read as the copula when that makes a valid number (see `_ko_candidates`).
_KO_SPOKEN_RUN = re.compile(r"(?<![가-힣])[공영일이삼사오육칠팔구](?:[\s,.\-]*[공영일이삼사오육칠팔구]){8,}")

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![A-Za-z0-9])")
# never part of a longer run of digit groups (a 22-digit tracking number holds many Luhn-valid windows)
_CARD = re.compile(r"(?<![\d-])(?<!\d )(?:\d[ -]?){12,18}\d(?![\d-])(?! \d)")
_RRN = re.compile(r"(?<!\d)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[ -]?[1-8]\d{6}(?!\d)")
_SSN = re.compile(r"(?<!\d)(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?!\d)")
# Not part of a longer run of digit groups ("1234 5678 1234 5678" is an order or card number, not a phone).
_PHONE = re.compile(
    r"(?<![\w-])(?<!\d[ .])(?:"
    r"\+?\d{1,3}[ .-]?\(?\d{2,4}\)?[ .-]\d{3,4}[ .-]\d{4}"  # +1 415 555 0100, +82 10-1234-5678
    r"|\(\d{3}\)\s?\d{3}[ .-]?\d{4}"  # (415) 555-0100
    r"|\d{3}[ .-]\d{3}[ .-]\d{4}"  # 415-555-0100
    r"|01[016789][ .-]?\d{3,4}[ .-]?\d{4}"  # 010-1234-5678 / 01012345678
    r"|0\d{1,2}[ .-]\d{3,4}[ .-]\d{4}"  # 02-123-4567
    r")(?![\d-]|[A-Za-z])(?![ .]\d)"  # Korean particles may follow: 010-1234-5678로
)
_ACCOUNT_CONTEXT = re.compile(r"(account|acct|iban|routing|계좌|통장)", re.IGNORECASE)
_ACCOUNT = re.compile(r"(?<![\d-])\d{2,6}(?:[ -]\d{1,8}){1,3}(?![\d-])|(?<!\d)\d{8,16}(?!\d)")
# "my account was locked on 2026-11-16": a date after the word "account" is not an account number.
_DATE_LIKE = re.compile(r"(?:19|20)\d\d[ -](?:0?[1-9]|1[0-2])[ -](?:0?[1-9]|[12]\d|3[01])")


# A number right after "order number", "tracking", "주문번호" ... names a thing, not a person: it stays
# (except a Luhn-valid card number, which is redacted wherever it appears).
_REFERENCE_BEFORE = re.compile(
    r"(?:order|tracking|ticket|reference|ref|confirmation|invoice|serial|case|claim|parcel|shipment|"
    r"주문|송장|운송장|접수|예약|일련|배송)\s*(?:number|num|no\.?|#|id|code|번호)?\s*(?:is|was|:|는|은)?\s*$",
    re.IGNORECASE,
)


def _is_reference(text: str, start: int) -> bool:
    return bool(_REFERENCE_BEFORE.search(text[max(0, start - 40) : start]))


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


@dataclass
class Span:
    start: int
    end: int
    entity: str


def _spoken_digits(match_text: str) -> str:
    out: list[str] = []
    tokens = re.findall(r"double|triple|[a-z]+|\d|[공영일이삼사오육칠팔구]", match_text.lower())
    repeat = 1
    for tok in tokens:
        if tok in ("double", "triple"):
            repeat = 2 if tok == "double" else 3
            continue
        digit = tok if tok.isdigit() else _DIGIT_WORDS.get(tok)
        if digit is None:
            continue
        out.append(digit * repeat)
        repeat = 1
    return "".join(out)


def _classify_digits(digits: str, enabled: set[str], korean: bool = False) -> str | None:
    n = len(digits)
    if korean and digits.startswith("0") and 9 <= n <= 11:
        return "phone" if "phone" in enabled else None  # 02-123-4567, 010-1234-5678 read out
    if korean and n < 10:
        return None
    if "card" in enabled and 13 <= n <= 19 and luhn_ok(digits):
        return "card"
    if "rrn" in enabled and n == 13 and digits[6] in "12345678":
        return "rrn"
    if "ssn" in enabled and n == 9:
        return "ssn"
    if "phone" in enabled and 7 <= n <= 12:
        return "phone"
    if "account" in enabled and n >= 8:
        return "account"
    return None


def _ko_ends(text: str, m: re.Match) -> list[int]:
    """Where a Korean spoken run may end: without a trailing 이 glued to a particle (a copula, as in
    "칠이에요"), then as matched."""
    end = m.end()
    glued = end < len(text) and "가" <= text[end] <= "힣"
    if glued and text[end - 1] == "이" and end - 1 > m.start():
        return [end - 1, end]
    return [end]


def find_spans(text: str, entities: Iterable[str]) -> list[Span]:
    """Non-overlapping spans of personal data in `text`, earliest and longest first."""
    enabled = set(entities)
    spans: list[Span] = []

    def add(start: int, end: int, entity: str) -> None:
        if any(s.start < end and start < s.end for s in spans):
            return
        if entity in ("phone", "ssn", "account") and _is_reference(text, start):
            return
        spans.append(Span(start, end, entity))

    if "email" in enabled:
        for m in _EMAIL.finditer(text):
            add(m.start(), m.end(), "email")
    if "card" in enabled:
        for m in _CARD.finditer(text):
            digits = re.sub(r"\D", "", m.group())
            if 13 <= len(digits) <= 19 and luhn_ok(digits):
                add(m.start(), m.end(), "card")
    if "rrn" in enabled:
        for m in _RRN.finditer(text):
            add(m.start(), m.end(), "rrn")
    if "ssn" in enabled:
        for m in _SSN.finditer(text):
            add(m.start(), m.end(), "ssn")
    if "phone" in enabled:
        for m in _PHONE.finditer(text):
            add(m.start(), m.end(), "phone")
    for m in _SPOKEN_RUN.finditer(text):
        entity = _classify_digits(_spoken_digits(m.group()), enabled)
        if entity:
            add(m.start(), m.end(), entity)
    for m in _KO_SPOKEN_RUN.finditer(text):
        for end in _ko_ends(text, m):
            entity = _classify_digits(_spoken_digits(text[m.start() : end]), enabled, korean=True)
            if entity == "card" or (entity and end == m.end()):
                add(m.start(), end, entity)
                break
        else:
            entity = _classify_digits(_spoken_digits(m.group()), enabled, korean=True)
            if entity:
                add(m.start(), m.end(), entity)
    if "account" in enabled:
        for m in _ACCOUNT.finditer(text):
            window = text[max(0, m.start() - 30) : m.start()]
            if _ACCOUNT_CONTEXT.search(window) and not _DATE_LIKE.fullmatch(m.group()):
                add(m.start(), m.end(), "account")
    spans.sort(key=lambda s: s.start)
    return spans


def apply_spans(text: str, spans: list[Span]) -> str:
    """Replace each span with its entity's placeholder."""
    parts, pos = [], 0
    for s in spans:
        parts.append(text[pos : s.start])
        parts.append(PLACEHOLDERS[s.entity])
        pos = s.end
    parts.append(text[pos:])
    return "".join(parts)


def redact_text(text: str, entities: Iterable[str]) -> tuple[str, list[Span]]:
    spans = find_spans(text, entities)
    return (apply_spans(text, spans) if spans else text), spans


def mark_words(words: list[Word], entities: Iterable[str]) -> list[tuple[int, str] | None]:
    """For each word, (span number, entity) when it is part of personal data, else None."""
    offsets, pos = [], 0
    for w in words:
        offsets.append((pos, pos + len(w.word)))
        pos += len(w.word)
    spans = find_spans("".join(w.word for w in words), entities)
    marks: list[tuple[int, str] | None] = []
    for a, b in offsets:
        hit = next(((i, s.entity) for i, s in enumerate(spans) if s.start < b and a < s.end), None)
        marks.append(hit)
    return marks


def replace_marked(words: list[Word], marks: list[tuple[int, str] | None]) -> list[Word]:
    """A run of words in one span becomes one placeholder word covering their times."""
    out: list[Word] = []
    last: tuple[int, str] | None = None
    for w, mark in zip(words, marks, strict=True):
        if mark is None:
            out.append(w)
        elif mark == last:
            out[-1] = Word(out[-1].start_s, w.end_s, out[-1].word, min(out[-1].probability, w.probability))
        else:
            out.append(Word(w.start_s, w.end_s, " " + PLACEHOLDERS[mark[1]], w.probability))
        last = mark
    return out


def redact_words(words: list[Word], entities: Iterable[str]) -> list[Word]:
    """Redact word-level timestamps consistently with the text."""
    return replace_marked(words, mark_words(words, entities)) if words else words


ALL_ENTITIES = tuple(PLACEHOLDERS)


def scrub(text: str | None, entities: Iterable[str] = ALL_ENTITIES) -> str | None:
    """Redact a free-form field (metadata value, error message, file path) with plain placeholders."""
    if not text:
        return text
    spans = find_spans(text, entities)
    return apply_spans(text, spans) if spans else text


def pseudonymise(value: str | None, entities: Iterable[str] = ALL_ENTITIES) -> str | None:
    """Redact an identifier (conversation id, customer id) but keep it unique and stable across runs:
    each personal value becomes its placeholder tagged with a short hash, e.g. `[PHONE:3f9a1c0b]`.

    This is a pseudonym, not anonymisation: whoever can enumerate phone numbers can recompute the hash."""
    if not value:
        return value
    spans = find_spans(value, entities)
    if not spans:
        return value
    parts, pos = [], 0
    for s in spans:
        digest = hashlib.sha256(value[s.start : s.end].encode()).hexdigest()[:8]
        parts += [value[pos : s.start], f"{PLACEHOLDERS[s.entity][:-1]}:{digest}]"]
        pos = s.end
    parts.append(value[pos:])
    return "".join(parts)


def scrub_json(value: Any, entities: Iterable[str] = ALL_ENTITIES) -> Any:
    """Redact every string inside a JSON-like value (metadata dicts from manifests and sidecars)."""
    if isinstance(value, str):
        return scrub(value, entities)
    if isinstance(value, dict):
        return {k: scrub_json(v, entities) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub_json(v, entities) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and len(str(abs(value))) >= 7:
        red = scrub(str(value), entities)  # a phone or card number written as a JSON number
        return value if red == str(value) else red
    return value


class LogRedactor(logging.Filter):
    """Redacts personal data from log records before any handler (console, Prefect API) sees them."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            return True
        red = scrub(message)
        if red != message:
            record.msg, record.args = red, None
        return True


_LOG_FILTER = LogRedactor()


def install_log_redaction(names: Iterable[str] = ()) -> None:
    """Attach the redacting filter to vocmine's and Prefect's run loggers (idempotent)."""
    wanted = {"vocmine", "prefect.flow_runs", "prefect.task_runs", *names}
    wanted |= {n for n in logging.root.manager.loggerDict if n.startswith("vocmine.")}
    for name in wanted:
        logger = logging.getLogger(name)
        if _LOG_FILTER not in logger.filters:
            logger.addFilter(_LOG_FILTER)


def append_originals(path: str | Path, records: Iterable[dict[str, str]]) -> None:
    """The opt-in record of redacted originals: JSONL appended to a file only its owner can read or write."""
    records = list(records)
    if not records:
        return
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.fchmod(fd, 0o600)  # also when the file existed with wider permissions
        os.write(fd, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode())
    finally:
        os.close(fd)
