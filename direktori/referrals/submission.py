"""What a new referral must say, checked before anything is saved (docs/security.md, "Referrals").

As little about the person as is needed: every detail of them is optional. A MyKad number, when
given, must be a valid one (python-stdnum) and is kept as its 12 digits. Consent follows
Primero's rule: given by the person or their guardian, or refused unless the referral is
justified without it — the person is in danger (urgency immediate or urgent) or is a child or a
victim of domestic violence — and then the reporter says why consent could not be had.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as NumberError
from stdnum.my import nric

from direktori.areas.models import Area
from direktori.directory import phones

from .models import AgeBand, ConsentBy, Sex, TargetGroup, Urgency, age_band_for

CONCERN_MAX_LENGTH = 2000
DESCRIPTION_MAX_LENGTH = 200
ADDRESS_MAX_LENGTH = 300
CONSENT_REASON_MIN_LENGTH = 10
CONSENT_REASON_MAX_LENGTH = 1000
MAX_AGE = 130
#: Without consent, a referral is accepted only at these urgencies or for these groups.
DANGER_URGENCIES = (Urgency.IMMEDIATE, Urgency.URGENT)
DANGER_GROUPS = (TargetGroup.CHILDREN, TargetGroup.DOMESTIC_VIOLENCE)
AREA_KINDS = (Area.Kind.DISTRICT, Area.Kind.MUKIM, Area.Kind.LOCALITY)


@dataclass(frozen=True)
class Submission:
    target_group: str
    concern: str
    urgency: str
    area: Area | None
    consent_given: bool
    consent_by: str = ""
    consent_reason: str = ""
    address_or_landmark: str = ""
    subject_description: str = ""
    subject_age: int | None = None
    subject_age_band: str = ""
    subject_sex: str = Sex.UNKNOWN
    subject_mykad: str = ""
    reporter_phone: str = ""


def district_of(area: Area | None) -> Area:
    """The district an area lies in (itself for a district): its office receives the referral."""
    if area is not None and area.kind in AREA_KINDS:
        found = Area.objects.containing(area).filter(kind=Area.Kind.DISTRICT).first()
        if found is not None:
            return found
    raise ValidationError({"area": _("Choose the district, and the mukim or locality if known.")})


def without_consent_allowed(*, urgency: str, target_group: str) -> bool:
    return urgency in DANGER_URGENCIES or target_group in DANGER_GROUPS


def _consent(submission: Submission, errors: dict[str, str]) -> dict[str, Any]:
    if submission.consent_given:
        if submission.consent_by not in ConsentBy.values:
            errors["consent_by"] = _("Say who gave consent: the person, or their guardian.")
        return {"consent_given": True, "consent_by": submission.consent_by, "consent_reason": ""}
    reason = submission.consent_reason.strip()
    if not without_consent_allowed(
        urgency=submission.urgency, target_group=submission.target_group
    ):
        errors["consent_given"] = _(
            "Without the person's consent a referral is accepted only when they are in danger "
            "(urgency immediate or urgent), or for a child or a victim of domestic violence. "
            "Ask the person (or their guardian) first."
        )
    elif len(reason) < CONSENT_REASON_MIN_LENGTH:
        errors["consent_reason"] = _(
            "Say why consent could not be had (at least %(count)d characters)."
        ) % {"count": CONSENT_REASON_MIN_LENGTH}
    elif len(reason) > CONSENT_REASON_MAX_LENGTH:
        errors["consent_reason"] = _("Keep it under %(count)d characters.") % {
            "count": CONSENT_REASON_MAX_LENGTH
        }
    return {"consent_given": False, "consent_by": "", "consent_reason": reason}


def _subject(submission: Submission, errors: dict[str, str]) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "subject_description": submission.subject_description.strip(),
        "subject_age": submission.subject_age,
        "subject_age_band": submission.subject_age_band,
        "subject_sex": submission.subject_sex or Sex.UNKNOWN,
        "subject_mykad": "",
    }
    if len(fields["subject_description"]) > DESCRIPTION_MAX_LENGTH:
        errors["subject_description"] = _("Keep it under %(count)d characters.") % {
            "count": DESCRIPTION_MAX_LENGTH
        }
    if fields["subject_sex"] not in Sex.values:
        errors["subject_sex"] = _("Choose female, male or not known.")
    age = submission.subject_age
    if age is not None:
        if not 0 <= age <= MAX_AGE:
            errors["subject_age"] = _("Give an age from 0 to %(max)d.") % {"max": MAX_AGE}
        else:
            fields["subject_age_band"] = age_band_for(age).value
    elif fields["subject_age_band"] and fields["subject_age_band"] not in AgeBand.values:
        errors["subject_age_band"] = _("Choose an age band.")
    mykad = submission.subject_mykad.strip()
    if mykad:
        try:
            fields["subject_mykad"] = nric.validate(mykad)
        except NumberError:
            errors["subject_mykad"] = _(
                "This is not a valid MyKad number: 12 digits, such as 900101-10-5678."
            )
    return fields


def validated(submission: Submission) -> dict[str, Any]:
    """The model fields of a valid submission (not the routing), or a `ValidationError` naming
    every field that is wrong."""
    errors: dict[str, str] = {}
    if submission.target_group not in TargetGroup.values:
        errors["target_group"] = _("Choose the target group.")
    if submission.urgency not in Urgency.values:
        errors["urgency"] = _("Choose how urgent it is.")
    concern = submission.concern.strip()
    if not concern:
        errors["concern"] = _("Say what you saw.")
    elif len(concern) > CONCERN_MAX_LENGTH:
        errors["concern"] = _("Keep it under %(count)d characters.") % {"count": CONCERN_MAX_LENGTH}
    address = submission.address_or_landmark.strip()
    if len(address) > ADDRESS_MAX_LENGTH:
        errors["address_or_landmark"] = _("Keep it under %(count)d characters.") % {
            "count": ADDRESS_MAX_LENGTH
        }
    phone = submission.reporter_phone.strip()
    if phone:
        try:
            phone = phones.normalise(phone)
        except ValidationError as error:
            errors["reporter_phone"] = " ".join(error.messages)
    try:
        district_of(submission.area)
    except ValidationError as error:
        errors.update({key: " ".join(value) for key, value in error.message_dict.items()})
    fields = {
        "target_group": submission.target_group,
        "concern": concern,
        "urgency": submission.urgency,
        "area": submission.area,
        "address_or_landmark": address,
        "reporter_phone": phone,
        **_consent(submission, errors),
        **_subject(submission, errors),
    }
    if errors:
        raise ValidationError(errors)
    return fields
