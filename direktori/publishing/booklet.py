"""The printed directory of one district ("Direktori CBO KPWKM @ Sepang"), made from live data.

`render_booklet` lays out `publishing/booklet.html` with WeasyPrint (the project's fetcher: no
network) in the language asked for; `booklet_fingerprint` is a short hash of everything the booklet
shows, so that a booklet is rebuilt only when it would change. What is selected, and what never is
(confidential places, members who did not consent), is `booklet_content`.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pyphen
from django.conf import settings
from django.db.models import Count, Max, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from direktori.areas.models import Area
from direktori.core.emergency import EMERGENCY_CONTACTS
from direktori.directory import phones
from direktori.directory.models import (
    Address,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    TaxonomyTerm,
)
from direktori.members.models import Membership, Person

from . import booklet_content, page_refs, qr_codes
from .booklet_content import Content

PAPERS = ("a5", "a4")
LANGUAGES = ("ms", "en")
#: Part of the fingerprint: change it whenever the template or the stylesheets change.
TEMPLATE_VERSION = "3"

# Malay and Indonesian syllabify alike and pyphen has no Malay dictionary: WeasyPrint's
# `hyphens: auto` under `lang="ms"` then uses the Indonesian one.
if "ms" not in pyphen.LANGUAGES and "id" in pyphen.LANGUAGES:
    pyphen.LANGUAGES["ms"] = pyphen.LANGUAGES["id"]
    pyphen.LANGUAGES_LOWERCASE["ms"] = "ms"

Progress = Callable[[str, int], None]


class BookletError(ValueError):
    pass


@dataclass(frozen=True)
class Booklet:
    pdf: bytes
    pages: int
    organisations: int
    seconds: float


def public_url(organization: Organization, language: str) -> str:
    """The entry's live page on the site's public address, in the booklet's language."""
    return public_urls([organization], language)[0]


def public_urls(organizations: list[Organization], language: str) -> list[str]:
    """`public_url` of each: the path is reversed once (a thousand `reverse` calls under a
    language override took most of a second) and each id put in its place."""
    sample = uuid.UUID(int=0)
    with translation.override(language):
        path = reverse("directory:organization_detail", kwargs={"pk": sample})
    base = str(settings.DIREKTORI["PUBLIC_BASE_URL"]).rstrip("/")
    before, after = path.split(str(sample))
    return [f"{base}{before}{organization.pk}{after}" for organization in organizations]


def _check(district: Area, language: str, paper: str) -> None:
    if district.kind != Area.Kind.DISTRICT:
        raise BookletError(f"Not a district: {district.code}")
    if language not in LANGUAGES:
        raise BookletError(f"Unknown language: {language}")
    if paper not in PAPERS:
        raise BookletError(f"Unknown paper size: {paper}")


def _context(content: Content, language: str, paper: str) -> dict[str, object]:
    for index, entry in enumerate(content.entries):
        entry.qr = qr_codes.QRCodes.uri(index)
    home = str(settings.DIREKTORI["PUBLIC_BASE_URL"]).rstrip("/")
    with translation.override(language):
        home += reverse("directory:home")
    return {
        "content": content,
        "district": content.district,
        "emergency_contacts": [
            {
                "label": contact.label,
                "number": contact.number,
                "whatsapp_display": phones.display("+" + contact.whatsapp.rsplit("/", 1)[-1])
                if contact.whatsapp
                else "",
            }
            for contact in EMERGENCY_CONTACTS
        ],
        "paper": paper,
        "home_url": home,
        "language": language,
    }


def build_booklet(
    district: Area, *, language: str = "ms", paper: str = "a5", progress: Progress | None = None
) -> Booklet:
    from direktori.core.pdf import XHTML, LocalURLFetcher, cyclic_collection_paused

    _check(district, language, paper)
    report = progress or (lambda _label, _percent: None)
    started = time.monotonic()
    with translation.override(language):
        report(str(translation.gettext("Collecting the directory data")), 5)
        content = booklet_content.collect(district)
        urls = public_urls([entry.organization for entry in content.entries], language)
        report(str(translation.gettext("Laying out the pages")), 25)
        with qr_codes.QRCodes(urls) as codes, cyclic_collection_paused():
            context = _context(content, language, paper)
            document = page_refs.render(
                lambda digits: render_to_string(
                    "publishing/booklet.html", {**context, "page_digits": digits}
                ),
                lambda html: XHTML(
                    html, url_fetcher=LocalURLFetcher({qr_codes.SCHEME_NAME: codes.response})
                ).render(),
            )
            report(str(translation.gettext("Writing the PDF")), 80)
            pdf = bytes(document.write_pdf())
        report(str(translation.gettext("Done")), 100)
    return Booklet(
        pdf=pdf,
        pages=len(document.pages),
        organisations=len(content.entries),
        seconds=time.monotonic() - started,
    )


def render_booklet(
    district: Area, *, language: str = "ms", paper: str = "a5", progress: Progress | None = None
) -> bytes:
    return build_booklet(district, language=language, paper=paper, progress=progress).pdf


def _summary(queryset: QuerySet[Any, Any], field: str = "updated_at") -> str:
    row = queryset.aggregate(n=Count("pk"), latest=Max(field))
    return f"{row['n']}:{row['latest']}"


def booklet_fingerprint(district: Area, *, language: str, paper: str) -> str:
    """Changes whenever the booklet would: every record it reads is counted and its latest
    `updated_at` taken (a deletion changes a count, an edit a timestamp), with the language, the
    paper, the template version and the organisations' ids."""
    _check(district, language, paper)
    organizations = booklet_content.booklet_organizations(district)
    rows = list(organizations.order_by("id").values_list("id", "updated_at", "verified_on"))
    ids = organizations.values("id")
    services = Service.objects.filter(organization__in=ids)
    locations = Location.objects.filter(organization__in=ids)
    parts = [
        TEMPLATE_VERSION,
        language,
        paper,
        district.code,
        district.name_ms,
        district.name_en,
        repr(rows),
        _summary(services),
        _summary(services, "verified_on"),
        _summary(locations),
        _summary(Address.objects.filter(location__in=locations)),
        _summary(Phone.objects.filter(organization__in=ids))
        + _summary(Phone.objects.filter(service__in=services))
        + _summary(Phone.objects.filter(location__in=locations)),
        _summary(Schedule.objects.filter(service__in=services)),
        repr(
            sorted(
                Service.terms.through.objects.filter(service__in=services).values_list(
                    "service_id", "taxonomyterm_id"
                )
            )
        ),
        _summary(TaxonomyTerm.objects.all()),
        _summary(Membership.objects.filter(cbo__in=ids)),
        _summary(Person.objects.filter(memberships__cbo__in=ids)),
        _summary(Area.objects.within(district)),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]
