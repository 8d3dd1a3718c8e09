"""Accounts managed in the app: reach by role and area, one-time passwords, unlocking, the log."""

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import ValidationError
from django.urls import reverse

from posyandu.akun import services
from posyandu.akun.models import RiwayatAkun, SandiSementara
from posyandu.akun.permissions import assignable_roles
from posyandu.models import Role, User
from tests.conftest import PASSWORD


def _create_kader(by, posyandu, name="Sitti Aminah"):
    return services.account_create(by=by, first_name=name, role=Role.KADER, posyandu=posyandu, field="kesehatan")


def test_each_level_gives_only_the_roles_below_its_own(world):
    users = world.users
    assert assignable_roles(users["kader_a"]) == []
    assert assignable_roles(users["pengurus_a"]) == [Role.KADER]
    assert assignable_roles(users["desa_a1"]) == [Role.KADER, Role.PENGURUS]
    assert Role.PEMBINA_KABUPATEN not in assignable_roles(users["kabupaten"])
    assert Role.PEMBINA_KECAMATAN in assignable_roles(users["kabupaten"])


def test_desa_operator_creates_a_kader_account_with_a_one_time_password(world):
    account, password = _create_kader(world.users["desa_a1"], world.posyandu_a)
    assert account.username == "sitti.aminah"
    assert account.check_password(password)
    assert SandiSementara.objects.filter(user=account, issued_by=world.users["desa_a1"]).exists()
    event = RiwayatAkun.objects.get(account=account)
    assert (event.action, event.actor, event.area_code) == ("buat", world.users["desa_a1"], "73.05.01.2001")


def test_usernames_follow_the_scheme_and_get_a_number_when_taken(world):
    first, _ = _create_kader(world.users["desa_a1"], world.posyandu_a, name="Sitti Aminah Daeng")
    second, _ = _create_kader(world.users["desa_a1"], world.posyandu_a, name="Sítti  AMINAH")
    odd, _ = _create_kader(world.users["desa_a1"], world.posyandu_a, name="Nur'aini")
    assert (first.username, second.username, odd.username) == ("sitti.aminah", "sitti.aminah2", "nuraini")


def test_desa_operator_cannot_create_an_account_in_another_desa(world):
    with pytest.raises(ValidationError) as error:
        _create_kader(world.users["desa_a1"], world.posyandu_a2)
    assert "posyandu" in error.value.message_dict


def test_nobody_gives_a_role_at_or_above_their_own(world):
    with pytest.raises(ValidationError):
        services.account_create(
            by=world.users["desa_a1"], first_name="X", role=Role.OPERATOR_DESA, wilayah=world.desa_a1
        )
    with pytest.raises(ValidationError):
        services.account_create(
            by=world.users["kabupaten"], first_name="X", role=Role.PEMBINA_KABUPATEN, wilayah=world.kabupaten
        )


def test_role_escalation_by_a_crafted_post_is_refused(world, login):
    client = login(world.users["desa_a1"])
    kader = world.users["kader_a"]
    response = client.post(
        reverse("akun:account_update", args=[kader.pk]),
        {"first_name": "kader_a", "role": Role.OPERATOR_DESA, "wilayah": world.desa_a1.pk, "field": ""},
    )
    assert response.status_code == 200  # the form again, with the refusal
    kader.refresh_from_db()
    assert kader.role == Role.KADER
    response = client.post(
        reverse("akun:account_create"),
        {"first_name": "Baru", "role": Role.PEMBINA_KABUPATEN, "wilayah": world.kabupaten.pk},
    )
    assert response.status_code == 200
    assert not User.objects.filter(first_name="Baru").exists()


def test_a_crafted_post_cannot_place_an_account_outside_the_area(world, login):
    client = login(world.users["pengurus_a"])
    response = client.post(
        reverse("akun:account_create"),
        {"first_name": "Baru", "role": Role.KADER, "posyandu": world.posyandu_b.pk, "field": "kesehatan"},
    )
    assert response.status_code == 200
    assert not User.objects.filter(first_name="Baru").exists()


def test_a_manager_cannot_manage_their_own_account_or_a_peer(world):
    other_operator = services.account_create(
        by=world.users["kabupaten"], first_name="Operator Dua", role=Role.OPERATOR_DESA, wilayah=world.desa_a1
    )[0]
    with pytest.raises(ValidationError):
        services.account_deactivate(by=world.users["desa_a1"], account=other_operator)
    with pytest.raises(ValidationError):
        services.account_password_reset(by=world.users["desa_a1"], account=world.users["desa_a1"])


