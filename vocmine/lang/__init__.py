"""Language pipelines behind one small interface, chosen per conversation by its language.

Adding a language is adding one module that implements `LanguagePipeline` and registering it here.
"""

from __future__ import annotations

from collections.abc import Callable

from vocmine.lang.base import LangDoc, LangToken, LanguagePipeline

_FACTORIES: dict[str, Callable[[], LanguagePipeline]] = {}
_LOADED: dict[str, LanguagePipeline] = {}


def register(code: str):
    def deco(factory: Callable[[], LanguagePipeline]):
        _FACTORIES[code] = factory
        return factory

    return deco


def get_pipeline(code: str) -> LanguagePipeline:
    """The pipeline for a language code, loaded once per process. Unknown codes fall back to English."""
    from vocmine.lang import en, ko  # noqa: F401  (register)

    key = code if code in _FACTORIES else "en"
    if key not in _LOADED:
        _LOADED[key] = _FACTORIES[key]()
    return _LOADED[key]


def supported_languages() -> list[str]:
    from vocmine.lang import en, ko  # noqa: F401

    return sorted(_FACTORIES)


__all__ = ["LangDoc", "LangToken", "LanguagePipeline", "get_pipeline", "register", "supported_languages"]
