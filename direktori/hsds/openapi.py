"""What the API says about itself: the official openapi.json, filled in, and the profile."""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path
from typing import Any

from django.conf import settings

from . import profile

SPEC_DIR = Path(__file__).resolve().parent / "spec"

# Parameters this API accepts beyond the official document (docs/hsds-profile.md, "The API").
EXTRA_PARAMETERS = {"/services": ["postcode", "proximity"]}

DESCRIPTION = (
    "The Direktori CBO community-services directory of Malaysia as Open Referral HSDS 3.0. "
    "Read-only and public; confidential places are never published. How the directory's records "
    "are written in HSDS (languages, DOSM areas, target groups, attributes) is the profile: "
    "{profile}"
)


@functools.cache
def official_document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads((SPEC_DIR / "openapi.json").read_text(encoding="utf-8"))
    return document


def profile_path() -> Path:
    return Path(settings.BASE_DIR) / "docs" / "hsds-profile.md"


def profile_text() -> str:
    return profile_path().read_text(encoding="utf-8")


def served_document(*, api_root: str, profile_url: str) -> dict[str, Any]:
    document = copy.deepcopy(official_document())
    document["info"] = {
        "title": "Direktori CBO — HSDS 3.0 API",
        "version": profile.HSDS_VERSION,
        "summary": "The Malaysian community-services directory as HSDS 3.0.",
        "description": DESCRIPTION.format(profile=profile_url),
        "license": {"name": "Data: see /api/hsds/profile", "url": profile_url},
    }
    document["servers"] = [{"url": api_root}]
    for path, names in EXTRA_PARAMETERS.items():
        parameters = document["paths"][path]["get"].setdefault("parameters", [])
        present = {parameter.get("$ref") for parameter in parameters}
        for name in names:
            ref = f"#/components/parameters/{name}"
            if ref not in present:
                parameters.append({"$ref": ref})
    return document
