"""Disclosure control for statistics shown to the public (docs/statistics.md, "Disclosure
control"). Pure functions over numbers: no database, no requests.

A query's figures are cells of one table: for every area (the country, the states, the
districts, and each state's and the country's part "not allocated" below it) and every period key
(each month, or each longer period a source published as one figure, and `WHOLE`, the whole range
asked for), the number of cases. The cells are tied by sums (`Relation`): an area is the sum of
the areas below it and its unallocated part, for each period key and for the whole range; and
every area's whole range is the sum of its period keys. Every view the API gives of one category
and one range (the total, by state, by district, by month, for any area) shows cells of this one
table, so deciding which cells to hide once for the whole table hides the same cells in every view:
the national total minus the visible states, or a state minus its visible districts, or a range
minus its visible months, never leaves a hidden cell alone.

`suppress` hides (primary) every count from 1 to threshold − 1, then (secondary) repairs each
relation until all hold:
- when the sum is shown, either none of its parts is hidden, or at least two are and together
  they make at least `threshold` (so neither one hidden part nor a small hidden sum can be worked
  out by subtraction); otherwise the smallest non-zero parts still shown are hidden too, and when
  there are not enough of them, the sum itself;
- when the sum is hidden, at least one of its non-zero parts is hidden (else the sum would be the
  sum of what is shown).
Hiding only ever adds cells, so it ends; the order of choices is fixed (value, then cell), so the
same figures always give the same hidden cells.
"""

from __future__ import annotations

import random
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from .places import Tree

#: The period key of the whole range of a query.
WHOLE = ""
UNALLOCATED = ":unallocated"

type Cell = tuple[str, str]  # (area code or unallocated part, period key)
type Rank = Callable[[Cell], int]


@dataclass(frozen=True)
class Relation:
    """`total` is the sum of `parts`."""

    total: Cell
    parts: tuple[Cell, ...]


def unallocated(code: str) -> str:
    """The node of an area's figures not allocated to an area below it."""
    return code + UNALLOCATED


def is_unallocated(node: str) -> bool:
    return node.endswith(UNALLOCATED)


def table(sums: Mapping[Cell, int], tree: Tree) -> tuple[dict[Cell, int], list[Relation]]:
    """The cells and their relations, from `sums`: for (area code, period key), the figures of
    that area and everything below it (as the roll-ups hold them)."""
    keys = sorted({key for _code, key in sums})
    values: dict[Cell, int] = {}
    for (code, key), count in sums.items():
        values[(code, key)] = count
        values[(code, WHOLE)] = values.get((code, WHOLE), 0) + count
    nodes, relations = split_areas(values, [WHOLE, *keys], tree)
    for node in nodes:
        parts = [(node, key) for key in keys if (node, key) in values]
        relations.append(Relation((node, WHOLE), tuple(parts)))
    return values, relations


def split_areas(
    values: dict[Cell, int], keys: Sequence[str], tree: Tree
) -> tuple[list[str], list[Relation]]:
    """Adds to `values` each area's part not allocated below it (when not zero), for every period
    key; returns the area nodes (areas and unallocated parts) and the relations "an area is the
    sum of the areas below it and its unallocated part"."""
    present = {code for code, _key in values}
    relations: list[Relation] = []
    nodes = sorted(present)
    for parent in sorted(present):
        children = [code for code in tree.children.get(parent, []) if code in present]
        if not children and tree.by_code[parent].kind == "district":
            continue
        rest = unallocated(parent)
        for key in keys:
            remainder = values.get((parent, key), 0) - sum(
                values.get((c, key), 0) for c in children
            )
            if remainder:
                values[(rest, key)] = remainder
        if any((rest, key) in values for key in keys):
            nodes.append(rest)
        for key in keys:
            if (parent, key) in values:
                parts = [(c, key) for c in [*children, rest] if (c, key) in values]
                relations.append(Relation((parent, key), tuple(parts)))
    return nodes, relations


