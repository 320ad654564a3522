"""The access matrix of docs/security.md, proved: every URL pattern and API operation of the
project, requested by an anonymous visitor and by a user of each role, answers as the matrix says.

The matrix is read from the document itself (between the `access-matrix` markers), so the two
cannot drift apart: a new URL without a row fails `test_every_route_has_a_row`.

Outcomes: `ok` (2xx, or a redirect that is not to sign-in), `sign-in` (a redirect to the sign-in
page), `404` (the page does not exist for this user), `401` (the API wants a token), `405`.
Each role's user works in Sepang (district officer), Selangor (state officer), the whole country
(HQ administrator), or a Sepang CBO (member, chair); officers have passed the second factor.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from direktori.accounts.models import ApiToken, Role
from tests import access_samples as samples

DOC = Path(__file__).resolve().parents[1] / "docs" / "security.md"
ROLES = ("anonymous", *Role.values)
ADMIN_ROW = "admin:*"
SIGN_IN_PATHS = ("/akaun/masuk/", "/en/akaun/masuk/", "/admin/login/")


def matrix() -> dict[str, dict[str, str]]:
    text = DOC.read_text(encoding="utf-8")
    block = text.split("<!-- access-matrix:start -->")[1].split("<!-- access-matrix:end -->")[0]
    rows: dict[str, dict[str, str]] = {}
    for line in block.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        name = cells[0].strip("`")
        if len(cells) != 3 + len(ROLES) or not name or name.startswith(("-", "URL name")):
            continue
        rows[name] = {"method": cells[1], **dict(zip(ROLES, cells[3:], strict=True))}
    return rows


def routes() -> Iterator[str]:
    """Every named URL pattern as `namespace:name`; the Django admin's as one `admin:*` row."""

    def walk(patterns: list[Any], namespaces: tuple[str, ...]) -> Iterator[str]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                extra = (pattern.namespace,) if pattern.namespace else ()
                yield from walk(pattern.url_patterns, namespaces + extra)
            elif isinstance(pattern, URLPattern):
                yield ":".join((*namespaces, pattern.name or f"<unnamed {pattern.pattern}>"))

    for name in walk(get_resolver().url_patterns, ()):
        yield ADMIN_ROW if name.startswith("admin:") else name


MATRIX = matrix()


def test_every_route_has_a_row() -> None:
    assert sorted(set(routes()) - set(MATRIX)) == [], "routes missing from docs/security.md"
    assert sorted(set(MATRIX) - set(routes())) == [], "rows in docs/security.md with no route"


def test_the_matrix_uses_only_known_outcomes() -> None:
    for name, row in MATRIX.items():
        assert row["method"] in {"GET", "POST", "DELETE"}, name
        assert {row[role] for role in ROLES} <= {"ok", "sign-in", "404", "401", "405"}, name


world = samples.world
World = samples.World
Sample = samples.Sample
SAMPLES = samples.SAMPLES


def detail_kwargs(name: str, world: World) -> dict[str, Any] | None:
    """URL arguments for HSDS detail routes that have no sample: the first record's id."""
    from direktori.directory.models import ServiceAtLocation, Taxonomy, TaxonomyTerm

    models: dict[str, Any] = {
        "hsds:service_at_location_detail": ServiceAtLocation,
        "hsds:taxonomy_detail": Taxonomy,
        "hsds:taxonomy_term_detail": TaxonomyTerm,
    }
    if name not in models:
        return None
    record = models[name].objects.order_by("pk").first()
    return {"id": record.pk} if record else None


def outcome(response: Any) -> str:
    status = response.status_code
    if status in (301, 302, 303):
        location = response["Location"]
        return "sign-in" if location.startswith(SIGN_IN_PATHS) else "ok"
    if 200 <= status < 300:
        return "ok"
    return str(status)


def request(world: World, name: str, role: str, method: str) -> str:
    sample = SAMPLES.get(name, Sample())
    kwargs = detail_kwargs(name, world) or sample.kwargs(world)
    url = reverse(name, kwargs=kwargs)
    client = world.client(role, fresh=method != "GET")
    headers: dict[str, str] = {}
    if name.startswith("api-v1:") and role != "anonymous":
        _token, key = ApiToken.issue(
            user=world.users[role], lifetime=timedelta(minutes=5), verified_second_factor=True
        )
        headers["Authorization"] = f"Bearer {key}"
    call = getattr(client, method.lower())
    if sample.json:
        import json

        response = call(
            url, data=json.dumps(sample.data), content_type="application/json", headers=headers
        )
    else:
        response = call(url, data=sample.data, headers=headers)
    if method != "GET":
        world.forget_sessions()
    return outcome(response)


def admin_pages() -> list[str]:
    """The admin's index and every model's list: enough to prove who gets in."""
    from django.contrib import admin

    names = ["admin:index"]
    for model in admin.site._registry:
        names.append(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return names


@pytest.mark.django_db
def test_every_route_answers_each_role_as_the_matrix_says(world: World) -> None:
    wrong: list[str] = []
    for name, row in sorted(MATRIX.items()):
        names = admin_pages() if name == ADMIN_ROW else [name]
        for role in ROLES:
            for page in names:
                got = request(world, page, role, row["method"])
                if got != row[role]:
                    wrong.append(f"{row['method']} {page} as {role}: {got}, not {row[role]}")
    assert wrong == []


def test_rows_are_not_all_open() -> None:
    """A guard against a matrix that proves nothing: most account pages deny someone."""
    guarded = [name for name, row in MATRIX.items() if name.startswith(("accounts:", "audit:"))]
    assert guarded and all(
        row["anonymous"] != "ok"
        for name, row in MATRIX.items()
        if name in guarded and name not in {"accounts:sign_in", "accounts:set_password"}
    )
