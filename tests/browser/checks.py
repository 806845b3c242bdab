"""The checks run on every page a browser test visits, and the report they feed.

`ShopBrowser` wraps one Playwright page. It records what goes wrong while the page loads
(console errors, uncaught exceptions, failed requests, 4xx/5xx responses, CSP violations), and
`check(name)` then checks the page now shown: nothing went wrong, no horizontal scrolling, the
navbar collapsed on a phone, the shop's name in the title and one h1, a label on every form
control, no serious or critical axe-core violation. It writes a screenshot and adds a line to
the axe report. Problems are collected rather than raised, so a journey runs to its end and then
fails with every page's problems listed (conftest.py's pytest_runtest_call)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .page_scripts import (
    AXE_RUN,
    FINITE_ANIMATIONS_DONE,
    HORIZONTAL_OVERFLOW,
    NAVBAR_STATE,
    UNLABELLED_CONTROLS,
)

HERE = Path(__file__).parent
AXE_SOURCE = (HERE / "vendor" / "axe.min.js").read_text(encoding="utf-8")
ARTIFACTS = HERE.parent.parent / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"

VIEWPORTS = {
    "phone": {"width": 390, "height": 844},
    "desktop": {"width": 1366, "height": 768},
}
BLOCKING_IMPACTS = ("serious", "critical")
SHOP_NAME = "Storefront Shoes"  # the live server's STOREFRONT_NAME


@dataclass
class AxeResult:
    """One page at one viewport, as the report shows it."""

    page: str
    viewport: str
    url: str
    violations: list[dict] | None = field(default_factory=list)

    @property
    def blocking(self) -> list[dict]:
        """Return the serious and critical violations."""
        return [v for v in self.violations or () if v["impact"] in BLOCKING_IMPACTS]

    def line(self) -> str:
        """Return the report line for this page."""
        if self.violations is None:
            return f"{self.page:<28} {self.viewport:<12} axe: not run (JavaScript off)"
        text = f"{self.page:<28} {self.viewport:<12} axe: {len(self.blocking)} serious/critical"
        minor = len(self.violations) - len(self.blocking)
        if minor:
            text += f", {minor} minor/moderate"
        if self.violations:
            text += " (" + ", ".join(f"{v['id']}:{v['impact']}" for v in self.violations) + ")"
        return text


class Report:
    """Collects the axe result of every checked page for the summary at the end of the run."""

    def __init__(self) -> None:
        self.results: list[AxeResult] = []

    def add(self, result: AxeResult) -> None:
        """Record a result; a page seen again at the same viewport keeps its latest result."""
        self.results = [
            r for r in self.results if (r.page, r.viewport) != (result.page, result.viewport)
        ]
        self.results.append(result)

    def discard(self, page: str) -> None:
        """Forget a page's results (the checker's own self-test is not a shop page)."""
        self.results = [r for r in self.results if r.page != page]


REPORT = Report()


class PageProblems(AssertionError):
    """A page broke one of the rules every page must keep."""


def describe_axe(violations: list[dict]) -> str:
    """Return a readable account of axe violations."""
    lines = []
    for violation in violations:
        lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"]:
            summary = " ".join((node["summary"] or "").split())[:300]
            lines.append(f"      {node['target']}: {summary}")
    return "\n".join(lines)


class ShopBrowser:
    """One browser tab on the shop at one viewport, with the per-page checks."""

    def __init__(self, context, base_url: str, viewport: str, javascript: bool = True) -> None:
        self.context = context
        self.base_url = base_url.rstrip("/")
        self.viewport = viewport
        self.javascript = javascript
        self.label = viewport if javascript else f"{viewport}-nojs"
        self.page = context.new_page()
        self.events: list[str] = []
        self.problems: list[str] = []
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.events.append(f"page error: {error}"))
        self.page.on("requestfailed", self._on_request_failed)
        self.page.on("response", self._on_response)

    # -- event recording ------------------------------------------------------------------
    def _on_console(self, message) -> None:
        if message.type != "error":
            return
        text = message.text
        kind = "CSP violation" if "Content Security Policy" in text or "CSP" in text else "console"
        self.events.append(f"{kind} error: {text}")

    def _on_request_failed(self, request) -> None:
        failure = request.failure or ""
        # A lazy image or prefetch cut short by the next navigation is not a broken request.
        if "ERR_ABORTED" in failure:
            return
        self.events.append(f"request failed: {request.method} {request.url} ({failure})")

    def _on_response(self, response) -> None:
        if response.status >= 400:
            path = urlsplit(response.url).path
            self.events.append(f"HTTP {response.status}: {response.request.method} {path}")

    # -- navigation helpers ---------------------------------------------------------------
    def url(self, path: str) -> str:
        """Return the absolute URL of a path on the shop."""
        return self.base_url + path

    def goto(self, path: str):
        """Open a path on the shop and return the main response."""
        return self.page.goto(self.url(path))

    @property
    def is_phone(self) -> bool:
        """Return True at the phone viewport."""
        return self.viewport == "phone"

    def open_menu(self) -> None:
        """On a phone, open the collapsed navbar (with JavaScript; without, it is already open)."""
        toggler = self.page.locator(".navbar-toggler")
        if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
            toggler.click()
            self.page.locator("#mainNav.show").wait_for()

    def nav(self):
        """Return the main navbar, opened first on a phone."""
        self.open_menu()
        return self.page.get_by_role("navigation", name="Main")

    # -- the checks -----------------------------------------------------------------------
    def check(self, name: str, allow_status: tuple[int, ...] = (), readme: str | None = None):
        """Assert the rules every page keeps, screenshot it and record its axe result."""
        page = self.page
        page.wait_for_load_state("load")
        if self.javascript:  # a modal fading in would give axe half-transparent colours
            page.evaluate(FINITE_ANIMATIONS_DONE)
        problems = [e for e in self.events if not _allowed(e, allow_status)]
        self.events.clear()

        overflow = page.evaluate(HORIZONTAL_OVERFLOW)
        if overflow:
            problems.append(
                f"horizontal scrolling: scrollWidth {overflow['scrollWidth']} > "
                f"clientWidth {overflow['clientWidth']}; too wide: {overflow['wide']}"
            )
        if SHOP_NAME not in page.title():
            problems.append(f"title {page.title()!r} does not name the shop ({SHOP_NAME})")
        if page.locator("h1").count() != 1:
            problems.append(f"{page.locator('h1').count()} h1 headings; a page has one")
        problems.extend(self._navbar_problems())
        for control in page.evaluate(UNLABELLED_CONTROLS):
            problems.append(f"form control without a label: {control}")

        result = AxeResult(name, self.label, page.url, self._run_axe())
        REPORT.add(result)
        if result.blocking:
            problems.append("axe serious/critical violations:\n" + describe_axe(result.blocking))

        self.screenshot(name, readme)
        if problems:
            # Kept, not raised: the journey goes on, and the test fails at its end with every
            # page's problems listed (see pytest_runtest_call in conftest.py).
            self.problems.append(
                f"page '{name}' at {self.label} ({page.url}):\n- " + "\n- ".join(problems)
            )
        return result

    def _navbar_problems(self) -> list[str]:
        state = self.page.evaluate(NAVBAR_STATE)
        if not state["hasNavbar"]:
            return []
        if not self.is_phone:
            if state["togglerShown"] or not state["menuShown"]:
                return ["navbar: on a desktop the menu should be open and the toggler hidden"]
            return []
        if not self.javascript:
            # Without JavaScript the toggler could never open the menu, so it must be open.
            if state["togglerShown"] or not state["menuShown"]:
                return ["navbar: without JavaScript a phone must see the menu, not a toggler"]
            return []
        expanded = self.page.locator(".navbar-toggler").get_attribute("aria-expanded") == "true"
        if not state["togglerShown"] or (state["menuShown"] and not expanded):
            return ["navbar: on a phone the menu should be collapsed behind the toggler"]
        return []

    def _run_axe(self) -> list[dict] | None:
        # evaluate() is not subject to the page's CSP, unlike an injected <script>.
        page = self.page
        if not self.javascript:
            return None  # axe.run needs timers, which do not fire with scripts disabled
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(AXE_SOURCE)
        violations = page.evaluate(AXE_RUN)
        self.events.clear()  # whatever axe itself caused is not the page's fault
        return violations

    def screenshot(self, name: str, readme: str | None = None) -> None:
        """Write a full-page screenshot (and the README's above-the-fold one if named)."""
        folder = SCREENSHOTS / self.label
        folder.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-")
        self.page.screenshot(path=str(folder / f"{slug}.png"), full_page=True)
        if readme:
            readme_folder = SCREENSHOTS / "readme"
            readme_folder.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(readme_folder / f"{readme}.png"))


def _allowed(event: str, allow_status: tuple[int, ...]) -> bool:
    """Return True for an event the step expected: the error status it asked for."""
    for status in allow_status:
        if event.startswith(f"HTTP {status}:"):
            return True
        # Chromium also logs the expected error status of the document as a console error.
        if event.startswith("console error: Failed to load resource") and f" {status} " in event:
            return True
    return False
