"""Conversation sentiment per speaker: overall, per quarter, first vs last quarter, and the shift between them.

Units and where they sit on the conversation's 0..1 axis:

- calls: each utterance covers [start_s, end_s] of the call, scaled by the call's span (first word of anyone to
  last word of anyone), so quarter 1 is the same stretch of time for the customer and the agent. Utterances
  without timings fall back to their order: utterance i of n covers [i/n, (i+1)/n].
- text feedback: each sentence that carries an opinion (|score| >= the neutral band) is a unit, in order; unit i
  of n covers [i/n, (i+1)/n]. Neutral sentences (an order number, a closing "Thanks!") are left out so they
  cannot fake a fall; a text with no opinion at all uses all its sentences. The overall score of a text item is
  the score of the whole text (contrast across sentences counts), the quarters come from its sentences.

A quarter's score is the mean of the units that overlap it, each weighted by its word count times the share of it
that falls in the quarter; a quarter nobody spoke in is NULL. The first-quarter (start) score is Q1, or when the
speaker said nothing in Q1 their first unit's score; the end score likewise Q4 or their last unit. shift = end -
start. A single-unit speaker therefore has start = end and shift 0 (no movement can be seen); one-sentence text
items get Q1..Q4 all equal to their score.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from vocmine.records import Conversation, SpeakerSentiment, Utterance

_SENTENCE_END = re.compile(r"(?<=[.!?。？！])\s+|\n+")


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def _words(text: str) -> int:
    return max(len(text.split()), 1)


class _Unit:
    __slots__ = ("speaker", "score", "words", "a", "b")

    def __init__(self, speaker: str, score: float, words: int, a: float, b: float) -> None:
        self.speaker, self.score, self.words, self.a, self.b = speaker, score, words, a, b


def _quarter_weights(u: _Unit) -> list[float]:
    """u.words spread over the four quarters by the share of [a, b] each covers."""
    if u.b <= u.a:
        k = min(int(u.a * 4), 3)
        return [u.words if i == k else 0.0 for i in range(4)]
    out = []
    for k in range(4):
        lo, hi = k / 4, (k + 1) / 4
        overlap = max(0.0, min(u.b, hi) - max(u.a, lo))
        out.append(u.words * overlap / (u.b - u.a))
    return out


def _mean(pairs: Sequence[tuple[float, float]]) -> float | None:
    total = sum(w for _, w in pairs)
    return sum(s * w for s, w in pairs) / total if total > 0 else None


def _call_units(utts: list[Utterance]) -> list[_Unit]:
    timed = all(u.start_s is not None and u.end_s is not None for u in utts)
    if timed:
        t0 = min(u.start_s for u in utts)
        t1 = max(u.end_s for u in utts)
        if t1 > t0:
            return [
                _Unit(
                    u.speaker,
                    u.sentiment,
                    _words(u.text),
                    (u.start_s - t0) / (t1 - t0),
                    (u.end_s - t0) / (t1 - t0),
                )
                for u in utts
            ]
    n = len(utts)
    return [_Unit(u.speaker, u.sentiment, _words(u.text), i / n, (i + 1) / n) for i, u in enumerate(utts)]


def _text_units(utts: list[Utterance], language: str, cfg) -> list[_Unit]:
    from vocmine.sentiment import get_backend

    pieces = [(u.speaker, s) for u in utts for s in (split_sentences(u.text) or [u.text])]
    if len(pieces) == len(utts):
        scores = [u.sentiment for u in utts]  # one sentence per utterance: already scored
    else:
        scores = get_backend(language, cfg).score([s for _, s in pieces], None)
    scored = [(sp, s, round(float(sc), 4)) for (sp, s), sc in zip(pieces, scores, strict=True)]
    # the arc of a comment is the order of its opinions: neutral sentences (an order number, a closing
    # "Thanks!") are left out when the text has any opinion, so they cannot fake a fall or a rise
    polar = [x for x in scored if abs(x[2]) >= cfg.neutral_band]
    units = polar or scored
    n = len(units)
    return [_Unit(sp, sc, _words(s), i / n, (i + 1) / n) for i, (sp, s, sc) in enumerate(units)]


def conversation_sentiments(
    conversation: Conversation, utterances: Sequence[Utterance], cfg, language: str
) -> list[SpeakerSentiment]:
    """One SpeakerSentiment per speaker present, plus 'all'. `cfg` is the `sentiment` config section."""
    from vocmine.sentiment import label

    utts = [u for u in utterances if u.sentiment is not None and u.text.strip()]
    if not utts:
        return []
    is_text = conversation.source == "text"
    units = _text_units(utts, language, cfg) if is_text else _call_units(utts)
    backend = getattr(cfg.backend, language if language in ("en", "ko") else "en")
    cid = conversation.conversation_id
    out = []
    for speaker in [*sorted({u.speaker for u in utts}), "all"]:
        mine = [u for u in units if speaker == "all" or u.speaker == speaker]
        said = [u for u in utts if speaker == "all" or u.speaker == speaker]
        if not mine:
            continue
        overall = _mean([(u.sentiment, _words(u.text)) for u in said])
        per_q: list[list[tuple[float, float]]] = [[], [], [], []]
        for u in mine:
            for k, w in enumerate(_quarter_weights(u)):
                if w > 0:
                    per_q[k].append((u.score, w))
        q = [_mean(p) for p in per_q]
        ordered = sorted(mine, key=lambda u: (u.a, u.b))
        start = q[0] if q[0] is not None else ordered[0].score
        end = q[3] if q[3] is not None else ordered[-1].score
        out.append(
            SpeakerSentiment(
                conversation_id=cid,
                speaker=speaker,
                score=round(overall, 4),
                label=label(overall, cfg.neutral_band),
                start_score=round(start, 4),
                end_score=round(end, 4),
                shift=round(end - start, 4),
                n_utterances=len(said),
                q1=None if q[0] is None else round(q[0], 4),
                q2=None if q[1] is None else round(q[1], 4),
                q3=None if q[2] is None else round(q[2], 4),
                q4=None if q[3] is None else round(q[3], 4),
                unit="sentence" if is_text else "utterance",
                backend=backend,
            )
        )
    return out
