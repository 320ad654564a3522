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
        "other_language_url": translate_url(request.get_full_path(), other),
    }
