import pytest
from django.core.management import call_command


@pytest.fixture
def sepang(db: None) -> None:
    """The Sepang demo directory, indexed (seed_demo indexes what it wrote)."""
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
