"""Abbreviations and synonyms: the shipped defaults (`data/lexicon.toml`) plus the administrator's.

A lexicon maps a phrase (as the stems of its words) to every phrase of its groups, so that a query
phrase can be widened to all the ways of saying it. Phrases are matched longest first.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from . import text, versions
from .models import Synonym

MAX_PHRASE_WORDS = 8


def phrase_key(words: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return tuple(text.malay_stem(word) for word in words)


@dataclass
class Lexicon:
    groups: dict[tuple[str, ...], set[tuple[str, ...]]] = field(default_factory=dict)
    vocabulary: set[str] = field(default_factory=set)
    abbreviations: dict[str, tuple[str, ...]] = field(default_factory=dict)  # kg → (kampung,)
    related: dict[tuple[str, ...], set[tuple[str, ...]]] = field(default_factory=dict)

    def add_related(self, when: list[str], also: list[str]) -> None:
        wanted = {tuple(text.content_words(phrase)) for phrase in also} - {()}
        for phrase in when:
            self.related.setdefault(phrase_key(text.content_words(phrase)), set()).update(wanted)

    def related_to(self, phrases: set[tuple[str, ...]]) -> set[tuple[str, ...]]:
        """What the phrases call for, also when a `when` phrase is part of a longer one."""
        found: set[tuple[str, ...]] = set()
        for phrase in phrases:
            key = phrase_key(phrase)
            for start in range(len(key)):
                for end in range(start + 1, len(key) + 1):
                    found |= self.related.get(key[start:end], set())
        return found - phrases

    def add_abbreviation(self, phrases: list[str]) -> None:
        short, *longer = [tuple(text.content_words(phrase)) for phrase in phrases]
        if len(short) == 1 and longer and longer[0]:
            self.abbreviations.setdefault(short[0], longer[0])
        self.add_group(phrases)

    def add_group(self, phrases: list[str]) -> None:
        normalised = {tuple(text.content_words(phrase)) for phrase in phrases}
        normalised.discard(())
        for phrase in normalised:
            self.groups.setdefault(phrase_key(phrase), set()).update(normalised)
            self.vocabulary.update(phrase)

    def match(self, words: list[str], start: int) -> tuple[int, set[tuple[str, ...]]] | None:
        """The longest phrase of the lexicon starting at `start`: (its length, its equivalents)."""
        longest = min(MAX_PHRASE_WORDS, len(words) - start)
        for length in range(longest, 0, -1):
            equivalents = self.groups.get(phrase_key(words[start : start + length]))
            if equivalents:
                return length, equivalents
        return None


@cache
def _shipped() -> dict[str, Any]:
    with (text.DATA / "lexicon.toml").open("rb") as handle:
        return tomllib.load(handle)


_cached: tuple[object, Lexicon] | None = None


def current() -> Lexicon:
    """The lexicon in force: rebuilt in this process only when an administrator changed it."""
    global _cached
    version = versions.synonyms(versions.current())
    if _cached is not None and _cached[0] == version:
        return _cached[1]
    lexicon = Lexicon()
    shipped = _shipped()
    for group in shipped["abbreviations"]:
        lexicon.add_abbreviation(group)
    for group in shipped["synonyms"]:
        lexicon.add_group(group)
    for entry in shipped["related"]:
        lexicon.add_related(entry["when"], entry["also"])
    for synonym in Synonym.objects.filter(is_active=True):
        lexicon.add_group(synonym.phrase_list())
    _cached = (version, lexicon)
    return lexicon
