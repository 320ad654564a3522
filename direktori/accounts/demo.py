"""One demo account per role for the Sepang demo (CONTRACT `seed_demo`; listed in the README).

Officers enrol their authenticator at the first sign-in, as in production; `addstatictoken`
prints a backup code instead.
"""

from __future__ import annotations

from direktori.areas.models import Area
from direktori.directory.models import Organization

from .models import Role, User

#: username → (role, area code); CBO roles belong to the first demo CBO in Sepang.
DEMO_ACCOUNTS: dict[str, tuple[Role, str]] = {
    "demo-ahli": (Role.CBO_MEMBER, "10_7"),
    "demo-pengerusi": (Role.CBO_CHAIR, "10_7"),
    "demo-pegawai-daerah": (Role.DISTRICT_OFFICER, "10_7"),
    "demo-pegawai-negeri": (Role.STATE_OFFICER, "10"),
}


def demo_accounts_ensure(*, password: str) -> list[str]:
    """The demo accounts exist with their role, area and this password; returns their names."""
    sepang = Area.objects.get(code="10_7")
    sepang_cbo = (
        Organization.objects.filter(
            kind=Organization.Kind.CBO, is_demo=True, area__path__startswith=sepang.path
        )
        .order_by("name")
        .first()
    )
    # The demo superuser (directory.demo) is the HQ administrator over the whole country.
    User.objects.filter(username="demo-admin").update(
        role=Role.HQ_ADMIN, area=Area.objects.get(kind=Area.Kind.COUNTRY)
    )
    for username, (role, code) in DEMO_ACCOUNTS.items():
        user = User.objects.filter(username=username).first() or User(username=username)
        user.role = role
        user.area = Area.objects.get(code=code)
        user.organisation = sepang_cbo if role.is_cbo else None
        user.first_name = "Demo"
        user.last_name = role.label
        if not user.pk or not user.check_password(password):
            user.set_password(password)
        user.save()
    return list(DEMO_ACCOUNTS)
