"""The audit trail (django-simple-history) read for Tim Pembina: recent changes in an area, changes
made to a month's data after its report was approved, and the account actions (``posyandu.akun``).

Who reads it: the desa operator, the Tim Pembina of the kecamatan and kabupaten, and admins
(``can_read_audit``) — the supervisors of an area, not the kader and pengurus of a posyandu. Within it,
an incident that is or ever was confidential appears only to those who may open it
(``layanan.selectors.trantibum.kejadian_history_visible``, the rule of the incident's own page).

Every tracked model keeps a historical table (who, when, what: ``+`` created, ``~`` changed, ``-``
deleted, with the whole row as it was). Reads here are scoped like the records themselves
(``posyandu.scope`` scopes a historical model by its record's ``SCOPE_PATHS``) and cost a fixed
number of queries: per tracked model one for the rows and one for their previous versions.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import F, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from kader.models import Kader, Pelatihan, PenilaianKompetensi, PesertaPelatihan
from laporan.models import KeputusanRakor, LaporanBulanan, RiwayatLaporan
from layanan.models import (
    HariBuka,
    Imunisasi,
    Kegiatan,
    Kehamilan,
    Kejadian,
    Kunjungan,
    PendidikanAnak,
    PermintaanLayanan,
    Rujukan,
    SurveiKeluarga,
)
from layanan.selectors import kejadian_history_visible
from posyandu.akun.models import RiwayatAkun
from posyandu.models import (
    ROLE_AREA_LEVEL,
    Keluarga,
    Opd,
    Pengurus,
    Posyandu,
    Puskesmas,
    Warga,
    Wilayah,
    WilayahKerjaPuskesmas,
)
from posyandu.pengaturan.models import PengaturanKabupaten
from posyandu.scope import area_filter, scoped

TRACKED = (
    Warga, Keluarga, Posyandu, Pengurus, HariBuka, Kunjungan, Imunisasi, Kehamilan, Rujukan, SurveiKeluarga,
    PendidikanAnak, Kegiatan, Kejadian, PermintaanLayanan, Kader, Pelatihan, PesertaPelatihan, PenilaianKompetensi,
    LaporanBulanan, KeputusanRakor, PengaturanKabupaten, Opd, Puskesmas, WilayahKerjaPuskesmas,
)  # fmt: skip
ACCOUNTS = "akun"  # the account log (``posyandu.akun``: created, role changed, deactivated, reset, unlocked)
MODEL_CHOICES = [
    *((model._meta.model_name, model._meta.verbose_name) for model in TRACKED),
    (ACCOUNTS, _("akun pengguna")),
]
ACTIONS = {"+": _("dibuat"), "~": _("diubah"), "-": _("dihapus")}
IGNORED = {"history_id", "history_date", "history_user", "history_user_id", "history_type", "history_change_reason",
           "updated_at", "created_at"}  # fmt: skip
# Where a record without a name of its own takes one from (joined in the same query).
LABEL_RELATIONS = (("warga", "name"), ("mother", "name"), ("keluarga", "head_name"), ("kader", "name"),
                   ("posyandu", "name"), ("desa", "name"))  # fmt: skip
# Months of data locked by an approved report: the models with an explicit reporting month.
MONTHLY = {Kunjungan: "reporting_month", HariBuka: "reporting_month", Kegiatan: "reporting_month"}


def can_read_audit(user) -> bool:
    """The desa operator, the Tim Pembina and admins read the change history of their area."""
    return user.is_admin_role or user.role in ROLE_AREA_LEVEL


@dataclass
class Change:
    model: type
    row: object  # the historical row
    changed: list[str] = field(default_factory=list)  # verbose names of the fields that changed

    @property
    def action(self) -> str:
        return ACTIONS.get(self.row.history_type, self.row.history_type)

    @property
    def kind(self) -> str:
        return self.model._meta.verbose_name

    @property
    def label(self) -> str:
        """A name for the record, from the row and its (joined) person, household, kader or posyandu.

        Names only: personal numbers never appear in the audit list."""
        row = self.row
        for attribute in ("name", "title", "head_name"):
            if getattr(row, attribute, None):
                return getattr(row, attribute)
        for relation, attribute in LABEL_RELATIONS:
            related = getattr(row, relation, None) if f"{relation}_id" in row.__dict__ else None
            if related is not None:
                return f"{getattr(related, attribute)} (#{row.id})"
        return f"#{row.id}"


def _history(model, user, area: Wilayah | None):
    rows = scoped(model.history.all(), user)
    if model is Kejadian:
        rows = kejadian_history_visible(rows, user=user)
    paths = model.SCOPE_PATHS
    if area is not None:
        rows = rows.filter(area_filter(paths.area, area.code))
    names = {f.name for f in model.history.model._meta.get_fields()}
    joins = [relation for relation, _attribute in LABEL_RELATIONS if relation in names]
    return rows.select_related("history_user", *joins)


def _with_changes(model, rows: list) -> list[Change]:
    """Which fields each row changed, against the record's previous version (one query)."""
    if not rows:
        return []
    previous = {}
    for older in model.history.filter(id__in={r.id for r in rows}).order_by("id", "history_date", "history_id"):
        previous.setdefault(older.id, []).append(older)
    names = [f for f in model.history.model._meta.concrete_fields if f.attname not in IGNORED]
    changes = []
    for row in rows:
        versions = previous.get(row.id, [])
        earlier = [v for v in versions if v.history_date < row.history_date]
        before = earlier[-1] if earlier else None
        changed = []
        if before is not None and row.history_type == "~":
            changed = [str(f.verbose_name) for f in names if getattr(row, f.attname) != getattr(before, f.attname)]
        changes.append(Change(model, row, changed))
    return changes


