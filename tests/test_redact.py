"""Redaction: every expected output here is written by hand from the rules in vocmine/redact.py's docstring."""

from __future__ import annotations

import pytest

from vocmine.records import Word
from vocmine.redact import luhn_ok, redact_text, redact_words

ALL = ["card", "phone", "email", "ssn", "rrn", "account"]


def red(text: str, entities=ALL) -> str:
    return redact_text(text, entities)[0]


# -- cards -----------------------------------------------------------------------------------------------


def test_luhn_known_values():
    assert luhn_ok("4111111111111111")
    assert luhn_ok("5555555555554444")
    assert not luhn_ok("4111111111111112")
    assert not luhn_ok("1234567812345678")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("my card is 4111 1111 1111 1111 thanks", "my card is [CARD] thanks"),
        ("card 4111-1111-1111-1111.", "card [CARD]."),
        ("4111111111111111", "[CARD]"),
        ("use 5555 5555 5555 4444 instead", "use [CARD] instead"),
    ],
)
def test_luhn_valid_cards_are_replaced(text, expected):
    assert red(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "order 1234567812345678 shipped",
        "order number 4111111111111112",
        "tracking 1234 5678 1234 5678 arrived",
    ],
)
def test_luhn_invalid_16_digit_numbers_are_kept(text):
    assert red(text) == text


def test_spoken_card_number_is_caught():
    spoken = "my card is " + " ".join(["four"] + ["one"] * 15)
    assert red(spoken) == "my card is [CARD]"


def test_spoken_phone_number_is_caught_with_and_without_commas():
    assert red("my number is five five five two one three four four seven eight") == "my number is [PHONE]"
    assert red("my number is five five five, two one three, four four seven eight.") == (
        "my number is [PHONE]."
    )


def test_ordinary_counting_words_are_not_a_number():
    text = "I called two or three times and waited one hour"
    assert red(text) == text


# -- phones, e-mail, national ids -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("call me at 555-213-4478", "call me at [PHONE]"),
        ("call me at (415) 555-0100 please", "call me at [PHONE] please"),
        ("reach me on 415.555.0100", "reach me on [PHONE]"),
        ("or +1 415 555 0100", "or [PHONE]"),
        ("연락처는 010-1234-5678 입니다", "연락처는 [PHONE] 입니다"),
        ("번호 01012345678 로 주세요", "번호 [PHONE] 로 주세요"),
    ],
)
def test_phone_formats(text, expected):
    assert red(text) == expected


def test_email():
    assert red("write to jane.doe@example.com today") == "write to [EMAIL] today"
    assert red("a.b+tag@mail.example.co.kr.") == "[EMAIL]."


def test_ssn_and_rrn():
    assert red("my ssn is 123-45-6789") == "my ssn is [SSN]"
    assert red("주민번호는 900101-1234567 입니다") == "주민번호는 [RRN] 입니다"


def test_account_numbers_need_context():
    assert red("account number 12345678") == "account number [ACCOUNT]"
    assert red("계좌 110-234-567890 으로 환불해 주세요") == "계좌 [ACCOUNT] 으로 환불해 주세요"
    # the same digits without the word "account" nearby are left alone
    assert red("order 12345678 arrived") == "order 12345678 arrived"


# -- look-alikes that must stay -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "the outage started on 2026-11-16 at 10:30",
        "between 9:00 and 17:30",
        "it cost $30 a month, now $1,299.99",
        "order 12345678 arrived",
        "in 2026 and 1999 we had outages",
        "router firmware 10.2.3",
        "my account was locked on 2026-11-16",  # a date next to "account" is still a date
        "계좌 개설일은 2026-11-16 입니다",
    ],
)
def test_look_alikes_stay(text):
    assert red(text) == text


def test_redact_text_returns_spans_with_entity_types():
    text, spans = redact_text("mail jane.doe@example.com or 555-213-4478", ALL)
    assert text == "mail [EMAIL] or [PHONE]"
    assert [s.entity for s in spans] == ["email", "phone"]


# -- entity switch --------------------------------------------------------------------------------------


def test_disabling_an_entity_keeps_it():
    text = "mail jane.doe@example.com or call 555-213-4478"
    without_email = [e for e in ALL if e != "email"]
    assert red(text, without_email) == "mail jane.doe@example.com or call [PHONE]"
    assert red(text, ["email"]) == "mail [EMAIL] or call 555-213-4478"
    assert red(text, []) == text


def test_disabling_card_keeps_card_even_spoken():
    spoken = " ".join(["four"] + ["one"] * 15)
    assert red("4111 1111 1111 1111", ["phone", "email"]) == "4111 1111 1111 1111"
    assert "[CARD]" not in red(spoken, ["email"])


# -- word-level redaction -------------------------------------------------------------------------------


def _words(tokens: list[str], start: float = 0.0, step: float = 0.3) -> list[Word]:
    return [Word(start + i * step, start + (i + 1) * step, tok, 0.9) for i, tok in enumerate(tokens)]


