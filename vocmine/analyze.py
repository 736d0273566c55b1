"""Per-conversation analysis: redaction, language processing, sentiment, keywords.

Works on a batch of transcripts at once so that each language model sees one batched call (`nlp.pipe`,
`Kiwi.tokenize` over a list), never one call per utterance in a Python loop.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

from vocmine.config import Config
from vocmine.keywords import rank
from vocmine.lang import get_pipeline
from vocmine.lang.base import LangDoc
from vocmine.lang.dictionary import load_dictionary, with_terms
from vocmine.records import Analysis, Keyword, Transcript, Utterance
from vocmine.redact import Span, append_originals, apply_spans, find_spans, mark_words, replace_marked
from vocmine.sentiment import conversation_sentiments, get_backend, label


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


def _keywords(cid: str, speaker: str, docs: list[LangDoc], lang: str, cfg: Config) -> list[Keyword]:
    """Keywords of one speaker's turns (or all turns) of a conversation; see vocmine/keywords.py."""
    ranked = rank(docs, lang, cfg.keywords.top_k, max_words=cfg.keywords.max_ngram)
    return [
        Keyword(cid, r.norm, r.display, r.score, i, r.count, speaker) for i, r in enumerate(ranked, start=1)
    ]


def _language(tr: Transcript, cfg: Config) -> str:
    return tr.language or tr.conversation.language or cfg.default_language


def analyze(
    transcripts: Sequence[Transcript], cfg: Config, collocations: Mapping[str, Iterable[str]] | None = None
) -> list[Analysis]:
    """Redact, tag, score and extract keywords for a batch of transcripts (any mix of languages).

    `collocations` (language -> phrases, e.g. from `vocmine.mining.load_collocations`) are multi-word terms
    learned on the stored corpus by gensim Phrases; like user-dictionary terms, they become keyword candidates
    and terms wherever they occur."""
    redactions = _redact(transcripts, cfg)
    by_lang: dict[str, list[Utterance]] = defaultdict(list)
    for tr in transcripts:
        by_lang[_language(tr, cfg)].extend(u for u in tr.utterances if u.text.strip())
    parsed: dict[int, LangDoc] = {}  # id(utterance) -> its language analysis
    dictionary = load_dictionary(cfg.dictionary)
    for lang, utts in by_lang.items():
        pipeline = get_pipeline(lang)
        pipeline.set_dictionary(
            with_terms(dictionary.get(pipeline.code), (collocations or {}).get(pipeline.code, ()))
        )
        texts = [u.text for u in utts]
        processed = pipeline.process(texts)
        scores = get_backend(pipeline.code, cfg.sentiment).score(texts, processed)
        for u, doc, s in zip(utts, processed, scores, strict=True):
            parsed[id(u)] = doc
            u.sentiment = round(s, 4)
            u.sentiment_label = label(s, cfg.sentiment.neutral_band)
            u.terms = list(dict.fromkeys(norm for norm, _display in doc.content_terms()))

    out = []
    for tr in transcripts:
        cid = tr.conversation.conversation_id
        lang = _language(tr, cfg)
        utts = [u for u in tr.utterances if id(u) in parsed]
        groups = [("all", utts)]
        speakers = sorted({u.speaker for u in utts})
        if len(speakers) > 1:
            groups += [(sp, [u for u in utts if u.speaker == sp]) for sp in speakers]
        code = get_pipeline(lang).code
        keywords = [
            kw
            for speaker, group in groups
            for kw in _keywords(cid, speaker, [parsed[id(u)] for u in group], code, cfg)
        ]
        sentiments = conversation_sentiments(tr.conversation, tr.utterances, cfg.sentiment, lang)
        out.append(
            Analysis(tr.conversation, tr.utterances, keywords, sentiments, dict(redactions.get(cid, {})))
        )
    return out
