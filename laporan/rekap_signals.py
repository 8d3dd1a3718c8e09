"""Which writes make the monthly rollup stale, and from which month (see laporan/rekap.py).

Each model the measures read maps a saved or deleted row to (posyandu ids, first month touched).
State-like records (people, kader, households) are read "as on the month's last day", so a change
touches every month from the date it speaks of (a birth, a start of service, a survey) onwards. A
person's records count where the person belonged on each month's last day (their moves), so a write
about a person marks each posyandu they belonged to from that date on (``rekap.mark(warga_ids=...)``),
and a move marks the posyandu left and the one joined from the day of the move.
"""

import datetime

from django.db.models.signals import post_delete, post_save, pre_save

from kader.models import Kader, Pelatihan, PenilaianKompetensi, PesertaPelatihan
from laporan import rekap
from laporan.models import LaporanBulanan
from layanan.models import (
    HariBuka,
    Imunisasi,
    Kegiatan,
    Kehamilan,
    Kejadian,
    Kunjungan,
    PendidikanAnak,
    PermintaanLayanan,
    RiwayatStatusPermintaan,
    Rujukan,
    SurveiKeluarga,
)
from posyandu.models import Keluarga, Posyandu, Warga, WargaPindah
from posyandu.signals import data_changed


def _earliest(*days):
    days = [d for d in days if d]
    return min(days) if days else None


# model → function(instance) -> (posyandu ids, since, people). A person's records count where the
# person belonged at each month's end, so ``people`` marks every posyandu they belonged to since then.
TOUCHES = {
    Kunjungan: lambda o: ([o.posyandu_id], o.reporting_month, [o.warga_id]),
    HariBuka: lambda o: ([o.posyandu_id], o.reporting_month, []),
    Imunisasi: lambda o: ([], o.given_on, [o.warga_id]),
    Kehamilan: lambda o: ([], o.registered_on, [o.mother_id]),
    Rujukan: lambda o: (
        [Kunjungan.objects.filter(pk=o.kunjungan_id).values_list("posyandu_id", flat=True).first()],
        o.referred_on,
        [],
    ),
    Warga: lambda o: (
        [o.posyandu_id, getattr(o, "_rekap_old", {}).get("posyandu_id")],
        # a move (``warga_move``) says from when it changes anything; other edits, from the birth
        getattr(o, "_rekap_since", None)
        or _earliest(o.birth_date, getattr(o, "_rekap_old", {}).get("birth_date"), o.status_date),
        [o.pk],
    ),
    WargaPindah: lambda o: ([o.from_posyandu_id, o.to_posyandu_id], o.moved_on, []),
    Keluarga: lambda o: ([o.posyandu_id, getattr(o, "_rekap_old", {}).get("posyandu_id")], None, []),
    SurveiKeluarga: lambda o: (
        [Keluarga.objects.filter(pk=o.keluarga_id).values_list("posyandu_id", flat=True).first()],
        o.survey_date,
        [],
    ),
    PendidikanAnak: lambda o: ([], o.recorded_on, [o.warga_id]),
    Kegiatan: lambda o: ([o.posyandu_id], o.reporting_month, []),
    Kejadian: lambda o: ([o.posyandu_id], o.occurred_on, []),
    PermintaanLayanan: lambda o: ([o.posyandu_id], o.recorded_on, []),
    RiwayatStatusPermintaan: lambda o: (
        [PermintaanLayanan.objects.filter(pk=o.permintaan_id).values_list("posyandu_id", flat=True).first()],
        None,
        [],
    ),
    Kader: lambda o: ([o.posyandu_id, getattr(o, "_rekap_old", {}).get("posyandu_id")], None, []),
    PesertaPelatihan: lambda o: (
        [Kader.objects.filter(pk=o.kader_id).values_list("posyandu_id", flat=True).first()],
        None,
        [],
    ),
    Pelatihan: lambda o: (
        list(PesertaPelatihan.objects.filter(pelatihan_id=o.pk).values_list("kader__posyandu_id", flat=True)),
        None,
        [],
    ),
    PenilaianKompetensi: lambda o: (
        [Kader.objects.filter(pk=o.kader_id).values_list("posyandu_id", flat=True).first()],
        None,
        [],
    ),
    LaporanBulanan: lambda o: ([o.posyandu_id], o.month, []),
    Posyandu: lambda o: ([o.pk], None, []),
}
# Rows that can move between posyandu or back in time: remember where they were.
REMEMBER = {Warga: ("posyandu_id", "birth_date"), Keluarga: ("posyandu_id",), Kader: ("posyandu_id",)}


def _remember(sender, instance, **kwargs):
    if instance.pk and rekap.enabled():
        fields = REMEMBER[sender]
        old = sender.objects.filter(pk=instance.pk).values(*fields).first()
        instance._rekap_old = old or {}


def _touched(sender, instance, **kwargs):
    if kwargs.get("raw") or not rekap.enabled():
        return
    ids, since, people = TOUCHES[sender](instance)
    if isinstance(since, datetime.datetime):
        since = since.date()
    rekap.mark(ids, since, warga_ids=people)


def _data_changed(sender, posyandu_ids, since=None, warga_ids=(), **kwargs):
    rekap.mark(posyandu_ids, since, warga_ids=warga_ids)


def connect() -> None:
    for model in TOUCHES:
        post_save.connect(_touched, sender=model, dispatch_uid=f"rekap-save-{model.__name__}")
        post_delete.connect(_touched, sender=model, dispatch_uid=f"rekap-delete-{model.__name__}")
    for model in REMEMBER:
        pre_save.connect(_remember, sender=model, dispatch_uid=f"rekap-remember-{model.__name__}")
    data_changed.connect(_data_changed, dispatch_uid="rekap-data-changed")