def test_redact_words_merges_a_spoken_number_into_one_placeholder_with_its_times():
    lead = ["My", " number", " is"]
    digits = [
        " " + d for d in ["five", "five", "five", "two", "one", "three", "four", "four", "seven", "eight"]
    ]
    words = _words([*lead, *digits, " thanks"])
    out = redact_words(words, ALL)
    assert [w.word for w in out] == ["My", " number", " is", " [PHONE]", " thanks"]
    placeholder = out[3]
    first_digit, last_digit = words[3], words[3 + len(digits) - 1]
    assert placeholder.start_s == pytest.approx(first_digit.start_s)
    assert placeholder.end_s == pytest.approx(last_digit.end_s)
    # words around the number keep their own timing untouched
    assert out[0] == words[0]
    assert out[-1] == words[-1]


def test_redact_words_email_split_across_tokens():
    words = _words([" write", " jane", ".doe", "@example", ".com", " now"])
    out = redact_words(words, ALL)
    assert [w.word for w in out] == [" write", " [EMAIL]", " now"]
    assert out[1].start_s == pytest.approx(words[1].start_s)
    assert out[1].end_s == pytest.approx(words[4].end_s)


def test_redact_words_without_personal_data_is_unchanged():
    words = _words(["I", " want", " a", " refund"])
    assert redact_words(words, ALL) == words
    assert redact_words([], ALL) == []


# -- numbers read out in mixed ways, other national formats, addresses said aloud -------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        # groups typed and groups said: the digit view joins them into one number (Luhn-valid: 4111...1111)
        ("that's 4111 1111 1111 one one one one, okay?", "that's [CARD], okay?"),
        ("card is 4111 1111 one one one one 1111", "card is [CARD]"),
        # read in pairs: forty-one eleven ... = 4111 1111 1111 1111
        ("forty-one eleven eleven eleven eleven eleven eleven eleven", "[CARD]"),
        ("카드는 4111 일일일일 1111 일일일일 입니다", "카드는 [CARD] 입니다"),
    ],
)
def test_mixed_written_and_spoken_cards(text, expected):
    assert red(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("home 07700 900123, mobile +44 7700 900456.", "home [PHONE], mobile [PHONE]."),
        ("London office 020 7946 0958", "London office [PHONE]"),
        ("번호는 공일공에 일이삼사에 오육칠팔입니다.", "번호는 [PHONE]입니다."),
    ],
)
def test_uk_phones_and_korean_groups_read_with_e(text, expected):
    assert red(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("you can email me at john dot smith at outlook dot com.", "you can email me at [EMAIL]."),
        ("it's sarah underscore lee at yahoo dot co dot uk", "it's [EMAIL]"),
        ("my email is jwu at gmail dot com", "my email is [EMAIL]"),
        ("메일은 hong 점 gildong 골뱅이 naver 닷컴이에요", "메일은 [EMAIL]이에요"),
    ],
)
def test_spoken_email_addresses(text, expected):
    assert red(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I bought it at amazon dot com last week",  # a shop's site, not an address
        "since twenty twenty-three, twenty twenty-four even",  # years said in pairs
        "4816981055265528 이 번호가 주문번호예요",  # 이 = "this", not a digit; and it is an order number
        "송장번호가 6632-5354-3720인데 맞나요?",
    ],
)
def test_spoken_look_alikes_stay(text):
    assert red(text) == text


def test_ssn_with_spaces_or_bare_after_social():
    assert red("ssn 543 95 8467 please") == "ssn [SSN] please"
    assert red("my full social, it's 609548120.") == "my full social, it's [SSN]."
    assert red("order 609548120 shipped") == "order 609548120 shipped"
    assert red("주민번호는 구공공일공일 다시 일이삼사오육칠 입니다") == "주민번호는 [RRN] 입니다"


