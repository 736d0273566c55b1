"""A synthetic evaluation set for the redactor, and its scoring.

Every example is built from a template sentence (English or Korean, written or as a speech recogniser would
spell it out) with personal values generated at random, so the gold spans are known by construction. Half of
the examples carry look-alikes that must stay: order and tracking numbers, dates, amounts, times, versions.
"""

from __future__ import annotations

import random
import string
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from vocmine.redact import find_spans, luhn_ok

EN_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
KO_WORDS = ["공", "일", "이", "삼", "사", "오", "육", "칠", "팔", "구"]


@dataclass
class Example:
    text: str
    lang: str
    kind: str  # generator that made it, e.g. "card/spoken-en"
    gold: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, entity)


class _Builder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.gold: list[tuple[int, int, str]] = []
        self.pos = 0

    def text(self, s: str) -> _Builder:
        self.parts.append(s)
        self.pos += len(s)
        return self

    def pii(self, s: str, entity: str) -> _Builder:
        self.gold.append((self.pos, self.pos + len(s), entity))
        return self.text(s)


# -- value generators ---------------------------------------------------------------------------------------


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def luhn_complete(prefix: str, length: int, rng: random.Random) -> str:
    body = prefix + _digits(rng, length - len(prefix) - 1)
    for d in string.digits:
        if luhn_ok(body + d):
            return body + d
    raise AssertionError("unreachable")


def card_number(rng: random.Random) -> str:
    kind = rng.choice(["visa", "mc", "amex", "visa13", "discover"])
    if kind == "amex":
        return luhn_complete(rng.choice(["34", "37"]), 15, rng)
    if kind == "visa13":
        return luhn_complete("4", 13, rng)
    prefix = {"visa": "4", "mc": rng.choice(["51", "52", "53", "54", "55"]), "discover": "6011"}[kind]
    return luhn_complete(prefix, 16, rng)


def group(digits: str, sizes: list[int], sep: str) -> str:
    out, i = [], 0
    for n in sizes:
        out.append(digits[i : i + n])
        i += n
    if i < len(digits):
        out.append(digits[i:])
    return sep.join(p for p in out if p)


def written_card(rng: random.Random) -> str:
    d = card_number(rng)
    sep = rng.choice([" ", "-", ""])
    sizes = [4, 6, 5] if len(d) == 15 else [4, 4, 4, 4]
    return group(d, sizes, sep)


def spoken(digits: str, rng: random.Random, lang: str, groups: list[int] | None = None) -> str:
    words = EN_WORDS if lang == "en" else KO_WORDS
    if lang == "en" and rng.random() < 0.3:
        words = [*EN_WORDS[:0], "oh", *EN_WORDS[1:]] if rng.random() < 0.5 else EN_WORDS
    seps = [", ", " ", ". "] if lang == "en" else [" ", ", ", "  "]
    sep = rng.choice(seps)
    tokens = [words[int(d)] for d in digits]
    if groups:
        out, i = [], 0
        for n in groups:
            out.append(" ".join(tokens[i : i + n]))
            i += n
        if i < len(tokens):
            out.append(" ".join(tokens[i:]))
        return sep.join(out)
    if lang == "ko" and rng.random() < 0.5:
        return "".join(tokens[:3]) + " " + "".join(tokens[3:7]) + " " + "".join(tokens[7:])
    return " ".join(tokens)


_TENS_WORDS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_TEEN_WORDS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
               "nineteen"]  # fmt: skip


def pair_words(two: str) -> str:
    """Two digits as people say them in pairs: "22" -> twenty-two, "05" -> oh five, "15" -> fifteen."""
    a, b = int(two[0]), int(two[1])
    if a == 0:
        return f"oh {EN_WORDS[b]}"
    if a == 1:
        return _TEEN_WORDS[b]
    return _TENS_WORDS[a] + (f"-{EN_WORDS[b]}" if b else "")


