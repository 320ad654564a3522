import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

START = [("areas", "0001_create_area")]
END = [("areas", "0002_area_boundary_table")]


@pytest.mark.django_db(transaction=True)
def test_boundaries_move_to_their_own_table_and_back() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(START)
    old = executor.loader.project_state(START).apps
    Area = old.get_model("areas", "Area")
    country = Area.objects.create(
        kind="country", code="MY", slug="malaysia", name_ms="Malaysia", path="/MY/"
    )
    square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}
    Area.objects.create(
        kind="state",
        code="10",
        slug="selangor",
        name_ms="Selangor",
        parent=country,
        path="/MY/10/",
        boundary=square,
        source="DOSM",
    )

    executor = MigrationExecutor(connection)
    executor.migrate(END)
    new = executor.loader.project_state(END).apps
    boundary = new.get_model("areas", "AreaBoundary").objects.get(area__code="10")
    assert boundary.geometry == square
    assert boundary.source == "DOSM"
    assert not new.get_model("areas", "AreaBoundary").objects.filter(area__code="MY").exists()

    executor = MigrationExecutor(connection)
    executor.migrate(START)
    old = executor.loader.project_state(START).apps
    assert old.get_model("areas", "Area").objects.get(code="10").boundary == square
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
