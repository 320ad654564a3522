"""The referral form, the officer's queue filters and the forms of each move. Forms check the
shape of what was sent; `submission.validated` and the services check the rest (one set of
rules for the pages and the API)."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from direktori.accounts.permissions import is_officer
from direktori.areas.models import Area

from .models import AgeBand, ConsentBy, Outcome, ReferredTo, Sex, Status, TargetGroup, Urgency
from .services import NOTE_MAX_LENGTH, REASON_MAX_LENGTH
from .submission import (
    ADDRESS_MAX_LENGTH,
    CONCERN_MAX_LENGTH,
    CONSENT_REASON_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    MAX_AGE,
    Submission,
)

NO_CONSENT = "none"
#: Which form field shows each problem `submission.validated` names.
FIELD_OF = {
    "area": "district",
    "consent_given": "consent",
    "consent_by": "consent",
}


def district_choices(*, exclude: Area | None = None) -> list[tuple[str, Any]]:
    """Every district, in optgroups by state, values the DOSM codes."""
    states = {state.pk: state for state in Area.objects.states()}
    groups: dict[int, list[tuple[str, str]]] = {}
    for district in Area.objects.districts().order_by("name_ms"):
        if exclude is not None and district.pk == exclude.pk:
            continue
        groups.setdefault(district.parent_id or 0, []).append((district.code, district.name))
    ordered = sorted(groups.items(), key=lambda item: states[item[0]].name if item[0] else "")
    return [("", _("Choose the district"))] + [
        (states[state].name if state else "", options) for state, options in ordered
    ]


def district_by_code(code: str) -> Area | None:
    return Area.objects.districts().filter(code=code).first() if code else None


def default_district(user: Any) -> Area | None:
    """The district the reporter most likely means: their CBO's, or their own as an officer."""
    area = None
    organisation = getattr(user, "organisation", None)
    if organisation is not None and organisation.area_id:
        area = organisation.area
    elif is_officer(user):
        area = user.area
    if area is None or area.kind in (Area.Kind.COUNTRY, Area.Kind.STATE):
        return None
    return Area.objects.containing(area).filter(kind=Area.Kind.DISTRICT).first()


