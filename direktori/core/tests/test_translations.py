"""Every user-facing string is translated in both catalogues, and the compiled files are current."""

import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = [code for code, _ in settings.LANGUAGES]


def _catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete(language: str) -> None:
    catalogue = _catalogue(language)
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"{language}: untranslated: {untranslated[:20]}"
    assert not fuzzy, f"{language}: fuzzy: {fuzzy[:20]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_the_source(language: str) -> None:
    source = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in _catalogue(language)}
    mo_path = LOCALE / language / "LC_MESSAGES" / "django.mo"
    compiled = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.mofile(str(mo_path))
    }
    compiled.pop((None, ""), None)  # the header
    assert compiled == source, "run `make messages` to compile the catalogues"


def test_every_string_in_the_code_is_in_the_catalogues(
    tmp_path: Path,
    settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Extract the strings afresh (xgettext) from a copy of the source and compare them with the
    committed catalogues. The copy has no locale/ folder, so makemessages cannot touch ours."""
    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext is needed for this test: apt-get install gettext")
    source = Path(settings.BASE_DIR)
    skip = shutil.ignore_patterns("__pycache__", "static", "data", "migrations", "locale")
    for package in ("config", "direktori"):
        shutil.copytree(source / package, tmp_path / "src" / package, ignore=skip)
    monkeypatch.chdir(tmp_path / "src")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    call_command("makemessages", locale=["ms"], no_obsolete=True, verbosity=0)
    extracted = polib.pofile(str(tmp_path / "locale/ms/LC_MESSAGES/django.po"))
    fresh = {(e.msgctxt, e.msgid) for e in extracted}
    for language in LANGUAGES:
        known = {(e.msgctxt, e.msgid) for e in _catalogue(language)}
        missing = sorted(m for _, m in fresh - known)
        assert not missing, f"{language}: run `make messages`; not in the catalogue: {missing[:20]}"
