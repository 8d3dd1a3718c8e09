"""Writes of the SPM fields, one module per subject; ``layanan.services.<name>`` re-exports them all."""

from layanan.services.kesehatan import *  # noqa: F403
