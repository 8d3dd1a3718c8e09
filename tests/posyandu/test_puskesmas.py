"""Puskesmas and their working areas: the database's rules, the history of a desa's Puskesmas, the
pages with which the kabupaten team manages them, and what a Puskesmas officer's scope holds."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from posyandu.models import Posyandu, Puskesmas, Role, Wilayah, WilayahKerjaPuskesmas
from posyandu.puskesmas import selectors, services
from posyandu.scope import scoped, within_puskesmas


@pytest.fixture
def puskesmas_b(world):
    return services.puskesmas_create(code="P7305020101", name="Puskesmas Mangarabombang", kabupaten=world.kabupaten)


def test_a_desa_in_two_puskesmas_at_once_is_refused_by_the_database(world, puskesmas_b):
    with pytest.raises(IntegrityError, match="wilayah_kerja_one_open_per_desa"), transaction.atomic():
        WilayahKerjaPuskesmas.objects.create(
            puskesmas=puskesmas_b, desa=world.desa_a1, valid_from=datetime.date(2024, 1, 1)
        )


def test_a_working_area_row_that_ends_before_it_starts_is_refused_by_the_database(world, puskesmas_b):
    with pytest.raises(IntegrityError, match="wilayah_kerja_ends_after_start"), transaction.atomic():
        WilayahKerjaPuskesmas.objects.create(
            puskesmas=puskesmas_b,
            desa=world.desa_b1,
            valid_from=datetime.date(2024, 1, 1),
            valid_to=datetime.date(2024, 1, 1),
        )


@pytest.fixture
def desa_a1_released(world):
    """Desa A1 was in Puskesmas A from 2020 up to 1 March 2025, and in no Puskesmas since."""
    services.wilayah_kerja_release(puskesmas=world.puskesmas_a, desa=world.desa_a1, on=datetime.date(2025, 3, 1))
    return world.desa_a1


def test_an_overlapping_past_period_is_refused_by_the_database(world, puskesmas_b, desa_a1_released):
    # Both rows closed: the partial unique index on open rows does not see them, the exclusion does.
    with pytest.raises(IntegrityError, match="wilayah_kerja_no_overlap_per_desa"), transaction.atomic():
        WilayahKerjaPuskesmas.objects.create(
            puskesmas=puskesmas_b,
            desa=desa_a1_released,
            valid_from=datetime.date(2024, 6, 1),
            valid_to=datetime.date(2024, 9, 1),
        )
    # An open row starting inside the closed period too.
    with pytest.raises(IntegrityError, match="wilayah_kerja_no_overlap_per_desa"), transaction.atomic():
        WilayahKerjaPuskesmas.objects.create(
            puskesmas=puskesmas_b, desa=desa_a1_released, valid_from=datetime.date(2025, 2, 28)
        )


def test_periods_that_touch_or_belong_to_other_desa_are_allowed(world, puskesmas_b, desa_a1_released):
    # [2020-01-01, 2025-03-01) then [2025-03-01, ...): they touch, they do not overlap.
    WilayahKerjaPuskesmas.objects.create(
        puskesmas=puskesmas_b, desa=desa_a1_released, valid_from=datetime.date(2025, 3, 1)
    )
    # The same past period for another desa is no overlap.
    WilayahKerjaPuskesmas.objects.create(
        puskesmas=puskesmas_b,
        desa=world.desa_a2,
        valid_from=datetime.date(2024, 6, 1),
        valid_to=datetime.date(2024, 9, 1),
    )
    assert WilayahKerjaPuskesmas.objects.filter(puskesmas=puskesmas_b).count() == 2


def test_the_service_explains_an_overlapping_past_period_and_changes_nothing(world, puskesmas_b, desa_a1_released):
    # Before the constraint, this assignment was saved: the desa had no open row and no row starting
    # after 1 June 2024, so the service's own checks let a second Puskesmas in for June 2024–March 2025.
    with pytest.raises(ValidationError, match="hanya masuk satu Puskesmas pada satu waktu"):
        services.wilayah_kerja_assign(puskesmas=puskesmas_b, desa=desa_a1_released, since=datetime.date(2024, 6, 1))
    assert selectors.puskesmas_of(desa=desa_a1_released, on=datetime.date(2024, 7, 1)) == world.puskesmas_a
    assert not WilayahKerjaPuskesmas.objects.filter(puskesmas=puskesmas_b).exists()


def test_the_save_path_maps_the_exclusion_to_its_message_when_validation_did_not_see_it(
    world, puskesmas_b, desa_a1_released
):
    # A concurrent write lands between validation and save: only the database sees the overlap.
    from posyandu.saving import record_save

    row = WilayahKerjaPuskesmas(puskesmas=puskesmas_b, desa=desa_a1_released, valid_from=datetime.date(2024, 6, 1))
    with pytest.raises(ValidationError, match="hanya masuk satu Puskesmas pada satu waktu"):
        record_save(row, constraint_errors=services.AREA_ERRORS, validate=False)
    assert not WilayahKerjaPuskesmas.objects.filter(puskesmas=puskesmas_b).exists()


def test_the_assign_form_shows_the_overlap_and_keeps_what_was_typed(world, puskesmas_b, desa_a1_released, login):
    client = login(world.users["kabupaten"])
    url = reverse("posyandu:wilayah_kerja_assign", kwargs={"pk": puskesmas_b.pk})
    response = client.post(url, {"desa": desa_a1_released.code, "since": "2024-06-01"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "hanya masuk satu Puskesmas pada satu waktu" in page
    assert 'value="2024-06-01"' in page
    form = response.context["form"]
    assert form["desa"].value() == desa_a1_released.code and form["since"].value() == "2024-06-01"
    assert f'<option value="{desa_a1_released.code}" selected>' in page
    assert not WilayahKerjaPuskesmas.objects.filter(puskesmas=puskesmas_b).exists()


def test_a_puskesmas_code_of_another_shape_is_refused_by_the_database(world):
    with pytest.raises(IntegrityError, match="puskesmas_code_format"), transaction.atomic():
        Puskesmas.objects.create(code="P73050101", name="Pendek", kabupaten=world.kabupaten)


@pytest.mark.parametrize("code", ["P73050101", "X7305010101", "P７３０５０１０１０１", "P730501010١"])
def test_the_service_explains_a_bad_code(world, code):
    with pytest.raises(ValidationError) as error:
        services.puskesmas_create(code=code, name="Puskesmas Uji", kabupaten=world.kabupaten)
    assert "code" in error.value.error_dict


def test_a_second_puskesmas_with_the_same_code_or_name_gets_a_message(world):
    with pytest.raises(ValidationError, match="Kode Puskesmas ini sudah dipakai"):
        services.puskesmas_create(code="P7305010101", name="Lain", kabupaten=world.kabupaten)
    with pytest.raises(ValidationError, match="nama ini"):
        services.puskesmas_create(code="P7305019999", name="puskesmas mappakasunggu", kabupaten=world.kabupaten)


def test_a_desa_of_another_kabupaten_is_refused(world):
    desa_x = world.posyandu_x.desa
    with pytest.raises(ValidationError, match="di luar kabupaten"):
        services.wilayah_kerja_assign(puskesmas=world.puskesmas_a, desa=desa_x, since=datetime.date(2024, 1, 1))


def test_moving_a_desa_keeps_its_history(world, puskesmas_b):
    moved_on = datetime.date(2025, 7, 1)
    services.wilayah_kerja_assign(puskesmas=puskesmas_b, desa=world.desa_a1, since=moved_on)
    rows = list(WilayahKerjaPuskesmas.objects.filter(desa=world.desa_a1).order_by("valid_from"))
    assert [(r.puskesmas_id, r.valid_from, r.valid_to) for r in rows] == [
        (world.puskesmas_a.pk, datetime.date(2020, 1, 1), moved_on),
        (puskesmas_b.pk, moved_on, None),
    ]
    assert selectors.puskesmas_of(desa=world.desa_a1, on=datetime.date(2025, 6, 30)) == world.puskesmas_a
    assert selectors.puskesmas_of(desa=world.desa_a1, on=moved_on) == puskesmas_b
    assert selectors.puskesmas_of(desa=world.desa_a1, on=datetime.date(2019, 12, 31)) is None
    # The change is in the audit trail of both rows.
    assert WilayahKerjaPuskesmas.history.filter(desa=world.desa_a1).count() == 3


def test_a_move_on_or_before_the_current_start_is_refused_and_changes_nothing(world, puskesmas_b):
    with pytest.raises(ValidationError, match="sesudahnya"):
        services.wilayah_kerja_assign(puskesmas=puskesmas_b, desa=world.desa_a1, since=datetime.date(2020, 1, 1))
    assert selectors.puskesmas_of(desa=world.desa_a1) == world.puskesmas_a
    assert WilayahKerjaPuskesmas.objects.filter(desa=world.desa_a1).count() == 1


def test_assigning_a_desa_to_its_own_puskesmas_twice_is_refused(world):
    with pytest.raises(ValidationError, match="sudah masuk"):
        services.wilayah_kerja_assign(puskesmas=world.puskesmas_a, desa=world.desa_a1, since=datetime.date(2025, 1, 1))


def test_a_released_desa_belongs_to_no_puskesmas_from_that_day(world):
    services.wilayah_kerja_release(puskesmas=world.puskesmas_a, desa=world.desa_a1, on=datetime.date(2025, 1, 1))
    assert selectors.puskesmas_of(desa=world.desa_a1, on=datetime.date(2025, 1, 1)) is None
    assert selectors.puskesmas_of(desa=world.desa_a1, on=datetime.date(2024, 12, 31)) == world.puskesmas_a


def test_the_officer_scope_follows_the_working_area_of_today(world, puskesmas_b, pinned_clock):
    pinned_clock("2026-03-15")
    officer = world.users["puskesmas_a"]
    assert list(scoped(Posyandu.objects.all(), officer)) == [world.posyandu_a]
    services.wilayah_kerja_assign(puskesmas=world.puskesmas_a, desa=world.desa_a2, since=datetime.date(2026, 4, 1))
    assert list(scoped(Posyandu.objects.all(), officer)) == [world.posyandu_a]  # not yet
    pinned_clock("2026-04-01")
    assert set(scoped(Posyandu.objects.all(), officer)) == {world.posyandu_a, world.posyandu_a2}


def test_a_lens_narrows_a_kabupaten_user_to_the_puskesmas_area(world):
    lens = within_puskesmas(world.users["kabupaten"], world.puskesmas_a)
    assert list(scoped(Posyandu.objects.all(), lens)) == [world.posyandu_a]
    # The areas above the desa (within the user's own area) are visible to navigate; the other desa not.
    codes = set(scoped(Wilayah.objects.all(), lens).values_list("code", flat=True))
    assert codes == {"73.05", "73.05.01", "73.05.01.2001"}
    officer = world.users["puskesmas_a"]
    codes = set(scoped(Wilayah.objects.all(), officer).values_list("code", flat=True))
    assert codes == {"73", "73.05", "73.05.01", "73.05.01.2001"}


def test_other_roles_do_not_see_a_puskesmas_outside_their_kabupaten(world):
    kabupaten_x = world.posyandu_x.desa.parent.parent
    other = services.puskesmas_create(code="P7324010101", name="Puskesmas Luwu", kabupaten=kabupaten_x)
    assert list(selectors.puskesmas_list(user=world.users["kabupaten"])) == [world.puskesmas_a]
    assert other in selectors.puskesmas_list(user=world.users["admin"])
    assert list(selectors.puskesmas_list(user=world.users["puskesmas_a"])) == [world.puskesmas_a]
    assert not selectors.puskesmas_list(user=world.users["kecamatan_a"]).exists()


def test_the_kabupaten_team_creates_a_puskesmas_and_moves_a_desa_on_its_pages(world, login):
    client = login(world.users["kabupaten"])
    response = client.post(
        reverse("posyandu:puskesmas_create"),
        {"code": "p7305020101", "name": " Puskesmas  Mangarabombang ", "kabupaten": world.kabupaten.pk},
    )
    created = Puskesmas.objects.get(code="P7305020101")
    assert response.status_code == 302 and created.name == "Puskesmas Mangarabombang"
    assert created.history.first().history_user == world.users["kabupaten"]
    url = reverse("posyandu:wilayah_kerja_assign", kwargs={"pk": created.pk})
    response = client.post(url, {"desa": world.desa_a1.code, "since": "2026-01-01"})
    assert response.status_code == 302
    assert selectors.puskesmas_of(desa=world.desa_a1, on=datetime.date(2026, 1, 1)) == created
    row = WilayahKerjaPuskesmas.objects.get(desa=world.desa_a1, puskesmas=created)
    assert row.history.first().history_user == world.users["kabupaten"]
    # A date with other digits keeps the form with its message.
    response = client.post(url, {"desa": world.desa_b1.code, "since": "２０２６-01-01"})
    assert response.status_code == 200 and "angka" in response.content.decode()


def test_the_kabupaten_team_cannot_give_a_desa_of_another_kabupaten(world, login):
    client = login(world.users["kabupaten"])
    url = reverse("posyandu:wilayah_kerja_assign", kwargs={"pk": world.puskesmas_a.pk})
    response = client.post(url, {"desa": world.posyandu_x.desa.code, "since": "2026-01-01"})
    assert response.status_code == 200
    assert not WilayahKerjaPuskesmas.objects.filter(desa=world.posyandu_x.desa).exists()


def test_the_officer_role_needs_a_puskesmas_and_a_position(world):
    from posyandu import services as posyandu_services

    with pytest.raises(ValidationError) as error:
        posyandu_services.user_create(username="tanpa", password="x-12345678", role=Role.PUSKESMAS)
    assert {"puskesmas", "position"} <= set(error.value.error_dict)


def test_django_admin_shows_the_working_area_but_does_not_write_it(world, client):
    # Two overlapping rows added in one save of the admin's inline were a server error (500).
    admin = world.users["admin"]
    admin.is_superuser = admin.is_staff = True
    admin.save()
    client.force_login(admin)
    puskesmas, row = world.puskesmas_a, WilayahKerjaPuskesmas.objects.get(desa=world.desa_a1)
    url = f"/admin/posyandu/puskesmas/{puskesmas.pk}/change/"
    assert world.desa_a1.name in client.get(url).content.decode()
    prefix = "wilayah_kerja"
    data = {
        "code": puskesmas.code, "name": puskesmas.name, "kabupaten": puskesmas.kabupaten_id, "address": "",
        f"{prefix}-TOTAL_FORMS": "3", f"{prefix}-INITIAL_FORMS": "1", f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000", f"{prefix}-0-id": row.pk, f"{prefix}-0-puskesmas": puskesmas.pk,
        f"{prefix}-0-desa": row.desa_id, f"{prefix}-0-valid_from": "2020-01-01", f"{prefix}-0-valid_to": "2021-01-01",
        f"{prefix}-1-puskesmas": puskesmas.pk, f"{prefix}-1-desa": world.desa_a2.code,
        f"{prefix}-1-valid_from": "2021-01-01", f"{prefix}-1-valid_to": "2023-01-01",
        f"{prefix}-2-puskesmas": puskesmas.pk, f"{prefix}-2-desa": world.desa_a2.code,
        f"{prefix}-2-valid_from": "2022-01-01", f"{prefix}-2-valid_to": "2024-01-01",
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302
    assert not WilayahKerjaPuskesmas.objects.filter(desa=world.desa_a2).exists()
    row.refresh_from_db()
    assert row.valid_to is None  # the open row is untouched
