"""The browser suite's fixtures: a live shop under gunicorn, one Chromium, a tab per test.

The shop runs in its own process on 127.0.0.1 with a fresh SQLite database holding the demo
catalogue and an admin, exactly as `flask db upgrade`, `flask seed-demo` and `flask create-admin`
leave it. Without /usr/bin/chromium (or Playwright) the suite skips with one line; with CI=true
it fails instead.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .checks import (
    ARTIFACTS,
    REPORT,
    SHOP_NAME,
    VIEWPORTS,
    PageProblems,
    ShopBrowser,
)
from .page_scripts import CSP_LISTENER

CHROMIUM = os.environ.get("STOREFRONT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
IN_CI = os.environ.get("CI", "").lower() == "true"
HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def _missing_browser() -> str | None:
    """Return why the browser tests cannot run here, or None if they can."""
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is not installed (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -e '.[dev]')"
    return None


# Outside CI a missing browser skips the whole folder with one line; in CI the tests fail.
SKIP_REASON = None if IN_CI else _missing_browser()


class _SkippedSuite(pytest.Item):
    """Stands in for the whole folder when the browser is missing: one skip, one line."""

    def runtest(self) -> None:
        pytest.skip(f"browser tests: {SKIP_REASON}")

    def reportinfo(self):
        return self.path, None, "browser tests"


class _SkippedSuiteFile(pytest.File):
    def collect(self):
        yield _SkippedSuite.from_parent(self, name="browser tests")


def pytest_ignore_collect(collection_path, config):
    """Leave the browser test modules uncollected when the browser is missing."""
    if SKIP_REASON and collection_path.parent == HERE and collection_path.name.startswith("test_"):
        return True
    return None


def pytest_collect_file(file_path, parent):
    """Collect the one stand-in skip (from this conftest's path) when the browser is missing."""
    if SKIP_REASON and file_path == HERE / "conftest.py":
        return _SkippedSuiteFile.from_parent(parent, path=file_path)
    return None


ADMIN_EMAIL = "owner@example.com"
ADMIN_PASSWORD = "a long unguessable phrase 2026"
SERVER_LOG = ARTIFACTS / "browser-server.log"
OPEN_SHOPS = pytest.StashKey[list]()


def pytest_collection_modifyitems(items):
    """Mark every test in this folder as a browser test (`-m "not browser"` leaves them out)."""
    for item in items:
        if Path(str(item.fspath)).is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fail a journey that went through but passed pages that broke the per-page rules."""
    shops = item.stash.get(OPEN_SHOPS, [])
    try:
        result = yield
    except BaseException as error:
        for problem in (p for shop in shops for p in shop.problems):
            error.add_note("Earlier page problems:\n" + problem)
        raise
    problems = [problem for shop in shops for problem in shop.problems]
    if problems:
        hint = f"\n(the shop's own log: {SERVER_LOG.relative_to(ROOT)})"
        raise PageProblems("\n".join(problems) + hint)
    return result


def pytest_terminal_summary(terminalreporter):
    """Print each checked page with its axe result."""
    if not REPORT.results:
        return
    blocking = sum(len(r.blocking) for r in REPORT.results)
    lines = [result.line() for result in REPORT.results]
    lines.append(
        f"{len(REPORT.results)} page views checked, {blocking} serious/critical violations; "
        f"screenshots in {ARTIFACTS.relative_to(ROOT) / 'screenshots'}/"
    )
    terminalreporter.section("browser pages: axe-core report")
    for line in lines:
        terminalreporter.write_line(line)
    (ARTIFACTS / "axe-report.txt").write_text("\n".join(lines) + "\n")


def _shop_environment(folder: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_URL", "REDIS_URL", "MAIL_", "STOREFRONT_", "IMAGE_"))
    }
    env.update(
        FLASK_APP="storefront:create_app",
        STOREFRONT_ENV="development",
        STOREFRONT_INSTANCE_PATH=str(folder),
        STOREFRONT_NAME=SHOP_NAME,
        DATABASE_URL=f"sqlite:///{folder / 'shop.sqlite3'}",
        SECRET_KEY=secrets.token_urlsafe(32),
        # Cheap password hashing: the journeys log in several times.
        ARGON2_TIME_COST="1",
        ARGON2_MEMORY_COST="8192",
        ARGON2_PARALLELISM="1",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def _flask(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "flask", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    if done.returncode:
        output = (done.stdout + done.stderr)[-2500:]
        pytest.fail(f"flask {' '.join(args[:2])} failed:\n{output}", pytrace=False)


def _wait_until_up(url: str, server: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    server.kill()
    tail = log_path.read_text(errors="replace")[-3000:]
    pytest.fail(f"the shop did not start on {url}:\n{tail}")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> str:
    """Serve a fresh demo shop with gunicorn on a free port; return its base URL."""
    folder = tmp_path_factory.mktemp("browser-shop")
    env = _shop_environment(folder)
    _flask(env, "db", "upgrade")
    _flask(env, "seed-demo")
    _flask(
        env, "create-admin", "--email", ADMIN_EMAIL, "--password", ADMIN_PASSWORD, "--name", "Owner"
    )

    # Bind the port here and hand the socket over: no race for a "free" port.
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    port = listener.getsockname()[1]
    env["SHOP_URL"] = f"http://127.0.0.1:{port}"  # the links in its mails and pages
    ARTIFACTS.mkdir(exist_ok=True)
    log = SERVER_LOG.open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers=1",  # one process: the in-memory rate limits and cache stay consistent
            "--threads=8",
            f"--bind=fd://{listener.fileno()}",
            "--access-logfile=-",
            "--error-logfile=-",
            "storefront.wsgi:app",
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        pass_fds=(listener.fileno(),),
    )
    listener.close()
    url = f"http://127.0.0.1:{port}"
    _wait_until_up(url, server, SERVER_LOG)
    yield url
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


@pytest.fixture(scope="session")
def browser():
    """Launch Debian's Chromium once for the whole session."""
    reason = _missing_browser()
    if reason and IN_CI:
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    if reason:  # a test module named on the command line is collected anyway
        pytest.skip(f"browser tests: {reason}")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    shutil.rmtree(ARTIFACTS / "screenshots", ignore_errors=True)
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def open_shop(request, browser, live_server):
    """Return a function opening a fresh browser (own cookies) on the shop at a viewport."""
    contexts = []
    shops = request.node.stash.setdefault(OPEN_SHOPS, [])

    def opener(viewport: str = "desktop", javascript: bool = True) -> ShopBrowser:
        context = browser.new_context(
            viewport=VIEWPORTS[viewport],
            java_script_enabled=javascript,
            base_url=live_server,
            locale="en-GB",
            timezone_id="UTC",
            reduced_motion="reduce",  # Bootstrap then skips its fades: no waiting on animations
        )
        context.set_default_timeout(10_000)
        context.add_init_script(CSP_LISTENER)
        contexts.append(context)
        shop = ShopBrowser(context, live_server, viewport, javascript)
        shops.append(shop)
        return shop

    yield opener
    for context in contexts:
        context.close()


@pytest.fixture(params=list(VIEWPORTS))
def shop(request, open_shop) -> ShopBrowser:
    """Return a fresh browser on the shop, once per viewport (phone and desktop)."""
    return open_shop(request.param)
