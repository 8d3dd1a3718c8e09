"""The project's one PDF module: a Django template rendered by WeasyPrint (reports, account slips).

Fonts and images come from the local static files (no network: villages and this machine are
offline). Views only wrap the bytes in a response.
"""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


def _fetch_local(url: str, timeout: int = 10, ssl_context=None):
    """Resolve ``/static/...`` to files on disk; refuse anything else (no network fetches)."""
    from weasyprint.urls import default_url_fetcher

    if url.startswith("file://"):
        return default_url_fetcher(url, timeout=timeout, ssl_context=ssl_context)
    static_url = settings.STATIC_URL
    path = url.split("://", 1)[-1]
    path = path[path.find(static_url) :] if static_url in path else path
    if path.startswith(static_url):
        found = finders.find(path[len(static_url) :])
        if found:
            return default_url_fetcher(f"file://{found}", timeout=timeout, ssl_context=ssl_context)
    raise ValueError(f"PDF resource not available offline: {url}")


def render_pdf(template_name: str, context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    return HTML(string=html, base_url="http://localhost/", url_fetcher=_fetch_local).write_pdf()