def suppress(
    values: Mapping[Cell, int],
    relations: Sequence[Relation],
    threshold: int,
    rank: Rank = lambda _cell: 0,
) -> set[Cell]:
    """The cells to hide (see the module's docstring). A complement is chosen among the cells of
    the lowest `rank` first (then the smallest count): a finer cell rather than a coarser one."""
    hidden = {cell for cell, count in values.items() if 0 < count < threshold}
    related: dict[Cell, list[int]] = defaultdict(list)
    for index, relation in enumerate(relations):
        for cell in (relation.total, *relation.parts):
            related[cell].append(index)
    pending: Iterable[int] = range(len(relations))
    while True:
        _apply_rules(pending, relations, related, values, hidden, threshold, rank)
        equations, origin = _equations(values, relations, hidden)
        narrowed_by: dict[Cell, dict[str, int]] = {}
        by_bounds = bounded(equations, hidden, narrowed_by)
        exposed = sorted(solved(equations, hidden) | by_bounds)
        if not exposed:
            return hidden
        added = set()
        for cell in exposed:
            found = set()
            if cell in by_bounds:
                found = _widen_along(
                    cell, narrowed_by, equations, origin, relations, values, hidden, rank
                )
            added |= found or _widen(cell, relations, related, values, hidden, rank)
        if not added:  # cannot happen: what gives a cell away are shown cells linked to it
            raise AssertionError(f"cannot protect {exposed[:3]}")
        hidden |= added
        pending = sorted({index for cell in added for index in related[cell]})


def _apply_rules(
    pending: Iterable[int],
    relations: Sequence[Relation],
    related: Mapping[Cell, list[int]],
    values: Mapping[Cell, int],
    hidden: set[Cell],
    threshold: int,
    rank: Rank,
) -> None:
    queue = deque(pending)
    waiting = set(queue)
    while queue:
        index = queue.popleft()
        waiting.discard(index)
        for cell in _repair(relations[index], values, hidden, threshold, rank):
            hidden.add(cell)
            for other in related[cell]:
                if other not in waiting:
                    waiting.add(other)
                    queue.append(other)


def _widen(
    cell: Cell,
    relations: Sequence[Relation],
    related: Mapping[Cell, list[int]],
    values: Mapping[Cell, int],
    hidden: set[Cell],
    rank: Rank,
) -> set[Cell]:
    """For a hidden cell the shown ones give away: the smallest shown non-zero cell of the sums
    nearest to it. Sums reach it through hidden cells, and whatever gives it away is shown cells
    of such sums; hiding the nearest first keeps the others shown when one is enough."""
    seen_cells, seen_relations = {cell}, set[int]()
    ring = [cell]
    while ring:
        indices = sorted({i for c in ring for i in related[c]} - seen_relations)
        seen_relations.update(indices)
        cells = {c for i in indices for c in (relations[i].total, *relations[i].parts)}
        shown = _shown_smallest_first(cells, values, hidden, rank)
        if shown:
            return {shown[0]}
        ring = sorted(c for c in cells - seen_cells if c in hidden)
        seen_cells.update(ring)
    return set()


def _widen_along(
    cell: Cell,
    narrowed_by: Mapping[Cell, Mapping[str, int]],
    equations: Sequence[Equation],
    origin: Sequence[int],
    relations: Sequence[Relation],
    values: Mapping[Cell, int],
    hidden: set[Cell],
    rank: Rank,
) -> set[Cell]:
    """For a hidden cell whose range the sums narrowed to one value: the smallest shown non-zero
    cell of the sums that narrowed it, or (when those show nothing) of the sums that narrowed
    their hidden cells, and so on. Hiding it loosens the very bound that gave the cell away."""
    seen_cells, seen_equations = {cell}, set[int]()
    ring = [cell]
    while ring:
        indices = sorted(
            {e for c in ring for e in narrowed_by.get(c, {}).values()} - seen_equations
        )
        seen_equations.update(indices)
        cells = {
            c for e in indices for c in (relations[origin[e]].total, *relations[origin[e]].parts)
        }
        shown = _shown_smallest_first(cells, values, hidden, rank)
        if shown:
            return {shown[0]}
        ring = sorted({c for e in indices for c in equations[e][0]} - seen_cells)
        seen_cells.update(ring)
    return set()


