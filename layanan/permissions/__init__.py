"""Who may do what in the SPM fields, one module per subject; ``layanan.permissions.<name>`` re-exports them all."""

from layanan.permissions.kesehatan import *  # noqa: F403
from layanan.permissions.permintaan import *  # noqa: F403
from layanan.permissions.roles import *  # noqa: F403
