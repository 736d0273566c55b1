"""Property-based tests (hypothesis) for the redactor and the input parsers: whatever the input, redaction
finds what it must, changes nothing else, is idempotent; parsers never crash and never lose a good row."""

from __future__ import annotations

import csv
import io
import json
import re
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vocmine.ingest import detect_text_language, discover, normalise_language
from vocmine.redact import ALL_ENTITIES, PLACEHOLDERS, luhn_ok, pseudonymise, redact_text, scrub_json
from vocmine.redact_eval import EN_WORDS, KO_WORDS

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@st.composite
def luhn_cards(draw) -> str:
    length = draw(st.sampled_from([13, 15, 16, 19]))
    body = draw(st.text(string.digits, min_size=length - 1, max_size=length - 1))
    body = str(draw(st.integers(1, 9))) + body[1:]
    return next(body + d for d in string.digits if luhn_ok(body + d))


@st.composite
def grouped(draw, digits: str) -> str:
    """The digits split into random groups of 1..6 joined by a space or a dash (or nothing)."""
    sep = draw(st.sampled_from([" ", "-", ""]))
    out, i = [], 0
    while i < len(digits):
        n = draw(st.integers(3, 6))
        out.append(digits[i : i + n])
        i += n
    return sep.join(out)


PROSE_EN = st.text(alphabet=string.ascii_letters + " ,.!?'", max_size=60)
PROSE_KO = st.text(alphabet="가나다라마바상담요금제변경환불해주세요 ,.", max_size=40)


@SETTINGS
@given(card=luhn_cards(), data=st.data(), before=PROSE_EN, after=PROSE_EN)
def test_any_luhn_card_in_any_grouping_is_redacted(card, data, before, after):
    written = data.draw(grouped(card))
    text = f"{before.rstrip()} card {written} {after.lstrip()}"
    red, spans = redact_text(text, ALL_ENTITIES)
    assert re.sub(r"\D", "", written) not in re.sub(r"\D", "", red)
    assert "[CARD]" in red or "[PHONE]" in red or "[ACCOUNT]" in red  # hidden, whatever it is taken for


@SETTINGS
@given(card=luhn_cards(), lang=st.sampled_from(["en", "ko"]), sep=st.sampled_from([" ", ", ", "  "]))
def test_any_spoken_luhn_card_is_redacted(card, lang, sep):
    words = EN_WORDS if lang == "en" else KO_WORDS
    spoken = sep.join(words[int(d)] for d in card)
    text = f"my card is {spoken} thanks" if lang == "en" else f"카드 번호는 {spoken} 입니다"
    red, spans = redact_text(text, ALL_ENTITIES)
    assert [s.entity for s in spans] == ["card"], red
    assert red == ("my card is [CARD] thanks" if lang == "en" else "카드 번호는 [CARD] 입니다")


@SETTINGS
@given(text=st.text(alphabet=st.characters(blacklist_categories=("Nd",), blacklist_characters="@０-９")))
def test_text_without_digits_or_at_signs_is_unchanged(text):
    # no digits (of any script), no number words and no e-mail said aloud ("at", 골뱅이): nothing to redact
    words = r"zero|oh|o|one|two|three|four|five|six|seven|eight|nine|\w*teen|ten|eleven|twelve|\w*ty|at|앳"
    text = re.sub(rf"\b(?:{words})\b", "x", text, flags=re.I)
    text = re.sub("[공영일이삼사오육칠팔구]|골뱅이", "가", text)
    assert redact_text(text, ALL_ENTITIES)[0] == text


@SETTINGS
@given(text=st.text(alphabet=string.ascii_letters + string.digits + " -.,@()+가나다일이삼사오", max_size=120))
def test_redaction_is_idempotent_and_leaves_no_raw_span(text):
    once, spans = redact_text(text, ALL_ENTITIES)
    twice, again = redact_text(once, ALL_ENTITIES)
    assert twice == once and again == []
    for s in spans:
        assert PLACEHOLDERS[s.entity] in once


@SETTINGS
@given(value=st.text(max_size=40), digits=st.text(string.digits, min_size=10, max_size=10))
def test_pseudonyms_are_stable_and_distinct(value, digits):
    phone = f"{value} tel 010-{digits[:4]}-{digits[4:8]}"
    a, b = pseudonymise(phone), pseudonymise(phone)
    assert a == b and f"{digits[:4]}-{digits[4:8]}" not in a
    other = f"{value} tel 010-{digits[:4]}-{(int(digits[4:8]) + 1) % 10000:04d}"
    assert pseudonymise(other) != a


