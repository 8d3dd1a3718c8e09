"""A recorded rakor decision corrected or handed to another party by the meeting's team.

The kabupaten's rakor of 20 March 2026 (``assigned`` in test_rakor_opd) gives Dinas Sosial of Takalar two
decisions, Dukcapil one and kecamatan A one; the clock is pinned at 20 April 2026. The team reassigns
Dinsos's decision to Dukcapil (Dinsos's officer no longer sees it, Dukcapil's does), edits text, field and
deadline, and each change is a ``RiwayatKeputusan`` row (who, when, old → new party). Hostile: an OPD of
another kabupaten, an area outside the meeting's area, an OPD of another field, a replayed or stale form,
an OPD officer or another area's team trying to edit, a finished or cancelled decision."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from laporan import selectors, services
from laporan.models import KeputusanRakor, RiwayatKeputusan
from posyandu import services as posyandu_services
from posyandu.models import Role, Wilayah
from tests.conftest import PASSWORD
from tests.laporan.test_rakor_opd import DEADLINE, assign_decisions

TODAY = datetime.date(2026, 4, 20)


@pytest.fixture
def assigned(world, opd_cast, pinned_clock):
    pinned_clock("2026-04-20 09:00")
    return assign_decisions(world, opd_cast)


@pytest.fixture
def dinkes(world):
    return posyandu_services.opd_create(
        by=None, kabupaten=world.kabupaten, name="Dinas Kesehatan", short_name="Dinkes", fields=["kesehatan"]
    )


def _edit_url(decision) -> str:
    return reverse("laporan:keputusan_edit", args=[decision.pk])


def _form(decision, **changes) -> dict:
    """The edit form as the page fills it, with ``changes`` typed over it."""
    data = {
        "text": decision.text, "field": decision.field, "opd": decision.opd_id or "",
        "wilayah_pj": decision.wilayah_pj_id or "", "responsible": decision.responsible,
        "deadline": decision.deadline.isoformat(), "note": "Dibahas ulang di rapat staf",
    }  # fmt: skip
    return {**data, **changes}


def _edit(decision, user, *, note="Dialihkan", **data):
    fields = {name: getattr(decision, name) for name in services.KEPUTUSAN_EDITABLE}
    return services.keputusan_update(keputusan=decision, user=user, note=note, **{**fields, **data})


def test_the_team_reassigns_a_decision_to_another_opd_and_the_history_says_who_when_and_from_whom(
    world, opd_cast, assigned, login
):
    decision = assigned["dinsos"]
    kab = world.users["kabupaten"]
    detail = reverse("laporan:keputusan_detail", args=[decision.pk])
    assert login(opd_cast.officer).get(detail).status_code == 200
    client = login(kab)
    form = client.get(_edit_url(decision))
    assert form.status_code == 200 and form.context["form"]["opd"].value() == opd_cast.dinsos.pk
    response = client.post(_edit_url(decision), _form(decision, opd=opd_cast.dukcapil.pk, note="Data ada di Dukcapil"))
    assert response.status_code == 302 and response["Location"] == detail
    decision.refresh_from_db()
    assert decision.opd == opd_cast.dukcapil and decision.status == "belum"
    step = RiwayatKeputusan.objects.get(keputusan=decision)
    assert (step.kind, step.from_responsible, step.to_responsible) == ("ubah", "Dinsos", "Dukcapil")
    assert (step.user, step.on, step.note, step.changes) == (kab, TODAY, "Data ada di Dukcapil", "")
    # Dinsos's officer lost it (404, no longer listed); Dukcapil's officer has it
    assert decision not in selectors.keputusan_list(user=opd_cast.officer)
    assert decision in selectors.keputusan_list(user=opd_cast.other)
    page = client.get(detail).content.decode()
    assert login(opd_cast.officer).get(detail).status_code == 404
    assert login(opd_cast.other).get(detail).status_code == 200
    assert "Dialihkan: Dinsos → Dukcapil" in page and "Data ada di Dukcapil" in page
    # the audit trail (django-simple-history) has the change too
    assert decision.history.first().opd_id == opd_cast.dukcapil.pk


def test_the_team_edits_text_field_and_deadline_each_change_in_words(world, opd_cast, assigned, dinkes):
    decision = assigned["dinsos_later"]
    _edit(
        decision, world.users["kabupaten"], note="Salah bidang",
        text="Pemeriksaan kesehatan 12 KK miskin ekstrem", field="kesehatan", opd=dinkes, responsible="",
        deadline=datetime.date(2026, 6, 30),
    )  # fmt: skip
    decision.refresh_from_db()
    assert (decision.field, decision.opd, decision.deadline) == ("kesehatan", dinkes, datetime.date(2026, 6, 30))
    step = decision.riwayat.get()
    assert (step.from_responsible, step.to_responsible) == ("Dinsos · Bidang Linjamsos", "Dinkes")
    assert step.changes.splitlines() == [
        "Isi keputusan: “Bansos untuk 12 KK miskin ekstrem” → “Pemeriksaan kesehatan 12 KK miskin ekstrem”",
        "Bidang: Sosial → Kesehatan",
        "Batas waktu: 31 Mei 2026 → 30 Juni 2026",
    ]
    assert step.is_reassignment


def test_a_decision_moves_from_an_opd_to_an_area_and_the_kecamatan_team_takes_it_over(world, opd_cast, assigned, login):
    decision = assigned["dinsos"]
    _edit(decision, world.users["kabupaten"], opd=None, wilayah_pj=world.kecamatan_a)
    assert decision not in selectors.keputusan_list(user=opd_cast.officer)
    assert decision in selectors.keputusan_list(user=world.users["kecamatan_a"])
    step = decision.riwayat.get()
    assert (step.from_responsible, step.to_responsible) == ("Dinsos", world.kecamatan_a.display_name)
    # the responsible kecamatan's team updates its status, but the meeting is the kabupaten's: no editing
    url = reverse("laporan:keputusan_detail", args=[decision.pk])
    assert login(world.users["kecamatan_a"]).get(url).status_code == 200
    assert login(world.users["kecamatan_a"]).get(_edit_url(decision)).status_code == 403


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"field": "pekerjaan_umum"}, "Dinsos tidak mengampu bidang pekerjaan umum."),  # the OPD kept, field changed
        ({"deadline": "2026-03-19"}, "Batas waktu tidak boleh sebelum tanggal rapat."),
        ({"note": "  "}, "Tuliskan alasan perubahan"),
        ({"opd": "", "responsible": ""}, "Pilih penanggung jawab: OPD atau wilayah."),
    ],
)
def test_a_wrong_edit_is_refused_and_nothing_recorded(world, opd_cast, assigned, login, change, error):
    decision = assigned["dinsos"]
    response = login(world.users["kabupaten"]).post(_edit_url(decision), _form(decision, **change))
    assert response.status_code == 200 and error in response.content.decode()
    assert KeputusanRakor.objects.get(pk=decision.pk).opd == opd_cast.dinsos
    assert not RiwayatKeputusan.objects.exists()


def test_an_opd_of_another_kabupaten_or_of_another_field_is_refused_kelembagaan_takes_any(
    world, opd_cast, assigned, dinkes, login
):
    decision, kab = assigned["dinsos"], world.users["kabupaten"]
    client = login(kab)
    foreign = client.post(_edit_url(decision), _form(decision, opd=opd_cast.dinsos_x.pk))  # typed in anyway
    assert "Pilih OPD dari kabupaten tempat rakor diadakan." in foreign.content.decode()
    wrong_field = client.post(_edit_url(decision), _form(decision, opd=dinkes.pk))
    assert "Dinkes tidak mengampu bidang sosial." in wrong_field.content.decode()
    for opd, message in ((opd_cast.dinsos_x, "bukan OPD kabupaten tempat rakor diadakan"),
                         (dinkes, "Dinkes tidak mengampu bidang sosial.")):  # fmt: skip
        with pytest.raises(ValidationError) as refused:  # the service refuses it without the form too
            _edit(decision, kab, opd=opd)
        assert message in str(refused.value)
    assert not RiwayatKeputusan.objects.exists()
    response = client.post(_edit_url(decision), _form(decision, field="kelembagaan", opd=dinkes.pk))
    assert response.status_code == 302
    assert KeputusanRakor.objects.get(pk=decision.pk).opd == dinkes


def test_an_area_outside_the_meetings_area_is_refused(world, opd_cast, assigned, login):
    kec = world.users["kecamatan_a"]
    rakor = services.rakor_create(wilayah=world.kecamatan_a, held_on=datetime.date(2026, 3, 21), period="2026-02",
                                  user=kec)  # fmt: skip
    row = {"text": "Sweeping", "field": "kesehatan", "wilayah_pj": world.desa_a1, "deadline": DEADLINE}
    [decision] = services.keputusan_add(rakor=rakor, rows=[row], user=kec)
    client = login(kec)
    outside = Wilayah.objects.filter(code__startswith=world.kecamatan_b.code + ".").first()
    for area in (outside, world.kecamatan_a, Wilayah.objects.get(code="73.24.01")):
        response = client.post(_edit_url(decision), _form(decision, wilayah_pj=area.code))
        assert response.status_code == 200 and "wilayah_pj" in response.context["form"].errors
        with pytest.raises(ValidationError) as refused:
            _edit(decision, kec, wilayah_pj=area)
        assert "Wilayah penanggung jawab harus di dalam wilayah rakor." in str(refused.value)
    assert client.post(_edit_url(decision), _form(decision, wilayah_pj=world.desa_a2.code)).status_code == 302
    assert KeputusanRakor.objects.get(pk=decision.pk).wilayah_pj == world.desa_a2
    assert decision.riwayat.count() == 1


def test_a_replayed_edit_is_recorded_once_and_a_stale_form_does_not_overwrite(world, opd_cast, assigned, login):
    decision = assigned["dinsos"]
    client = login(world.users["kabupaten"])
    opened = client.get(_edit_url(decision)).context["form"]["version"].value()
    data = {**_form(decision, opd=opd_cast.dukcapil.pk), "version": opened}
    assert client.post(_edit_url(decision), data).status_code == 302
    replay = client.post(_edit_url(decision), data, follow=True)  # the same POST again
    assert "Perubahan ini sudah tercatat" in replay.content.decode()
    assert decision.riwayat.count() == 1
    # a form opened before that change, now saying something else: refused, nothing lost
    stale = client.post(_edit_url(decision), {**data, "deadline": "2026-06-30"})
    assert stale.status_code == 200 and "baru saja diubah orang lain" in stale.content.decode()
    assert KeputusanRakor.objects.get(pk=decision.pk).deadline == DEADLINE
    assert decision.riwayat.count() == 1
    # saving once more is a deliberate choice (the form now holds the newer version)
    again = client.post(_edit_url(decision), stale.context["form"].data)
    assert again.status_code == 302
    assert KeputusanRakor.objects.get(pk=decision.pk).deadline == datetime.date(2026, 6, 30)


def test_only_the_meetings_team_edits_others_get_403_or_404(world, opd_cast, assigned, login):
    decision = assigned["dinsos"]
    data = _form(decision, opd=opd_cast.dukcapil.pk)
    # the responsible OPD's officer (the page is not theirs: posyandu.role_gate) and another OPD's
    for officer in (opd_cast.officer, opd_cast.other):
        client = login(officer)
        assert client.get(_edit_url(decision)).status_code == 403
        assert client.post(_edit_url(decision), data).status_code == 403
    with pytest.raises(PermissionDenied):
        _edit(decision, opd_cast.officer, opd=opd_cast.dukcapil)
    # kecamatan B's team does not see the kabupaten's decision for kecamatan A (404); kecamatan A sees it (403)
    team_b = posyandu_services.user_create(
        username="kecamatan_b", password=PASSWORD, role=Role.PEMBINA_KECAMATAN, wilayah=world.kecamatan_b
    )
    area_decision = assigned["kec_a"]
    assert login(team_b).post(_edit_url(area_decision), _form(area_decision, note="x")).status_code == 404
    assert login(world.users["kecamatan_a"]).post(_edit_url(area_decision), _form(area_decision)).status_code == 403
    assert login(world.users["desa_a1"]).get(_edit_url(area_decision)).status_code == 404
    assert not RiwayatKeputusan.objects.exists()
    assert KeputusanRakor.objects.get(pk=decision.pk).opd == opd_cast.dinsos
    # the link is offered to the team only
    detail = reverse("laporan:keputusan_detail", args=[decision.pk])
    assert _edit_url(decision) not in login(opd_cast.officer).get(detail).content.decode()
    assert _edit_url(decision) in login(world.users["kabupaten"]).get(detail).content.decode()


def test_the_meetings_page_offers_each_open_decision_to_its_team_for_editing(world, opd_cast, assigned, login):
    """From the meeting's own table, not only from each decision's page; a finished one is not offered.
    (Only the meeting's team opens the meeting's page.)"""
    done, still_open = assigned["dukcapil"], assigned["dinsos"]
    kab = world.users["kabupaten"]
    services.keputusan_set_status(keputusan=done, to_status="selesai", note="Sudah dipadankan", on=TODAY, user=kab)
    meeting = reverse("laporan:rakor_detail", args=[still_open.rakor_id])
    page = login(kab).get(meeting).content.decode()
    assert _edit_url(still_open) in page and _edit_url(assigned["kec_a"]) in page
    assert _edit_url(done) not in page


@pytest.mark.parametrize("closed", ["selesai", "batal"])
def test_a_finished_or_cancelled_decision_is_not_edited_until_reopened(world, opd_cast, assigned, login, closed):
    decision, kab = assigned["dinsos"], world.users["kabupaten"]
    services.keputusan_set_status(keputusan=decision, to_status=closed, note="Ditutup", on=TODAY, user=kab)
    client = login(kab)
    page = client.get(_edit_url(decision))
    message = "sudah selesai, jadi tidak dapat diubah atau dialihkan" if closed == "selesai" else "sudah dibatalkan"
    assert page.status_code == 200 and page.context["form"] is None and message in page.content.decode()
    detail = reverse("laporan:keputusan_detail", args=[decision.pk])
    assert _edit_url(decision) not in client.get(detail).content.decode()
    posted = client.post(_edit_url(decision), _form(decision, opd=opd_cast.dukcapil.pk), follow=True)
    assert message in posted.content.decode()  # a form left open while it was closed: said so
    with pytest.raises(ValidationError) as refused:
        _edit(KeputusanRakor.objects.get(pk=decision.pk), kab, opd=opd_cast.dukcapil)
    assert refused.value.code == "closed" and "buka kembali dulu" in refused.value.messages[0]
    decision.refresh_from_db()
    assert decision.opd == opd_cast.dinsos and not decision.riwayat.filter(kind="ubah").exists()
    # reopened by the team, it can be handed over
    services.keputusan_set_status(keputusan=decision, to_status="berjalan", note="Dibuka lagi", on=TODAY, user=kab)
    decision.refresh_from_db()
    assert client.post(_edit_url(decision), _form(decision, opd=opd_cast.dukcapil.pk)).status_code == 302
    assert KeputusanRakor.objects.get(pk=decision.pk).opd == opd_cast.dukcapil


def test_the_opd_choice_carries_the_opd_serving_each_field_for_the_script(world, opd_cast, assigned, dinkes, login):
    client = login(world.users["kabupaten"])
    for url, field_id in ((_edit_url(assigned["dinsos"]), "id_field"),
                          (reverse("laporan:rakor_detail", args=[assigned["rakor"].pk]), "id_k-0-field")):  # fmt: skip
        response = client.get(url)
        formset = response.context.get("formset")
        form = formset.forms[0] if formset else response.context["form"]
        attrs = form.fields["opd"].widget.attrs
        by_field = json.loads(attrs["data-opd-by-field"])
        assert sorted(by_field["sosial"]) == sorted([opd_cast.dinsos.pk, opd_cast.dukcapil.pk])
        assert by_field["kesehatan"] == [dinkes.pk] and by_field["pendidikan"] == []
        assert opd_cast.dinsos_x.pk not in by_field["sosial"]  # another kabupaten's
        assert attrs["data-field-input"] == field_id
        assert "js/keputusan_opd.js" in response.content.decode()


def test_the_edit_page_posted_back_with_only_a_new_opd_keeps_every_other_value(world, opd_cast, assigned, client):
    """Posted as a browser posts the page (its own inputs, the selected options): the deadline's date format,
    the field and the responsible note come back as they were."""
    from tests.test_forms_keep_every_field import _post_back

    decision = assigned["dinsos_later"]
    before = {name: getattr(decision, name) for name in ("text", "field", "wilayah_pj", "responsible", "deadline")}
    client.force_login(world.users["kabupaten"])
    _post_back(client, _edit_url(decision), {"opd": str(opd_cast.dukcapil.pk), "note": "Ke Dukcapil"})
    decision.refresh_from_db()
    assert decision.opd == opd_cast.dukcapil
    assert {name: getattr(decision, name) for name in before} == before
    assert decision.riwayat.get().changes == ""
