"""Read the text of a PDF the app produced (poppler's pdftotext; `make tools` installs poppler-utils)."""

import shutil
import subprocess
import tempfile

import pytest


def pdf_text(content: bytes) -> str:
    """The PDF's text with whitespace collapsed, so table cells that wrap still read as phrases."""
    assert content.startswith(b"%PDF-"), "not a PDF"
    tool = shutil.which("pdftotext")
    if tool is None:  # never a skip: `make test` installs it (make tools)
        pytest.fail("pdftotext is missing: run `make tools` (as root) or apt-get install poppler-utils")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        text = subprocess.run([tool, handle.name, "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())
