"""The user dictionary (configs/dictionary.yaml): domain terms kept whole, names never used as keywords."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from vocmine.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class LangDictionary:
    terms: tuple[str, ...] = ()  # normalised (lemma / morpheme) forms, words separated by one space
    ignore: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class UserDictionary:
    by_lang: dict[str, LangDictionary] = field(default_factory=dict)

    def get(self, lang: str) -> LangDictionary:
        return self.by_lang.get(lang, LangDictionary())


def with_terms(d: LangDictionary, extra: Iterable[str]) -> LangDictionary:
    """The dictionary plus extra multi-word terms (learned collocations); ignored names stay ignored."""
    extra = tuple(t for t in (" ".join(x.lower().split()) for x in extra) if " " in t and t not in d.ignore)
    if not extra:
        return d
    return LangDictionary(tuple(dict.fromkeys(d.terms + extra)), d.ignore)


def resolve(path: str | Path) -> Path:
    """A relative path is looked up from the working directory, then from the vocmine checkout."""
    p = Path(path)
    if p.is_absolute() or p.is_file():
        return p
    return REPO_ROOT / p


_CACHE: dict[Path, UserDictionary] = {}


def load_dictionary(path: str | Path | None) -> UserDictionary:
    """Load (once per process) and validate a user dictionary; None gives an empty one."""
    if path is None:
        return UserDictionary()
    p = resolve(path)
    if p in _CACHE:
        return _CACHE[p]
    if not p.is_file():
        raise ConfigError(
            f"{path}: user dictionary not found (config key `dictionary`). Point it at an existing YAML file "
            "such as configs/dictionary.yaml, or set it to null."
        )
    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{p}: user dictionary is not valid YAML ({exc}).") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{p}: expected language codes (en, ko) at the top level of the user dictionary.")
    by_lang = {}
    for lang, section in raw.items():
        section = section or {}
        if not isinstance(section, dict) or set(section) - {"terms", "ignore"}:
            raise ConfigError(
                f"{p}: section {lang!r} may only hold the lists `terms` and `ignore` (got {section!r:.80})."
            )
        for key in ("terms", "ignore"):
            value = section.get(key) or []
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                raise ConfigError(f"{p}: {lang}.{key} must be a list of non-empty strings.")
        terms = tuple(dict.fromkeys(" ".join(t.lower().split()) for t in section.get("terms") or []))
        ignore = frozenset(" ".join(t.lower().split()) for t in section.get("ignore") or [])
        by_lang[str(lang)] = LangDictionary(terms, ignore)
    _CACHE[p] = UserDictionary(by_lang)
    return _CACHE[p]
