"""Open an HSDS 3.0 package — a folder, a .zip or a JSON file — and read its tables row by row.

CSV tables are streamed from the file each time they are read, so that a package of 100,000
services never sits in memory; JSON files are flattened into the same table rows once.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, BinaryIO

from django.utils.translation import gettext as _

from .flatten import flatten_json
from .validation import official_tables

Row = dict[str, str]
RecordName = int | str  # CSV: the spreadsheet row number; JSON: services[3].phones[0]

# Fields larger than csv's default limit (128 KiB) are refused by the reader otherwise.
csv.field_size_limit(16 * 1024 * 1024)


class PackageError(Exception):
    """The file is not an HSDS package at all (not a folder, zip or JSON we can read)."""


@dataclass
class Package:
    """The tables of one package. `rows(table)` may be called more than once (two passes)."""

    name: str
    file_names: dict[str, str] = field(default_factory=dict)  # table -> file the report names
    notes: list[str] = field(default_factory=list)
    _csv_openers: dict[str, object] = field(default_factory=dict)
    _json_rows: dict[str, list[tuple[str, Row]]] | None = None
    _zip: zipfile.ZipFile | None = None

    @property
    def is_json(self) -> bool:
        return self._json_rows is not None

    def tables(self) -> list[str]:
        return list(self.file_names)

    def file_name(self, table: str) -> str:
        return self.file_names.get(table, official_tables()[table].path)

    def rows(self, table: str) -> Iterator[tuple[RecordName, Row]]:
        if self._json_rows is not None:
            yield from self._json_rows.get(table, [])
            return
        if table not in self._csv_openers:
            return
        with self._open_csv(table) as handle:
            reader = csv.DictReader(handle)
            for index, raw in enumerate(reader):
                row = {
                    (key or "").strip(): (value or "").strip()
                    for key, value in raw.items()
                    if key is not None and not isinstance(value, list)
                }
                yield index + 2, row

    def columns(self, table: str) -> list[str]:
        if self._json_rows is not None:
            seen: dict[str, None] = {}
            for _name, row in self._json_rows.get(table, []):
                seen.update(dict.fromkeys(row))
            return list(seen)
        if table not in self._csv_openers:
            return []
        with self._open_csv(table) as handle:
            header = next(csv.reader(handle), [])
        return [column.strip() for column in header]

    @contextlib.contextmanager
    def _open_csv(self, table: str) -> Iterator[IO[str]]:
        location = self._csv_openers[table]
        if self._zip is not None:
            assert isinstance(location, str)  # noqa: S101 (narrows the type for mypy)
            with self._zip.open(location) as raw:
                yield io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        else:
            assert isinstance(location, Path)  # noqa: S101 (narrows the type for mypy)
            with location.open(encoding="utf-8-sig", newline="") as handle:
                yield handle

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


@contextlib.contextmanager
def open_package(source: Path | BinaryIO, *, name: str) -> Iterator[Package]:
    package = _open(source, name=name)
    try:
        yield package
    finally:
        package.close()


def _open(source: Path | BinaryIO, *, name: str) -> Package:
    if isinstance(source, Path):
        if source.is_dir():
            return _folder_package(source, name=name)
        if not source.exists():
            raise PackageError(_("There is no file or folder %(name)s.") % {"name": source})
        if zipfile.is_zipfile(source):
            return _zip_package(zipfile.ZipFile(source), name=name)
        with source.open("rb") as handle:
            return _json_package(handle.read(), name=name)
    if zipfile.is_zipfile(source):
        source.seek(0)
        return _zip_package(zipfile.ZipFile(source), name=name)
    source.seek(0)
    return _json_package(source.read(), name=name)


def _resource_paths(descriptor: bytes | None, package: Package) -> dict[str, str]:
    """Table -> path inside the package: from its own datapackage.json, else the official names."""
    paths = {table: spec.path for table, spec in official_tables().items()}
    if descriptor is None:
        return paths
    try:
        resources = json.loads(descriptor)["resources"]
        for resource in resources:
            if resource.get("name") in paths and isinstance(resource.get("path"), str):
                paths[resource["name"]] = resource["path"]
    except (ValueError, KeyError, TypeError, AttributeError):
        package.notes.append(
            _(
                "datapackage.json could not be read as a data package description; the tables "
                "were looked for under their official file names."
            )
        )
    return paths


def _folder_package(folder: Path, *, name: str) -> Package:
    package = Package(name=name)
    descriptor_path = folder / "datapackage.json"
    descriptor = descriptor_path.read_bytes() if descriptor_path.is_file() else None
    for table, relative in _resource_paths(descriptor, package).items():
        path = folder / relative
        if path.is_file():
            package._csv_openers[table] = path
            package.file_names[table] = relative
    if not package.file_names:
        raise PackageError(
            _("%(name)s holds none of the HSDS tables (organizations.csv, services.csv, …).")
            % {"name": name}
        )
    return package


def _zip_package(archive: zipfile.ZipFile, *, name: str) -> Package:
    package = Package(name=name, _zip=archive)
    members = [info.filename for info in archive.infolist() if not info.is_dir()]
    descriptors = sorted(
        (member for member in members if PurePosixPath(member).name == "datapackage.json"),
        key=lambda member: member.count("/"),
    )
    if descriptors:
        base = str(PurePosixPath(descriptors[0]).parent)
        base = "" if base == "." else base + "/"
        descriptor: bytes | None = archive.read(descriptors[0])
    else:
        # Without a description, find the tables by file name wherever they are in the zip.
        csvs = sorted((m for m in members if m.endswith(".csv")), key=lambda m: m.count("/"))
        base = str(PurePosixPath(csvs[0]).parent) + "/" if csvs and "/" in csvs[0] else ""
        descriptor = None
    present = set(members)
    for table, relative in _resource_paths(descriptor, package).items():
        member = base + relative
        if member in present:
            package._csv_openers[table] = member
            package.file_names[table] = relative
    if not package.file_names:
        archive.close()
        raise PackageError(
            _("%(name)s holds none of the HSDS tables (organizations.csv, services.csv, …).")
            % {"name": name}
        )
    return package


def _json_package(content: bytes, *, name: str) -> Package:
    try:
        document = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise PackageError(
            _("%(name)s is neither a zip of CSV tables nor a JSON file: %(error)s")
            % {"name": name, "error": error}
        ) from error
    try:
        tables = flatten_json(document)
    except ValueError as error:
        raise PackageError(str(error)) from error
    file_name = PurePosixPath(name).name or name
    return Package(
        name=name,
        file_names=dict.fromkeys(tables, file_name),
        _json_rows=tables,
    )