def mixed(digits: str, rng: random.Random, lang: str) -> str:
    """Groups of four, each written as digits, said digit by digit, or (English) said in pairs: what a speech
    recogniser makes of a number read out at different speeds."""
    out = []
    for i in range(0, len(digits), 4):
        g = digits[i : i + 4]
        style = rng.choice(
            ["digits", "words", "pairs"] if lang == "en" and len(g) % 2 == 0 else ["digits", "words"]
        )
        if style == "digits":
            out.append(g)
        elif style == "pairs":
            out.append(" ".join(pair_words(g[j : j + 2]) for j in range(0, len(g), 2)))
        elif lang == "en":
            out.append(" ".join(EN_WORDS[int(c)] for c in g))
        else:
            out.append("".join(KO_WORDS[int(c)] for c in g))
    if not any(not part.isdigit() for part in out):  # at least one group said in words
        g = digits[:4]
        out[0] = (
            " ".join(EN_WORDS[int(c)] for c in g) if lang == "en" else "".join(KO_WORDS[int(c)] for c in g)
        )
    return (", " if lang == "en" and rng.random() < 0.3 else " ").join(out)


def uk_phone(rng: random.Random) -> str:
    kind = rng.choice(["mobile", "intl", "london", "city"])
    if kind == "mobile":
        return f"07{_digits(rng, 3)} {_digits(rng, 6)}"
    if kind == "intl":
        return f"+44 7{_digits(rng, 3)} {_digits(rng, 6)}"
    if kind == "london":
        return f"020 {_digits(rng, 4)} {_digits(rng, 4)}"
    return f"01{_digits(rng, 2)} {_digits(rng, 3)} {_digits(rng, 4)}"


def ko_phone_with_e(rng: random.Random) -> str:
    """010-1234-5678 read with 에 between the groups: 공일공에 일이삼사에 오육칠팔."""
    groups = ["010", _digits(rng, 4), _digits(rng, 4)]
    return "에 ".join("".join(KO_WORDS[int(c)] for c in g) for g in groups)


def spoken_email(rng: random.Random, lang: str) -> str:
    first = rng.choice(["john", "sarah", "min", "jwu", "hong", "park", "t"])
    last = rng.choice(["smith", "lee", "gildong", "miller", "kim"])
    if lang == "en":
        sep = rng.choice([" dot ", " underscore ", " dash "])
        num = rng.choice(["", " " + " ".join(EN_WORDS[int(c)] for c in _digits(rng, 2))])
        domain = rng.choice(
            ["gmail dot com", "outlook dot com", "yahoo dot co dot uk", "mail dot example dot org"]
        )
        return f"{first}{sep}{last}{num} at {domain}"
    sep = rng.choice([" 점 ", " 언더바 ", "."])
    domain = rng.choice(["naver 닷컴", "gmail 점 com", "한메일 닷넷", "daum.net"])
    return f"{first}{sep}{last} {rng.choice(['골뱅이', 'at'])} {domain}"


def us_phone(rng: random.Random) -> tuple[str, str]:
    area = str(rng.randint(201, 989))
    digits = area + str(rng.randint(200, 999)) + _digits(rng, 4)
    fmt = rng.choice(["dash", "paren", "dot", "plus", "space"])
    a, b, c = digits[:3], digits[3:6], digits[6:]
    text = {
        "dash": f"{a}-{b}-{c}",
        "paren": f"({a}) {b}-{c}",
        "dot": f"{a}.{b}.{c}",
        "plus": f"+1 {a} {b} {c}",
        "space": f"{a} {b} {c}",
    }[fmt]
    return text, digits


def ko_phone(rng: random.Random) -> tuple[str, str]:
    kind = rng.choice(["mobile", "mobile-plain", "seoul", "intl", "region"])
    mid, last = _digits(rng, 4), _digits(rng, 4)
    if kind == "mobile":
        return f"010-{mid}-{last}", f"010{mid}{last}"
    if kind == "mobile-plain":
        return f"010{mid}{last}", f"010{mid}{last}"
    if kind == "seoul":
        m = _digits(rng, rng.choice([3, 4]))
        return f"02-{m}-{last}", f"02{m}{last}"
    if kind == "region":
        m = _digits(rng, 3)
        return f"031-{m}-{last}", f"031{m}{last}"
    return f"+82 10-{mid}-{last}", f"8210{mid}{last}"


def email(rng: random.Random) -> str:
    user = rng.choice(["jane.doe", "kim", "j_park", "minsu.lee+voc", "support-team", "hong99"])
    domain = rng.choice(["example.com", "mail.example.co.kr", "naver.com", "example.org", "corp.example.net"])
    return f"{user}{rng.randint(1, 99) if rng.random() < 0.4 else ''}@{domain}"


