"""Reads of the SPM fields, one module per subject; ``layanan.selectors.<name>`` re-exports them all."""

from layanan.selectors.kegiatan import *  # noqa: F403
from layanan.selectors.kesehatan import *  # noqa: F403
from layanan.selectors.pendidikan import *  # noqa: F403
from layanan.selectors.permintaan import *  # noqa: F403
from layanan.selectors.survei import *  # noqa: F403
from layanan.selectors.trantibum import *  # noqa: F403
