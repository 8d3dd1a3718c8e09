"""Forms of the SPM fields, one module per subject; ``layanan.forms.<Name>`` re-exports them all."""

from layanan.forms.inputs import *  # noqa: F403
from layanan.forms.kegiatan import *  # noqa: F403
from layanan.forms.kesehatan import *  # noqa: F403
from layanan.forms.pendidikan import *  # noqa: F403
from layanan.forms.permintaan import *  # noqa: F403
from layanan.forms.survei import *  # noqa: F403
from layanan.forms.trantibum import *  # noqa: F403
