"""Hardening (docs/security.md): headers on public pages, cookies, HTTPS, CSP nonces, logs."""

import logging
import re
from pathlib import Path
from typing import cast

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.template import engines
from django.test import Client, RequestFactory
from django.urls import reverse

from direktori.core.log_filters import WithoutQueryStrings
from direktori.directory.tests.factories import ServiceFactory

ROOT = Path(settings.BASE_DIR)


def _public_paths() -> list[str]:
    service = ServiceFactory.create()
    return [
        "/",
        "/en/",
        reverse("directory:service_detail", args=[service.pk]),
        "/cari/?q=klinik",
        "/privasi/",
        "/en/privasi/",
        "/api/v1/search?q=klinik",
    ]


@pytest.mark.django_db
def test_public_pages_carry_the_security_headers(client: Client) -> None:
    for path in _public_paths():
        response = client.get(path)
        assert response.status_code == 200, path
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp, path
        assert "script-src 'self'" in csp, path
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, path
        assert "frame-ancestors 'none'" in csp, path
        assert response["X-Content-Type-Options"] == "nosniff", path
        assert response["Referrer-Policy"] == "same-origin", path
        assert response["X-Frame-Options"] == "DENY", path
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", path


@pytest.mark.django_db
def test_hsts_is_preload_ready_on_secure_requests(client: Client) -> None:
    hsts = client.get("/", secure=True)["Strict-Transport-Security"]
    assert hsts == "max-age=31536000; includeSubDomains; preload"


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https_in_production(client: Client, settings) -> None:
    settings.SECURE_SSL_REDIRECT = True  # the production default; the tests speak plain HTTP
    response = client.get("/cari/?q=klinik")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/cari/?q=klinik"
    # Load-balancer probes come over plain HTTP by IP address and are never redirected.
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_the_https_header_of_a_proxy_is_trusted_only_when_configured(
    client: Client, settings
) -> None:
    settings.SECURE_SSL_REDIRECT = True
    forwarded = {"x-forwarded-proto": "https"}
    assert client.get("/", headers=forwarded).status_code == 301
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client.get("/", headers=forwarded).status_code == 200


def test_the_csrf_cookie_is_secure_httponly_and_same_site() -> None:
    request = RequestFactory().get("/")
    middleware = CsrfViewMiddleware(lambda request: HttpResponse())
    get_token(request)  # what {% csrf_token %} does in a form
    response = middleware.process_response(request, HttpResponse())
    cookie = response.cookies[settings.CSRF_COOKIE_NAME]
    assert cookie["secure"] and cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_session_and_language_cookies_are_secure_httponly_and_same_site() -> None:
    assert settings.SESSION_COOKIE_SECURE and settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.LANGUAGE_COOKIE_SECURE and settings.LANGUAGE_COOKIE_HTTPONLY
    assert settings.LANGUAGE_COOKIE_SAMESITE == "Lax"


def test_an_inline_script_with_the_nonce_is_allowed_and_the_nonce_is_fresh() -> None:
    template = engines["django"].from_string('<script nonce="{{ csp_nonce }}">go()</script>')
    middleware = ContentSecurityPolicyMiddleware(lambda request: HttpResponse())
    nonces = []
    for _ in range(2):
        request = RequestFactory().get("/")
        middleware.process_request(request)
        body = template.render({}, request)
        response = middleware.process_response(request, HttpResponse(body))
        nonce = re.search(r'nonce="([^"]+)"', body)
        assert nonce is not None
        assert f"script-src 'self' 'nonce-{nonce[1]}'" in response["Content-Security-Policy"]
        nonces.append(nonce[1])
    assert nonces[0] != nonces[1]


@pytest.mark.django_db
def test_a_page_without_inline_script_gets_no_nonce(client: Client) -> None:
    assert "nonce-" not in client.get("/")["Content-Security-Policy"]


INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)(?![^>]*application/json)[^>]*>"
)
INLINE_STYLE = re.compile(r"<style(?![^>]*\bnonce=)[^>]*>|\sstyle=")
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+=", re.IGNORECASE)
#: The first line of a template that only direktori.core.pdf renders (never sent to a browser, so
#: the CSP does not apply; its page margins need styles made from data, such as the reference).
PDF_ONLY = "{# PDF only"


def test_templates_have_no_inline_script_or_style_without_a_nonce() -> None:
    """The CSP blocks them: inline code needs nonce="{{ csp_nonce }}", or a static file."""
    found = []
    for template in sorted(ROOT.glob("direktori/*/templates/**/*.html")):
        text = template.read_text()
        patterns = [INLINE_SCRIPT, EVENT_HANDLER]
        if not text.startswith(PDF_ONLY):
            patterns.append(INLINE_STYLE)
        for pattern in patterns:
            found += [f"{template.relative_to(ROOT)}: {m[0]}" for m in pattern.finditer(text)]
    assert not found, "\n".join(found)


@pytest.mark.django_db
def test_the_api_documentation_uses_no_inline_script_or_third_party_files(client: Client) -> None:
    body = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle" in body
    assert not INLINE_SCRIPT.search(body)
    assert "https://" not in body


def test_query_strings_are_dropped_from_log_records() -> None:
    record = logging.LogRecord(
        "django.server", logging.INFO, __file__, 1, '"%s" %s %s',
        ("GET /cari/?q=rumah+perlindungan&lat=2.8&lon=101.7 HTTP/1.1", "200", "5120"), None,
    )  # fmt: skip
    WithoutQueryStrings().filter(record)
    assert record.getMessage() == '"GET /cari/ HTTP/1.1" 200 5120'
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: /en/x/?name=Siti", None, None
    )
    WithoutQueryStrings().filter(record)
    assert record.getMessage() == "Not Found: /en/x/"


def test_the_logging_configuration_filters_every_handler() -> None:
    handlers = cast(dict[str, dict[str, object]], settings.LOGGING["handlers"])
    for name, handler in handlers.items():
        assert "without_query_strings" in cast(list[str], handler.get("filters", [])), name


def test_gunicorn_access_log_records_no_query_string_and_no_address() -> None:
    """`make serve`: time, method, path without the query string, status, size, duration."""
    makefile = (ROOT / "Makefile").read_text()
    formats = re.findall(r"--access-logformat '([^']*)'", makefile)
    assert formats, "make serve sets no access-log format (gunicorn's default logs addresses)"
    for log_format in formats:
        atoms = set(re.findall(r"%\((\w+)\)s", log_format))
        assert "U" in atoms
        # r: request line with query; q: query; h: address; f: referrer; a: user agent; u: user;
        # %({name}i)s and the like: request headers (X-Forwarded-For is an address)
        assert not atoms & {"r", "q", "h", "f", "a", "u"}, log_format
        assert "{" not in log_format, log_format
