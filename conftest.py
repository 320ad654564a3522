from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.color import no_style
from django.test import override_settings


@pytest.fixture(scope="session", autouse=True)
def _collected_static(
    django_db_blocker: object, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """Tests run with the production static storage (hashed, compressed), as `make serve` does,
    collected into a folder of their own: test runs side by side never share one. Files saved to
    the default storage (booklet PDFs) go to a folder of the session's own too."""
    with override_settings(
        STATIC_ROOT=tmp_path_factory.mktemp("staticfiles"),
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
    ):
        call_command("collectstatic", "--no-input", verbosity=0)
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    """Hashing strength is Django's concern, not these tests'; the default hasher is slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def reference_areas(db: None, _reference_area_rows: dict[str, list[Any]]) -> None:
    """Malaysia's states and districts and Sepang's mukim and localities (`load_reference`).

    The first test loads them as the command does and keeps the rows; every later test writes the
    same rows back in two bulk inserts, without reading the boundary file again (seconds a test).
    """
    from django.db import connection

    from direktori.areas.models import Area, AreaBoundary
    from direktori.areas.services import areas_load_reference

    if not _reference_area_rows or Area.objects.exists():
        areas_load_reference()
        _reference_area_rows["areas"] = list(Area.objects.order_by("path").values())
        _reference_area_rows["boundaries"] = list(AreaBoundary.objects.values())
        return
    Area.objects.bulk_create(Area(**row) for row in _reference_area_rows["areas"])
    AreaBoundary.objects.bulk_create(
        AreaBoundary(**row) for row in _reference_area_rows["boundaries"]
    )
    # Rows written with their ids leave the id sequences behind (PostgreSQL): move them on.
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Area, AreaBoundary]):
            cursor.execute(sql)


@pytest.fixture(scope="session")
def _reference_area_rows() -> dict[str, list[Any]]:
    return {}


@pytest.fixture(autouse=True)
def _fresh_language_after_each_request() -> object:
    """The test client runs requests in the test's own thread, so the language a request
    activated (English under /en/) would leak into the test's later reverse() calls.
    Each request in production starts from the default; make the tests do the same."""
    from django.conf import settings
    from django.core.signals import request_finished
    from django.utils import translation

    def reset(**_: object) -> None:
        translation.activate(settings.LANGUAGE_CODE)

    translation.activate(settings.LANGUAGE_CODE)
    request_finished.connect(reset, dispatch_uid="fresh-language")
    yield
    request_finished.disconnect(dispatch_uid="fresh-language")
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def admin_client(db: None, admin_user: Any) -> Any:
    """pytest-django's superuser client, past the second factor that staff must give."""
    from django.test import Client

    from direktori.accounts.testing import signed_in

    return signed_in(Client(), admin_user)
