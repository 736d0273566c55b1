"""Personal-data redaction, applied before anything is analysed or stored.

Numbers in calls arrive written ("4111 1111 1111 1111", "555-213-4478"), spoken ("four one one one ...",
"공일공 일이삼사"), or both, with pauses, fillers and corrections inside them. The patterns run on a *digit view*
of the text in which every run of number tokens is written as digits (`_digit_view`), and their spans are mapped
back; one read-out is one value (`_merge_runs`). Card numbers must pass the Luhn check and IBANs their mod-97
check, so that order numbers of the same shape stay; numbers right after reference words ("order number",
"주문번호", "IMEI") stay too. Each entity is replaced by a typed placeholder such as `[CARD]`, and the original
value is never returned. docs/reliability.md has the measured recall and precision and what still slips through.
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
_TENS = {"twenty": "2", "thirty": "3", "forty": "4", "fifty": "5", "sixty": "6", "seventy": "7", "eighty": "8",
         "ninety": "9"}  # fmt: skip
_TEENS = {"ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14", "fifteen": "15",
          "sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19"}  # fmt: skip
_EN_UNIT = r"zero|oh|o|one|two|three|four|five|six|seven|eight|nine"
_KO_DIGITS = "공영일이삼사오육칠팔구"
# Sino-Korean digit syllables, and the native numerals some people count with (하나 둘 셋 ...)
_KO_NATIVE = {
    "하나": "1",
    "둘": "2",
    "셋": "3",
    "넷": "4",
    "다섯": "5",
    "여섯": "6",
    "일곱": "7",
    "여덟": "8",
    "아홉": "9",
}
_KO_TOKEN = "|".join([*_KO_NATIVE, *_KO_DIGITS])
_KO_PIECE = re.compile(_KO_TOKEN)
# One number token as people say or write it: 4111, four, oh, twenty-two, fifteen, double five, 일이삼사.
_NUM_TOKEN = re.compile(
    rf"\b(?:(?P<tens>{'|'.join(_TENS)})(?:[- ](?P<unit>one|two|three|four|five|six|seven|eight|nine))?\b"
    rf"|(?P<teen>{'|'.join(_TEENS)})\b"
    rf"|(?P<mult>double|triple)\s+(?P<mword>{_EN_UNIT}|\d)\b"
    rf"|(?P<word>{_EN_UNIT})\b|(?P<hundred>hundred)\b)"
    r"|(?P<digits>\d+)"
    rf"|(?<![가-힣])(?P<ko>(?:{_KO_TOKEN})+)",
    re.IGNORECASE,
)
# What may stand between the tokens of one number: spaces; a comma or full stop (a pause); a dash said or
# written; 에 ("공일공에 오구삼오에 ...", as Korean reads phone groups); fillers ("four eight... uh, eight one",
# "공일공... 음... 육육"); joiners ("그 다음은", "앞자리는 770102이고 뒷자리는 ..."); corrections ("sorry", "아 아니다").
_KO_JOINER = (
    r"(?:이고|이구|이며|고)?[ \t]*(?:(?:그\s?)?다음(?:은|이|에는?)?|뒷자리(?:는|가)?|뒷번호(?:는|가)?|뒤에?는)"
    r"|아니(?:다|요|고)?|잠깐(?:만요)?|잠시만(?:요)?|죄송(?:합니다|해요)?"
)
_EN_FILLER = r"uh+|um+|er|erm|ah|and then|then|sorry|no wait|wait|no|i mean|actually"
_NUM_SEP = re.compile(
    rf"[ \t]*(?:(?:[,.…—–]+|-|\b(?:dash|hyphen|{_EN_FILLER})\b|다시|대시|하이픈|에(?=[ \t])"
    rf"|(?<![가-힣])(?:어|음|그|아|{_KO_JOINER})(?![가-힣]))[ \t]*)*",
    re.IGNORECASE,
)
_HESITATION = re.compile(
    rf"…|\.\.|[—–]|\b(?:{_EN_FILLER}|dash|hyphen)\b|다시|대시|하이픈|(?<![가-힣])(?:어|음|그|아|{_KO_JOINER})(?![가-힣])",
    re.IGNORECASE,
)
# After a Korean number, a particle or copula may be glued on ("...팔이에요", "...사로"); any other Hangul means
# the syllables were part of a word (일정, 오늘), not digits.
_KO_GLUE = re.compile(
    r"(?:이에요|이예요|이요|예요|에요|입니다|이고|이며|이랑|이구요|인데|으로|로|요|이|가|은|는|을|를|에|번|까지|하고)"
)
_KO_WORDLIKE = {"이", "일", "오"}  # digit syllables that stand alone as everyday words
_MIN_SPOKEN_DIGITS = 7  # no entity here is shorter; shorter spoken numbers ("two or three") stay words

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![A-Za-z0-9])")
# An e-mail address read out: "john dot smith at gmail dot com", "hong 점 gildong 골뱅이 naver 닷컴".
_SAY_SEP = r"(?:\s*\.\s*|\s+(?:dot|period|point|underscore|under score|dash|hyphen|plus|점|쩜|언더바|언더스코어|밑줄|대시|하이픈)\s+|[_-])"
_SAY_TLD = r"(?:com|net|org|co|uk|kr|edu|gov|io|me|info|biz|ac|jp|de|fr|ca|au|us|eu|in|컴|넷|케이알|오알지)(?![A-Za-z0-9])"
# local part: up to twelve tokens ("tom harris one nine seven nine", "m i k e"), never an ordinary word
_SAY_WORD = (
    r"(?<![A-Za-z0-9'])(?!(?:at|is|are|was|me|my|it's|its|to|the|please|send|email|e-mail|mail|address|and|or|"
    r"you|can|it|this|that|for|on|in|of)\b)(?:[A-Za-z0-9]+(?:\s+as in\s+[A-Za-z]+)?|[공영일이삼사오육칠팔구]+|"
    # letters and names said in Korean (에스 와이 팍 = s.y.park, 제이 하이픈 리 = j-lee): short Hangul words that
    # do not end in a particle (주소는, 영어로 are the sentence, not the address)
    r"(?<![가-힣])[가-힣]{1,3}(?<![는은을를로가에])(?![가-힣]))"
)
_SAY_EMAIL = re.compile(
    rf"(?P<local>{_SAY_WORD}(?:(?:{_SAY_SEP}|,?\s+){_SAY_WORD}){{0,11}}),?\s*(?:\s(?:at|앳)\s|@|\s?골뱅이\s?|"
    r"\s?[(\[]at[)\]]\s?)\s*"
    rf"(?P<domain>[A-Za-z0-9가-힣-]+(?:{_SAY_SEP}[A-Za-z0-9가-힣-]+)*?)"
    rf"(?:(?:\s*\.\s*|\s+(?:dot|점|쩜|닷)\s*|\s?[(\[]dot[)\]]\s?){_SAY_TLD}|\s*(?:닷컴|닷넷|점컴|쩜컴)"
    r"|\s*\.\s*[A-Za-z]{2,}(?![A-Za-z0-9]))"
    rf"(?:(?:\s*\.\s*|\s+(?:dot|점|쩜|닷)\s*){_SAY_TLD})*",
    re.IGNORECASE,
)
# Without a spoken separator in the local part ("it at amazon dot com"), it counts only after e-mail words.
_EMAIL_CONTEXT = re.compile(r"(?:e-?mail|address|spell|메일|주소|아이디)", re.IGNORECASE)
_MAIL_PROVIDERS = {"gmail", "hotmail", "outlook", "yahoo", "icloud", "aol", "live", "msn", "proton", "protonmail",
                   "naver", "daum", "hanmail", "kakao", "nate", "지메일", "네이버", "다음", "한메일", "카카오", "네이트"}  # fmt: skip
_NOT_LOCAL = {
    "i",
    "it",
    "me",
    "us",
    "you",
    "him",
    "her",
    "them",
    "this",
    "that",
    "one",
    "home",
    "work",
    "look",
}
# never part of a longer run of digit groups (a 22-digit tracking number holds many Luhn-valid windows)
_CARD = re.compile(r"(?<![\d-])(?<!\d )(?:\d[ .-]?){12,18}\d(?![\d-])(?![ .]\d)")
_RRN = re.compile(r"(?<!\d)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?: ?- ?| )?[1-8]\d{6}(?!\d)")
_SSN = re.compile(r"(?<![\d-])(?!000|666|9\d\d)\d{3}([- .])(?!00)\d{2}\1(?!0000)\d{4}(?![\d-])(?! \d)")
# Not part of a longer run of digit groups ("1234 5678 1234 5678" is an order or card number, not a phone).
_PHONE = re.compile(
    r"(?<![\w-])(?<!\d[ .])(?:"
    r"\+\d{1,3}[ .-]?(?:\(0\)[ .-]?)?\d{1,5}(?:[ .-]\d{2,8}){1,3}"  # +1 415 555 0100, +44 7911 383739
    r"|\+?\d{1,3}[ .-]?\(?\d{2,4}\)?[ .-]\d{3,4}[ .-]\d{4}"  # +82 10-1234-5678, 1 (415) 555-0100
    r"|\(\d{3}\)\s?\d{3}[ .-]?\d{4}"  # (415) 555-0100
    r"|\d{3}[ .-]\d{3}[ .-]\d{4}"  # 415-555-0100
    r"|01[016789][ .-]?\d{3,4}[ .-]?\d{4}"  # 010-1234-5678 / 01012345678
    r"|0\d{1,2}[ .-]\d{3,4}[ .-]\d{4}"  # 02-123-4567, 020 7946 0958
    r"|0\d{3,4}[ .-]?\d{6}|0\d{3,4}[ .-]\d{3}[ .-]\d{3,4}"  # 07456 352177, 07700 900 461, 0412 555 019
    r"|\+\d{10,14}"  # +447700900874
    r"|\(0\d{1,2}\)\s?\d{3,4}[ .-]\d{4}"  # (02) 2100-3399
    r"|1[5-9]\d{2}[ .-]\d{4}"  # 1588-3820 (Korean nationwide numbers)
    r")(?:,?\s*(?:ext\.?|extension|x|내선)\s*\d{1,5})?"  # ext. 204, 내선 215
    r"(?![\d-]|[A-Za-z])(?![ .]\d)"  # Korean particles may follow: 010-1234-5678로
)
# ten or eleven digits in a row are a phone number after words that say so ("text me at 6175550139")
_PHONE_CONTEXT = re.compile(
    r"(?:call|text|phone|mobile|cell|number|reach|ring|tel|contact|연락|전화|핸드폰|휴대폰|번호)", re.I
)
_PHONE_BARE = re.compile(r"(?<![\w-])\d{10,11}(?![\w-])")
# nine digits in a row are an SSN only after words that say so ("my social is 609548120")
_SSN_CONTEXT = re.compile(r"(?:social|ssn|security number|사회보장)", re.IGNORECASE)
_SSN_BARE = re.compile(r"(?<![\d-])\d{9}(?![\d-])")
_ACCOUNT_CONTEXT = re.compile(
    r"(account|acct|iban|routing|bank|savings|checking|chequing|계좌|통장|은행|뱅크|국민|신한|우리|하나|기업|농협|우체국|새마을|신협|수협|씨티|"
    r"SC제일|부산|대구|경남|광주|전북|제주|산업)",
    re.IGNORECASE,
)
_ACCOUNT = re.compile(r"(?<![\d-])\d{2,6}(?:[ -]\d{1,8}){1,3}(?![\d-])|(?<!\d)\d{7,16}(?!\d)")
# an IBAN (country, check digits, up to 30 letters and digits in groups), accepted when its mod-97 check holds
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b")
# "my account was locked on 2026-11-16": a date after the word "account" is not an account number.
_DATE_LIKE = re.compile(r"(?:19|20)\d\d[ -](?:0?[1-9]|1[0-2])[ -](?:0?[1-9]|[12]\d|3[01])")


# A number right after "order number", "tracking", "주문번호" ... names a thing, not a person: it stays
# (except a Luhn-valid card number, which is redacted wherever it appears).
_REFERENCE_BEFORE = re.compile(
    r"(?<![A-Za-z])(?:order|tracking|ticket|reference|ref|confirmation|invoice|serial|case|claim|parcel|shipment|booking|flight|"
    r"routing|barcode|ean|isbn|upc|model|receipt|fedex|ups|usps|dhl|(?:membership|member|customer|policy|loyalty)"
    r"(?= (?:number|no|id|#))|주문|송장|운송장|접수|예약|일련|배송|바코드|상품코드|제품|모델|회원(?=번호)|고객(?=번호)|영수증|"
    r"증권|택배|대한통운|한진|로젠)\s*"
    r"(?:number|num|no\.?|#|id|code|번호|코드)?\s*(?:is|was|:|는|은|가|이|을|를)?\s*(?:\d{1,4}[ -])?$",
    re.IGNORECASE,
)


# IMEI and SIM numbers pass the Luhn check like cards; after these words they are the device's, not a card
_DEVICE_BEFORE = re.compile(r"\b(?:imei|meid|iccid|serial)|sim(?: card)? number|일련번호|기기번호", re.I)


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


def _token_digits(m: re.Match) -> str:
    g = m.lastgroup
    if m.group("tens"):
        return _TENS[m.group("tens").lower()] + (
            _DIGIT_WORDS[m.group("unit").lower()] if m.group("unit") else "0"
        )
    if g == "teen":
        return _TEENS[m.group("teen").lower()]
    if m.group("mult"):
        d = m.group("mword").lower()
        return (d if d.isdigit() else _DIGIT_WORDS[d]) * (2 if m.group("mult").lower() == "double" else 3)
    if g == "word":
        return _DIGIT_WORDS[m.group("word").lower()]
    if g == "digits":
        return m.group("digits")
    if g == "hundred":  # "oh seven seven hundred" -> 07700 ("thousand" is an amount and ends a number)
        return "00"
    return "".join(_KO_NATIVE.get(p) or _DIGIT_WORDS[p] for p in _KO_PIECE.findall(m.group("ko")))


@dataclass
class _Run:
    """A number read out (in words, digit by digit, or typed groups joined by a pause), as it stands in the
    digit view."""

    start: int  # in the view
    end: int
    digits: str
    korean: bool
    said: bool  # some of it in words (else typed groups joined by a hesitation: "4457 8246 어... 4692")


def _stands_alone(text: str, m: re.Match) -> bool:
    """A Korean digit syllable run glued to a following word (일정, 오늘, 이게) is part of that word; a particle
    or copula may follow a number (팔이에요, 사로, 삼팔이고요)."""
    if m.lastgroup != "ko":
        return True
    end = m.end()
    if not "가" <= text[end : end + 1] <= "힣":
        return True
    return bool(_KO_GLUE.match(text, end) or (text[end - 1] == "이" and _KO_GLUE.match(text, end - 1)))


def _number_runs(text: str) -> list[tuple[int, int, list[tuple[re.Match, str]]]]:
    """Maximal runs of number tokens in `text` with the separators between them: (start, end, [(token, sep
    before it)])."""
    runs = []
    pos = 0
    while True:
        m = _NUM_TOKEN.search(text, pos)
        if m is None:
            return runs
        if not _stands_alone(text, m):
            pos = m.end()
            continue
        tokens = [(m, "")]
        end = m.end()
        while True:
            sep = _NUM_SEP.match(text, end)
            nxt = _NUM_TOKEN.match(text, sep.end()) if sep else None
            if nxt is None or nxt.end() == nxt.start() or not _stands_alone(text, nxt):
                break
            kinds = {tokens[-1][0].lastgroup, nxt.lastgroup}
            lone_ko = (tokens[-1][0].group("ko") or "") + (nxt.group("ko") or "")
            if kinds == {"digits", "ko"} and lone_ko in _KO_WORDLIKE:
                break  # "4816... 이 번호가": a lone 이/일/오 next to written digits is a word (this, work, oh)
            tokens.append((nxt, sep.group()))
            end = nxt.end()
        runs.append((m.start(), end, tokens))
        pos = end


def _digit_view(text: str) -> tuple[str, list[int], list[int], list[_Run]]:
    """`text` with every number said in words written as digits ("four one one one" -> "4111", "공일공 일이삼사"
    -> "010 1234"), so one set of patterns finds written, spoken and mixed numbers alike. Returns the view, the
    original start and end offset of each view character, and the converted runs."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    runs: list[_Run] = []

    def emit(s: str, a: int, b: int) -> None:
        out.append(s)
        starts.extend([a] * len(s))
        ends.extend([b] * len(s))

    def copy(a: int, b: int) -> None:  # text kept as it is maps one to one
        out.append(text[a:b])
        starts.extend(range(a, b))
        ends.extend(range(a + 1, b + 1))

    pos = 0
    for a, b, tokens in _number_runs(text):
        # digit by digit counts as said, typed or not ("5 1 8 - 2 2 - 9 0 6 3")
        spoken = [t for t, _ in tokens if t.lastgroup != "digits" or len(t.group()) == 1]
        parts = [_token_digits(t) for t, _ in tokens]
        digits = "".join(parts)
        hesitant = any(_HESITATION.search(sep) for _, sep in tokens[1:])
        if len(digits) < _MIN_SPOKEN_DIGITS or not (spoken or hesitant):
            continue
        if spoken and all(t.group("tens") or t.lastgroup == "teen" for t in spoken) and len(digits) < 12:
            continue  # "twenty twenty-three, twenty twenty-four": years, times and prices, not a number read out
        copy(pos, a)
        view_start = len(starts)
        prev = None
        for (t, sep), d in zip(tokens, parts, strict=True):
            if prev is not None:
                if "-" in sep or re.search(r"dash|hyphen|다시|대시|하이픈", sep, re.IGNORECASE):
                    emit("-", prev.end(), t.start())
                elif (
                    sep.strip()
                    or t.lastgroup == "ko"
                    or max(len(prev.group()), len(t.group())) > 1
                    and ("digits" in (prev.lastgroup, t.lastgroup))
                ):
                    emit(" ", prev.end(), t.start())  # a pause, a filler, or a group boundary
                # plain spaces between spoken words: one number ("four one one one" -> 4111)
            for ch in d:  # each digit maps to its whole token
                emit(ch, t.start(), t.end())
            prev = t
        korean = any(t.lastgroup == "ko" for t in spoken)
        said = any(t.lastgroup != "digits" for t in spoken) or len(spoken) >= _MIN_SPOKEN_DIGITS or hesitant
        runs.append(_Run(view_start, len(starts), digits, korean, said=said))
        pos = b
    if not runs:
        return text, list(range(len(text))), list(range(1, len(text) + 1)), runs
    copy(pos, len(text))
    return "".join(out), starts, ends, runs


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
    if "phone" in enabled and 7 <= n <= 15:
        return "phone"
    if "account" in enabled and n >= 8:
        return "account"
    return None