def _repair(
    relation: Relation,
    values: Mapping[Cell, int],
    hidden: set[Cell],
    threshold: int,
    rank: Rank,
) -> list[Cell]:
    """The cells to hide so that this relation gives nothing hidden away."""
    parts_hidden = [part for part in relation.parts if part in hidden]
    candidates = _shown_smallest_first(relation.parts, values, hidden, rank)
    if relation.total in hidden:
        return [] if parts_hidden else candidates[:1]
    if not parts_hidden:
        return []
    count, amount = len(parts_hidden), sum(values[part] for part in parts_hidden)
    added: list[Cell] = []
    for part in candidates:
        if count >= 2 and amount >= threshold:
            break
        added.append(part)
        count, amount = count + 1, amount + values[part]
    if count >= 2 and amount >= threshold:
        return added
    return [relation.total]


def _shown_smallest_first(
    cells: Iterable[Cell], values: Mapping[Cell, int], hidden: set[Cell], rank: Rank
) -> list[Cell]:
    shown = [cell for cell in cells if cell not in hidden and values[cell] > 0]
    return sorted(shown, key=lambda cell: (rank(cell), values[cell], cell))


#: A prime near 2**61: the hidden cells' unknowns are solved modulo it (exact, and fast).
PRIME = 2**61 - 1
#: Rounds of narrowing the hidden cells' ranges before `bounded` settles for what it has.
ROUNDS = 50


def given_away(
    values: Mapping[Cell, int], relations: Sequence[Relation], hidden: set[Cell]
) -> set[Cell]:
    """The hidden cells that the shown cells and the sums work out exactly, by algebra or by
    narrowing their ranges (a hidden count is at least 1: zero is never hidden)."""
    equations, _origin = _equations(values, relations, hidden)
    return solved(equations, hidden) | bounded(equations, hidden)


type Equation = tuple[dict[Cell, int], int]  # Σ coefficient × hidden cell = constant


def _equations(
    values: Mapping[Cell, int], relations: Sequence[Relation], hidden: set[Cell]
) -> tuple[list[Equation], list[int]]:
    """The equations in the hidden cells, and the index of the relation of each."""
    equations, origin = [], []
    for index, relation in enumerate(relations):
        coefficients: dict[Cell, int] = {}
        constant = 0
        for cell, sign in ((relation.total, 1), *((part, -1) for part in relation.parts)):
            if cell in hidden:
                coefficients[cell] = coefficients.get(cell, 0) + sign
            else:
                constant -= sign * values[cell]
        coefficients = {cell: a for cell, a in coefficients.items() if a}
        if coefficients:
            equations.append((coefficients, constant))
            origin.append(index)
    return equations, origin


def solved(equations: Sequence[Equation], hidden: set[Cell]) -> set[Cell]:
    """The hidden cells that every solution of the equations gives the same value.

    A hidden cell is determined when every solution of the equations with the constants set to
    zero (the difference between two tables that look the same) is zero at that cell. One such
    difference is drawn at random, modulo PRIME (in which integer equations with coefficients
    ±1 have the rational ones' solutions): a determined cell is always zero in it; a cell that
    is not is zero only with probability 1/PRIME, and is then hidden more than it needs to be.
    """
    order = sorted(hidden, key=lambda cell: (cell[1] == WHOLE, cell[1], cell[0]))
    position = {cell: index for index, cell in enumerate(order)}
    pivots: dict[int, dict[int, int]] = {}  # pivot column -> row with 1 at the pivot
    for coefficients, _constant in equations:
        row = {position[cell]: a % PRIME for cell, a in coefficients.items()}
        while row:
            pivot = min(row)
            if pivot not in pivots:
                lead = row[pivot]
                if lead != 1:
                    inverse = PRIME - 1 if lead == PRIME - 1 else pow(lead, PRIME - 2, PRIME)
                    row = {c: v * inverse % PRIME for c, v in row.items()}
                pivots[pivot] = row
                break
            factor = row[pivot]
            for column, value in pivots[pivot].items():
                row[column] = (row.get(column, 0) - factor * value) % PRIME
            row = {column: value for column, value in row.items() if value}
    sample = _null_vector(len(order), pivots)
    return {order[i] for i in range(len(order)) if sample[i] == 0}


