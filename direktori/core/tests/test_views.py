import pytest
from django.db import OperationalError
from django.test import Client, RequestFactory

from direktori.core import views


@pytest.mark.django_db
def test_healthz_answers_while_the_process_runs(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_is_ready_when_the_database_answers(client: Client) -> None:
    assert client.get("/readyz").status_code == 200


def test_readyz_is_503_when_the_database_does_not_answer(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Unreachable:
        def cursor(self) -> None:
            raise OperationalError("connection refused")

    monkeypatch.setattr(views, "connection", Unreachable())
    response = client.get("/readyz")
    assert response.status_code == 503


@pytest.mark.django_db
def test_health_endpoints_refuse_writes(client: Client) -> None:
    assert client.post("/healthz").status_code == 405
    assert client.post("/readyz").status_code == 405


def test_server_error_page_stands_alone_and_keeps_the_emergency_numbers() -> None:
    response = views.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    body = response.content.decode()
    assert 'href="tel:999"' in body
    assert 'href="tel:15999"' in body
    assert "https://wa.me/60192615999" in body


@pytest.mark.django_db
def test_security_headers_on_public_pages(client: Client) -> None:
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_malay_is_the_default_language_whatever_the_browser_asks(client: Client) -> None:
    response = client.get("/", headers={"accept-language": "en"})
    assert response.status_code == 200
    assert '<html lang="ms">' in response.content.decode()


@pytest.mark.django_db
def test_english_lives_under_en(client: Client) -> None:
    response = client.get("/en/")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "switch_to"),
    [
        ("/kawasan/", "/en/kawasan/"),
        ("/en/kawasan/", "/kawasan/"),
        ("/cari/?q=klinik", "/en/cari/?q=klinik"),
    ],
)
def test_language_switch_keeps_the_page(client: Client, path: str, switch_to: str) -> None:
    response = client.get(path)
    assert f'class="lang-switch" href="{switch_to}"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/tiada-halaman/", "/en/no-such-page/"])
def test_unknown_pages_get_a_helpful_404(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    body = response.content.decode()
    assert 'href="tel:999"' in body
    assert 'name="q"' in body  # a search box to carry on from


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_answer_by_ip_whatever_the_allowed_hosts(client: Client, path: str) -> None:
    response = client.get(path, headers={"host": "10.0.0.7:8000"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_pages_still_refuse_unknown_hosts(client: Client) -> None:
    assert client.get("/", headers={"host": "evil.example"}).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "switch_to"),
    [("/tiada-halaman/", "/en/tiada-halaman/"), ("/en/no-such-page/", "/no-such-page/")],
)
def test_language_switch_works_on_the_404_page(client: Client, path: str, switch_to: str) -> None:
    assert f'class="lang-switch" href="{switch_to}"' in client.get(path).content.decode()
