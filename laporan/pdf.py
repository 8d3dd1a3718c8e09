"""The reports' PDFs: rendered by the project's one PDF module, ``posyandu.pdf`` (WeasyPrint, offline).

It lives in the foundation so that account slips (``posyandu.akun``) print without importing the
reporting app; the reports import it from here.
"""

from posyandu.pdf import render_pdf

__all__ = ["render_pdf"]
