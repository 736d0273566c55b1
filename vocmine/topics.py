"""Collocations (gensim Phrases) and topics (gensim LDA) per period and language.

A document is a conversation: its turns' content words in order, with collocations learned on the same
period joined into one token ("overdraft_fee"). LDA is seeded, so re-running a period gives the same topics.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from vocmine.config import TopicsConfig
from vocmine.cooccurrence import period_start

log = logging.getLogger(__name__)

TOP_TERMS = 10
MIN_TOPIC_WEIGHT = 0.1
PHRASE_NPMI = 0.5


def _learn_collocations(sentences: list[list[str]]):
    from gensim.models.phrases import ENGLISH_CONNECTOR_WORDS, Phrases

    return Phrases(
        sentences, min_count=2, threshold=PHRASE_NPMI, scoring="npmi", connector_words=ENGLISH_CONNECTOR_WORDS
    )


def collocations(sentences: list[list[str]]) -> list[tuple[str, int, float]]:
    """(phrase, count, npmi) of adjacent word pairs that occur together far more than chance."""
    model = _learn_collocations(sentences)
    out = []
    for phrase, score in model.export_phrases().items():
        out.append(
            (phrase.replace(model.delimiter, " "), int(model.vocab.get(phrase, 0)), round(float(score), 4))
        )
    return sorted(out, key=lambda x: (-x[2], x[0]))


def fit_topics(docs: list[list[str]], cfg: TopicsConfig):
    """An LDA model over token lists, or None when there is too little text to learn anything."""
    from gensim.corpora import Dictionary
    from gensim.models import CoherenceModel, LdaModel

    dictionary = Dictionary(docs)
    dictionary.filter_extremes(no_below=2, no_above=0.6, keep_n=20000)
    corpus = [dictionary.doc2bow(d) for d in docs]
    if len(dictionary) < 5 or sum(1 for b in corpus if b) < cfg.min_documents:
        return None
    k = max(2, min(cfg.n_topics, len(docs) // 5))
    lda = LdaModel(
        corpus, num_topics=k, id2word=dictionary, random_state=cfg.seed, passes=10, iterations=100, alpha="auto",
        eval_every=None,  # perplexity after every pass costs as much as training; nobody reads it
    )  # fmt: skip
    try:
        coherence = CoherenceModel(
            model=lda, corpus=corpus, dictionary=dictionary, coherence="u_mass", topn=TOP_TERMS
        ).get_coherence_per_topic()
    except Exception:  # coherence is a reading aid; never fail the night over it
        coherence = [None] * k
    return lda, corpus, coherence


def topics_for(turns: Sequence, period: str, cfg: TopicsConfig) -> tuple[list[dict], list[dict], list[dict]]:
    """Rows for `topics`, `conversation_topics` and `collocations` for every (period_start, language)."""
    groups: dict[tuple[date, str], dict[str, list[list[str]]]] = defaultdict(lambda: defaultdict(list))
    for t in turns:
        words = [w for w in t.terms if " " not in w]
        if words:
            groups[(period_start(t.day, period), t.language)][t.conversation_id].append(words)
    topic_rows: list[dict] = []
    conv_rows: list[dict] = []
    colloc_rows: list[dict] = []
    for (start, language), convs in sorted(groups.items()):
        sentences = [s for turns_ in convs.values() for s in turns_]
        model = _learn_collocations(sentences)
        for phrase, count, score in collocations(sentences):
            colloc_rows.append(
                {"period": period, "period_start": start, "language": language, "phrase": phrase,
                 "count": count, "score": score}
            )  # fmt: skip
        frozen = model.freeze()
        ids = sorted(convs)
        docs = [[w for s in convs[cid] for w in frozen[s]] for cid in ids]
        if len(docs) < cfg.min_documents:
            continue
        fitted = fit_topics(docs, cfg)
        if fitted is None:
            continue
        lda, corpus, coherence = fitted
        share = [0.0] * lda.num_topics
        for cid, bow in zip(ids, corpus, strict=True):
            for topic_id, weight in lda.get_document_topics(bow, minimum_probability=0.0):
                share[topic_id] += weight / len(ids)
                if weight >= MIN_TOPIC_WEIGHT and bow:
                    conv_rows.append(
                        {"conversation_id": cid, "period": period, "period_start": start, "language": language,
                         "topic_id": topic_id, "weight": round(float(weight), 4)}
                    )  # fmt: skip
        for topic_id in range(lda.num_topics):
            top = lda.show_topic(topic_id, topn=TOP_TERMS)
            c = coherence[topic_id]
            topic_rows.append(
                {
                    "period": period,
                    "period_start": start,
                    "language": language,
                    "topic_id": topic_id,
                    "terms": [w.replace("_", " ") for w, _ in top],
                    "weights": [round(float(p), 5) for _, p in top],
                    "share": round(share[topic_id], 4),
                    "n_documents": len(ids),
                    "coherence": None if c is None else round(float(c), 4),
                }
            )
    return topic_rows, conv_rows, colloc_rows