@pytest.mark.parametrize(
    "text, expected",
    [
        # pauses and fillers inside a number read out, in both languages
        ("it's um four one one one... uh one one one one, one one one one one one one one", "it's um [CARD]"),
        ("nine one seven... uh... five five five... oh one... six two", "[PHONE]"),
        ("핸드폰은 공일공... 음... 일이삼사... 어... 오육칠팔이요", "핸드폰은 [PHONE]이요"),
        ("4111 1111 어... 1111 1111 이고요", "[CARD] 이고요"),
        # digit-by-digit typing, dots, spaced dashes, split RRN
        ("my social security is 5 1 8 - 2 2 - 9 0 6 3", "my social security is [SSN]"),
        ("SSN: 355.82.1946", "SSN: [SSN]"),
        ("주민번호 앞자리 670228 뒷자리 2282020", "주민번호 앞자리 [RRN]"),
        ("741005 - 1409241 이요", "[RRN] 이요"),
        # extensions, area codes in brackets, bare numbers after phone words, Korean bank accounts
        ("Tel: +1 (646) 555-0178 ext. 204", "Tel: [PHONE]"),
        ("대표번호 (02) 2100-3399 내선 215 번으로", "대표번호 [PHONE] 번으로"),
        ("text me at 6175550139 when", "text me at [PHONE] when"),
        ("국민은행 502801-04-187326 으로 환불해 주세요", "국민은행 [ACCOUNT] 으로 환불해 주세요"),
        ("pkowalski at gmail dot com, thanks", "[EMAIL], thanks"),
    ],
)
def test_numbers_with_fillers_and_other_real_shapes(text, expected):
    assert red(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "IMEI 352099001761481 on the phone that was stolen",  # IMEIs pass Luhn too
        "바코드 8801043015218 찍어보니 다른 상품이 나와요",  # EAN-13, shaped like an RRN
        "Tracking number 1Z5FKVJY2992693135 shows it stuck",
        "the routing is 026009593",  # a bank's routing number names the bank, not the person
        "팔팔공일일칠 이게 뭐예요",  # 이게 is a word: the run stops before it, and 6 digits are no entity
    ],
)
def test_device_ids_barcodes_and_references_stay(text):
    assert red(text) == text


@pytest.mark.parametrize(
    "text, expected",
    [
        # corrections inside a number hide the whole read-out, the wrong digits and the right ones
        (
            "my number is eight one eight five five five oh one... sorry oh one two one",
            "my number is [PHONE]",
        ),
        ("번호가 공일공, 음, 사칠삼이, 아 아니다, 사칠이삼, 구구공일이에요", "번호가 [PHONE]이에요"),
        ("주민번호 앞자리는 770102이고 뒷자리는 1679290이에요", "주민번호 앞자리는 [RRN]이에요"),
        ("010 그 다음이 육이구삼 그 다음이 일일사팔이요", "[PHONE]이요"),
        # "hundred" inside dictation; native Korean numerals
        ("it's oh seven seven hundred, nine double oh, one two three", "it's [PHONE]"),
        ("공일공 하나둘셋넷 다섯여섯일곱여덟", "[PHONE]"),
        # letters spelled out, in English and in Korean
        ("m i k e underscore t at yahoo dot co dot uk", "[EMAIL]"),
        ("에스 와이 팍 언더바 구공 앳 지메일 닷컴", "[EMAIL]"),
        (
            "Wells Fargo savings 1029384756 is where the refund should go",
            "Wells Fargo savings [ACCOUNT] is where the refund should go",
        ),
    ],
)
def test_corrections_dictation_and_spelled_addresses(text, expected):
    assert red(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "that's two thousand three hundred and twelve points",  # an amount, not digits read out
        "membership number is 6011 2048 1175",
        "customer number is seven four two, nine nine one, oh three eight",
        "영수증 번호 0047-2231-8890",
        "CJ대한통운 5823 4419 0076 아직 배송 중으로 나와요",
        "The IMEI on the box is 352099001761481",
        "골뱅이 무침이 맛있어요",
    ],
)
def test_amounts_member_numbers_receipts_and_couriers_stay(text):
    assert red(text) == text


def test_a_speaker_label_is_not_a_reference_word():
    assert red("고객: 010-7130-3086요.") == "고객: [PHONE]요."


@pytest.mark.parametrize(
    "text, expected",
    [
        # a read-out with a correction is one value: one placeholder over both attempts
        ("447-29-1835, wait, no, 447-29-1853.", "[SSN]."),
        ("plus one, five one two, five five five, zero one four four", "[PHONE]"),
        ("계좌는 110 다시 294 다시 638102이고 예금주는 저예요.", "계좌는 [ACCOUNT]이고 예금주는 저예요."),
        ("IBAN IE29 AIBK 9311 5212 3456 78", "IBAN [ACCOUNT]"),
        ("contact me: emma.w (at) fastmail (dot) com", "contact me: [EMAIL]"),
        ("Contact no: 6475550193 (Canada)", "Contact no: [PHONE] (Canada)"),
        ("my Korean number is +82 10 4471 2093", "my Korean number is [PHONE]"),  # "Korean" is not "EAN"
    ],
)
def test_corrected_read_outs_ibans_and_obfuscated_addresses(text, expected):
    assert red(text) == expected


def test_a_corrected_number_without_context_is_still_hidden_whole():
    text, spans = redact_text("It's 0432 118 740 — sorry, 704 at the end.", ALL)
    assert len(spans) == 1 and text.startswith("It's [") and text.endswith("] at the end.")


def test_an_iban_must_pass_its_check_and_references_may_be_grouped():
    assert red("IBAN IE29 AIBK 9311 5212 3456 79") != "IBAN [ACCOUNT]"  # one digit off: no valid IBAN
    assert red("E-ticket number 176 2345678901.") == "E-ticket number 176 2345678901."