def ssn(rng: random.Random) -> str:
    area = rng.randint(1, 899)
    while area == 666:
        area = rng.randint(1, 899)
    return f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


def rrn(rng: random.Random) -> str:
    yy, mm, dd = rng.randint(0, 99), rng.randint(1, 12), rng.randint(1, 28)
    sep = rng.choice(["-", "", " "])
    return f"{yy:02d}{mm:02d}{dd:02d}{sep}{rng.randint(1, 4)}{_digits(rng, 6)}"


def account(rng: random.Random) -> str:
    return rng.choice(
        [
            f"{_digits(rng, 3)}-{_digits(rng, 3)}-{_digits(rng, 6)}",
            f"{_digits(rng, 3)}-{_digits(rng, 2)}-{_digits(rng, 6)}-{_digits(rng, 1)}",
            _digits(rng, rng.randint(10, 14)),
            f"{_digits(rng, 4)}-{_digits(rng, 4)}-{_digits(rng, 4)}",
        ]
    )


# -- look-alikes that must never be redacted ----------------------------------------------------------------


def _non_luhn(rng: random.Random, n: int) -> str:
    while True:
        d = str(rng.randint(1, 9)) + _digits(rng, n - 1)
        if not luhn_ok(d):
            return d


def lookalike(rng: random.Random, lang: str) -> str:
    y, m, d = rng.randint(2019, 2027), rng.randint(1, 12), rng.randint(1, 28)
    hh, mi = rng.randint(0, 23), rng.randint(0, 59)
    if lang == "en":
        return rng.choice(
            [
                f"order number {_non_luhn(rng, 16)} shipped",
                f"order #{rng.randint(10000, 999999)} is late",
                f"tracking 1Z{_digits(rng, 3)}AA{_digits(rng, 10)} has not moved",
                f"the outage started on {y}-{m:02d}-{d:02d} at {hh}:{mi:02d}",
                f"I was billed on {m}/{d}/{y}",
                f"it cost ${rng.randint(10, 999)}.{rng.randint(0, 99):02d} a month, now ${rng.randint(1, 9)},{_digits(rng, 3)}.99",
                f"between {hh % 12 + 1}:00 and {hh % 12 + 1}:30",
                f"router firmware {rng.randint(1, 20)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}",
                f"I called two or three times and waited {EN_WORDS[rng.randint(1, 9)]} hours",
                f"my account was locked on {y}-{m:02d}-{d:02d}",
                f"ticket {rng.randint(100000, 9999999)} was closed",
                f"it took {rng.randint(20, 90)} minutes and {rng.randint(2, 9)} transfers",
                f"zip code {_digits(rng, 5)}",
                f"reference {_non_luhn(rng, 12)}",
                f"in {y} and {y - rng.randint(1, 20)} we had outages",
                f"I paid {rng.randint(1, 9)},{_digits(rng, 3)} dollars for {rng.randint(2, 12)} months",
                f"model X{rng.randint(100, 999)}-{rng.randint(10, 99)} keeps rebooting",
                f"my order number is {spoken(_digits(rng, rng.randint(7, 12)), rng, 'en')}",
                f"the tracking number is {spoken(_digits(rng, 10), rng, 'en')} and it has not moved",
                f"confirmation number {spoken(_digits(rng, 8), rng, 'en')}, please check",
                f"tracking {group('9400' + _digits(rng, 18), [4, 4, 4, 4, 4], ' ')} shows nothing",
                f"serial number {_digits(rng, 4)} {_digits(rng, 4)} {_digits(rng, 4)}",
                f"order {group(_non_luhn(rng, 16), [4, 4, 4, 4], ' ')} never came",
                f"the router at 192.168.{rng.randint(0, 9)}.{rng.randint(1, 254)} drops",
                f"the speed dropped to {rng.randint(1, 99)}.{rng.randint(0, 9)} Mbps at {hh}:{mi:02d}",
            ]
        )
    return rng.choice(
        [
            f"주문번호 {_non_luhn(rng, 16)} 배송이 늦어요",
            f"{y}년 {m}월 {d}일에 요금이 두 번 나갔어요",
            f"{y}-{m:02d}-{d:02d}부터 인터넷이 안 돼요",
            f"월 {rng.randint(1, 99)},{_digits(rng, 3)}원인데 {rng.randint(1, 9)}만 원이 청구됐어요",
            f"오후 {rng.randint(1, 11)}시 {rng.randint(1, 59)}분에 전화했어요",
            f"운송장 번호 {_digits(rng, 4)}-{_digits(rng, 4)}-{_digits(rng, 2)} 조회가 안 돼요",
            "오늘 일이 많아서 이사 일정을 삼일 미뤘어요",
            f"상담을 {rng.randint(2, 9)}번이나 했어요",
            f"계좌 개설일은 {y}-{m:02d}-{d:02d} 입니다",
            f"접수번호 {rng.randint(100000, 9999999)} 확인 부탁드려요",
            f"{hh}:{mi:02d}에 연결이 끊겼어요",
            f"공유기 펌웨어 {rng.randint(1, 9)}.{rng.randint(0, 9)}.{rng.randint(0, 9)} 버전이에요",
            f"주문번호는 {spoken(_digits(rng, rng.randint(10, 12)), rng, 'ko')} 입니다",
            f"운송장 번호 {spoken(_digits(rng, 12), rng, 'ko')} 조회가 안 돼요",
            f"접수번호 {_digits(rng, 4)}-{_digits(rng, 4)}-{_digits(rng, 4)} 확인해 주세요",
        ]
    )


