"""Browser tests: Playwright's sync API driving the system's Chromium (/usr/bin/chromium) against
pytest-django's live server, with the Sopot demo loaded by ``load_demo``.

Without Chromium they are skipped with a message saying how to enable them, unless
CIVITAS_REQUIRE_BROWSER=1 (as .ci/run sets): then a missing browser, or a browser test skipped for
any reason, fails the run.

Pages are opened with the site's Content-Security-Policy enforced (no ``bypass_csp``), so that the
tests see what a visitor sees; every page records console errors, uncaught exceptions and CSP
violations, and a test fails if any occurred. axe-core is injected through the DevTools protocol
(``page.evaluate`` of the vendored file), which CSP does not govern, so axe also runs on the real,
CSP-enforced rendering. (``page.add_script_tag`` would add an inline <script> that CSP blocks.)
"""

import os
import shutil
import warnings
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CIVITAS_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
REQUIRED = os.environ.get("CIVITAS_REQUIRE_BROWSER") == "1"
HOW_TO_ENABLE = "install it with `apt-get install -y chromium` to run the browser tests"
AXE_JS = Path(__file__).resolve().parents[1] / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Playwright's sync API runs an asyncio event loop in the test thread; Django's ORM refuses to run
# in a thread with a running loop unless told otherwise. The live server runs in its own thread.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def chromium_present() -> bool:
    return os.path.exists(CHROMIUM) or shutil.which(CHROMIUM) is not None


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if "browser" in item.keywords]
    if not browser_items or chromium_present():
        return
    message = f"Chromium not found at {CHROMIUM}: {HOW_TO_ENABLE}"
    if REQUIRED:
        raise pytest.UsageError(f"{message} (CIVITAS_REQUIRE_BROWSER=1 requires them)")
    for item in browser_items:
        item.add_marker(pytest.mark.skip(reason=message))


def pytest_terminal_summary(terminalreporter):
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if "browser" in r.keywords]
    if skipped and not chromium_present():
        terminalreporter.write_line(
            f"{len(skipped)} browser tests skipped: Chromium not found at {CHROMIUM}; {HOW_TO_ENABLE}.",
            yellow=True,
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    # In CI a skipped browser test is a failure: the suite must not pass without having driven a browser.
    if REQUIRED and report.skipped and "browser" in item.keywords and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"browser test skipped although CIVITAS_REQUIRE_BROWSER=1: {report.longrepr}"
    return report


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


# Problems known, reported and waiting for a fix outside the tests: (substring of the message, why).
# They are shown as warnings instead of failing every browser test. Keep this list short and precise.
KNOWN_PROBLEMS: list[tuple[str, str]] = []


class PageProblems(list):
    """Console errors, uncaught exceptions and CSP violations seen by a page."""

    def __init__(self):
        super().__init__()
        self.known = set()

    def add(self, text):
        for needle, why in KNOWN_PROBLEMS:
            if needle in text:
                self.known.add(why)
                return
        self.append(text)

    def on_console(self, msg):
        # "Failed to load resource" is also logged for a page answered on purpose with 400 (a form with
        # errors) or 404; failed sub-resources (styles, scripts, images) are caught by on_response.
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            self.add(f"console: {msg.text}")

    def on_response(self, response):
        if response.status >= 400 and response.request.resource_type != "document":
            self.add(f"{response.status} for {response.request.resource_type} {response.url}")

    def watch(self, page):
        page.on("console", self.on_console)
        page.on("pageerror", lambda exc: self.add(f"uncaught exception: {exc}"))
        page.on("response", self.on_response)
        page.on("requestfailed", self.on_request_failed)
        return page

    def on_request_failed(self, request):
        # A request the browser cancelled because the page navigated away (net::ERR_ABORTED) is
        # not a fault of the page; e.g. the favicon of a page left at once for the next.
        if "ERR_ABORTED" in (request.failure or ""):
            return
        self.add(f"request failed: {request.url} ({request.failure})")


def open_page(browser, locale):
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
    problems = PageProblems()
    page = problems.watch(context.new_page())
    return context, page, problems


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies) with the site's CSP enforced; fails the test if the
    page logged errors, threw, or violated the CSP."""
    context, page, problems = open_page(browser, "bg-BG")
    page.problems = problems
    yield page
    context.close()
    for why in sorted(problems.known):
        warnings.warn(f"known browser problem: {why}", stacklevel=1)
    assert not problems, "the browser reported problems:\n" + "\n".join(problems)


@pytest.fixture(scope="session")
def _demo_snapshots():
    """The demo as first loaded in this test process, by the database it was loaded into."""
    return {}


@pytest.fixture
def demo(transactional_db, settings, tmp_path, tmp_path_factory, _demo_snapshots):
    """The Sopot demo, loaded the way ``make run`` loads it; uploaded files go to a temporary folder.

    The first test of a process loads it and takes a snapshot of the database and the files; later
    tests get that snapshot restored (a fraction of a second instead of seconds), so each one
    still starts from the demo exactly as loaded, whatever the tests before it changed."""
    from django.core.management import call_command
    from django.db import connection

    from civitas.testing.snapshot import Snapshot

    settings.MEDIA_ROOT = tmp_path
    key = (connection.vendor, connection.settings_dict["NAME"])
    snapshot = _demo_snapshots.get(key)
    if snapshot is not None:
        snapshot.restore(media_root=tmp_path)
        return
    with open(os.devnull, "w") as devnull:
        call_command("load_demo", stdout=devnull)
    _demo_snapshots[key] = Snapshot.take(tmp_path, tmp_path_factory.mktemp("demo-media") / "files")


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Runs axe-core (WCAG 2.1 A and AA rules) on the page; returns the violations of the given impacts."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return [v for v in result["violations"] if v["impact"] in impacts]


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} serious or critical axe-core violation(s) on {url}:"]
    for v in violations:
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    at {' '.join(map(str, node['target']))}: {node['html'][:160]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
        if len(v["nodes"]) > 5:
            lines.append(f"    … and {len(v['nodes']) - 5} more element(s)")
    return "\n".join(lines)


@pytest.fixture
def assert_accessible():
    def check(page):
        violations = axe_violations(page)
        assert not violations, format_violations(page.url, violations)

    return check
