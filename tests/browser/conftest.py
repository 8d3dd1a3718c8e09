"""Browser fixtures: one headless Chromium per module, a fresh context per page."""

import os
import shutil

import pytest

from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def _allow_async_unsafe():
    """Playwright's sync API keeps an event loop in this thread; let the ORM (flush, fixtures) run anyway."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def browser(_allow_async_unsafe):
    if not (os.path.exists(CHROMIUM) and shutil.which(CHROMIUM)):
        message = f"Chromium not found at {CHROMIUM}"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI must run the browser tests)")
        pytest.skip(message)
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
