"""A person's own data across every field, for the right of access (UU 27/2022 Pasal 7)."""

from django.forms.models import model_to_dict

from kader.models import Kader
from layanan.models import Imunisasi, Kehamilan, Kunjungan, PendidikanAnak, PermintaanLayanan, Rujukan, SurveiKeluarga
from posyandu.models import Warga

# Internal columns that mean nothing to the person.
_SKIP = {"recorded_by", "created_by", "surveyed_by", "user", "hari_buka"}


def _rows(queryset) -> list[dict]:
    return [{k: v for k, v in model_to_dict(row).items() if k not in _SKIP} for row in queryset]


def personal_data(*, warga: Warga) -> dict:
    """One query per kind of record."""
    person = {k: v for k, v in model_to_dict(warga).items() if k not in _SKIP}
    person["posyandu"] = warga.posyandu.name
    return {
        "warga": person,
        "kunjungan": _rows(Kunjungan.objects.filter(warga=warga).order_by("visit_date")),
        "imunisasi": _rows(Imunisasi.objects.filter(warga=warga).order_by("given_on")),
        "kehamilan": _rows(Kehamilan.objects.filter(mother=warga).order_by("registered_on")),
        "rujukan": _rows(Rujukan.objects.filter(kunjungan__warga=warga).order_by("referred_on")),
        "pendidikan": _rows(PendidikanAnak.objects.filter(warga=warga).order_by("recorded_on")),
        "survei_keluarga": _rows(
            SurveiKeluarga.objects.filter(keluarga_id=warga.keluarga_id).order_by("survey_date")
            if warga.keluarga_id
            else SurveiKeluarga.objects.none()
        ),
        "permintaan_layanan": _rows(PermintaanLayanan.objects.filter(warga=warga).order_by("recorded_on")),
        "kader": _rows(Kader.objects.filter(warga=warga)),
    }
