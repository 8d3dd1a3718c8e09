"""Rakor decisions assigned to an OPD pengampu: the kabupaten's rakor of 20 March 2026 gives Dinas Sosial
of Takalar two decisions and Dukcapil one; the Dinsos officer (``opd_sosial``) sees and updates theirs,
not Dukcapil's nor Luwu Timur's Dinas Sosial's. The clock is pinned at 20 April 2026, after the
decisions' deadline of 15 April. Also the hostile cases: a replayed or double-tapped status, an OPD of
another kabupaten or of another field in the form, a status date before the last change."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from laporan import selectors, services
from laporan.models import KeputusanRakor, RiwayatKeputusan
from posyandu import services as posyandu_services
from posyandu.models import Role, Wilayah
from tests.conftest import PASSWORD
from tests.pdf import pdf_text

HELD_ON = datetime.date(2026, 3, 20)
DEADLINE = datetime.date(2026, 4, 15)
LATER = datetime.date(2026, 5, 31)
MANAGEMENT = {"k-TOTAL_FORMS": "3", "k-INITIAL_FORMS": "0", "k-MIN_NUM_FORMS": "0", "k-MAX_NUM_FORMS": "20"}


def _row(text, *, opd=None, area=None, field="sosial", deadline=DEADLINE, responsible=""):
    return {"text": text, "field": field, "opd": opd, "wilayah_pj": area, "responsible": responsible,
            "deadline": deadline}  # fmt: skip


@pytest.fixture
def assigned(world, opd_cast, pinned_clock):
    pinned_clock("2026-04-20 09:00")
    return assign_decisions(world, opd_cast)


def assign_decisions(world, opd_cast) -> dict:
    """The kabupaten's rakor of 20 March and its four decisions (tests/laporan/test_rakor_edit.py too)."""
    kab = world.users["kabupaten"]
    rakor = services.rakor_create(wilayah=world.kabupaten, held_on=HELD_ON, period="2026-02", user=kab)
    rows = services.keputusan_add(
        rakor=rakor,
        rows=[
            _row("Data lansia terlantar dipadankan", opd=opd_cast.dinsos),  # overdue
            _row(
                "Bansos untuk 12 KK miskin ekstrem", opd=opd_cast.dinsos, deadline=LATER, responsible="Bidang Linjamsos"
            ),
            _row("Akta lahir anak di Punaga", opd=opd_cast.dukcapil, deadline=LATER),
            _row("Sweeping balita Mappakasunggu", area=world.kecamatan_a, field="kesehatan", deadline=LATER),
        ],
        user=kab,
    )
    return {"rakor": rakor, "dinsos": rows[0], "dinsos_later": rows[1], "dukcapil": rows[2], "kec_a": rows[3]}


def _luwu_timur_officer(opd_cast):
    return posyandu_services.user_create(
        username="opd_sosial_x", password=PASSWORD, role=Role.OPD, opd=opd_cast.dinsos_x,
        wilayah=Wilayah.objects.get(code="73.24"),
    )  # fmt: skip


def test_an_opd_officer_sees_only_the_decisions_assigned_to_their_opd(world, opd_cast, assigned):
    texts = set(selectors.keputusan_list(user=opd_cast.officer).values_list("text", flat=True))
    assert texts == {"Data lansia terlantar dipadankan", "Bansos untuk 12 KK miskin ekstrem"}
    assert set(selectors.keputusan_list(user=opd_cast.other).values_list("text", flat=True)) == {
        "Akta lahir anak di Punaga"
    }
    assert not selectors.keputusan_list(user=_luwu_timur_officer(opd_cast)).exists()
    assert len(selectors.keputusan_list(user=world.users["kabupaten"])) == 4  # the team sees all


def test_the_officer_lists_them_and_finds_them_on_the_home_page(world, opd_cast, assigned, login):
    client = login(opd_cast.officer)
    home = client.get(reverse("posyandu:home")).content.decode()
    # two open decisions, one of them past its deadline: one line, a count and a link
    assert "Keputusan rakor untuk OPD Anda, belum selesai (1 lewat batas waktu)" in home
    assert reverse("laporan:rakor_list") + "?untuk_saya=1" in home
    listed = client.get(reverse("laporan:rakor_list"), {"untuk_saya": "1"})
    page = listed.content.decode()
    assert [k.text for k in listed.context["decisions"]] == [
        "Data lansia terlantar dipadankan", "Bansos untuk 12 KK miskin ekstrem"
    ]  # fmt: skip
    assert "Akta lahir anak di Punaga" not in page and "Sweeping balita" not in page
    assert "Dinsos" in page and "Bidang Linjamsos" in page
    # the meeting's page is the team's: neither linked nor open to the officer
    meeting = reverse("laporan:rakor_detail", args=[assigned["rakor"].pk])
    assert meeting not in page and client.get(meeting).status_code == 403
    assert "Tindak lanjut rakor" in page  # in the officer's menu


