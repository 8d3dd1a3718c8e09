"""Models of the SPM fields, one module per subject; ``layanan.models.<Name>`` re-exports them all."""

from layanan.models.kesehatan import *  # noqa: F403