_RRN_CONTEXT = re.compile(r"주민|resident registration", re.IGNORECASE)


def _named_by_context(text: str, start: int, enabled: set[str]) -> str | None:
    """The entity the words just before a number name ("계좌는 ...", "my social is ..."): a read-out's length
    alone says little when it holds a correction or a pause."""
    before = text[max(0, start - 30) : start]
    for entity, rx in (("account", _ACCOUNT_CONTEXT), ("ssn", _SSN_CONTEXT), ("rrn", _RRN_CONTEXT)):
        if entity in enabled and rx.search(before):
            return entity
    return None


_AT_SAID = re.compile(r"\sat\s|[(\[]at[)\]]|@|골뱅이|앳", re.IGNORECASE)


def _spoken_emails(text: str) -> list[tuple[int, int]]:
    out = []
    if not _AT_SAID.search(text):  # the full pattern is costly; most texts have no "at" at all
        return out
    for m in _SAY_EMAIL.finditer(text):
        local = m.group("local")
        # a bare word before "at" ("it at amazon dot com") is an address only when e-mail is being talked about
        bare = re.search(_SAY_SEP, local) is None and " " not in local
        context = _EMAIL_CONTEXT.search(text[max(0, m.start() - 40) : m.start()])
        provider = m.group("domain").lower().split()[0] in _MAIL_PROVIDERS
        if bare and (local.lower() in _NOT_LOCAL or not (context or provider)):
            continue
        out.append((m.start(), m.end()))
    return out


