"""`/api/v1/`: our own JSON API (CONTRACT.md). Each app adds its router here."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError

api = NinjaAPI(
    title="Direktori CBO API",
    version="1",
    description="Search the directory of KPWKM's Community Based Organisations and services.",
    urls_namespace="api-v1",
    docs_url="/docs",
)


@api.exception_handler(ValidationError)
def invalid_parameters(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems = []
    for error in exc.errors:
        name = ".".join(str(part) for part in error.get("loc", ())[1:]) or "request"
        problems.append(f"Invalid value for '{name}': {error.get('msg', 'invalid')}.")
    return api.create_response(request, {"detail": " ".join(problems)}, status=400)


def _register() -> None:
    from direktori.search.api import router as search_router

    api.add_router("/", search_router, tags=["search"])
    api.add_router("/auth/", "direktori.accounts.api.router", tags=["auth"])
    api.add_router("/", "direktori.verification.api.router", tags=["verification"])
    api.add_router("/", "direktori.members.api.router", tags=["members"])
    api.add_router("/", "direktori.outreach.api.router", tags=["outreach"])
    api.add_router("/", "direktori.stats.api.router", tags=["statistics"])
    api.add_router("/", "direktori.training.api.router", tags=["training"])
    api.add_router("/", "direktori.referrals.api.router", tags=["referrals"])


_register()