def _null_vector(size: int, pivots: Mapping[int, dict[int, int]]) -> list[int]:
    """A random solution of the homogeneous equations: free unknowns drawn at random, pivots
    solved from the last to the first (each pivot row holds only later columns)."""
    randomness = random.Random(size)  # noqa: S311 -- not a secret: a probe of the equations
    vector = [0] * size
    for column in range(size):
        if column not in pivots:
            vector[column] = randomness.getrandbits(60) + 1
    for pivot in sorted(pivots, reverse=True):
        row = pivots[pivot]
        vector[pivot] = -sum(v * vector[c] for c, v in row.items() if c != pivot) % PRIME
    return vector


def bounded(
    equations: Sequence[Equation],
    hidden: set[Cell],
    narrowed_by: dict[Cell, dict[str, int]] | None = None,
) -> set[Cell]:
    """The hidden cells whose range the equations narrow to one value, each hidden count being
    at least 1: each equation bounds each of its cells by the ranges of the others, until the
    ranges stop changing (or ROUNDS). `narrowed_by` receives, for each cell, the equations that
    set its final lower and upper bounds ("low", "high")."""
    low = dict.fromkeys(hidden, 1)
    high: dict[Cell, int | None] = dict.fromkeys(hidden)  # None: no upper bound known
    of_cell: dict[Cell, list[int]] = defaultdict(list)
    for index, (coefficients, _constant) in enumerate(equations):
        for cell in coefficients:
            of_cell[cell].append(index)
    pending = set(range(len(equations)))
    for _round in range(ROUNDS):
        if not pending:
            break
        changed: set[Cell] = set()
        for index in sorted(pending):
            before = {cell: (low[cell], high[cell]) for cell in equations[index][0]}
            narrowed = _narrow(equations[index], low, high)
            for cell in narrowed:
                if narrowed_by is None:
                    break
                # Only the equations that set the final bounds: what gives the cell away.
                sources = narrowed_by.setdefault(cell, {})
                if low[cell] != before[cell][0]:
                    sources["low"] = index
                if high[cell] != before[cell][1]:
                    sources["high"] = index
            changed |= narrowed
        pending = {index for cell in changed for index in of_cell[cell]}
    return {cell for cell in hidden if high[cell] == low[cell]}


def _narrow(equation: Equation, low: dict[Cell, int], high: dict[Cell, int | None]) -> set[Cell]:
    """Σ a·x = constant, every a being +1 or −1 (a cell is in a sum once): each x is bounded by
    the range of the others' terms."""
    coefficients, constant = equation
    # The range of Σ a·x over all cells: finite ends, and how many terms make an end infinite.
    least = most = 0
    open_least = open_most = 0
    for cell, a in coefficients.items():
        top = high[cell]
        if a > 0:
            least += low[cell]
            if top is None:
                open_most += 1
            else:
                most += top
        else:
            most -= low[cell]
            if top is None:
                open_least += 1
            else:
                least -= top
    changed = set()
    for cell, a in coefficients.items():
        top = high[cell]
        # The others' terms: the whole range without this cell's own term.
        if a > 0:
            others_least, others_open_least = least - low[cell], open_least
            others_most = most - (top or 0)
            others_open_most = open_most - (top is None)
            # x = constant − others
            new_low = None if others_open_most else constant - others_most
            new_high = None if others_open_least else constant - others_least
        else:
            others_most, others_open_most = most + low[cell], open_most
            others_least = least + (top or 0)
            others_open_least = open_least - (top is None)
            # x = others − constant
            new_low = None if others_open_least else others_least - constant
            new_high = None if others_open_most else others_most - constant
        if new_low is not None and new_low > low[cell]:
            low[cell] = new_low
            changed.add(cell)
        if new_high is not None and (top is None or new_high < top):
            high[cell] = new_high
            changed.add(cell)
    return changed
