"""Sentiment: backends chosen by name per language (config `sentiment.backend`), behind one interface.

A backend turns texts into scores in -1..1 (`score(texts, docs)`; `docs` are the language pipeline's
analyses, which a backend may ignore). Built in:

- `en-lexicon` (English default): VADER's scorer with contact-centre rules (vocmine/sentiment/english.py).
- `vader`: plain VADER, the English baseline.
- `ko-lexicon` (Korean default): a morpheme lexicon over Kiwi with negation, contrast and scripts.
- `ko-count`: positive minus negative lexicon hits, the Korean baseline.
- `transformers`: a local sequence-classification model directory (optional packages; nothing downloaded).

Per-speaker, per-quarter conversation sentiment is in vocmine/sentiment/aggregate.py.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from vocmine.config import SentimentConfig


class SentimentBackend(Protocol):
    name: str

    def score(self, texts: Sequence[str], docs: Sequence[Any] | None = None) -> list[float]: ...


def _en_lexicon(cfg: SentimentConfig, key: str) -> SentimentBackend:
    from vocmine.sentiment.english import EnglishLexiconBackend

    return EnglishLexiconBackend()


def _vader(cfg: SentimentConfig, key: str) -> SentimentBackend:
    from vocmine.sentiment.english import VaderBackend

    return VaderBackend()


def _ko_lexicon(cfg: SentimentConfig, key: str) -> SentimentBackend:
    from vocmine.sentiment.korean import KoreanLexiconBackend

    return KoreanLexiconBackend()


def _ko_count(cfg: SentimentConfig, key: str) -> SentimentBackend:
    from vocmine.sentiment.korean import KoreanCountBackend

    return KoreanCountBackend()


def _transformers(cfg: SentimentConfig, key: str) -> SentimentBackend:
    from vocmine.sentiment.hf import TransformersBackend

    t = cfg.transformers
    return TransformersBackend(t.model_dir, t.label_scores, t.batch_size, t.max_length, t.device, key=key)


_BACKENDS: dict[str, Callable[[Any, str], SentimentBackend]] = {
    "en-lexicon": _en_lexicon,
    "vader": _vader,
    "ko-lexicon": _ko_lexicon,
    "ko-count": _ko_count,
    "transformers": _transformers,
}
BUILTIN_BACKENDS = tuple(_BACKENDS)
DEFAULT_BACKEND = {"en": "en-lexicon", "ko": "ko-lexicon"}
_LOADED: dict[tuple, SentimentBackend] = {}


def register_backend(name: str, factory: Callable[[Any, str], SentimentBackend]) -> None:
    """Add a backend: `factory(sentiment_config, config_key)` returns an object with `name` and `score`."""
    _BACKENDS[name] = factory


def backend_names() -> list[str]:
    return sorted(_BACKENDS)


def get_backend(language: str, cfg: SentimentConfig | None = None) -> SentimentBackend:
    """The configured backend for a language, loaded once per process (per name and settings)."""
    from vocmine.config import SentimentConfig

    cfg = cfg or SentimentConfig()
    lang = language if language in DEFAULT_BACKEND else "en"
    name = getattr(cfg.backend, lang)
    key = f"sentiment.backend.{lang}"
    if name not in _BACKENDS:
        from vocmine.errors import ConfigError

        raise ConfigError(f"{key}: unknown sentiment backend {name!r}; choose one of {backend_names()}.")
    cache_key = (name, cfg.transformers.model_dump_json() if name == "transformers" else "")
    if cache_key not in _LOADED:
        _LOADED[cache_key] = _BACKENDS[name](cfg, key)
    return _LOADED[cache_key]


def label(score: float, neutral_band: float = 0.05) -> str:
    if score >= neutral_band:
        return "positive"
    if score <= -neutral_band:
        return "negative"
    return "neutral"


def conversation_sentiments(*args, **kwargs):
    from vocmine.sentiment.aggregate import conversation_sentiments as impl

    return impl(*args, **kwargs)


__all__ = [
    "BUILTIN_BACKENDS",
    "DEFAULT_BACKEND",
    "SentimentBackend",
    "backend_names",
    "conversation_sentiments",
    "get_backend",
    "label",
    "register_backend",
]
