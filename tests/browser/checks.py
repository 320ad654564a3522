"""Checks the browser tests make on any page: failures collected and reported together, axe-core's
serious and critical violations, and whether a page is wider than a phone's screen."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

BLOCKING_IMPACTS = {"serious", "critical"}


class Findings:
    """Failed checks of one test, reported together."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.failures: list[str] = []

    def check(self, ok: object, message: str) -> None:
        if not ok:
            self.failures.append(message)

    def assert_none(self) -> None:
        assert not self.failures, f"{self.where}:\n- " + "\n- ".join(self.failures)


def axe_report(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']}"
            f" [{violation['helpUrl']}]"
        )
        for node in violation["nodes"]:
            lines.append(f"    selector: {', '.join(map(str, node['target']))}")
            lines.append(f"    html:     {node['html'][:240]}")
            summary = " ".join(node.get("failureSummary", "").split())
            if summary:
                lines.append(f"    why:      {summary}")
    return "\n".join(lines)


def axe_blocking(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now."""
    results: Any = Axe().run(page)
    return [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]


def page_widths(page: Page, width: int) -> dict[str, Any]:
    """How wide the page lays out, and the first elements that stick out past `width` pixels.

    On a phone, a page wider than the screen either scrolls sideways or makes the browser zoom out
    (the layout viewport grows): both show as a width over the screen's."""
    page.evaluate("() => document.fonts.ready.then(() => true)")
    widths: dict[str, Any] = page.evaluate(
        """(width) => ({
            viewport: window.innerWidth,  // grows when the browser zooms out
            document: document.documentElement.scrollWidth,
            body: document.body.scrollWidth,
            wider: [...document.querySelectorAll("body *")]
                .filter(e => e.getBoundingClientRect().right > width + 1
                    || (e.scrollWidth > e.clientWidth + 1
                        && getComputedStyle(e).overflowX === "visible"))
                .slice(0, 5)
                .map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
                    + (typeof e.className === "string" && e.className.trim()
                        ? "." + e.className.trim().split(/\\s+/).join(".") : "")),
        })""",
        width,
    )
    return widths


def fits(widths: dict[str, Any], width: int) -> bool:
    return max(widths["viewport"], widths["document"], widths["body"]) <= width
