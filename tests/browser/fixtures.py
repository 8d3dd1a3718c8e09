"""Browser fixtures: one headless Chromium per test process (xdist worker), a fresh context per page.

Imported by tests/conftest.py, so that the browser tests beside the report and people tests share the
one Chromium (a second sync Playwright in the same thread would fail)."""

import contextlib
import os
import shutil

import pytest
from playwright import sync_api  # a missing package fails the run: it is in requirements-dev.txt

from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS, PHONE, TIMEOUT_MS

# `expect` waits 5 s by default, actions wait TIMEOUT_MS: on a loaded CI machine a page behind a
# click can take longer than 5 s, and the assertion then reads the previous page (CI run of stop 20).
sync_api.expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
def _allow_async_unsafe():
    """Playwright's sync API keeps an event loop in this thread while the browser lives (the rest of the
    session: launching Chromium once per module cost a second each); let the ORM run anyway (the app has
    no async views)."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(_allow_async_unsafe):
    if not (os.path.exists(CHROMIUM) and shutil.which(CHROMIUM)):
        # Never a skip: a test that did not run is not a pass. `make test` installs it (make tools).
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make tools` (as root) or install chromium-headless-shell")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_page(browser):
    """``new_page(viewport)``: a page in a fresh context (no shared cookies), closed after the test."""
    contexts = []

    def _new_page(viewport=None):
        viewport = viewport or {"width": 360, "height": 740}
        context = browser.new_context(viewport=viewport, locale="id-ID")
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield _new_page
    for context in contexts:
        context.close()


@pytest.fixture
def phone(browser, tmp_path):
    """``phone()`` opens the phone's browser on one profile directory; calling it again after
    ``close()`` reopens the same profile (storage, service worker, caches, cookies kept)."""
    opened = []

    def _open():
        context = browser.browser_type.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
            viewport=PHONE,
            locale="id-ID",
            service_workers="allow",
        )
        context.set_default_timeout(TIMEOUT_MS)
        opened.append(context)
        return context

    yield _open
    for context in opened:
        with contextlib.suppress(sync_api.Error):  # already closed by the test
            context.close()
