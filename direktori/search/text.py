"""Malay-aware normalisation, the same for the text we index and the words people type.

Case and diacritics are folded; reduplication (`kanak2`, `kanak-kanak`, `kanak kanak`) becomes one
word; phone numbers become their digits in national form (`03-8706 4444` → `0387064444`); each word
is indexed with its Malay stem (snowball's Indonesian stemmer, corrected by `STEM_OVERRIDES`) and
its English stem, so `kebajikan`, `bajik`, `disabled` and `disability` meet their relatives.
Abbreviations and synonyms are not expanded here: they are data (`lexicon`) applied to queries, so
an administrator's new synonym works at once, without re-indexing.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import snowballstemmer

DATA = Path(__file__).resolve().parent / "data"

_PHONE = re.compile(r"(?<![\w+])(?:\+?60[\s-]?|0)\d{1,2}[\s-]?\d{3,4}[\s-]?\d{3,4}(?![\w])")
_REDUPLICATED = re.compile(r"\b([a-z]{2,})(?:-\1\b|2\b)")
_WORD = re.compile(r"[a-z0-9]+")
_APOSTROPHE = re.compile(r"(?<=[a-z])['’](?=[a-z])")

MIN_STEM_LENGTH = 4


@cache
def _lists() -> dict[str, Any]:
    with (DATA / "normalisation.toml").open("rb") as handle:
        return tomllib.load(handle)


@cache
def stopwords() -> frozenset[str]:
    data = _lists()
    return frozenset(fold(word) for word in [*data["stopwords_ms"], *data["stopwords_en"]])


@cache
def stem_overrides() -> dict[str, str]:
    return {fold(word): fold(stem) for word, stem in _lists()["stem_overrides"].items()}


@cache
def _english_words() -> frozenset[str]:
    """Common English words the Malay stemmer would mangle (`disabled` → `sabled`)."""
    return frozenset(_lists()["english_words"])


_malay = snowballstemmer.stemmer("indonesian")
_english = snowballstemmer.stemmer("english")


def fold(text: str) -> str:
    """Lower case without diacritics: `Pusat Jagaan Warga Emas` → `pusat jagaan warga emas`."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def phone_digits(number: str) -> str:
    """A Malaysian number in national form, digits only: `+60 3-8706 4444` → `0387064444`."""
    digits = re.sub(r"\D", "", number)
    if digits.startswith("60"):
        digits = digits[1:]
    return digits


def words(text: str) -> list[str]:
    """The words of a text, folded, reduplication collapsed, phone numbers as digits."""
    return list(_words(text))


@lru_cache(maxsize=32768)  # names of areas, terms and templated texts repeat across services
def _words(text: str) -> tuple[str, ...]:
    text = _APOSTROPHE.sub("", fold(text))
    text = _PHONE.sub(lambda match: " " + phone_digits(match.group()) + " ", text)
    text = _REDUPLICATED.sub(r"\1", text)
    result: list[str] = []
    for word in _WORD.findall(text):
        if result and result[-1] == word and not word.isdigit():  # "kanak kanak"
            continue
        result.append(word)
    return tuple(result)


def content_words(text: str) -> list[str]:
    """`words` without the little words nobody searches by (dan, yang, untuk, the, for …)."""
    ignore = stopwords()
    return [word for word in _words(text) if word not in ignore]


@lru_cache(maxsize=65536)
def malay_stem(word: str) -> str:
    overrides = stem_overrides()
    if word in overrides:
        return overrides[word]
    if len(word) < MIN_STEM_LENGTH or not word.isalpha() or word in _english_words():
        return word
    stem = _malay.stemWord(word)
    return stem if len(stem) >= 3 else word


@lru_cache(maxsize=65536)
def english_stem(word: str) -> str:
    if len(word) < MIN_STEM_LENGTH or not word.isalpha():
        return word
    return _english.stemWord(word)


def forms(word: str) -> tuple[str, ...]:
    """The word and its stems, each once, the word itself first."""
    result = [word]
    for stem in (malay_stem(word), english_stem(word)):
        if stem not in result:
            result.append(stem)
    return tuple(result)


def index_text(*texts: str) -> str:
    """What the full-text index stores for some fields: every content word with its stems."""
    terms: list[str] = []
    for text in texts:
        for word in content_words(text):
            terms.extend(forms(word))
    return " ".join(terms)
