"""Forms of the SPM fields, one module per subject; ``layanan.forms.<Name>`` re-exports them all."""

from layanan.forms.kesehatan import *  # noqa: F403
