"""Browser tests: Playwright driving the system's Chromium (/usr/bin/chromium) against a live server.

Without Chromium they are skipped with a message, unless CIVITAS_REQUIRE_BROWSER=1 (as in CI),
where a missing browser fails the run.
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CIVITAS_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
# Playwright's sync API runs an event loop in this thread; the live server's database access is safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM) or shutil.which(CHROMIUM):
        return
    message = f"Chromium not found at {CHROMIUM}: install it with `apt-get install -y chromium` to run the browser tests"
    if os.environ.get("CIVITAS_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(message + " (CIVITAS_REQUIRE_BROWSER=1 requires them)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=message))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(bypass_csp=True, locale="bg-BG")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    from django.core.management import call_command

    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=open(os.devnull, "w"))