def test_the_officer_marks_a_decision_done_with_a_note_audited(world, opd_cast, assigned, login):
    decision = assigned["dinsos"]
    url = reverse("laporan:keputusan_detail", args=[decision.pk])
    client = login(opd_cast.officer)
    assert client.post(url, {"status": "selesai", "note": "", "on": "2026-04-18"}).status_code == 200  # no note
    response = client.post(url, {"status": "selesai", "note": "312 lansia dipadankan", "on": "2026-04-18"})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert (decision.status, decision.status_note) == ("selesai", "312 lansia dipadankan")
    step = RiwayatKeputusan.objects.get(keputusan=decision)
    assert (step.from_status, step.to_status, step.user) == ("belum", "selesai", opd_cast.officer)
    # done: the officer may not reopen it (the meeting's team may)
    assert services.keputusan_next_statuses(keputusan=decision, user=opd_cast.officer) == []
    page = login(world.users["kabupaten"]).get(url).content.decode()
    assert "Selesai" in page and "312 lansia dipadankan" in page


def test_another_opd_or_another_kabupatens_officer_gets_404(world, opd_cast, assigned, login):
    url = reverse("laporan:keputusan_detail", args=[assigned["dinsos"].pk])
    data = {"status": "selesai", "note": "Bukan urusan kami", "on": "2026-04-18"}
    for officer in (opd_cast.other, _luwu_timur_officer(opd_cast)):
        client = login(officer)
        assert client.get(url).status_code == 404
        assert client.post(url, data).status_code == 404
    with pytest.raises(PermissionDenied):
        services.keputusan_set_status(
            keputusan=assigned["dinsos"], to_status="selesai", note="x", on=HELD_ON, user=opd_cast.other
        )
    assert not RiwayatKeputusan.objects.exists()


def test_the_responsible_kecamatan_team_updates_its_decision_the_officer_cannot_see_it(
    world, opd_cast, assigned, login
):
    url = reverse("laporan:keputusan_detail", args=[assigned["kec_a"].pk])
    assert login(opd_cast.officer).get(url).status_code == 404
    data = {"status": "berjalan", "note": "Sweeping minggu pertama", "on": "2026-04-10"}
    team_b = posyandu_services.user_create(
        username="kecamatan_b", password=PASSWORD, role=Role.PEMBINA_KECAMATAN, wilayah=world.kecamatan_b
    )
    assert login(team_b).get(url).status_code == 404  # the Tim Pembina of another kecamatan
    assert login(world.users["kecamatan_a"]).post(url, data).status_code == 302
    assert RiwayatKeputusan.objects.get().user == world.users["kecamatan_a"]


def test_a_replayed_or_double_tapped_status_is_recorded_once(world, opd_cast, assigned, login):
    client = login(opd_cast.officer)
    progress = reverse("laporan:keputusan_detail", args=[assigned["dinsos_later"].pk])
    data = {"status": "berjalan", "note": "Verifikasi DTKS", "on": "2026-04-18"}
    assert client.post(progress, data).status_code == 302
    replay = client.post(progress, data, follow=True)  # same status, note and date: said so, not kept twice
    assert "Perubahan status ini sudah tercatat." in replay.content.decode()
    assert RiwayatKeputusan.objects.filter(keputusan=assigned["dinsos_later"]).count() == 1
    # "Selesai" tapped twice: the second finds it closed (the officer may no longer move it): no 403
    done = reverse("laporan:keputusan_detail", args=[assigned["dinsos"].pk])
    data = {"status": "selesai", "note": "Selesai dipadankan", "on": "2026-04-18"}
    assert client.post(done, data).status_code == 302
    second = client.post(done, data, follow=True)
    assert second.status_code == 200 and "Status keputusan ini sudah “Selesai”." in second.content.decode()
    assert RiwayatKeputusan.objects.filter(keputusan=assigned["dinsos"]).count() == 1
    # a form left open while the decision was closed: said so, nothing recorded
    stale = client.post(done, {**data, "status": "berjalan", "note": "Masih berjalan"}, follow=True)
    assert "Keputusan ini sudah “Selesai”; statusnya hanya dapat diubah Tim Pembina" in stale.content.decode()
    assert RiwayatKeputusan.objects.filter(keputusan=assigned["dinsos"]).count() == 1


