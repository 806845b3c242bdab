"""The page checker itself: it must catch what every shop page is checked for."""

from __future__ import annotations

from storefront.web.headers import CONTENT_SECURITY_POLICY

from .checks import REPORT

BROKEN_PAGE = """<!doctype html>
<html lang="en"><head><title>Probe · Storefront Shoes</title></head>
<body><main><h1>Probe</h1>
<p>{wide}</p>
<input name="q">
<img src="/static/no-such-picture.png" alt="Missing">
<script>document.title = "inline script ran";</script>
</main></body></html>
"""


def test_page_checker_reports_csp_violations_overflow_missing_labels_and_failed_requests(
    open_shop,
):
    shop = open_shop("phone")
    shop.page.route(
        "**/_checker-probe",
        lambda route: route.fulfill(
            status=200,
            headers={
                "Content-Type": "text/html",
                "Content-Security-Policy": CONTENT_SECURITY_POLICY,
            },
            body=BROKEN_PAGE.format(wide="x" * 400),
        ),
    )
    shop.goto("/_checker-probe")
    shop.check("checker probe")
    REPORT.discard("checker probe")

    problems = shop.problems.pop()
    assert "CSP violation" in problems
    assert "horizontal scrolling" in problems
    assert "form control without a label" in problems
    assert "HTTP 404: GET /static/no-such-picture.png" in problems
    assert "axe serious/critical violations" in problems
    assert shop.page.title() != "inline script ran"