def recent_changes(
    *, user, area: Wilayah | None, since: datetime.datetime, until: datetime.datetime, model_name: str = "",
    limit: int = 100,
) -> list[Change]:  # fmt: skip
    """The latest changes in the area between ``since`` and ``until``, newest first."""
    models = [m for m in TRACKED if not model_name or m._meta.model_name == model_name]
    changes: list[Change] = []
    for model in models:
        rows = list(
            _history(model, user, area).filter(history_date__gte=since, history_date__lt=until)
            .order_by("-history_date")[:limit]
        )  # fmt: skip
        changes += _with_changes(model, rows)
    changes.sort(key=lambda c: c.row.history_date, reverse=True)
    return changes[:limit]


def changes_after_approval(*, user, area: Wilayah | None, limit: int = 200) -> list[Change]:
    """Changes to a month's data made after the kecamatan first approved that month's report."""
    changes: list[Change] = []
    for model, month_field in MONTHLY.items():
        first_approval = (
            RiwayatLaporan.objects.filter(
                laporan__posyandu_id=OuterRef("posyandu_id"),
                laporan__month=OuterRef(month_field),
                action=RiwayatLaporan.Action.SETUJUI,
            )
            .order_by("at")
            .values("at")[:1]
        )
        rows = list(
            _history(model, user, area)
            .annotate(approved_at=Subquery(first_approval))
            .filter(approved_at__isnull=False, history_date__gt=F("approved_at"))
            .order_by("-history_date")[:limit]
        )
        changes += _with_changes(model, rows)
    changes.sort(key=lambda c: c.row.history_date, reverse=True)
    return changes[:limit]


def account_changes(
    *, user, area: Wilayah | None, since: datetime.datetime, until: datetime.datetime, limit: int = 100
) -> list[RiwayatAkun]:
    """The account actions (``posyandu.akun``'s log) in the area between ``since`` and ``until``, newest
    first, scoped as the log's own page is (by the account's posyandu or area). One query."""
    rows = scoped(RiwayatAkun.objects.select_related("actor", "account"), user)
    if area is not None:
        rows = rows.filter(area_filter(RiwayatAkun.SCOPE_PATHS.area, area.code))
    return list(rows.filter(at__gte=since, at__lt=until).order_by("-at", "-id")[:limit])
