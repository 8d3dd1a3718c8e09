"""Rakor follow-up: meetings, their decisions, status changes, scope, work queue and the pack.

Kabupaten Takalar holds a rakor on 20 March 2026 about February, with decisions for kecamatan A,
kecamatan B, desa A1 and an OPD; kecamatan A holds its own. The clock is pinned at 20 April 2026,
after the decisions' deadline of 15 April."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.urls import reverse

from laporan import selectors, services
from laporan.models import KeputusanRakor, RiwayatKeputusan
from tests.pdf import pdf_text

HELD_ON = datetime.date(2026, 3, 20)
DEADLINE = datetime.date(2026, 4, 15)


@pytest.fixture
def meetings(world, pinned_clock):
    pinned_clock("2026-04-20 09:00")
    kab, kec = world.users["kabupaten"], world.users["kecamatan_a"]
    rakor_kab = services.rakor_create(wilayah=world.kabupaten, held_on=HELD_ON, period="2026-02", user=kab)
    rakor_kec = services.rakor_create(wilayah=world.kecamatan_a, held_on=HELD_ON, period="2026-02", user=kec)

    def row(text, area=None, responsible=""):
        return {
            "text": text,
            "field": "kesehatan",
            "wilayah_pj": area,
            "responsible": responsible,
            "deadline": DEADLINE,
        }

    kab_rows = services.keputusan_add(
        rakor=rakor_kab,
        rows=[
            row("Sweeping balita Mappakasunggu", world.kecamatan_a),
            row("Sweeping balita Mangarabombang", world.kecamatan_b),
            row("Kelas ibu hamil di Lassang", world.desa_a1),
            row("Stok PMT ke puskesmas", responsible="Dinkes"),
        ],
        user=kab,
    )
    kec_rows = services.keputusan_add(rakor=rakor_kec, rows=[row("Rapat kader Bontoa", world.desa_a2)], user=kec)
    return {"kab": rakor_kab, "kec": rakor_kec, "kab_rows": kab_rows, "kec_rows": kec_rows}


def _texts(user, **filters):
    return set(selectors.keputusan_list(user=user, **filters).values_list("text", flat=True))


def test_each_area_sees_the_decisions_of_its_meetings_and_those_assigned_to_it(world, meetings):
    users = world.users
    assert _texts(users["kecamatan_a"]) == {
        "Sweeping balita Mappakasunggu", "Kelas ibu hamil di Lassang", "Rapat kader Bontoa"
    }  # fmt: skip
    assert _texts(users["desa_a1"]) == {"Kelas ibu hamil di Lassang"}
    assert _texts(users["pengurus_a"]) == {"Kelas ibu hamil di Lassang"}  # posyandu A is in desa A1
    assert len(_texts(users["kabupaten"])) == 5
    # meetings: a kecamatan team sees its own, not the kabupaten's
    assert list(selectors.rakor_list(user=users["kecamatan_a"])) == [meetings["kec"]]
    assert list(selectors.rakor_list(user=users["desa_a1"])) == []


def test_a_status_change_needs_a_note_and_a_date_between_the_meeting_and_today(world, meetings):
    decision = meetings["kab_rows"][2]  # desa A1's
    desa = world.users["desa_a1"]
    with pytest.raises(ValidationError) as error:
        services.keputusan_set_status(keputusan=decision, to_status="berjalan", note=" ", on=HELD_ON, user=desa)
    assert "note" in error.value.message_dict
    for day in (datetime.date(2026, 3, 19), datetime.date(2026, 4, 21), datetime.date(9999, 12, 31)):
        with pytest.raises(ValidationError) as error:
            services.keputusan_set_status(keputusan=decision, to_status="berjalan", note="Mulai", on=day, user=desa)
        assert "on" in error.value.message_dict
    decision.refresh_from_db()
    assert decision.status == "belum" and not RiwayatKeputusan.objects.filter(keputusan=decision).exists()


def test_status_transitions_are_kept_with_note_date_and_user(world, meetings):
    decision = meetings["kab_rows"][2]
    desa, kab = world.users["desa_a1"], world.users["kabupaten"]
    services.keputusan_set_status(
        keputusan=decision, to_status="berjalan", note="Kelas pertama 2 April", on=datetime.date(2026, 4, 2), user=desa
    )
    services.keputusan_set_status(
        keputusan=decision, to_status="berjalan", note="Kelas kedua", on=datetime.date(2026, 4, 9), user=desa
    )  # a progress note keeps the status
    decision = services.keputusan_set_status(
        keputusan=decision, to_status="selesai", note="Empat kelas", on=datetime.date(2026, 4, 16), user=desa
    )
    # finished: the responsible desa may no longer move it; the meeting's team may reopen it
    assert services.keputusan_next_statuses(keputusan=decision, user=desa) == []
    with pytest.raises(ValidationError):
        services.keputusan_set_status(keputusan=decision, to_status="belum", note="x", on=HELD_ON, user=desa)
    with pytest.raises(ValidationError):  # selesai → batal is not a step
        services.keputusan_set_status(keputusan=decision, to_status="batal", note="x", on=HELD_ON, user=kab)
    reopened = datetime.date(2026, 4, 17)  # not before the last change (16 April)
    services.keputusan_set_status(keputusan=decision, to_status="berjalan", note="Dibuka lagi", on=reopened, user=kab)
    steps = list(RiwayatKeputusan.objects.filter(keputusan=decision).values_list("from_status", "to_status", "user"))
    assert steps == [
        ("belum", "berjalan", desa.pk),
        ("berjalan", "berjalan", desa.pk),
        ("berjalan", "selesai", desa.pk),
        ("selesai", "berjalan", kab.pk),
    ]
    decision.refresh_from_db()
    assert (decision.status, decision.status_note, decision.status_on) == ("berjalan", "Dibuka lagi", reopened)
    assert decision.history.count() == 5  # created + four changes, audited


def test_only_the_responsible_area_and_the_team_change_a_status(world, meetings):
    decision = meetings["kab_rows"][2]  # kabupaten's meeting, desa A1 responsible
    for name in ("kecamatan_a", "pengurus_a", "kader_a"):  # they see it, but answer for it neither
        assert services.keputusan_next_statuses(keputusan=decision, user=world.users[name]) == []
        with pytest.raises(PermissionDenied):
            services.keputusan_set_status(
                keputusan=decision, to_status="berjalan", note="x", on=HELD_ON, user=world.users[name]
            )
    with pytest.raises(PermissionDenied):  # a kecamatan team records decisions of its own meetings only
        services.keputusan_add(rakor=meetings["kab"], rows=[], user=world.users["kecamatan_a"])


def test_the_status_page_refuses_outsiders_and_keeps_what_was_typed(world, meetings, login):
    decision = meetings["kab_rows"][2]
    url = reverse("laporan:keputusan_detail", args=[decision.pk])
    data = {"status": "berjalan", "note": "Sudah mulai", "on": "2026-04-02"}
    assert login(world.users["kecamatan_a"]).post(url, data).status_code == 403
    assert login(world.users["kader_b"]).get(url).status_code == 404  # posyandu B, another kecamatan
    client = login(world.users["desa_a1"])
    response = client.post(url, {**data, "on": "2026-04-30"})  # in the future
    assert response.status_code == 200 and "Sudah mulai" in response.content.decode()
    assert client.post(url, data).status_code == 302
    decision.refresh_from_db()
    assert decision.status == "berjalan"


def test_the_team_records_several_decisions_on_one_page(world, meetings, login):
    rakor = meetings["kec"]
    url = reverse("laporan:rakor_detail", args=[rakor.pk])
    management = {"k-TOTAL_FORMS": "3", "k-INITIAL_FORMS": "0", "k-MIN_NUM_FORMS": "0", "k-MAX_NUM_FORMS": "20"}
    first = {"k-0-text": "Posyandu Melati buka tiap bulan", "k-0-field": "kelembagaan",
             "k-0-wilayah_pj": "73.05.01.2002", "k-0-deadline": "2026-05-31"}  # fmt: skip
    second = {"k-1-text": "Data RTLH", "k-1-field": "perumahan_rakyat", "k-1-responsible": "Dinas Perkim",
              "k-1-deadline": "2026-06-30"}  # fmt: skip
    client = login(world.users["kecamatan_a"])
    # an area outside the meeting's kecamatan: refused, nothing saved, the rows kept
    outside = client.post(url, {**management, **first, **second, "k-0-wilayah_pj": "73.05.02.2001"})
    assert outside.status_code == 200 and "Data RTLH" in outside.content.decode()
    assert rakor.keputusan.count() == 1
    assert client.post(url, {**management, **first, **second}).status_code == 302
    assert set(rakor.keputusan.values_list("text", flat=True)) == {
        "Rapat kader Bontoa", "Posyandu Melati buka tiap bulan", "Data RTLH"
    }  # fmt: skip
    # the kabupaten's meeting is not the kecamatan team's: not even visible
    other = reverse("laporan:rakor_detail", args=[meetings["kab"].pk])
    assert client.post(other, {**management, **first}).status_code == 404


def test_overdue_decisions_wait_in_the_responsible_users_queue_and_on_the_dashboard(world, meetings, login):
    queue = {user: selectors.work_queue(user=world.users[user]) for user in ("desa_a1", "kecamatan_a", "kabupaten")}
    counts = {user: [i.count for i in items if "Keputusan rakor" in i.label] for user, items in queue.items()}
    # desa A1: its one; kecamatan A: the kabupaten's for kecamatan A (its own meeting's is desa A2's);
    # kabupaten: the one no area answers for (Dinkes)
    assert counts == {"desa_a1": [1], "kecamatan_a": [1], "kabupaten": [1]}
    services.keputusan_set_status(
        keputusan=meetings["kab_rows"][2], to_status="selesai", note="Selesai", on=DEADLINE, user=world.users["desa_a1"]
    )
    assert not [i for i in selectors.work_queue(user=world.users["desa_a1"]) if "Keputusan rakor" in i.label]
    response = login(world.users["kabupaten"]).get(reverse("laporan:dashboard"), {"periode": "2026-03"})
    assert response.context["attention"].decisions_overdue == 4
    assert "4 keputusan rakor lewat batas waktu" in response.content.decode()


def test_the_pack_opens_with_the_previous_rakor_and_has_a_page_per_area(world, march, meetings, login):
    services.keputusan_set_status(
        keputusan=meetings["kab_rows"][3], to_status="selesai", note="PMT dikirim", on=DEADLINE,
        user=world.users["kabupaten"],
    )  # fmt: skip
    response = login(world.users["kabupaten"]).get(reverse("laporan:rakor_pdf"), {"periode": "2026-03"})
    text = pdf_text(response.content)
    followup = text.split("Tindak lanjut rakor sebelumnya")[1].split("Ringkasan")[0]
    assert "Kabupaten Takalar, 20 Maret 2026 (periode dibahas Februari 2026)" in followup
    assert "No." in followup and "Tidak" not in followup  # the number column (Django's "No" reads "Tidak")
    assert "Sweeping balita Mangarabombang" in followup and "Kec. Mangarabombang" in followup
    assert followup.count("LEWAT BATAS") == 3 and "PMT dikirim" in followup and "Selesai 1" in followup
    for name in ("Kec. Mappakasunggu", "Kec. Mangarabombang"):
        assert f"{name} — Maret 2026" in text
    page = text.split("Kec. Mappakasunggu — Maret 2026")[1]
    assert "D/S — partisipasi penimbangan" in page and "Strata posyandu" in page and "Posyandu Aktif" in page
    # the kecamatan pack: a page per desa, and its own meeting's follow-up
    response = login(world.users["kecamatan_a"]).get(reverse("laporan:rakor_pdf"), {"periode": "2026-03"})
    text = pdf_text(response.content)
    assert "Desa Lassang — Maret 2026" in text and "Desa Bontoa — Maret 2026" in text
    assert "Rapat kader Bontoa" in text and "Sweeping balita Mangarabombang" not in text


def test_the_pack_without_a_previous_rakor_says_so(world, march, login):
    response = login(world.users["kabupaten"]).get(reverse("laporan:rakor_pdf"), {"periode": "2026-03"})
    assert "Belum ada rakor sebelumnya yang dicatat untuk wilayah ini" in pdf_text(response.content)


def test_the_pack_reads_the_same_number_of_queries_whatever_the_decisions(
    world, march, meetings, login, pdf_layout_skipped
):
    """Counted up to the rendered HTML: WeasyPrint's layout reads nothing from the database."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(world.users["kabupaten"])
    client.get(reverse("laporan:rakor_pdf"), {"periode": "2026-03"})
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("laporan:rakor_pdf"), {"periode": "2026-03"})
    rows = [
        {"text": f"Keputusan {n}", "field": "sosial", "responsible": "Dinsos", "deadline": DEADLINE} for n in range(8)
    ]
    services.keputusan_add(rakor=meetings["kab"], rows=rows, user=world.users["kabupaten"])
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("laporan:rakor_pdf"), {"periode": "2026-03"})
    assert len(many) == len(few)


def test_a_decision_needs_someone_responsible(world, meetings):
    row = {"text": "Tanpa penanggung jawab", "field": "sosial", "deadline": DEADLINE}
    with pytest.raises(ValidationError):
        services.keputusan_add(rakor=meetings["kab"], rows=[row], user=world.users["kabupaten"])
    assert not KeputusanRakor.objects.filter(Q(text="Tanpa penanggung jawab")).exists()