def test_a_status_date_before_the_last_change_is_refused(world, opd_cast, assigned):
    decision = assigned["dinsos_later"]
    officer = opd_cast.officer
    services.keputusan_set_status(keputusan=decision, to_status="berjalan", note="Mulai", on=DEADLINE, user=officer)
    with pytest.raises(ValidationError) as error:  # the history would read backwards
        services.keputusan_set_status(
            keputusan=decision, to_status="selesai", note="Selesai", on=datetime.date(2026, 4, 1), user=officer
        )
    assert "sebelum perubahan status terakhir (15 April 2026)" in str(error.value.message_dict["on"])


def test_an_old_meetings_decision_in_a_locked_month_is_still_followed_up(world, opd_cast, assigned, login):
    """The meeting discussed February; February's reports approved (the month locked) do not freeze a
    decision's follow-up: a late completion is recorded and the next pack reports it."""
    from laporan.services import laporan_act, laporan_get_or_create
    from posyandu.models import BulanTerkunci

    february = datetime.date(2026, 2, 1)
    laporan_get_or_create(posyandu=world.posyandu_a, month=february)
    for name, action in (("pengurus_a", "ajukan"), ("desa_a1", "verifikasi"), ("kecamatan_a", "setujui")):
        laporan_act(posyandu=world.posyandu_a, month=february, action=action, user=world.users[name])
    assert BulanTerkunci.objects.filter(posyandu=world.posyandu_a, month=february).exists()
    url = reverse("laporan:keputusan_detail", args=[assigned["dinsos"].pk])
    data = {"status": "selesai", "note": "Terlambat, tetapi selesai", "on": "2026-04-19"}
    assert login(opd_cast.officer).post(url, data).status_code == 302
    assert KeputusanRakor.objects.get(pk=assigned["dinsos"].pk).status == "selesai"


def _form_post(client, rakor, **row):
    first = {"k-0-text": "Data disabilitas", "k-0-field": "sosial", "k-0-deadline": "2026-05-31"}
    return client.post(reverse("laporan:rakor_detail", args=[rakor.pk]), {**MANAGEMENT, **first, **row})


def test_the_form_offers_the_kabupatens_opd_by_field_and_refuses_others(world, opd_cast, assigned, login):
    rakor = assigned["rakor"]
    client = login(world.users["kabupaten"])
    page = client.get(reverse("laporan:rakor_detail", args=[rakor.pk])).content.decode()
    assert '<optgroup label="Sosial">' in page and "Dinsos — Dinas Sosial" in page
    assert f'value="{opd_cast.dinsos_x.pk}"' not in page  # Luwu Timur's Dinas Sosial is not offered
    before = rakor.keputusan.count()
    foreign = _form_post(client, rakor, **{"k-0-opd": str(opd_cast.dinsos_x.pk)})  # typed into the form anyway
    assert foreign.status_code == 200 and "Pilih OPD dari kabupaten tempat rakor diadakan." in foreign.content.decode()
    wrong_field = _form_post(client, rakor, **{"k-0-opd": str(opd_cast.dinsos.pk), "k-0-field": "pekerjaan_umum"})
    assert "Dinsos tidak mengampu bidang pekerjaan umum." in wrong_field.content.decode()
    both = _form_post(client, rakor, **{"k-0-opd": str(opd_cast.dinsos.pk), "k-0-wilayah_pj": "73.05.01"})
    assert "bukan keduanya" in both.content.decode()
    nobody = _form_post(client, rakor)
    assert "Pilih penanggung jawab: OPD atau wilayah." in nobody.content.decode()
    assert rakor.keputusan.count() == before and "Data disabilitas" in nobody.content.decode()
    assert _form_post(client, rakor, **{"k-0-opd": str(opd_cast.dinsos.pk)}).status_code == 302
    assert rakor.keputusan.get(text="Data disabilitas").opd == opd_cast.dinsos


def test_the_service_refuses_an_opd_of_another_kabupaten(world, opd_cast, assigned):
    with pytest.raises(ValidationError) as error:
        services.keputusan_add(
            rakor=assigned["rakor"], rows=[_row("Dari luar", opd=opd_cast.dinsos_x)], user=world.users["kabupaten"]
        )
    assert "bukan OPD kabupaten tempat rakor diadakan" in str(error.value)


