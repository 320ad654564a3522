"""Gives every event recorded during a request that request's user, address and browser, also
when it is recorded by a signal (an account changed by an officer). It belongs in MIDDLEWARE
after `AuthenticationMiddleware`."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .services import audit_context


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with audit_context(request):
            return self.get_response(request)
