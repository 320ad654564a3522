"""The numbers shown on every public page. Real, public and confirmed (shared/data/reference/
national_services.csv): 999 (WAO statement, malaymail 2021-07-02) and Talian Kasih 15999 with
WhatsApp 019-261 5999 (KPWKM, thesundaily 2023-08-04)."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class EmergencyContact:
    label: str | Promise
    number: str
    tel: str
    whatsapp: str = ""


EMERGENCY_CONTACTS = (
    EmergencyContact(label=_("Emergency"), number="999", tel="tel:999"),
    EmergencyContact(
        label=_("Talian Kasih"),
        number="15999",
        tel="tel:15999",
        whatsapp="https://wa.me/60192615999",
    ),
)
