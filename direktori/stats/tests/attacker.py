"""An attacker of the public statistics, for the tests: given the cells shown, the sums that tie
them (`disclosure.Relation`) and which cells are hidden, which hidden cells can be worked out
exactly? Two ways: linear algebra over the rationals (a hidden cell is given away when it is a
combination of the shown sums), and bounds (a hidden count is at least 1, because zero is never
hidden, so a sum of hidden cells that is small pins them down)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from fractions import Fraction

from direktori.stats.disclosure import Cell, Relation

type Equation = tuple[dict[int, Fraction], Fraction]  # Σ coefficient·x = constant


def given_away(
    values: Mapping[Cell, int],
    relations: Iterable[Relation],
    hidden: set[Cell],
    unpublished: frozenset[Cell] = frozenset(),
) -> set[Cell]:
    """`unpublished`: cells no view shows (so unknown, and possibly zero), that the sums hold."""
    hidden = hidden | unpublished
    unknowns = sorted(hidden)
    position = {cell: index for index, cell in enumerate(unknowns)}
    equations: list[Equation] = []
    for relation in relations:
        coefficients: dict[int, Fraction] = {}
        constant = Fraction(0)
        for cell, sign in [(relation.total, 1), *((part, -1) for part in relation.parts)]:
            if cell in hidden:
                index = position[cell]
                coefficients[index] = coefficients.get(index, Fraction(0)) + sign
            else:
                constant -= sign * values[cell]
        coefficients = {i: c for i, c in coefficients.items() if c}
        if coefficients:
            equations.append((coefficients, constant))
    found = {unknowns[i] for i in _determined_by_algebra(equations)}
    lowest = [0 if cell in unpublished else 1 for cell in unknowns]
    found |= {unknowns[i] for i in _determined_by_bounds(equations, lowest)}
    return found - unpublished


def _determined_by_algebra(equations: list[Equation]) -> set[int]:
    """Reduced row echelon form: an unknown is determined when a row holds it alone."""
    rows = [dict(coefficients) for coefficients, _constant in equations]
    pivots: list[tuple[int, dict[int, Fraction]]] = []
    for row in rows:
        for pivot, reduced in pivots:
            if pivot in row:
                factor = row[pivot]
                for i, c in reduced.items():
                    row[i] = row.get(i, Fraction(0)) - factor * c
                row = {i: c for i, c in row.items() if c}
        if not row:
            continue
        pivot = min(row)
        scale = row[pivot]
        row = {i: c / scale for i, c in row.items()}
        for index, (other_pivot, other) in enumerate(pivots):
            if pivot in other:
                factor = other[pivot]
                merged = dict(other)
                for i, c in row.items():
                    merged[i] = merged.get(i, Fraction(0)) - factor * c
                pivots[index] = (other_pivot, {i: c for i, c in merged.items() if c})
        pivots.append((pivot, row))
    return {pivot for pivot, row in pivots if len(row) == 1}


def _determined_by_bounds(equations: list[Equation], lowest: list[int]) -> set[int]:
    """Each equation bounds each of its unknowns by the range of its other terms, until nothing
    narrows: Σ a·x = constant, so a_j·x_j lies in constant − (the others' range)."""
    size = len(lowest)
    low: list[Fraction | float] = [Fraction(n) for n in lowest]
    high: list[Fraction | float] = [math.inf] * size
    for _round in range(50):
        changed = False
        for coefficients, constant in equations:
            terms = {
                i: sorted((c * low[i], c * high[i] if high[i] != math.inf else c * math.inf))
                for i, c in coefficients.items()
            }
            finite_low = sum(t[0] for t in terms.values() if t[0] != -math.inf)
            finite_high = sum(t[1] for t in terms.values() if t[1] != math.inf)
            open_low = sum(1 for t in terms.values() if t[0] == -math.inf)
            open_high = sum(1 for t in terms.values() if t[1] == math.inf)
            for j, a in coefficients.items():
                own_low, own_high = terms[j]
                others_open_low = open_low - (own_low == -math.inf)
                others_open_high = open_high - (own_high == math.inf)
                rest_low = (
                    -math.inf
                    if others_open_low
                    else finite_low - (own_low if own_low != -math.inf else 0)
                )
                rest_high = (
                    math.inf
                    if others_open_high
                    else finite_high - (own_high if own_high != math.inf else 0)
                )
                ends = ((constant - rest_high) / a, (constant - rest_low) / a)
                new_low, new_high = min(ends), max(ends)
                if new_low != -math.inf and math.ceil(new_low) > low[j]:
                    low[j], changed = Fraction(math.ceil(new_low)), True
                if new_high != math.inf and math.floor(new_high) < high[j]:
                    high[j], changed = Fraction(math.floor(new_high)), True
        if not changed:
            break
    return {j for j in range(size) if high[j] == low[j]}