@SETTINGS
@given(
    meta=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
        max_leaves=10,
    )
)
def test_scrub_json_keeps_the_shape_of_any_metadata(meta):
    out = scrub_json(meta)
    assert type(out) is type(meta) or isinstance(meta, int)
    assert scrub_json(out) == out
    json.dumps(out)


# -- parsers ---------------------------------------------------------------------------------------------

CELL = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)


@SETTINGS
@given(rows=st.lists(st.tuples(CELL, CELL, CELL), min_size=1, max_size=8), junk=st.lists(CELL, max_size=3))
def test_jsonl_parser_never_crashes_and_keeps_every_good_row(tmp_path_factory, rows, junk):
    tmp = tmp_path_factory.mktemp("jsonl")
    lines, good = [], {}
    for i, (text, queue, lang) in enumerate(rows):
        cid = f"id-{i}"
        lines.append(json.dumps({"id": cid, "text": text, "queue": queue, "language": lang or None}))
        if text.strip():
            good[cid] = text.strip()
    lines += [j for j in junk if j.strip()]  # arbitrary text lines in between: warnings, not a crash
    (tmp / "fb.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = discover(tmp, redact_entities=[])
    got = {c.conversation_id: c.text for c in res.conversations if c.status == "ok"}
    assert {k: v for k, v in got.items() if k in good} == good
    assert set(got) <= set(good) | {c for c in got if not c.startswith("id-")}


@SETTINGS
@given(rows=st.lists(st.tuples(CELL, CELL), min_size=1, max_size=8))
def test_csv_parser_round_trips_any_cell_text(tmp_path_factory, rows):
    tmp = tmp_path_factory.mktemp("csv")
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["id", "text", "queue"])
    expected = {}
    for i, (text, queue) in enumerate(rows):
        w.writerow([f"r{i}", text, queue])
        if text.strip():
            expected[f"r{i}"] = text.strip()
    (tmp / "fb.csv").write_text(buf.getvalue(), encoding="utf-8")
    res = discover(tmp, redact_entities=[])
    assert {c.conversation_id: c.text for c in res.conversations if c.status == "ok"} == expected
    # a row without text is a failed row named after its (last physical) line, never silently lost
    failed = [c.conversation_id for c in res.failed]
    assert len(failed) == len(rows) - len(expected) and all(f.startswith("fb.csv:") for f in failed)


@SETTINGS
@given(
    name=st.text(alphabet=string.ascii_letters + string.digits + "_-", min_size=1, max_size=12),
    meta=st.dictionaries(
        st.sampled_from(["queue", "agent_id", "language", "started_at", "extra", "call_id"]), CELL, max_size=4
    ),
)
def test_manifest_and_sidecar_never_crash_discovery(tmp_path_factory, name, meta):
    tmp = tmp_path_factory.mktemp("meta")
    (tmp / f"{name}.wav").write_bytes(b"RIFF????WAVE")  # not decodable: a failed row, with its reason
    (tmp / f"{name}.json").write_text(json.dumps(meta), encoding="utf-8")
    buf = io.StringIO()
    csv.writer(buf).writerows([["file", *meta], [f"{name}.wav", *meta.values()]])
    (tmp / "manifest.csv").write_text(buf.getvalue(), encoding="utf-8")
    res = discover(tmp, redact_entities=[])
    assert len(res.conversations) == 1
    conv = res.conversations[0]
    assert conv.status == "failed" and conv.error and str(tmp) in conv.error


@SETTINGS
@given(
    primary=st.sampled_from(["en", "ko", "EN", "Ko"]),
    region=st.sampled_from(["", "-US", "_KR", "-kr", "-Hang-KR"]),
    pad=st.sampled_from(["", " ", "\t"]),
)
def test_language_tags_normalise_to_their_primary_subtag(primary, region, pad):
    assert normalise_language(f"{pad}{primary}{region}{pad}") == primary.lower()


@SETTINGS
@given(text=st.text(max_size=80), default=st.sampled_from(["en", "ko"]))
def test_language_detection_is_total(text, default):
    assert detect_text_language(text, default) in ("en", "ko")