# -- templates ------------------------------------------------------------------------------------------------


def _example(rng: random.Random, lang: str, entity: str, style: str) -> Example:
    b = _Builder()
    if entity == "card":
        if style == "written":
            value = written_card(rng)
        elif style == "mixed":
            value = mixed(card_number(rng), rng, lang)
        else:
            d = card_number(rng)
            value = spoken(d, rng, lang, [4, 4, 4, 4] if len(d) == 16 and rng.random() < 0.5 else None)
        pre = {
            "en": [
                "my card is ",
                "the card number is ",
                "charge it to ",
                "card ending in, sorry, the full number is ",
            ],
            "ko": ["카드 번호는 ", "결제 카드는 ", "카드번호 "],
        }[lang]
        post = {
            "en": [" thanks", ".", ", expiry next year", ""],
            "ko": [" 입니다", "이에요", " 로 결제해 주세요"],
        }[lang]
    elif entity == "phone":
        text, digits = us_phone(rng) if lang == "en" else ko_phone(rng)
        if style == "mixed":  # other shapes: UK numbers, Korean groups read with 에 between them
            value = uk_phone(rng) if lang == "en" else ko_phone_with_e(rng)
        else:
            value = text if style == "written" else spoken(digits, rng, lang)
        pre = {
            "en": ["call me back at ", "my number is ", "you can reach me on ", "phone: "],
            "ko": ["연락처는 ", "제 번호는 ", "전화번호 "],
        }[lang]
        post = {"en": [" please", ".", " after five", ""], "ko": [" 입니다", "로 연락 주세요", "예요"]}[lang]
    elif entity == "email":
        value = email(rng) if style == "written" else spoken_email(rng, lang)
        pre = {"en": ["write to ", "my email is ", "send it to "], "ko": ["이메일은 ", "메일 주소 "]}[lang]
        post = {"en": [" today", ".", ""], "ko": [" 입니다", "로 보내 주세요"]}[lang]
    elif entity == "ssn":
        value = ssn(rng)
        if style == "written" and rng.random() < 0.4:
            value = value.replace("-", rng.choice([" ", ""]))  # 123 45 6789, or nine digits after "social"
        if style == "spoken":
            value = spoken(value.replace("-", ""), rng, "en", [3, 2, 4])
        pre = {"en": ["my ssn is ", "social security number ", "SSN: "], "ko": ["SSN ", "사회보장번호 "]}[
            lang
        ]
        post = {"en": ["", " if you need it", "."], "ko": [" 입니다", ""]}[lang]
    elif entity == "rrn":
        value = rrn(rng)
        if style == "spoken":
            value = spoken(value.replace("-", "").replace(" ", ""), rng, "ko", [6, 7])
        pre = {
            "en": ["my Korean resident number is ", "RRN "],
            "ko": ["주민번호는 ", "주민등록번호 ", "생년월일 포함 주민번호 "],
        }[lang]
        post = {"en": ["", "."], "ko": [" 입니다", "이요", ""]}[lang]
    else:  # account
        value = account(rng)
        if style == "spoken":
            value = spoken(value.replace("-", ""), rng, lang)
        pre = {
            "en": ["refund it to account number ", "my account is ", "acct ", "the routing and account: "],
            "ko": ["계좌 ", "환불 계좌번호는 ", "통장 번호 "],
        }[lang]
        post = {"en": [" please", ".", ""], "ko": [" 입니다", " 으로 환불해 주세요", ""]}[lang]
    if rng.random() < 0.5:
        b.text(lookalike(rng, lang) + (". " if lang == "en" else ". "))
    b.text(rng.choice(pre)).pii(value, entity).text(rng.choice(post))
    return Example("".join(b.parts), lang, f"{entity}/{style}-{lang}", b.gold)