def test_kabupaten_team_manages_kecamatan_teams_and_desa_operators_of_its_kabupaten(world, login):
    client = login(world.users["kabupaten"])
    response = client.post(
        reverse("akun:account_create"),
        {"first_name": "Tim Kecamatan B", "role": Role.PEMBINA_KECAMATAN, "wilayah": world.kecamatan_b.pk},
    )
    assert response.status_code == 200
    account = User.objects.get(first_name="Tim Kecamatan B")
    assert account.wilayah == world.kecamatan_b
    assert reverse("akun:slips_pdf") in response.content.decode()


def test_deactivated_account_cannot_log_in_and_reactivation_is_logged(world, client):
    kader = world.users["kader_a"]
    services.account_deactivate(by=world.users["pengurus_a"], account=kader)
    response = client.post(reverse("login"), {"username": "kader_a", "password": PASSWORD})
    assert response.status_code == 200  # the form again: an inactive account does not log in
    services.account_activate(by=world.users["pengurus_a"], account=kader)
    actions = list(RiwayatAkun.objects.filter(account=kader).values_list("action", flat=True))
    assert sorted(actions) == ["aktifkan", "nonaktifkan"]


def test_password_reset_shows_a_one_time_password_once_and_the_old_one_stops(world, login):
    client = login(world.users["pengurus_a"])
    kader = world.users["kader_a"]
    response = client.post(reverse("akun:account_password_reset", args=[kader.pk]))
    password = response.context["password"]
    kader.refresh_from_db()
    assert kader.check_password(password) and not kader.check_password(PASSWORD)
    detail = client.get(reverse("akun:account_detail", args=[kader.pk])).content.decode()
    assert password not in detail


def test_first_login_with_a_one_time_password_must_set_a_new_one(world, client):
    account, password = _create_kader(world.users["desa_a1"], world.posyandu_a)
    response = client.post(reverse("login"), {"username": account.username, "password": password})
    assert response["Location"] == reverse("akun:password_set")
    assert client.get(reverse("posyandu:home"))["Location"] == reverse("akun:password_set")
    response = client.post(
        reverse("akun:password_set"), {"new_password1": "Kebun-Mangga-2026", "new_password2": "Kebun-Mangga-2026"}
    )
    assert response["Location"] == reverse("posyandu:home")
    assert client.get(reverse("posyandu:home")).status_code == 200
    assert not SandiSementara.objects.filter(user=account).exists()
    assert RiwayatAkun.objects.filter(account=account, action="sandi_baru", actor=account).exists()


def test_unlock_clears_the_lockout_of_that_username(world, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "kader_a", "password": "salah"})
    assert AccessAttempt.objects.filter(username="kader_a").exists()
    services.account_unlock(by=world.users["pengurus_a"], account=world.users["kader_a"])
    assert not AccessAttempt.objects.filter(username="kader_a").exists()
    response = client.post(reverse("login"), {"username": "kader_a", "password": PASSWORD})
    assert response.status_code == 302


def test_account_list_shows_only_accounts_below_within_the_area(world, login):
    response = login(world.users["pengurus_a"]).get(reverse("akun:account_list"))
    names = {a.username for a in response.context["page"].object_list}
    assert names == {"kader_a"}
    response = login(world.users["kecamatan_a"]).get(reverse("akun:account_list"))
    names = {a.username for a in response.context["page"].object_list}
    assert names == {"kader_a", "pengurus_a", "desa_a1"}


def test_account_log_is_scoped(world, login):
    _create_kader(world.users["kabupaten"], world.posyandu_b, name="Kader Punaga")
    _create_kader(world.users["desa_a1"], world.posyandu_a, name="Kader Lassang")
    response = login(world.users["desa_a1"]).get(reverse("akun:account_log"))
    assert [e.account.first_name for e in response.context["page"].object_list] == ["Kader Lassang"]


def test_a_phone_with_other_scripts_digits_is_refused(world, login):
    response = login(world.users["pengurus_a"]).post(
        reverse("akun:account_create"),
        {"first_name": "Baru", "role": Role.KADER, "posyandu": world.posyandu_a.pk, "field": "kesehatan",
         "phone": "０８１２３４５６７８"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "phone" in response.context["form"].errors
    assert not User.objects.filter(first_name="Baru").exists()


def test_one_time_passwords_get_the_light_hash_and_the_persons_own_the_default(world, client, settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "posyandu.akun.hashers.OneTimePasswordHasher",
    ]
    account, password = _create_kader(world.users["desa_a1"], world.posyandu_a)
    assert account.password.startswith("argon2_otp$")
    client.post(reverse("login"), {"username": account.username, "password": password})
    client.post(
        reverse("akun:password_set"), {"new_password1": "Kebun-Mangga-2026", "new_password2": "Kebun-Mangga-2026"}
    )
    account.refresh_from_db()
    assert account.password.startswith("argon2$")
