from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext

from direktori.accounts.models import User
from direktori.accounts.testing import signed_in
from direktori.directory.models import Service
from direktori.hsds.export import export_package
from direktori.hsds.models import ChangeRecord, ImportUpload

from .datasets import build_sepang_directory

pytestmark = pytest.mark.django_db

ADD = reverse("admin:hsds_importupload_add")


def zipped(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, arcname=path.name)
    return buffer.getvalue()


def edit_csv(path: Path, row_id: str, field: str, value: str) -> None:
    with path.open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    for row in rows:
        if row["id"] == row_id:
            row[field] = value
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def package(reference_areas, tmp_path) -> tuple[Service, Path]:
    directory = build_sepang_directory()
    export_package(tmp_path / "package")
    return directory.elderly_visits, tmp_path / "package"


def importer(*permissions: str) -> Client:
    user = User.objects.create_user("pentadbir-hq", password="x" * 16, is_staff=True)
    for codename in permissions:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    client = Client()
    signed_in(client, user)
    return client


def upload(client: Client, content: bytes, name: str = "sepang.zip"):
    return client.post(ADD, {"file": SimpleUploadedFile(name, content)})


def test_an_administrator_checks_then_confirms_a_package(package):
    service, folder = package
    edit_csv(folder / "services.csv", str(service.pk), "name", "Lawatan ke rumah warga emas")
    client = importer("add_importupload", "view_importupload")

    response = upload(client, zipped(folder))

    checked = ImportUpload.objects.get()
    assert response.status_code == 302
    assert checked.state == ImportUpload.State.CHECKED
    service.refresh_from_db()
    assert service.name == "Lawatan warga emas"  # the check saved nothing
    page = client.get(reverse("admin:hsds_importupload_change", args=[checked.pk]))
    assert gettext("Confirm: import this package") in page.content.decode()

    confirm = reverse("admin:hsds_importupload_confirm", args=[checked.pk])
    assert client.post(confirm).status_code == 302

    checked.refresh_from_db()
    service.refresh_from_db()
    assert checked.state == ImportUpload.State.IMPORTED
    assert service.name == "Lawatan ke rumah warga emas"
    change = ChangeRecord.objects.get(resource_id=service.pk, field_name="name")
    assert change.previous_value == "Lawatan warga emas"
    assert "pentadbir-hq" not in change.updated_by  # published metadata names no person

    # A second confirm (a double click, a replay) imports nothing more.
    client.post(confirm)
    assert ChangeRecord.objects.filter(resource_id=service.pk).count() == 1


def test_a_package_with_a_problem_is_refused_with_the_problem_listed(package):
    _service, folder = package
    with (folder / "locations.csv").open(encoding="utf-8") as file:
        location_id = next(iter(csv.DictReader(file)))["id"]
    edit_csv(folder / "locations.csv", location_id, "latitude", "100")
    client = importer("add_importupload", "view_importupload")

    upload(client, zipped(folder))

    refused = ImportUpload.objects.get()
    assert refused.state == ImportUpload.State.REFUSED
    page = client.get(reverse("admin:hsds_importupload_change", args=[refused.pk])).content
    assert b"locations.csv" in page
    assert b"latitude" in page
    assert gettext("Confirm: import this package").encode() not in page
    client.post(reverse("admin:hsds_importupload_confirm", args=[refused.pk]))
    refused.refresh_from_db()
    assert refused.state == ImportUpload.State.REFUSED


def test_only_zip_and_json_files_are_accepted(db):
    client = importer("add_importupload", "view_importupload")

    response = upload(client, b"id,name\n", name="services.csv")

    assert response.status_code == 200
    assert gettext("Choose a .zip data package or a .json file.") in response.content.decode()
    assert not ImportUpload.objects.exists()


def test_staff_without_the_permission_cannot_upload_or_confirm(package):
    _, folder = package
    client = importer("view_importupload")

    assert client.get(ADD).status_code == 403
    assert upload(client, zipped(folder)).status_code == 403
    assert not ImportUpload.objects.exists()


def test_confirm_needs_a_post(package):
    _, folder = package
    client = importer("add_importupload", "view_importupload")
    upload(client, zipped(folder))
    checked = ImportUpload.objects.get()

    response = client.get(reverse("admin:hsds_importupload_confirm", args=[checked.pk]))

    assert response.status_code == 403
    checked.refresh_from_db()
    assert checked.state == ImportUpload.State.CHECKED


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get(ADD)

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_a_file_too_large_for_the_web_is_sent_to_the_command(db):
    client = importer("add_importupload", "view_importupload")

    response = upload(client, b"0" * (2 * 1024 * 1024 + 1), name="negara.zip")

    assert response.status_code == 200
    assert "import_hsds" in response.content.decode()
    assert not ImportUpload.objects.exists()
