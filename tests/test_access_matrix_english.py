"""The access matrix again, on the English paths (`/en/…`): every page that exists in both
languages refuses and allows exactly as its Malay path does (docs/security.md). Routes outside the
language prefix (the APIs, the admin, the health probes) have one path and are proved once, in
test_access_matrix.py."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from tests import test_access_matrix as matrix

world = matrix.world


def english_only(name: str, world: matrix.World) -> bool:
    sample = matrix.SAMPLES.get(name, matrix.Sample())
    kwargs = matrix.detail_kwargs(name, world) or sample.kwargs(world)
    with translation.override("en"):
        return reverse(name, kwargs=kwargs).startswith("/en/")


@pytest.mark.django_db
def test_every_english_page_answers_each_role_as_the_matrix_says(world: matrix.World) -> None:
    wrong: list[str] = []
    checked = 0
    for name, row in sorted(matrix.MATRIX.items()):
        if name == matrix.ADMIN_ROW or not english_only(name, world):
            continue
        checked += 1
        for role in matrix.ROLES:
            # One request a block: each request puts the default language back when it ends.
            with translation.override("en"):
                got = matrix.request(world, name, role, row["method"])
            if got != row[role]:
                wrong.append(f"{row['method']} /en/ {name} as {role}: {got}, not {row[role]}")
    assert checked > 50, "the English paths were not found"
    assert wrong == []
