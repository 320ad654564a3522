"""Forms for officers managing the accounts in their scope (docs/security.md, "Managing accounts").

Every choice offered is already narrowed to what the officer may give, and `clean()` checks again
with `permissions.may_grant`: a forged POST gets an error, never an account.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from direktori.areas.models import Area
from direktori.directory.models import Organization

from . import permissions
from .models import Role, User

#: Officers look after a whole area of their rank's kind.
OFFICER_AREA_KIND = {
    Role.DISTRICT_OFFICER: (Area.Kind.DISTRICT, _("A district officer's area is a district.")),
    Role.STATE_OFFICER: (Area.Kind.STATE, _("A state officer's area is a state.")),
}


def grantable_areas(actor: User) -> Any:
    """Areas inside the actor's own area, down to mukim (a locality is too small for an
    account). Break-the-glass grants never widen this."""
    if actor.area is None:
        return Area.objects.none()
    return Area.objects.within(actor.area).exclude(kind=Area.Kind.LOCALITY).order_by("path")


def grantable_cbos(actor: User) -> Any:
    if actor.area is None:
        return Organization.objects.none()
    return (
        Organization.objects.filter(kind=Organization.Kind.CBO)
        .in_area(actor.area)
        .select_related("area")
        .order_by("name")
    )


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


class CboChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} — {obj.area.name}"


class RoleForm(forms.Form):
    """Role, area and CBO. CBO members and chairs take their CBO's area; officers take an area
    of their rank's kind. Nobody gives more than they have."""

    role = forms.ChoiceField(label=_("Role"))
    area = AreaChoiceField(
        label=_("Area"),
        queryset=Area.objects.none(),
        required=False,
        help_text=_("For officers: the district or state they look after."),
    )
    organisation = CboChoiceField(
        label=_("CBO"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("For CBO members and chairs; their area is the CBO's area."),
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["role"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((role.value, role.label) for role in permissions.grantable_roles(actor)),
        ]
        self.fields["area"].queryset = grantable_areas(actor)  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = grantable_cbos(actor)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        role_value = cleaned.get("role")
        if not role_value:
            return cleaned
        role = Role(role_value)
        organisation = cleaned.get("organisation")
        if role.is_cbo:
            if organisation is None:
                self.add_error("organisation", _("Choose the CBO this person belongs to."))
                return cleaned
            cleaned["area"] = organisation.area
        else:
            cleaned["organisation"] = None
            area = cleaned.get("area")
            if area is None:
                self.add_error("area", _("Choose the area this officer looks after."))
                return cleaned
            kind, message = OFFICER_AREA_KIND.get(role, (area.kind, ""))
            if area.kind != kind:
                self.add_error("area", message)
                return cleaned
        if not permissions.may_grant(self.actor, role=role, area=cleaned["area"]):
            raise ValidationError(
                _("You may not give this role over this area."), code="not_grantable"
            )
        return cleaned


class InviteForm(RoleForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_(
            "Letters, digits and @ . + - _ only. The person may also sign in with their mobile "
            "number."
        ),
        widget=forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false"}),
    )
    first_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        help_text=_("When given, the link to choose a password is emailed here as well."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )

    field_order = ["username", "first_name", "email", "phone", "role", "organisation", "area"]


class UserFilterForm(forms.Form):
    """The list's filters. Names only: the list never takes a phone number or an email address in
    its address, where logs and browser history would keep it."""

    ACTIVE_CHOICES = [("", _("Any")), ("yes", _("Active")), ("no", _("Disabled"))]

    q = forms.CharField(label=_("Name or username"), required=False, max_length=100)
    role = forms.ChoiceField(label=_("Role"), required=False)
    area = AreaChoiceField(label=_("Area"), queryset=Area.objects.none(), required=False)
    active = forms.ChoiceField(label=_("Status"), choices=ACTIVE_CHOICES, required=False)

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [  # type: ignore[attr-defined]
            ("", _("Any")),
            *((role.value, role.label) for role in permissions.grantable_roles(actor)),
        ]
        self.fields["area"].queryset = grantable_areas(actor)  # type: ignore[attr-defined]
        self.fields["area"].empty_label = _("Any")  # type: ignore[attr-defined]

    def filter(self, users: Any) -> Any:
        if not self.is_valid():
            return users
        data = self.cleaned_data
        if data["q"]:
            for word in data["q"].split():
                users = users.filter(
                    Q(username__icontains=word)
                    | Q(first_name__icontains=word)
                    | Q(last_name__icontains=word)
                )
        if data["role"]:
            users = users.filter(role=data["role"])
        if data["area"]:
            users = users.filter(area__path__startswith=data["area"].path)
        if data["active"]:
            users = users.filter(is_active=data["active"] == "yes")
        return users


class BulkUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (CSV or XLSX)"),
        help_text=_(
            "First row: username, full_name, phone, email, role, organisation_id. "
            "Role is cbo_member or cbo_chair; organisation_id is the CBO's id."
        ),
        widget=forms.FileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )


class BulkConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
