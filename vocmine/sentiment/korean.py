"""Korean sentiment over Kiwi morphemes: `ko-lexicon` (default) and `ko-count` (the naive baseline).

`ko-lexicon` reads Kiwi's morphemes (form + tag), not surface words, so 친절했어요 / 친절하지 / 친절한 all meet the
lexicon entry 친절. On top of the lexicon it handles:

- negation: 안/못 before a predicate, -지 않다 / -지 못하다 after it, and 없다 after a noun ("불편한 점이 없다"
  flips 불편; "연락이 없다" is a complaint). A negated neutral verb is mildly negative here ("못 받았어요",
  "안 와요": in a contact centre, what did not happen is the complaint).
- contrast: -지만, -는데 and 하지만/그런데/그러나: the clause after weighs more (x1.5), the clause before less (x0.5).
- intensity: 너무/정말/진짜/완전/전혀/... strengthen the next sentiment word.
- scripts: agent formulas (전화 주셔서 감사합니다, 불편을 드려 죄송합니다, 잠시만 기다려 주세요, 좋은 하루 되세요,
  무엇을 도와드릴까요) are ignored; a bare 감사합니다 is polite, not happy, while 정말 감사합니다 is positive.
- domain expressions: 연결이 안 되다, 두 번 결제, 책임자 바꿔 주세요 are negative; 환불이 완료되었습니다,
  면제해 드렸습니다, 복구되었습니다 are positive (resolution news).

The lexicon was written for this project (see docs/sentiment.md for why KOSAC is not used).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

# Lemma -> valence. Nouns/roots by form; predicates by stem + 다; adverbs by form.
LEXICON: dict[str, float] = {
    # -- positive
    "친절": 2.0, "친절하다": 2.0, "상냥하다": 1.8, "만족": 2.0, "만족하다": 2.0, "만족스럽다": 2.2, "빠르다": 1.5,
    "신속": 1.5, "신속하다": 1.5, "좋다": 1.8, "좋아지다": 1.6, "나아지다": 1.4, "해결": 1.5, "편하다": 1.2,
    "편리": 1.2, "편리하다": 1.2, "최고": 2.5, "훌륭하다": 2.2, "추천": 1.5, "정확하다": 1.0, "정확": 1.0,
    "감동": 2.2, "다행": 1.4, "다행히": 1.2, "괜찮다": 0.6, "깔끔하다": 1.4, "깔끔히": 1.2, "칭찬": 1.8,
    "꼼꼼하다": 1.5, "꼼꼼히": 1.2, "저렴하다": 1.2, "완벽": 2.2, "완벽하다": 2.2, "정상": 1.0, "복구": 1.2,
    "면제": 1.2, "할인": 1.2, "무료": 1.0, "혜택": 1.0, "개선": 1.0, "안정": 1.0, "쉽다": 1.2, "간편하다": 1.2,
    "기쁘다": 2.0, "행복하다": 2.0, "즐겁다": 1.8, "든든하다": 1.5, "믿다": 0.8, "신뢰": 1.2, "도움": 1.4,
    "도와주다": 0.6, "안심": 1.5, "멋지다": 1.8, "대박": 1.5, "덕분": 1.4, "잘": 0.8, "잘하다": 1.2,
    "빨리": 0.8, "금방": 0.8, "일찍": 0.6, "훨씬": 0.3, "고맙다": 1.6, "감사": 1.6, "감사하다": 1.6,
    "적극적": 1.2, "유익하다": 1.4, "알차다": 1.4, "원활하다": 1.4, "빨라지다": 1.5, "훌륭": 2.2, "우수": 1.6,
    "편해지다": 1.4, "능숙하다": 1.4, "세심하다": 1.6, "차분하다": 1.0, "명확하다": 1.2, "시원하다": 1.0,
    "꼼꼼": 1.5, "상냥": 1.8, "승인": 0.8, "발생": -0.5, "만족도": 0.0, "친절히": 2.0, "신속히": 1.5,
    "정확히": 1.0, "엉망진창": -2.5, "불편함": -1.6, "불편사항": -1.2, "느려지다": -1.5,
    "짜증스럽다": -2.2, "불만족": -2.0, "불만족스럽다": -2.0, "번거롭다": -1.4, "복잡하다": -1.0,
    # -- negative
    "불만": -2.0, "불친절": -2.2, "불친절하다": -2.2, "짜증": -2.2, "화나다": -2.2, "늦다": -1.2, "느리다": -1.5,
    "끊기다": -1.8, "끊어지다": -1.8, "끊김": -1.8, "장애": -1.8, "불편": -1.6, "불편하다": -1.6, "실망": -2.0,
    "실망하다": -2.0, "실망스럽다": -2.0, "최악": -3.0, "이중": -1.2, "중복": -1.2, "오류": -1.5, "에러": -1.5,
    "지연": -1.5, "위약금": -1.0, "해지": -0.8, "문제": -1.0, "답답하다": -1.8, "황당하다": -2.0, "황당": -2.0,
    "어이없다": -2.2, "비싸다": -1.4, "안되다": -1.5, "고장": -1.8, "기다리다": -0.6, "대기": -0.6, "환불": -0.6,
    "항의": -1.5, "불량": -1.8, "싫다": -1.8, "나쁘다": -1.8, "엉망": -2.5, "손해": -1.5, "민원": -1.5,
    "파손": -1.8, "흠집": -1.2, "실패": -1.5, "거절": -1.5, "거부": -1.5, "누락": -1.2, "분실": -1.5,
    "오배송": -1.8, "잘못": -1.2, "과다": -1.5, "과금": -1.0, "폭탄": -1.5, "연체": -0.8, "연체료": -1.0,
    "독촉": -1.2, "먹통": -2.0, "멈추다": -1.2, "꺼지다": -1.2, "닳다": -1.0, "깨지다": -1.5, "망가지다": -1.8,
    "억울하다": -2.0, "속상하다": -1.8, "너무하다": -1.8, "심하다": -1.5, "열받다": -2.0, "스트레스": -1.5,
    "걱정": -1.0, "불안": -1.2, "사기": -2.5, "속이다": -2.0, "무시": -1.8, "무시하다": -1.8, "불성실": -2.0,
    "무책임": -2.0, "엉터리": -2.0, "형편없다": -2.5, "별로": -1.2, "후회": -1.8, "피해": -1.5, "귀찮다": -1.5,
    "힘들다": -1.5, "어렵다": -1.0, "불가능": -1.2, "불가": -1.2, "품절": -1.2, "책임자": -1.2, "상급자": -1.2,
    "소비자원": -1.5, "신고": -1.0, "고소": -2.0, "자꾸": -0.6, "아직도": -0.6, "여전히": -0.5, "벌써": -0.3,
    "또": -0.3, "렉": -1.5, "버벅거리다": -1.5, "튕기다": -1.5, "이상하다": -1.2, "오작동": -1.8, "먹통되다": -2.0,
    "불통": -1.8, "차단": -1.0, "정지": -1.2, "잠기다": -1.2, "잠금": -0.8, "미납": -0.8, "과납": -1.0,
    "분노": -2.5, "불쾌하다": -2.0, "불쾌": -2.0, "성의": 0.0, "낭비": -1.8, "해킹": -2.0, "도용": -2.0,
    "누전": -1.5, "결함": -1.8, "하자": -1.8, "취소": -0.4, "늦어지다": -1.4, "떨어지다": -0.6, "안타깝다": -1.0,
    "반복": -1.0, "부득이": -1.0, "부득이하다": -1.0, "아쉽다": -1.0, "유감": -1.0, "유감스럽다": -1.2,
}  # fmt: skip

# Content-lemma sequences (particles and endings skipped) -> valence, replacing their parts.
PATTERNS: list[tuple[tuple[str, ...], float]] = [
    (("마음", "들다"), 1.8), (("마음", "놓이다"), 1.8), (("기대", "이상"), 1.8), (("신경", "쓰다"), 1.2),
    (("어이", "없다"), -2.2), (("어처구니", "없다"), -2.2), (("기", "막히다"), -2.0), (("화", "나다"), -2.2),
    (("짜증", "나다"), -2.2), (("말", "되다"), -1.5), (("말", "안", "되다"), -2.0), (("잘", "모르다"), 0.0),
    (("통신사", "옮기다"), -1.2), (("연락", "없다"), -1.2), (("답변", "없다"), -1.2), (("응답", "없다"), -1.2),
    (("소식", "없다"), -1.0), (("신호", "없다"), -1.2), (("설명", "없다"), -1.0), (("고장", "나다"), -1.8),
    (("두", "배"), -1.0), (("살다",), 0.0), (("대상", "아니다"), -1.2), (("해당", "안", "되다"), -1.2),
    (("덕분", "살다"), 1.8), (("문제", "없다"), 1.0), (("이상", "없다"), 1.0),
]  # fmt: skip

# Agent formulas (raw-text regexes): their morphemes are ignored.
SCRIPTS = [
    r"(?:전화|연락|문의|이용|기다려|말씀해)\s?(?:주셔서|줘서)\s?(?:정말\s?)?(?:감사|고맙)\w*",
    r"불편(?:을|하게)?\s?(?:드려(?:서)?|끼쳐(?:서|드려서)?)\s?(?:정말\s?|대단히\s?)?(?:죄송|미안)\w*",
    r"불편하셨을\s?텐데",
    r"(?:잠시만|잠깐만|잠시)\s?(?:기다려|대기해)\s?(?:주세요|주시겠어요|주시겠습니까|주십시오|주실래요|주시면)\??",
    r"좋은\s?(?:하루|주말|저녁|시간)\s?(?:되세요|보내세요|되십시오|보내십시오)",
    r"무엇을\s?도와\s?드릴까요|뭘\s?도와\s?드릴까요|도와\s?드리겠습니다",
    r"(?:양해|이해)\s?부탁\s?드립니다",
    r"수고(?:하세요|하셨습니다|많으십니다)",
    r"기다릴(?:게요|께요|게|께)|기다리겠습니다|기다릴\s?수\s?있어요",  # the customer agreeing to hold
    r"오래\s?기다리셨(?:습니다|죠|지요)|기다리게\s?해\s?(?:드려|드려서)\s?죄송\w*",
    r"(?:정말\s?)?(?:죄송|미안)(?:합니다|해요|하지만|한데요?|하지만요)",
]

# Resolution news (raw-text regexes) -> valence; morphemes inside are ignored.
DONE = [
    (
        r"(?:환불|취소|복구|해제|면제|처리|교환|해결|반영|적용|할인|감면|정상화|재발송|발송|접수)\w{0,2}\s?"
        r"(?:완료|처리|적용|반영)?\s?(?:되었|됐|되어|돼|해\s?드렸|해드렸|해\s?드릴게|해\s?드리겠|해\s?드립니다|드렸)",
        1.6,
    ),
    (r"(?:두|세|네|다섯|여러)\s?번째\s?(?:전화|문의|연락|통화|방문)", -1.5),
    (r"다음에도\s?(?:꼭\s?)?(?:이용|찾|연락)", 1.4),
    (r"다시는\s?(?:이용|안|쓰지|사지)", -1.8),
    (r"(?:할|해\s?드릴|도와\s?드릴|해\s?줄|방법이)\s?수\s?(?:있는|가)\s?(?:게|것이|것은|방법이)?\s?없", -1.5),
]

# Noun ... predicate within a clause (a few content morphemes apart) -> valence on the noun, replacing both:
# a price that went up, a charge the customer does not recognise.
_PRICE = frozenset({"요금", "가격", "비용", "금액", "청구", "월정액", "이용료", "요금제", "청구서", "관리비"})
NEAR: list[tuple[frozenset[str], frozenset[str], float]] = [
    (_PRICE, frozenset({"오르다", "올리다", "올라가다", "인상", "늘다", "비싸지다", "뛰다"}), -1.4),
    (frozenset({"모르다"}), _PRICE | {"결제", "출금", "결제되다", "빠져나가다"}, -1.4),
    # charged twice, in either order: 두 번 결제 / 결제가 두 번 됐다 (두+번 are read as one unit, 두번)
    (
        _PRICE | {"결제", "출금", "이체", "결제되다", "빠져나가다", "승인"},
        frozenset({"두번", "세번", "이중", "중복"}),
        -2.0,
    ),
    # a different item arrived: 다른 색상이 왔어요, 주문과 다른 제품이 배송됐어요
    (frozenset({"다른", "다르다"}), frozenset({"오다", "배송", "도착", "보내다", "배달", "받다"}), -1.6),
]
NEAR_SPAN = 4  # content morphemes between the noun and its predicate

# Information questions name a problem without reporting one (요금을 늦게 내면 어떻게 되나요?, 환불은 며칠 걸려요?):
# a question with one of these words has its mild lexicon values dropped. 왜 (why) questions are complaints.
_INFO_WORDS = frozenset(
    {"어떻다", "얼마", "얼마나", "며칠", "언제", "몇", "무엇", "뭐", "어디", "어느", "가능", "방법"}
)
_QUESTION_EF = frozenset({"나요", "까요", "ᆯ까요", "을까요", "가요", "니까", "ᆸ니까", "습니까", "죠"})

_BAD_NEWS = frozenset({"부득이", "부득이하다", "안타깝다", "아쉽다", "유감", "유감스럽다"})

NEG_BEFORE = {"안", "못"}  # MAG
NEG_AFTER = {"않", "못하"}  # VX after -지
CONTRAST_EC = {"지만", "는데", "은데", "ᆫ데", "던데", "었는데"}
CONTRAST_MAJ = {"하지만", "그런데", "그러나", "근데", "그렇지만", "그래도"}
INTENSIFIERS = {
    "너무": 1.3, "정말": 1.3, "진짜": 1.3, "참": 1.2, "아주": 1.3, "매우": 1.3, "엄청": 1.4, "완전": 1.4,
    "굉장히": 1.4, "많이": 1.2, "전혀": 1.3, "대단히": 1.3, "몹시": 1.4, "무척": 1.3, "제일": 1.2, "가장": 1.2,
    "정말로": 1.3, "되게": 1.3, "계속": 1.2, "항상": 1.1, "큰": 1.3, "크다": 1.3,
}  # fmt: skip
_GRATITUDE = {"감사", "감사하다", "고맙다"}
_NOUN_TAGS = {"NNG", "NNP", "XR", "NR", "NNB"}
_PRED_TAGS = {"VV", "VA", "VV-I", "VA-I", "VV-R", "VA-R", "VX", "VCN", "XSV", "XSA"}
_SKIP_TAGS = ("J", "E", "S", "XSN")  # particles, endings, punctuation, noun suffixes
_ALPHA = 15.0  # same normalisation as VADER's compound: x / sqrt(x^2 + alpha)


def _lemma(form: str, tag: str) -> str:
    if tag in ("VV", "VA", "VV-I", "VA-I", "VV-R", "VA-R", "VX", "XSV", "XSA", "VCN"):
        return form + "다"
    return form


class _Unit:
    """One content morpheme with its valence state."""

    __slots__ = ("lemma", "tag", "value", "neg", "boost", "weight", "start")

    def __init__(self, lemma: str, tag: str, start: int) -> None:
        self.lemma, self.tag, self.start = lemma, tag, start
        self.value = 0.0
        self.neg = False
        self.boost = 1.0
        self.weight = 1.0


def _kiwi():
    """Kiwi from the Korean language pipeline when present (one model per process), else a fresh one."""
    try:
        from vocmine.lang import get_pipeline

        kiwi = getattr(get_pipeline("ko"), "kiwi", None)
        if kiwi is not None:
            return kiwi
    except Exception:  # pragma: no cover - the pipeline is optional here
        pass
    from kiwipiepy import Kiwi

    return Kiwi()


class KoreanLexiconBackend:
    name = "ko-lexicon"

    def __init__(self, lexicon: dict[str, float] | None = None) -> None:
        self.lexicon = dict(LEXICON if lexicon is None else lexicon)
        self.kiwi = _kiwi()
        self._scripts = re.compile("|".join(SCRIPTS))
        self._done = [(re.compile(p), v) for p, v in DONE]

    def score(self, texts: Sequence[str], docs: Sequence | None = None) -> list[float]:
        texts = list(texts)
        return [self._score(t, m) for t, m in zip(texts, self.kiwi.tokenize(texts), strict=True)]

    def _score(self, text: str, morphs) -> float:
        ignored: list[tuple[int, int]] = [m.span() for m in self._scripts.finditer(text)]
        extra = 0.0
        resolved_at: int | None = None  # where the first resolution news starts (환불 처리해 드렸습니다)
        for rx, value in self._done:
            for m in rx.finditer(text):
                if not any(a <= m.start() < b for a, b in ignored):
                    ignored.append(m.span())
                    extra += value
                    if value > 0 and (resolved_at is None or m.start() < resolved_at):
                        resolved_at = m.start()
        units: list[_Unit] = []
        contrast_at: list[int] = []  # index in units where a later, heavier clause starts
        pending_neg = False
        pending_prefix_neg = False
        pending_boost = 1.0
        last_intensifier = ""  # 너무 + 하다 is 너무하다, not "very" + 하다
        question = text.rstrip().endswith("?")
        for m in morphs:
            if (m.tag == "EF" and m.form in _QUESTION_EF) or m.form.startswith("궁금"):
                question = True  # 어떻게 되나요 / ... 궁금합니다
            if any(a <= m.start < b for a, b in ignored):
                continue
            tag, form = m.tag, m.form
            if tag == "MAG" and form in NEG_BEFORE:
                pending_neg = True
                units.append(_Unit(form, "NEG", m.start))
                continue
            if tag == "VX" and form in NEG_AFTER:
                # -지 않다 / -지 못하다: negates the predicate (or noun+하다) just before
                for u in reversed(units):
                    if u.tag != "NEG":
                        u.neg = not u.neg
                        if form == "못하":
                            u.tag = "NEGMOT"
                        break
                continue
            if (tag == "EC" and form in CONTRAST_EC) or (tag == "MAJ" and form in CONTRAST_MAJ):
                contrast_at.append(len(units))
                continue
            if tag.startswith(_SKIP_TAGS) and tag not in ("XSV", "XSA"):
                continue
            if tag in ("XSV", "XSA") and last_intensifier + "하다" in self.lexicon:
                u = _Unit(last_intensifier + "하다", "VA", m.start)
                u.value, pending_boost, last_intensifier = self.lexicon[u.lemma], 1.0, ""
                units.append(u)
                continue
            last_intensifier = ""
            if tag == "XPN" and form in ("불", "비", "무", "미"):
                pending_prefix_neg = True  # 불+친절, 불+만족: the prefix negates the noun
                continue
            if tag in ("XSV", "XSA") and units and units[-1].tag in _NOUN_TAGS | {"MAG"}:
                # 친절+하다, 해결+되다: the root carries the meaning; 상냥+하다 is listed as 상냥하다
                prev = units[-1]
                if not prev.value and prev.lemma + "하다" in self.lexicon:
                    prev.value = self.lexicon[prev.lemma + "하다"]
                if pending_neg and prev.value == 0.0:
                    prev.tag, pending_neg = "VV", False
                    prev.neg = True
                continue
            lemma = _lemma(form, tag)
            if form in INTENSIFIERS and tag in ("MAG", "VA", "MM"):
                pending_boost = INTENSIFIERS[form]
                last_intensifier = form if tag == "MAG" else ""
                continue
            if (
                form == "번"
                and tag == "NNB"
                and units
                and units[-1].tag == "MM"
                and units[-1].lemma in ("두", "세")
            ):
                units[-1].lemma += "번"  # 두 번 / 세 번: "twice" is one unit for the NEAR patterns
                continue
            u = _Unit(lemma, tag, m.start)
            u.value = self.lexicon.get(lemma, 0.0)
            if pending_neg and tag in _PRED_TAGS:
                u.neg = True
                pending_neg = False
            if pending_prefix_neg:
                u.neg, pending_prefix_neg = True, False
                if lemma in ("친절", "만족", "편", "성실", "안정", "정확", "확실", "공정", "책임"):
                    u.value = u.value or 1.5
            if u.value:
                u.boost, pending_boost = pending_boost, 1.0
            units.append(u)

        self._patterns(units)
        self._near(units)
        if question and "왜" not in text and any(u.lemma in _INFO_WORDS for u in units):
            extra = 0.0
            for u in units:
                if abs(u.value) < 1.8:
                    u.value = 0.0
        self._negated_noun(units)
        self._missing(units)
        # clause weights: before the last contrast 0.5, after it 1.5
        if contrast_at:
            cut = contrast_at[-1]
            for i, u in enumerate(units):
                u.weight = 0.5 if i < cut else 1.5

        has_other_positive = any(u.value > 0 and u.lemma not in _GRATITUDE for u in units)
        # 부득이하게 / 안타깝게도 ... 취소되었습니다: an agent announcing bad news, not a resolution
        if any(u.lemma in _BAD_NEWS for u in units):
            resolved_at, extra = None, min(extra, 0.0)
        # what was resolved is not a complaint: 중복 결제된 금액은 환불해 드렸습니다 (the same clause only)
        if resolved_at is not None:
            # the clause of the resolution starts at the last contrast before it
            first = max((c for c in contrast_at if not c or units[c - 1].start < resolved_at), default=0)
            for u in units[first:]:
                if u.start < resolved_at and u.value < 0 and not u.neg:
                    u.value = 0.0
        total = extra
        for u in units:
            value = u.value
            if u.lemma in _GRATITUDE and u.boost == 1.0 and not has_other_positive:
                value = 0.0  # a bare 감사합니다 is politeness
            if u.neg:
                if value > 0:
                    value = -0.8 * value
                elif value < 0:
                    value = -0.5 * value
                elif u.tag in _PRED_TAGS:
                    value = -0.8 if u.tag == "NEGMOT" else -0.6  # 못 받았어요 / 안 와요
            total += value * u.boost * u.weight
        return total / math.sqrt(total * total + _ALPHA) if total else 0.0

    @staticmethod
    def _negated_noun(units: list[_Unit]) -> None:
        """해결이 안 되다, 도움이 안 되다: 안/못 before a neutral 되다/하다 negates the positive noun that is its
        subject, not the light verb (which would only count as "something did not happen")."""
        for i, u in enumerate(units):
            if not (u.neg and u.value == 0.0 and u.lemma in ("되다", "하다")):
                continue
            before = [p for p in units[max(0, i - 3) : i] if p.tag != "NEG" and p.lemma != "잘"]
            # only a positive noun: 취소가 안 되다 ("cannot be cancelled") stays a complaint
            if before and before[-1].value > 0 and before[-1].tag in _NOUN_TAGS:
                before[-1].neg, u.neg = not before[-1].neg, False

    @staticmethod
    def _missing(units: list[_Unit]) -> None:
        """없다 after a noun flips a sentiment noun ("불편한 점이 없다" -> positive); -ㄹ 수 없다 is "cannot"
        and -ㄴ 적이 없다 with nothing evaluative before it is "never did" (신청한 적이 없어요): complaints here."""
        for i, u in enumerate(units):
            if u.lemma != "없다" or u.value != 0.0 or u.tag == "USED":
                continue
            prev1 = units[i - 1] if i else None
            if prev1 is not None and prev1.lemma == "수" and prev1.tag == "NNB":
                u.value = -1.0
                continue
            never = prev1 is not None and prev1.lemma == "적" and prev1.tag == "NNB"
            flipped = False
            for prev in reversed(units[max(0, i - 4 if never else i - 3) : i]):
                if prev.tag == "USED" or (prev.tag in _PRED_TAGS and not prev.value and not never):
                    break  # another predicate between them: 없다 is not about this word
                if prev.value and prev.tag in _NOUN_TAGS | {"VA", "XR"}:
                    prev.neg, flipped = not prev.neg, True  # 문제가 생긴 적이 없다: never had a problem
                    break
            if never and not flipped:
                u.value = -1.0

    @staticmethod
    def _near(units: list[_Unit]) -> None:
        for nouns, preds, value in NEAR:
            for i, u in enumerate(units):
                if u.lemma not in nouns or u.tag == "USED":
                    continue
                for v in units[max(0, i - NEAR_SPAN) : i + NEAR_SPAN + 1]:
                    if v is not u and v.lemma in preds and v.tag != "USED":
                        u.value, v.value, v.tag = value, 0.0, "USED"
                        break

    @staticmethod
    def _patterns(units: list[_Unit]) -> None:
        lemmas = [u.lemma for u in units]
        for seq, value in PATTERNS:
            n = len(seq)
            for i in range(len(lemmas) - n + 1):
                if tuple(lemmas[i : i + n]) == seq:
                    head = units[i]
                    head.value = value
                    for u in units[i + 1 : i + n]:
                        u.value = 0.0
                        u.tag = "USED"
                    if "안" in seq:
                        head.neg = False


class KoreanCountBackend:
    """`ko-count`: positive minus negative lexicon hits, no negation, contrast or scripts (the baseline)."""

    name = "ko-count"

    def __init__(self) -> None:
        self.kiwi = _kiwi()

    def score(self, texts: Sequence[str], docs: Sequence | None = None) -> list[float]:
        texts = list(texts)
        out = []
        for morphs in self.kiwi.tokenize(texts):
            hits = [LEXICON.get(_lemma(m.form, m.tag), 0.0) for m in morphs]
            n = sum(1 for h in hits if h > 0) - sum(1 for h in hits if h < 0)
            out.append(n / math.sqrt(n * n + 1.0))
        return out
