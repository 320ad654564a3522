"""`{% public_committee organization %}`: the committee on the public organisation page — names
and roles only, contacts only of people who consented (`Person.listed_publicly`)."""

from __future__ import annotations

from typing import Any

from django import template

from direktori.members.models import Membership

register = template.Library()


@register.inclusion_tag("members/_public_committee.html")
def public_committee(organization: Any) -> dict[str, Any]:
    if organization.kind != "cbo":
        return {"committee": []}
    committee = (
        Membership.objects.current()
        .committee()
        .filter(cbo=organization)
        .select_related("person")
        .in_role_order()
    )
    return {"committee": [public_row(membership) for membership in committee]}


def public_row(membership: Membership) -> dict[str, str]:
    """What the public may know of a committee member: never a contact without consent."""
    person = membership.person
    consented = person.listed_publicly
    return {
        "name": person.full_name,
        "role": str(membership.get_role_display()),
        "phone": person.phone if consented else "",
        "phone_display": person.phone_display if consented else "",
        "email": person.email if consented else "",
    }
