"""Decisions recorded before OPD became records (free text only) are carried over by laporan 0010: a text
naming an OPD of the meeting's kabupaten (name or short name, case and spacing aside) becomes that OPD;
any other text, an OPD of another kabupaten's name, or a decision with a responsible area keeps its text
as the note."""

import datetime

BEFORE = [("laporan", "0008_rakor_keputusan"), ("posyandu", "0011_warga_kia_number")]  # the OPD exist
AFTER = [("laporan", "0011_keputusan_one_responsible")]


def test_free_text_matching_an_opd_of_the_kabupaten_becomes_that_opd(migrate_to):
    apps = migrate_to(BEFORE)
    try:
        Wilayah, Opd = apps.get_model("posyandu", "Wilayah"), apps.get_model("posyandu", "Opd")
        Rakor, Keputusan = apps.get_model("laporan", "Rakor"), apps.get_model("laporan", "KeputusanRakor")
        sulsel = Wilayah.objects.create(code="73", name="Sulawesi Selatan", level=1)
        takalar = Wilayah.objects.create(code="73.05", name="Takalar", level=2, parent=sulsel)
        kecamatan = Wilayah.objects.create(code="73.05.01", name="Mappakasunggu", level=3, parent=takalar)
        luwu = Wilayah.objects.create(code="73.24", name="Luwu Timur", level=2, parent=sulsel)
        dinsos = Opd.objects.create(kabupaten=takalar, name="Dinas Sosial", short_name="Dinsos", fields=["sosial"])
        Opd.objects.create(kabupaten=luwu, name="Dinas Perkim", short_name="Perkim", fields=["perumahan_rakyat"])
        day = datetime.date(2026, 3, 20)
        meeting = Rakor.objects.create(wilayah=takalar, held_on=day, period="2026-02", period_end=day)
        kec_meeting = Rakor.objects.create(wilayah=kecamatan, held_on=day, period="2026-02", period_end=day)

        def decision(rakor, responsible, area=None):
            return Keputusan.objects.create(
                rakor=rakor, text=responsible or "area", field="sosial", responsible=responsible, wilayah_pj=area,
                deadline=day, status="belum", status_on=day,
            ).pk  # fmt: skip

        rows = {
            "short": decision(meeting, "dinsos"),
            "name": decision(kec_meeting, "  Dinas   Sosial "),  # a kecamatan meeting: its kabupaten's OPD
            "other_party": decision(meeting, "TP-PKK Kabupaten"),
            "other_kabupaten": decision(meeting, "Perkim"),  # Luwu Timur's
            "with_area": decision(meeting, "Dinsos", area=kecamatan),
        }
    finally:
        apps = migrate_to(AFTER)
    Keputusan = apps.get_model("laporan", "KeputusanRakor")
    carried = {name: Keputusan.objects.values("opd_id", "responsible").get(pk=pk) for name, pk in rows.items()}
    assert carried == {
        "short": {"opd_id": dinsos.pk, "responsible": ""},
        "name": {"opd_id": dinsos.pk, "responsible": ""},
        "other_party": {"opd_id": None, "responsible": "TP-PKK Kabupaten"},
        "other_kabupaten": {"opd_id": None, "responsible": "Perkim"},
        "with_area": {"opd_id": None, "responsible": "Dinsos"},
    }
