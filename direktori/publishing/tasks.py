"""Background tasks of the publishing app (django.tasks; `manage.py db_worker` runs them)."""

from __future__ import annotations

from typing import Any

from django.tasks import task

from . import services


@task()
def booklet_build_run(build_id: str) -> dict[str, Any]:
    return services.booklet_build(build_id=build_id)
