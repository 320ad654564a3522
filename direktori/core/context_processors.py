from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language

from .emergency import EMERGENCY_CONTACTS


def site(request: HttpRequest) -> dict[str, object]:
    current = get_language() or settings.LANGUAGE_CODE
    other = "en" if current == "ms" else "ms"
    return {
        "site_name": settings.DIREKTORI["SITE_NAME"],
        "show_demo_notice": settings.DIREKTORI["SHOW_DEMO_NOTICE"],
        "emergency_contacts": EMERGENCY_CONTACTS,
        "other_language": other,
        "other_language_url": _in_language(request.get_full_path(), current, other),
    }


def _in_language(url: str, current: str, other: str) -> str:
    """The same page in the other language; for a path that does not resolve (a 404 page),
    swap the language prefix by hand. Malay, the default, has none."""
    translated = translate_url(url, other)
    if translated != url:
        return translated
    default = settings.LANGUAGE_CODE
    if current != default and url.startswith(f"/{current}/"):
        url = url[len(current) + 1 :]
    return url if other == default else f"/{other}{url}"
