"""Reads of the SPM fields, one module per subject; ``layanan.selectors.<name>`` re-exports them all."""

from layanan.selectors.kesehatan import *  # noqa: F403
