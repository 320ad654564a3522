"""Reference vocabularies of the directory, loaded from versioned data (`data/taxonomies.csv`)."""

from __future__ import annotations

import csv
import uuid
from pathlib import Path

from django.db import transaction

from direktori.areas.services import LoadReport

from .models import Taxonomy, TaxonomyTerm

DATA_DIR = Path(__file__).resolve().parent / "data"
_TEXT_FIELDS = ("name_ms", "name_en", "description_ms", "description_en")

# Every record this project seeds gets a uuid5 from this namespace and a stable key, so that its id
# is the same on every machine and survives HSDS export and import.
RECORD_NAMESPACE = uuid.UUID("6f0b2a4e-3c1d-5e8f-9a7b-2d4c6e8f0a1b")


def stable_id(key: str) -> uuid.UUID:
    return uuid.uuid5(RECORD_NAMESPACE, key)


@transaction.atomic
def taxonomies_load_reference(*, path: Path = DATA_DIR / "taxonomies.csv") -> LoadReport:
    """Create the missing taxonomies and terms. Idempotent.

    Administrators may correct names and descriptions: a reload only fills fields that are empty.
    """
    report = LoadReport()
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    taxonomies: dict[str, Taxonomy] = {}
    positions: dict[str, int] = {}
    for row in rows:
        texts = {key: row[key].strip() for key in _TEXT_FIELDS}
        code = row["taxonomy"].strip()
        if not row["code"].strip():
            taxonomies[code], created = _taxonomy_upsert(code=code, texts=texts)
            report.add(created)
            continue
        positions[code] = positions.get(code, 0) + 1
        _, created = _term_upsert(
            taxonomy=taxonomies[code],
            code=row["code"].strip(),
            position=positions[code],
            texts=texts,
        )
        report.add(created)
    return report


def _fill_blanks(record: Taxonomy | TaxonomyTerm, texts: dict[str, str]) -> bool:
    changed = False
    for field, value in texts.items():
        if value and not getattr(record, field):
            setattr(record, field, value)
            changed = True
    return changed


def _taxonomy_upsert(*, code: str, texts: dict[str, str]) -> tuple[Taxonomy, bool]:
    taxonomy = Taxonomy.objects.filter(code=code).first()
    if taxonomy is None:
        taxonomy = Taxonomy(id=stable_id(f"taxonomy:{code}"), code=code, **texts)
        taxonomy.full_clean()
        taxonomy.save()
        return taxonomy, True
    if _fill_blanks(taxonomy, texts):
        taxonomy.full_clean()
        taxonomy.save()
    return taxonomy, False


def _term_upsert(
    *, taxonomy: Taxonomy, code: str, position: int, texts: dict[str, str]
) -> tuple[TaxonomyTerm, bool]:
    term = TaxonomyTerm.objects.filter(taxonomy=taxonomy, code=code).first()
    if term is None:
        term = TaxonomyTerm(
            id=stable_id(f"taxonomy:{taxonomy.code}:{code}"),
            taxonomy=taxonomy,
            code=code,
            position=position,
            **texts,
        )
        term.full_clean()
        term.save()
        return term, True
    if _fill_blanks(term, texts):
        term.full_clean()
        term.save()
    return term, False
