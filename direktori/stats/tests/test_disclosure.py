"""`disclosure.suppress` on random small tables: no count from 1 to 4 is shown, and the attacker
(attacker.py) works out no hidden cell from the shown ones and the sums that tie them."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from direktori.stats.disclosure import WHOLE, suppress, table, unallocated
from direktori.stats.places import Place, Tree

from .attacker import given_away

THRESHOLD = 5


def small_tree(shape: list[int]) -> Tree:
    """The country `MY` with one state per item of `shape`, each with that many districts."""
    tree = Tree()
    places = [Place(1, "MY", "country", "Malaysia", None)]
    for s, districts in enumerate(shape, start=1):
        places.append(Place(10 * s, str(s), "state", f"Negeri {s}", "MY"))
        places += [
            Place(10 * s + d, f"{s}_{d}", "district", f"Daerah {s}_{d}", str(s))
            for d in range(1, districts + 1)
        ]
    for place in places:
        tree.by_code[place.code] = place
        tree.by_id[place.id] = place
        if place.parent:
            tree.children.setdefault(place.parent, []).append(place.code)
    return tree


def rolled_up(own: dict[tuple[str, str], int], tree: Tree) -> dict[tuple[str, str], int]:
    sums: dict[tuple[str, str], int] = {}
    for (code, key), count in own.items():
        for above in tree.lineage(code):
            sums[(above, key)] = sums.get((above, key), 0) + count
    return sums


small_counts = st.one_of(st.integers(0, 6), st.integers(0, 40))


@st.composite
def tables(draw: st.DrawFn) -> tuple[Tree, dict[tuple[str, str], int]]:
    tree = small_tree(draw(st.lists(st.integers(0, 3), min_size=1, max_size=3)))
    keys = [f"2023-0{m}" for m in range(1, draw(st.integers(1, 4)) + 1)]
    if draw(st.booleans()):
        keys.append("2023-01..2023-03")
    own = {}
    for code in tree.by_code:
        for key in keys:
            if draw(st.integers(0, 3)):  # most cells have figures; some none at all
                own[(code, key)] = draw(small_counts)
    return tree, rolled_up(own, tree)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_nothing_small_is_shown_and_nothing_hidden_can_be_worked_out(
    drawn: tuple[Tree, dict[tuple[str, str], int]],
) -> None:
    tree, sums = drawn
    values, relations = table(sums, tree)
    hidden = suppress(values, relations, THRESHOLD)
    assert not [cell for cell, n in values.items() if 0 < n < THRESHOLD and cell not in hidden]
    assert given_away(values, relations, hidden) == set()
    for relation in relations:
        if relation.total not in hidden:
            parts = [part for part in relation.parts if part in hidden]
            assert not parts or (len(parts) >= 2 and sum(values[p] for p in parts) >= THRESHOLD)


def test_the_table_adds_up() -> None:
    tree = small_tree([2])
    own = {("1_1", "2023-01"): 3, ("1_2", "2023-01"): 10, ("1", "2023-01"): 2, ("MY", "2023-02"): 7}
    values, relations = table(rolled_up(own, tree), tree)
    assert values[("MY", WHOLE)] == 22
    assert values[(unallocated("1"), WHOLE)] == 2
    assert values[(unallocated("MY"), "2023-02")] == 7
    for relation in relations:
        assert values[relation.total] == sum(values[part] for part in relation.parts), relation


def test_one_small_district_hides_a_second_and_the_state_stays() -> None:
    tree = small_tree([3])
    own = {("1_1", "2023-01"): 3, ("1_2", "2023-01"): 9, ("1_3", "2023-01"): 40}
    values, relations = table(rolled_up(own, tree), tree)
    hidden = suppress(values, relations, THRESHOLD)
    assert ("1_1", WHOLE) in hidden and ("1_2", WHOLE) in hidden
    assert ("1_3", WHOLE) not in hidden and ("1", WHOLE) not in hidden
