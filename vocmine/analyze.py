"""Per-conversation analysis: redaction, language processing, sentiment, keywords.

Works on a batch of transcripts at once so that each language model sees one batched call (`nlp.pipe`,
`Kiwi.tokenize` over a list), never one call per utterance in a Python loop.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence

from vocmine.config import Config
from vocmine.lang import get_pipeline
from vocmine.lang.base import KEYWORD_POS, LangDoc
from vocmine.records import Analysis, Keyword, Transcript, Utterance
from vocmine.redact import Span, append_originals, apply_spans, find_spans, mark_words, replace_marked
from vocmine.sentiment import conversation_sentiments, get_backend, label

_POS_WEIGHT = {"NOUN": 1.0, "PROPN": 0.8, "VERB": 0.5, "ADJ": 0.3}


def _redact(transcripts: Sequence[Transcript], cfg: Config) -> dict[str, Counter]:
    """Redact each speaker's turns as one running text, so a number split across two Whisper segments
    ("... five five five, two one three," / "four four seven eight") is still found whole."""
    counts: dict[str, Counter] = defaultdict(Counter)
    if not cfg.redaction.enabled:
        return counts
    entities = cfg.redaction.entities
    for tr in transcripts:
        cid = tr.conversation.conversation_id
        by_speaker: dict[str, list[Utterance]] = defaultdict(list)
        for u in tr.utterances:
            by_speaker[u.speaker].append(u)
        for utts in by_speaker.values():
            bounds, pos = [], 0
            for u in utts:
                bounds.append((pos, pos + len(u.text)))
                pos += len(u.text) + 1
            joined = " ".join(u.text for u in utts)
            spans = find_spans(joined, entities)
            for s in spans:
                counts[cid][s.entity] += 1
            if spans and cfg.redaction.originals_file:  # opt-in only
                append_originals(
                    cfg.redaction.originals_file,
                    [
                        {"conversation_id": cid, "entity": s.entity, "original": joined[s.start : s.end]}
                        for s in spans
                    ],
                )
            for u, (a, b) in zip(utts, bounds, strict=True):
                local = [
                    Span(max(s.start, a) - a, min(s.end, b) - a, s.entity)
                    for s in spans
                    if s.start < b and a < s.end
                ]
                if local:
                    u.text = apply_spans(u.text, local)
            all_words = [w for u in utts for w in u.words]
            if all_words:
                marks = mark_words(all_words, entities)
                i = 0
                for u in utts:
                    n = len(u.words)
                    u.words = replace_marked(u.words, marks[i : i + n])
                    i += n
        tr.conversation.text = None  # the raw text is never kept past this point
    return counts


def _keyword_candidates(doc: LangDoc) -> list[tuple[str, str, float]]:
    out = []
    for t in doc.tokens:
        if not t.is_stop and t.pos in _POS_WEIGHT:
            out.append((t.lemma, t.text, _POS_WEIGHT[t.pos] if t.pos not in KEYWORD_POS else 1.0))
    for norm, display in doc.phrases:
        out.append((norm, display, 1.0 + 0.5 * (norm.count(" "))))
    return out


def _keywords(
    cid: str, speaker: str, utterance_candidates: list[list[tuple[str, str, float]]], df: Counter, n_docs: int,
    top_k: int,
) -> list[Keyword]:  # fmt: skip
    weight: Counter = Counter()
    count: Counter = Counter()
    surfaces: dict[str, Counter] = defaultdict(Counter)
    for cands in utterance_candidates:
        for norm, display, w in cands:
            weight[norm] += w
            count[norm] += 1
            surfaces[norm][display.lower() if display.isascii() else display] += 1
    scored = []
    for term, w in weight.items():
        idf = math.log((n_docs + 1) / (df[term] + 1)) + 1.0
        scored.append((w * idf, term))
    scored.sort(key=lambda x: (-x[0], x[1]))
    return [
        Keyword(cid, term, surfaces[term].most_common(1)[0][0], round(score, 4), rank, count[term], speaker)
        for rank, (score, term) in enumerate(scored[:top_k], start=1)
    ]


def _language(tr: Transcript, cfg: Config) -> str:
    return tr.language or tr.conversation.language or cfg.default_language


def analyze(transcripts: Sequence[Transcript], cfg: Config) -> list[Analysis]:
    """Redact, tag, score and extract keywords for a batch of transcripts (any mix of languages)."""
    redactions = _redact(transcripts, cfg)
    by_lang: dict[str, list[Utterance]] = defaultdict(list)
    for tr in transcripts:
        by_lang[_language(tr, cfg)].extend(u for u in tr.utterances if u.text.strip())
    candidates: dict[int, list[tuple[str, str, float]]] = {}  # id(utterance) -> keyword candidates
    for lang, utts in by_lang.items():
        pipeline = get_pipeline(lang)
        texts = [u.text for u in utts]
        processed = pipeline.process(texts)
        scores = get_backend(pipeline.code, cfg.sentiment).score(texts, processed)
        for u, doc, s in zip(utts, processed, scores, strict=True):
            candidates[id(u)] = _keyword_candidates(doc)
            u.sentiment = round(s, 4)
            u.sentiment_label = label(s, cfg.sentiment.neutral_band)
            u.terms = list(dict.fromkeys(norm for norm, _display in doc.content_terms()))

    # document frequency per language over this batch, for keyword IDF
    df: dict[str, Counter] = defaultdict(Counter)
    lang_n: Counter = Counter()
    for tr in transcripts:
        lang = _language(tr, cfg)
        lang_n[lang] += 1
        df[lang].update({norm for u in tr.utterances for norm, _, _ in candidates.get(id(u), ())})

    out = []
    for tr in transcripts:
        cid = tr.conversation.conversation_id
        lang = _language(tr, cfg)
        utts = [u for u in tr.utterances if id(u) in candidates]
        groups = [("all", utts)]
        speakers = sorted({u.speaker for u in utts})
        if len(speakers) > 1:
            groups += [(sp, [u for u in utts if u.speaker == sp]) for sp in speakers]
        keywords = [
            kw
            for speaker, group in groups
            for kw in _keywords(
                cid, speaker, [candidates[id(u)] for u in group], df[lang], lang_n[lang], cfg.keywords.top_k
            )
        ]
        sentiments = conversation_sentiments(tr.conversation, tr.utterances, cfg.sentiment, lang)
        out.append(
            Analysis(tr.conversation, tr.utterances, keywords, sentiments, dict(redactions.get(cid, {})))
        )
    return out
