"""Who sees exact statistics (docs/security.md "Statistics"; docs/statistics.md). Everyone may
read them; only officers see exact counts, and only of their own area and what lies below it:
a district officer their district, a state officer their state, an HQ administrator the
country. Anyone else, and an officer asking about a wider area, gets the public view with small
counts hidden (`disclosure`). Break-the-glass grants open referrals, not statistics. Only HQ
administrators load official figures."""

from __future__ import annotations

from typing import Any

from direktori.accounts.models import Role
from direktori.accounts.permissions import has_role, in_scope, is_officer
from direktori.areas.models import Area


def may_see_exact(user: Any, area: Area) -> bool:
    return is_officer(user) and in_scope(user, area, with_grants=False)


def may_import(user: Any) -> bool:
    """Uploading official figures (the page of `import_statistics`): HQ administrators only."""
    return has_role(user, Role.HQ_ADMIN)
