"""The query parameters of the HSDS API, as the official openapi.json names them."""

from __future__ import annotations

import datetime
import uuid
from typing import Literal

from django.utils import timezone
from ninja import Field, Schema
from ninja.errors import HttpError

from .selectors import ServiceFilters

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 1000


class ListParams(Schema):
    search: str | None = None
    page: int = Field(1, ge=1)
    per_page: int = Field(DEFAULT_PER_PAGE, ge=1, le=MAX_PER_PAGE)
    format: Literal["json", "ndjson"] = "json"


class ServiceParams(ListParams):
    taxonomy_term_id: uuid.UUID | None = None
    taxonomy_id: uuid.UUID | None = None
    organization_id: uuid.UUID | None = None
    modified_after: datetime.datetime | None = None
    minimal: bool = False
    full: bool = False
    postcode: str | None = None
    proximity: float | None = Field(None, gt=0, description="metres")

    def filters(self) -> ServiceFilters:
        if self.proximity is not None and not self.postcode:
            raise HttpError(400, "'proximity' needs a 'postcode': it is measured from its centre.")
        modified_after = self.modified_after
        if modified_after is not None and timezone.is_naive(modified_after):
            modified_after = timezone.make_aware(modified_after)
        return ServiceFilters(
            search=self.search,
            taxonomy_term_id=self.taxonomy_term_id,
            taxonomy_id=self.taxonomy_id,
            organization_id=self.organization_id,
            modified_after=modified_after,
            postcode=(self.postcode or "").strip() or None,
            proximity=self.proximity,
        )


class OrganizationParams(ListParams):
    full: bool = False
    full_service: bool = False


class TermParams(ListParams):
    taxonomy_id: uuid.UUID | None = None
    parent_id: uuid.UUID | None = None
    top_only: bool = False
