"""The programme's topics, loaded from versioned data (`data/topics.csv`) by
`load_training_topics` and by `seed_demo`."""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction

from direktori.areas.services import LoadReport
from direktori.directory.models import TaxonomyTerm
from direktori.directory.reference import stable_id

from .models import Topic

TOPICS_CSV = Path(__file__).resolve().parent / "data" / "topics.csv"
TEXT_FIELDS = ("name_ms", "name_en", "description_ms", "description_en")


@transaction.atomic
def topics_load_reference(*, path: Path = TOPICS_CSV) -> LoadReport:
    """Create the missing topics. Idempotent. Administrators may correct a topic (its names, the
    required flag, its target groups): a reload only fills what is empty, such as the target
    groups of a topic loaded before the target groups were."""
    report = LoadReport()
    groups = {term.code: term for term in TaxonomyTerm.objects.target_groups()}
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for position, row in enumerate(rows, start=1):
        code = row["code"].strip()
        texts = {name: row[name].strip() for name in TEXT_FIELDS}
        topic = Topic.objects.filter(code=code).first()
        created = topic is None
        if topic is None:
            topic = Topic(
                id=stable_id(f"training-topic:{code}"),
                code=code,
                required=row["required"].strip() == "ya",
                position=position,
            )
        blanks = [name for name, value in texts.items() if value and not getattr(topic, name)]
        for name in blanks:
            setattr(topic, name, texts[name])
        if created or blanks:
            topic.full_clean()
            topic.save()
        if not topic.target_groups.exists():
            wanted = [groups[c] for c in row["target_groups"].split() if c in groups]
            topic.target_groups.add(*wanted)
        report.add(created)
    return report
