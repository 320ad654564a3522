import pytest
from django.core.management import call_command


@pytest.fixture(scope="session", autouse=True)
def _collected_static(django_db_blocker: object) -> None:
    """Tests run with the production static storage (hashed, compressed), as `make serve` does."""
    call_command("collectstatic", "--no-input", verbosity=0)


@pytest.fixture
def reference_areas(db: None) -> None:
    from direktori.areas.services import areas_load_reference

    areas_load_reference()