class ReferralForm(forms.Form):
    client_token = forms.UUIDField(widget=forms.HiddenInput)
    urgency = forms.ChoiceField(
        label=_("How urgent is it?"), choices=Urgency.choices, widget=forms.RadioSelect
    )
    target_group = forms.ChoiceField(
        label=_("Who needs help?"), choices=TargetGroup.choices, widget=forms.RadioSelect
    )
    concern = forms.CharField(
        label=_("What did you see or hear?"),
        max_length=CONCERN_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "What happened, when, and who is with the person now. Only what the officer needs."
        ),
    )
    district = forms.ChoiceField(label=_("District"), choices=())
    mukim = forms.ChoiceField(label=_("Mukim (if you know it)"), choices=(), required=False)
    locality = forms.ChoiceField(
        label=_("Town or village (if you know it)"), choices=(), required=False
    )
    address_or_landmark = forms.CharField(
        label=_("Address or landmark (optional)"),
        max_length=ADDRESS_MAX_LENGTH,
        required=False,
        help_text=_("For example: the blue wooden house behind the surau."),
    )
    subject_description = forms.CharField(
        label=_("Name, or a description if you do not know it (optional)"),
        max_length=DESCRIPTION_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    subject_age = forms.IntegerField(
        label=_("Age (optional)"),
        min_value=0,
        max_value=MAX_AGE,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    subject_age_band = forms.ChoiceField(
        label=_("Or about how old (optional)"),
        choices=[("", _("Not known")), *AgeBand.choices],
        required=False,
    )
    subject_sex = forms.ChoiceField(
        label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect, initial=Sex.UNKNOWN
    )
    subject_mykad = forms.CharField(
        label=_("MyKad number (optional)"),
        max_length=20,
        required=False,
        help_text=_("Only if you know it: 12 digits, such as 900101-10-5678."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    consent = forms.ChoiceField(
        label=_("Does the person agree to this referral?"),
        choices=[
            (ConsentBy.SUBJECT, _("Yes, the person agrees")),
            (ConsentBy.GUARDIAN, _("Yes, their parent or guardian agrees")),
            (NO_CONSENT, _("No, consent could not be had")),
        ],
        widget=forms.RadioSelect,
    )
    consent_reason = forms.CharField(
        label=_("Why could consent not be had?"),
        max_length=CONSENT_REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Only when the person is in danger, or is a child or a victim of domestic violence; "
            "for example: the child is alone and the parents cannot be found."
        ),
    )
    reporter_phone = forms.CharField(
        label=_("Your phone number"),
        max_length=40,
        required=False,
        help_text=_("So that the officer can call you back. Optional."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args: Any, user: Any, district: Area | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user
        if not self.is_bound:
            self.initial.setdefault("client_token", uuid.uuid4())
            self.initial.setdefault("reporter_phone", getattr(user, "phone", "") or "")
        chosen = district
        if chosen is None and self.is_bound:
            chosen = district_by_code(str(self.data.get("district", "")))
        if chosen is None:
            chosen = district_by_code(str(self.initial.get("district", ""))) or default_district(
                user
            )
        self.chosen_district = chosen
        self.initial["district"] = chosen.code if chosen else ""
        self.fields["district"].choices = district_choices()  # type: ignore[attr-defined]
        places = Area.objects.within(chosen).order_by("name_ms") if chosen else Area.objects.none()
        self.fields["mukim"].choices = [("", _("Not known"))] + [  # type: ignore[attr-defined]
            (area.code, area.name) for area in places.filter(kind=Area.Kind.MUKIM)
        ]
        self.fields["locality"].choices = [("", _("Not known"))] + [  # type: ignore[attr-defined]
            (area.code, area.name) for area in places.filter(kind=Area.Kind.LOCALITY)
        ]
        for name in ("mukim", "locality"):
            self.fields[name].error_messages["invalid_choice"] = _(
                "Choose one in the district you chose, or “Not known”."
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        district = district_by_code(data.get("district", ""))
        mukim = Area.objects.filter(code=data.get("mukim") or "").first()
        locality = Area.objects.filter(code=data.get("locality") or "").first()
        in_another_mukim = (
            locality is not None
            and locality.parent is not None
            and locality.parent.kind == Area.Kind.MUKIM
        )
        if mukim and locality and in_another_mukim and not locality.path.startswith(mukim.path):
            self.add_error("locality", _("This town or village is not in the mukim you chose."))
        data["area"] = locality or mukim or district
        return data

    def submission(self) -> Submission:
        data = self.cleaned_data
        consent = data["consent"]
        return Submission(
            target_group=data["target_group"],
            concern=data["concern"],
            urgency=data["urgency"],
            area=data["area"],
            consent_given=consent != NO_CONSENT,
            consent_by="" if consent == NO_CONSENT else consent,
            consent_reason=data["consent_reason"] if consent == NO_CONSENT else "",
            address_or_landmark=data["address_or_landmark"],
            subject_description=data["subject_description"],
            subject_age=data["subject_age"],
            subject_age_band=data["subject_age_band"],
            subject_sex=data["subject_sex"],
            subject_mykad=data["subject_mykad"],
            reporter_phone=data["reporter_phone"],
        )

    def add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, messages in error.message_dict.items():
            field = FIELD_OF.get(name, name)
            self.add_error(field if field in self.fields else None, messages)


# The officer's queue ------------------------------------------------------------------------------

OPEN = "open"
ALL = "all"


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[(OPEN, _("Open (not yet ended)")), *Status.choices, (ALL, _("All"))],
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), required=False, choices=[("", _("All")), *Urgency.choices]
    )
    target_group = forms.ChoiceField(
        label=_("Target group"), required=False, choices=[("", _("All")), *TargetGroup.choices]
    )

    def values(self) -> dict[str, str]:
        """The chosen filters; an invalid one counts as not chosen."""
        if not self.is_valid():
            return {"status": OPEN, "urgency": "", "target_group": ""}
        data = self.cleaned_data
        return {
            "status": data["status"] or OPEN,
            "urgency": data["urgency"],
            "target_group": data["target_group"],
        }


# The moves ---------------------------------------------------------------------------------------


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note for officers (optional)"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Officers only: the reporter never sees notes."),
    )


class AddNoteForm(NoteForm):
    note = forms.CharField(
        label=_("Note"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Officers only: the reporter never sees notes."),
    )


class CloseForm(NoteForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    referred_to = forms.ChoiceField(
        label=_("Referred on to"),
        required=False,
        choices=[("", _("—")), *ReferredTo.choices],
        help_text=_("Only when the outcome is “referred on”."),
    )
    field_order = ["outcome", "referred_to", "note"]


class RejectForm(NoteForm):
    reason = forms.CharField(
        label=_("Why is it rejected?"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The reporter sees this reason."),
    )
    field_order = ["reason", "note"]


class TransferForm(NoteForm):
    district = forms.ChoiceField(label=_("Send it to the district"), choices=())
    reason = forms.CharField(
        label=_("Why does it go there?"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    field_order = ["district", "reason", "note"]

    def __init__(self, *args: Any, office: Area, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = district_choices(exclude=office)  # type: ignore[attr-defined]


#: The form of each move (its fields are the service's arguments); moves that cannot be undone
#: ask to confirm first.
ACTION_FORMS: dict[str, type[forms.Form]] = {
    "acknowledge": NoteForm,
    "start": NoteForm,
    "close": CloseForm,
    "reject": RejectForm,
    "withdraw": forms.Form,
    "transfer": TransferForm,
    "note": AddNoteForm,
}
CONFIRM_FIRST = frozenset({"close", "reject", "withdraw", "transfer"})


def action_form(action: str, *, referral: Any, data: Any = None) -> forms.Form:
    form_class = ACTION_FORMS[action]
    kwargs: dict[str, Any] = {"prefix": action}
    if form_class is TransferForm:
        kwargs["office"] = referral.assigned_office
    return form_class(data, **kwargs)
