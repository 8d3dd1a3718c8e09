"""Models of the SPM fields, one module per subject; ``layanan.models.<Name>`` re-exports them all."""

from layanan.models.kegiatan import *  # noqa: F403
from layanan.models.kesehatan import *  # noqa: F403
from layanan.models.pendidikan import *  # noqa: F403
from layanan.models.permintaan import *  # noqa: F403
from layanan.models.survei import *  # noqa: F403
from layanan.models.trantibum import *  # noqa: F403