def generate(n_per_kind: int = 40, seed: int = 7) -> list[Example]:
    """`n_per_kind` examples for every (entity, style, language), plus as many look-alike-only sentences."""
    rng = random.Random(seed)
    out: list[Example] = []
    kinds = [
        ("card", "written"), ("card", "spoken"), ("card", "mixed"), ("phone", "written"), ("phone", "spoken"),
        ("phone", "mixed"), ("email", "written"), ("email", "spoken"),
        ("ssn", "written"), ("ssn", "spoken"), ("rrn", "written"), ("rrn", "spoken"), ("account", "written"),
        ("account", "spoken"),
    ]  # fmt: skip
    for lang in ("en", "ko"):
        for entity, style in kinds:
            if entity == "rrn" and style == "spoken" and lang == "en":
                continue
            for _ in range(n_per_kind):
                out.append(_example(rng, lang, entity, style))
        for _ in range(n_per_kind * 4):
            out.append(Example(lookalike(rng, lang), lang, f"lookalike-{lang}"))
    return out


def load_jsonl(path) -> list[Example]:
    """A hand-made set: one JSON object per line, {"lang", "text", "entities": [{"type", "value"}]}, each value
    an exact substring of the text (the first occurrence not taken by an earlier value of the line)."""
    import json
    from pathlib import Path

    out = []
    for i, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        gold: list[tuple[int, int, str]] = []
        for e in row["entities"]:
            # a value given twice in one text is two values: take the next occurrence after those taken
            taken = [g[0] for g in gold if row["text"][g[0] : g[1]] == e["value"]]
            start = row["text"].find(e["value"], taken[-1] + 1 if taken else 0)
            if start < 0:
                raise ValueError(f"{path}:{i}: {e['type']} value is not in the text")
            gold.append((start, start + len(e["value"]), e["type"]))
        out.append(
            Example(row["text"], row["lang"], f"{path.name if hasattr(path, 'name') else path}:{i}", gold)
        )
    return out


@dataclass
class Scores:
    tp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    misses: list[tuple[str, str]] = field(default_factory=list)
    false_alarms: list[tuple[str, str]] = field(default_factory=list)

    def recall(self, entity: str | None = None) -> float:
        tp = sum(self.tp.values()) if entity is None else self.tp[entity]
        fn = sum(self.fn.values()) if entity is None else self.fn[entity]
        return tp / (tp + fn) if tp + fn else 1.0

    def precision(self, entity: str | None = None) -> float:
        tp = sum(self.tp.values()) if entity is None else self.tp[entity]
        fp = sum(self.fp.values()) if entity is None else self.fp[entity]
        return tp / (tp + fp) if tp + fp else 1.0


def score(examples: Iterable[Example], entities: Iterable[str]) -> Scores:
    """A gold value is found when one predicted span covers all of it; the type need not match (a spoken
    SSN read as a phone is still hidden), but a predicted span that covers no gold value is a false alarm."""
    entities = list(entities)
    s = Scores()
    for ex in examples:
        spans = find_spans(ex.text, entities)
        used = set()
        for start, end, entity in ex.gold:
            hit = next(
                (i for i, p in enumerate(spans) if p.start <= start + 1 and p.end >= end - 1), None
            )  # a separator at either edge may be left out
            if hit is None:
                s.fn[entity] += 1
                s.misses.append((ex.kind, ex.text))
            else:
                s.tp[entity] += 1
                used.add(hit)
        for i, p in enumerate(spans):
            if i not in used:
                s.fp[p.entity] += 1
                s.false_alarms.append((ex.kind, f"{ex.text!r} -> {ex.text[p.start : p.end]!r} as {p.entity}"))
    return s
