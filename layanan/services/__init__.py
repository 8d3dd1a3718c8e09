"""Writes of the SPM fields, one module per subject; ``layanan.services.<name>`` re-exports them all."""

from layanan.services.checks import *  # noqa: F403
from layanan.services.kegiatan import *  # noqa: F403
from layanan.services.kesehatan import *  # noqa: F403
from layanan.services.pendidikan import *  # noqa: F403
from layanan.services.permintaan import *  # noqa: F403
from layanan.services.survei import *  # noqa: F403
from layanan.services.trantibum import *  # noqa: F403