def find_spans(text: str, entities: Iterable[str]) -> list[Span]:
    """Non-overlapping spans of personal data in `text`, earliest and longest first.

    Numbers are matched on a digit view of the text in which spoken digits are written as digits, so a card
    read out as "four five three two, 1234 ..." meets the same patterns as a typed one; spans are mapped back."""
    enabled = set(entities)
    spans: list[Span] = []

    def add(start: int, end: int, entity: str) -> None:
        if any(s.start < end and start < s.end for s in spans):
            return
        if entity in ("phone", "ssn", "account", "rrn") and _is_reference(text, start):
            return
        if entity == "card" and _DEVICE_BEFORE.search(text[max(0, start - 30) : start]):
            return
        spans.append(Span(start, end, entity))

    if "email" in enabled:
        for m in _EMAIL.finditer(text):
            add(m.start(), m.end(), "email")
        for a, b in _spoken_emails(text):
            add(a, b, "email")
    view, starts, ends, runs = _digit_view(text)

    def add_view(a: int, b: int, entity: str) -> None:
        add(starts[a], ends[b - 1], entity)

    if "card" in enabled:
        for m in _CARD.finditer(view):
            digits = re.sub(r"\D", "", m.group())
            if 13 <= len(digits) <= 19 and luhn_ok(digits):
                add_view(m.start(), m.end(), "card")
    if "rrn" in enabled:
        for m in _RRN.finditer(view):
            add_view(m.start(), m.end(), "rrn")
    if "ssn" in enabled:
        for m in _SSN.finditer(view):
            add_view(m.start(), m.end(), "ssn")
        for m in _SSN_BARE.finditer(view):
            if _SSN_CONTEXT.search(text[max(0, starts[m.start()] - 40) : starts[m.start()]]):
                add_view(m.start(), m.end(), "ssn")
    if "phone" in enabled:
        for m in _PHONE.finditer(view):
            number = re.split(r"ext|x|내선", m.group(), flags=re.IGNORECASE)[0]
            n = sum(c.isdigit() for c in number)
            # 12 digits without +, ( or a trunk 0 (6011 2048 1175) are no phone
            if 7 <= n <= (15 if number[0] in "+(" else 12 if number[0] == "0" else 11):
                add_view(m.start(), m.end(), "phone")
        for m in _PHONE_BARE.finditer(view):
            if _PHONE_CONTEXT.search(text[max(0, starts[m.start()] - 30) : starts[m.start()]]):
                add_view(m.start(), m.end(), "phone")
    for run in runs:  # a number said in words that no pattern took: judged by its length
        a, b = starts[run.start], ends[run.end - 1]
        if not run.said or any(s.start < b and a < s.end for s in spans):
            continue
        digits = run.digits
        glued_copula = run.korean and text[b - 1] == "이" and "가" <= text[b : b + 1] <= "힣"
        # "...칠이에요": the last 이 may be the copula; prefer the reading that makes a card, phone or RRN
        if glued_copula and _classify_digits(digits[:-1], enabled, korean=True) in ("card", "phone", "rrn"):
            digits, b = digits[:-1], b - 1
        entity = _classify_digits(digits, enabled, korean=run.korean)
        if entity:
            add(a, b, _named_by_context(text, a, enabled) or entity)
    if "account" in enabled:
        for m in _IBAN.finditer(text):
            if _iban_ok(m.group()):
                add(m.start(), m.end(), "account")
        for m in _ACCOUNT.finditer(view):
            a = starts[m.start()]
            window = text[max(0, a - 30) : a]
            if _ACCOUNT_CONTEXT.search(window) and not _DATE_LIKE.fullmatch(m.group()):
                add_view(m.start(), m.end(), "account")
    _merge_runs(text, spans, runs, starts, ends)
    spans.sort(key=lambda s: s.start)
    return spans


