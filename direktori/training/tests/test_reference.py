from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from direktori.directory.models import TaxonomyTerm
from direktori.training.models import Topic
from direktori.training.reference import topics_load_reference

pytestmark = pytest.mark.django_db


def test_topics_load_once_and_keep_an_administrators_corrections(reference_areas: None) -> None:
    from direktori.directory.reference import taxonomies_load_reference

    first = topics_load_reference()  # before the target groups exist
    assert (first.created, first.existing) == (8, 0)
    assert not Topic.objects.filter(target_groups__isnull=False).exists()
    taxonomies_load_reference()
    Topic.objects.filter(code="helplines").update(required=True, name_ms="Talian bantuan")
    out = StringIO()
    call_command("load_training_topics", stdout=out)
    assert "0" in out.getvalue() and "8" in out.getvalue()
    helplines = Topic.objects.get(code="helplines")
    assert (helplines.required, helplines.name_ms) == (True, "Talian bantuan")
    assert Topic.objects.required().count() == 6
    child = Topic.objects.get(code="child-protection")
    assert list(child.target_groups.values_list("code", flat=True)) == ["children"]
    assert child.target_groups.get() == TaxonomyTerm.objects.target_groups().get(code="children")
    assert not Topic.objects.get(code="confidentiality").target_groups.exists()
    assert all(topic.name_ms and topic.name_en for topic in Topic.objects.all())