def test_a_kecamatan_meeting_may_assign_an_opd_of_its_kabupaten(world, opd_cast, pinned_clock):
    pinned_clock("2026-04-20 09:00")
    kec = world.users["kecamatan_a"]
    rakor = services.rakor_create(wilayah=world.kecamatan_a, held_on=HELD_ON, period="2026-02", user=kec)
    [decision] = services.keputusan_add(
        rakor=rakor, rows=[_row("Kelembagaan: SK posyandu", opd=opd_cast.dinsos, field="kelembagaan")], user=kec
    )
    assert selectors.keputusan_list(user=opd_cast.officer).get() == decision


def test_the_next_pack_groups_the_follow_up_by_party_and_names_the_opd(world, march, opd_cast, assigned, login):
    services.keputusan_set_status(
        keputusan=assigned["dinsos"], to_status="selesai", note="312 lansia dipadankan", on=DEADLINE,
        user=opd_cast.officer,
    )  # fmt: skip
    response = login(world.users["kabupaten"]).get(reverse("laporan:rakor_pdf"), {"periode": "2026-03"})
    followup = pdf_text(response.content).split("Tindak lanjut rakor sebelumnya")[1].split("Ringkasan")[0]
    # OPD first by short name, then the areas; each group headed by its party with its counts
    dinsos = followup.index("Dinsos — Dinas Sosial")
    dukcapil = followup.index("Dukcapil")
    kecamatan = followup.index("Kec. Mappakasunggu")
    assert dinsos < followup.index("Data lansia terlantar") < dukcapil < kecamatan
    assert "2 keputusan, 1 selesai" in followup and "312 lansia dipadankan" in followup
    assert "Bidang Linjamsos" in followup


def test_the_demo_assigns_decisions_to_the_demo_opd_which_sees_them_on_its_home_page(world, opd_cast, login):
    """demo.laporan: last month's rakor gives Dinas Sosial (the ``opd_sosial`` login) three decisions."""
    from demo import laporan as demo_laporan

    for username, role, area in (("kecamatan", Role.PEMBINA_KECAMATAN, world.kecamatan_a),
                                 ("desa", Role.OPERATOR_DESA, world.desa_a1)):  # fmt: skip
        posyandu_services.user_create(username=username, password=PASSWORD, role=role, wilayah=area)
    result = demo_laporan.build()
    assert result.decisions == {"belum": 1, "berjalan": 1, "selesai": 1}
    assert any("opd_sosial" in line for line in demo_laporan.summary_lines(result))
    home = login(opd_cast.officer).get(reverse("posyandu:home")).content.decode()
    assert "Keputusan rakor untuk OPD Anda, belum selesai (1 lewat batas waktu)" in home
    assert demo_laporan.build().decisions == {}  # once


def test_only_the_meetings_team_cancels_a_decision(world, opd_cast, assigned, login):
    """Found by hostile testing: the officer could mark their late decision "Batal", and it left the open and
    late counts of the next pack without the team deciding so."""
    decision = assigned["dinsos"]
    assert "batal" not in dict(services.keputusan_next_statuses(keputusan=decision, user=opd_cast.officer))
    url = reverse("laporan:keputusan_detail", args=[decision.pk])
    response = login(opd_cast.officer).post(url, {"status": "batal", "note": "Tidak ada anggaran", "on": "2026-04-18"})
    assert response.status_code == 200 and "status" in response.context["form"].errors
    assert not RiwayatKeputusan.objects.filter(keputusan=decision).exists()
    with pytest.raises(ValidationError):
        services.keputusan_set_status(
            keputusan=decision, to_status="batal", note="x", on=DEADLINE, user=opd_cast.officer
        )
    kab = world.users["kabupaten"]
    services.keputusan_set_status(
        keputusan=decision, to_status="batal", note="Dialihkan ke APBD-P", on=DEADLINE, user=kab
    )
    assert KeputusanRakor.objects.get(pk=decision.pk).status == "batal"


def test_two_taps_racing_on_the_same_page_record_one_change(world, opd_cast, assigned):
    """Both requests read the decision before either saved (the view's copy is stale for the second): the
    service re-reads it under a row lock and finds the change already made."""
    first = KeputusanRakor.objects.get(pk=assigned["dinsos"].pk)
    second = KeputusanRakor.objects.get(pk=assigned["dinsos"].pk)
    change = {"to_status": "selesai", "note": "Selesai dipadankan", "on": DEADLINE, "user": opd_cast.officer}
    services.keputusan_set_status(keputusan=first, **change)
    with pytest.raises(ValidationError) as error:
        services.keputusan_set_status(keputusan=second, **change)
    assert error.value.code == "already_recorded"
    assert RiwayatKeputusan.objects.filter(keputusan=assigned["dinsos"]).count() == 1