def _iban_ok(value: str) -> bool:
    v = value.replace(" ", "")
    if not 15 <= len(v) <= 34:
        return False
    moved = v[4:] + v[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def _merge_runs(text: str, spans: list[Span], runs: list[_Run], starts: list[int], ends: list[int]) -> None:
    """One number read out is one value: when patterns found personal data inside a run (a read-out with a
    correction, "447-29-1835, wait, no, 447-29-1853"), the whole run is hidden as one placeholder, and a
    spoken "plus" in front of a phone number goes with it."""
    for run in runs:
        a, b = starts[run.start], ends[run.end - 1]
        inside = [s for s in spans if s.start < b and a < s.end]
        if not inside:
            continue
        if max(s.end for s in inside) == b - 1 and text[b - 1] == "이":
            b -= 1  # the copula glued to the last digit ("...팔이에요") was left out on purpose
        lo, hi = min(a, *(s.start for s in inside)), max(b, *(s.end for s in inside))
        plus = re.search(r"\bplus\s*$", text[max(0, lo - 6) : lo], re.IGNORECASE)
        if plus and inside[0].entity == "phone":
            lo -= len(plus.group())
        if len(inside) == 1 and (inside[0].start, inside[0].end) == (lo, hi):
            continue
        entity = max(inside, key=lambda s: s.end - s.start).entity
        for s in inside:
            spans.remove(s)
        spans.append(Span(lo, hi, entity))


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
