"""From what someone typed to what the index is asked: groups of equivalent phrases.

Each content word of the query, or each phrase the lexicon knows, becomes a `Group`: the ways of
saying it (as typed, its stems, its synonyms and abbreviations, a typo's correction). A document
matches a group when it holds every word of one of its alternatives in any of their forms.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from . import text
from .lexicon import Lexicon

AS_TYPED, SYNONYM, CORRECTED, RELATED = 1.0, 0.85, 0.7, 0.45
MIN_CORRECTION_SCORE = 75.0
MIN_PREFIX = 3


@dataclass(frozen=True)
class Term:
    """One word: any of its forms matches; `prefix` lets a half-typed word match longer ones."""

    forms: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class Alternative:
    terms: tuple[Term, ...]
    strength: float
    words: tuple[str, ...]  # for phrase checks in ranking


@dataclass
class Group:
    typed: str
    alternatives: list[Alternative] = field(default_factory=list)


@dataclass
class Plan:
    groups: list[Group]
    corrections: dict[str, str]  # typed word → what it was taken to mean
    words: list[str]  # the content words, corrected
    expanded: list[str] = field(default_factory=list)  # … with abbreviations written out

    @property
    def corrected_text(self) -> str:
        return " ".join(self.words)


def _alternative(
    words: tuple[str, ...], strength: float, *, prefix_last: bool = False
) -> Alternative:
    terms = tuple(
        Term(
            forms=text.forms(word),
            prefix=prefix_last and index == len(words) - 1 and len(word) >= MIN_PREFIX,
        )
        for index, word in enumerate(words)
    )
    return Alternative(terms=terms, strength=strength, words=words)


def correct(
    word: str,
    known: set[str],
    lexicon: Lexicon,
    similar: Callable[[str], list[str]],
) -> str | None:
    """The word someone probably meant, when the index and the lexicon know no form of it."""
    if word.isdigit() or len(word) < 4 or word in lexicon.vocabulary:
        return None
    if any(form in known for form in text.forms(word)):
        return None
    best: tuple[float, int, str] | None = None
    for candidate in similar(word):
        score = fuzz.ratio(word, candidate)
        if candidate.startswith(word[:1]):
            score += 3  # typos rarely hit the first letter
        key = (score, -abs(len(candidate) - len(word)), candidate)
        if score >= MIN_CORRECTION_SCORE and (best is None or key > best):
            best = key
    return best[2] if best else None


def analyse(
    typed: str,
    lexicon: Lexicon,
    *,
    known: Callable[[list[str]], set[str]],
    similar: Callable[[str], list[str]],
) -> Plan:
    words = text.content_words(typed)
    if not words:
        return Plan(groups=[], corrections={}, words=[])
    all_forms = sorted({form for word in words for form in text.forms(word)})
    found = known(all_forms)
    corrections: dict[str, str] = {}
    for word in words:
        fixed = correct(word, found, lexicon, similar)
        if fixed:
            corrections[word] = fixed
    corrected = [corrections.get(word, word) for word in words]
    # Abbreviations written out, so that "org tua" is seen as the phrase "orang tua".
    expanded: list[str] = []
    origin: list[int] = []
    for index, word in enumerate(corrected):
        parts = lexicon.abbreviations.get(word, (word,))
        expanded += parts
        origin += [index] * len(parts)

    groups: list[Group] = []
    position = 0
    while position < len(expanded):
        matched = lexicon.match(expanded, position)
        length = matched[0] if matched else 1
        span = tuple(expanded[position : position + length])
        sources = sorted(set(origin[position : position + length]))
        whole = all(  # the span holds every word that the typed words were written out to
            position <= at < position + length
            for at, source in enumerate(origin)
            if source in sources
        )
        typed_span = tuple(words[i] for i in sources)
        corrected_span = tuple(corrected[i] for i in sources)
        was_corrected = typed_span != corrected_span
        is_last = position + length == len(expanded)
        group = Group(typed=" ".join(typed_span))
        group.alternatives.append(
            _alternative(span, CORRECTED if was_corrected else AS_TYPED, prefix_last=is_last)
        )
        if whole and corrected_span != span:  # the abbreviation as written
            group.alternatives.append(
                _alternative(corrected_span, CORRECTED if was_corrected else AS_TYPED)
            )
        if whole and was_corrected:  # a half-typed last word may be right as typed
            group.alternatives.append(_alternative(typed_span, AS_TYPED, prefix_last=is_last))
        equivalents = matched[1] if matched else {span}
        for phrase in sorted(equivalents):
            if phrase != span:
                group.alternatives.append(_alternative(phrase, SYNONYM))
        for phrase in sorted(lexicon.related_to(equivalents)):
            group.alternatives.append(_alternative(phrase, RELATED))
        groups.append(group)
        position += length
    return Plan(groups=groups, corrections=corrections, words=corrected, expanded=expanded)
