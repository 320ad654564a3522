"""Referral data never reaches search, the public directory, the HSDS API or export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from direktori.directory.reference import taxonomies_load_reference
from direktori.directory.tests.factories import ServiceFactory
from direktori.search import models as search_models
from direktori.search.indexing import reindex_all

from .conftest import People
from .factories import SECRET_ADDRESS, SECRET_CONCERN, SECRET_MYKAD, SECRET_NAME, submit

pytestmark = pytest.mark.django_db


def test_no_referral_text_in_the_search_index_or_the_hsds_export(
    people: People, tmp_path: Path
) -> None:
    taxonomies_load_reference()
    ServiceFactory.create(name="Pusat Jagaan Dengkil")
    referral = submit(people.reporter, area=people.pekan_dengkil)
    reindex_all()
    secrets = (
        SECRET_NAME,
        "Zulaikha",
        SECRET_CONCERN,
        "surau",
        SECRET_MYKAD,
        SECRET_ADDRESS,
        referral.reference,
        str(referral.pk),
    )
    index = [
        json.dumps(list(model.objects.values()), default=str)
        for model in (
            search_models.SearchDocument,
            search_models.SearchFacet,
            search_models.SearchPlace,
            search_models.SearchWord,
        )
    ]
    assert "pusat jagaan" in "".join(index)  # the index is not empty
    for words in ("Zulaikha", "surau biru", "Lorong Rahsia", referral.reference):
        assert Client().get("/api/v1/search", {"q": words}).json()["count"] == 0
    outputs = [
        *index,
        Client().get("/api/v1/search", {"q": "Dengkil"}).content.decode(),
        Client().get("/api/hsds/services").content.decode(),
        Client().get("/api/hsds/organizations").content.decode(),
        Client().get(people.sepang.get_absolute_url()).content.decode(),
    ]
    call_command("export_hsds", str(tmp_path / "out"), stdout=None, stderr=None)
    files = [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
    assert files
    outputs += [p.read_bytes().decode("utf-8", errors="replace") for p in files]
    for number, output in enumerate(outputs):
        assert not [secret for secret in secrets if secret.lower() in output.lower()], number
