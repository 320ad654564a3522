"""Production is the default: no secret key means no serving, while tooling still runs."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DIREKTORI_"))}
    return subprocess.run(  # noqa: S603 (our own interpreter and arguments)
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, "DATABASE_URL": "sqlite:///:memory:", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_server_refuses_to_start_without_a_secret_key() -> None:
    for module in ("config.wsgi", "config.asgi"):
        result = _run("-c", f"import {module}")
        assert result.returncode != 0
        assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_the_server_starts_with_a_secret_key() -> None:
    result = _run("-c", "import config.wsgi", DJANGO_SECRET_KEY="k" * 50)
    assert result.returncode == 0, result.stderr


def test_development_mode_needs_no_key() -> None:
    assert _run("-c", "import config.wsgi", DJANGO_DEBUG="1").returncode == 0


def test_tooling_that_signs_nothing_runs_without_a_key() -> None:
    result = _run("manage.py", "makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stderr


def test_production_settings_pass_the_deployment_checks() -> None:
    """Production = DJANGO_DEBUG unset, a long random key and the host names; nothing else."""
    result = _run(
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="direktori.example.my",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_development_mode_serves_plain_http() -> None:
    """`make run` (DJANGO_DEBUG=1) over http://127.0.0.1: no redirect, cookies not Secure."""
    code = (
        "from django.conf import settings as s; import django; django.setup(); "
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS)"
    )
    result = _run("-c", code, DJANGO_DEBUG="1", DJANGO_SETTINGS_MODULE="config.settings")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "False", "0"]
