"""What a chair may propose: a short, explicit list of fields per kind of entry, each checked with
the model field's own validators (and the phone rules of `directory.phones`)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from direktori.directory import phones
from direktori.directory.models import Organization, Phone, Service

#: The pseudo-field for the entry's first public phone number.
PHONE = "phone"

PROPOSABLE: dict[str, tuple[str, ...]] = {
    "organization": ("description_ms", "description_en", PHONE),
    "service": (
        "name",
        "name_en",
        "description_ms",
        "description_en",
        "hours_note_ms",
        "hours_note_en",
        PHONE,
    ),
}
MODELS: dict[str, type[Model]] = {"organization": Organization, "service": Service}
PHONE_LABEL = gettext_lazy("public phone number")


def label(kind: str, name: str) -> str:
    if name == PHONE:
        return str(PHONE_LABEL)
    return str(MODELS[kind]._meta.get_field(name).verbose_name)  # type: ignore[union-attr]


def public_phone(entry: Organization | Service) -> Phone | None:
    """The number the public sees first: not confidential, not a location's or a person's."""
    found = entry.phones.filter(
        is_confidential=False, location__isnull=True, contact__isnull=True
    ).exclude(kind=Phone.Kind.SHORT_CODE)
    return found.order_by("position", "kind", "pk").first()


def current_values(kind: str, entry: Organization | Service) -> dict[str, str]:
    values: dict[str, str] = {}
    for name in PROPOSABLE[kind]:
        if name == PHONE:
            phone = public_phone(entry)
            values[name] = phone.display if phone else ""
        else:
            values[name] = getattr(entry, name)
    return values


def clean_changes(kind: str, entry: Organization | Service, changes: Any) -> dict[str, str]:
    """`changes` checked and normalised, without the values that change nothing. Raises a
    ValidationError keyed by field for an unknown field or an invalid value."""
    if not isinstance(changes, dict):
        raise ValidationError(_("Give the changes as field names and their new values."))
    allowed = PROPOSABLE[kind]
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, str] = {}
    model = MODELS[kind]
    for name, raw in changes.items():
        if name not in allowed:
            errors.setdefault(str(name), []).append(_("This cannot be changed by a proposal."))
            continue
        if not isinstance(raw, str):
            errors.setdefault(name, []).append(_("Give the new value as text."))
            continue
        value = raw.strip()
        try:
            if name == PHONE:
                if not value:
                    raise ValidationError(_("Give the new phone number."))
                value = phones.normalise(value)
            else:
                value = model._meta.get_field(name).clean(value, entry)  # type: ignore[union-attr]
        except ValidationError as error:
            errors.setdefault(name, []).extend(error.messages)
            continue
        cleaned[name] = value
    if errors:
        raise ValidationError(errors)
    current = current_values(kind, entry)
    phone = public_phone(entry)
    unchanged = {
        name
        for name, value in cleaned.items()
        if (name == PHONE and phone is not None and phone.number == value)
        or (name != PHONE and current[name] == value)
    }
    cleaned = {name: value for name, value in cleaned.items() if name not in unchanged}
    if not cleaned:
        raise ValidationError(_("The proposal changes nothing: every value is as it is now."))
    return cleaned


def apply_changes(entry: Organization | Service, changes: dict[str, str]) -> None:
    """Writes accepted changes through the ORM, so that the search index's signals see them."""
    plain = [name for name in changes if name != PHONE]
    for name in plain:
        setattr(entry, name, changes[name])
    if plain:
        entry.full_clean(exclude=[f.name for f in entry._meta.fields if f.name not in plain])
        entry.save(update_fields=[*plain, "updated_at"])
    if PHONE in changes:
        phone = public_phone(entry)
        if phone is None:
            owner = {"service": entry} if isinstance(entry, Service) else {"organization": entry}
            phone = Phone(**owner)
            phone.kind = Phone.Kind.CELL if changes[PHONE].startswith("+601") else Phone.Kind.VOICE
        phone.number = changes[PHONE]
        phone.full_clean()
        phone.save()
