"""Login protection (django-axes, posyandu/login_protection.py): repeated wrong passwords lock a
username from one address, many from one address lock the address; never the real user elsewhere."""

import pytest
from django.test import Client
from django.urls import reverse

from posyandu.models import Pengurus
from tests.conftest import PASSWORD

STRANGER = "203.0.113.7"  # documentation addresses (RFC 5737)
HOME = "198.51.100.20"


def _try(client, username, password, address="127.0.0.1", **headers):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


def _lock(username, address=STRANGER, times=5):
    stranger = Client()
    for _ in range(times):
        response = _try(stranger, username, "tebak-tebak", address)
    return response


def test_five_wrong_passwords_lock_the_account_even_with_the_right_one_after(world, client, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for _ in range(4):
        response = _try(client, "kader_a", "salah-sekali")
        assert response.status_code == 200 and "Akun dikunci" not in response.content.decode()
    locked = _try(client, "kader_a", "salah-sekali")
    assert locked.status_code == 429 and "Akun dikunci sementara" in locked.content.decode()
    # the right password does not get in while locked
    again = _try(client, "kader_a", PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_another_user_on_the_same_network_can_still_log_in(world, client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        _try(client, "kader_a", "salah-sekali")
    response = _try(client, "pengurus_a", PASSWORD)
    assert response.status_code == 302


def test_a_successful_login_resets_the_count(world, client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    _try(client, "kader_a", "salah")
    _try(client, "kader_a", "salah")
    assert _try(client, "kader_a", PASSWORD).status_code == 302
    client.logout()
    _try(client, "kader_a", "salah")
    _try(client, "kader_a", "salah")
    assert _try(client, "kader_a", PASSWORD).status_code == 302


def test_passwords_are_stored_with_argon2_and_an_older_pbkdf2_one_still_logs_in_and_is_upgraded(
    world, client, settings
):
    from django.contrib.auth.hashers import make_password

    from config import settings as production

    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS  # not the tests' fast MD5
    user = world.users["kader_a"]
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")  # set before the switch to Argon2
    user.save(update_fields=["password"])
    assert _try(client, "kader_a", PASSWORD).status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    client.logout()
    assert _try(client, "kader_a", PASSWORD).status_code == 302
    client.logout()
    assert _try(client, "kader_a", "salah-sekali").status_code == 200


def test_a_stranger_elsewhere_cannot_lock_out_the_real_user(world, client, settings):
    """Five wrong passwords for the kabupaten account from somewhere else (before a deadline, say)
    lock that address out of it, not the kabupaten team at their own."""
    settings.AXES_FAILURE_LIMIT = 5
    locked = _lock("kabupaten")
    assert locked.status_code == 429
    assert _try(Client(), "kabupaten", PASSWORD, STRANGER).status_code == 429  # the stranger stays out
    assert _try(client, "kabupaten", PASSWORD, HOME).status_code == 302
    assert client.session["_auth_user_id"] == str(world.users["kabupaten"].pk)


def test_one_password_tried_on_many_usernames_from_one_address_locks_that_address(world, client, settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_IP_FAILURE_LIMIT = 6
    sprayer = Client()
    names = list(world.users)[:7]
    answers = [_try(sprayer, name, "posyandu123", STRANGER).status_code for name in names]
    assert answers == [200] * 5 + [429, 429]  # seven usernames, one try each
    page = _try(sprayer, "kader_a", PASSWORD, STRANGER)  # even the right password, from there
    assert page.status_code == 429 and "Dari jaringan ini" in page.content.decode()
    assert _try(client, "kader_a", PASSWORD, HOME).status_code == 302


def test_a_cadres_corrected_typos_do_not_add_up_against_the_village_address(world, settings):
    """A village behind one carrier address: each cadre who mistypes and then gets in clears their
    failures, so the looser lock of the address counts only failures nobody followed with a login."""
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_IP_FAILURE_LIMIT = 4
    for name in ("kader_a", "pengurus_a", "desa_a1"):
        phone = Client()
        assert _try(phone, name, "salah", STRANGER).status_code == 200
        assert _try(phone, name, "salah lagi", STRANGER).status_code == 200
        assert _try(phone, name, PASSWORD, STRANGER).status_code == 302


def test_behind_the_proxy_the_lock_follows_the_address_the_proxy_saw(world, client, settings):
    """Behind nginx every request comes from 127.0.0.1: the address is the last X-Forwarded-For entry
    (the one nginx adds); the entries before it are the client's own, and forging them changes nothing."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 3
    stranger = Client()
    for _ in range(3):  # the stranger claims to be at the real user's address
        _try(stranger, "kabupaten", "tebak", "127.0.0.1", HTTP_X_FORWARDED_FOR=f"{HOME}, {STRANGER}")
    assert _try(stranger, "kabupaten", PASSWORD, "127.0.0.1", HTTP_X_FORWARDED_FOR=STRANGER).status_code == 429
    assert _try(client, "kabupaten", PASSWORD, "127.0.0.1", HTTP_X_FORWARDED_FOR=HOME).status_code == 302


def _change(client, old, new="kata-sandi-baru-2026"):
    return client.post(reverse("password_change"), {"old_password": old, "new_password1": new, "new_password2": new})


def test_wrong_old_passwords_on_the_password_change_form_lock_like_a_login(world, login, settings):
    """Whoever finds a cadre's phone still logged in cannot guess the password on the change form."""
    settings.AXES_FAILURE_LIMIT = 5
    client = login(world.users["kader_a"])
    for _ in range(4):
        response = _change(client, "tebak-tebak")
        assert response.status_code == 200 and "Akun dikunci" not in response.content.decode()
    locked = _change(client, "tebak-tebak")
    assert locked.status_code == 429 and "Akun dikunci sementara" in locked.content.decode()
    assert "_auth_user_id" not in client.session  # the session is over
    assert _try(client, "kader_a", PASSWORD).status_code == 429  # and the login from here is locked
    user = world.users["kader_a"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_while_locked_out_the_right_old_password_changes_nothing(world, login, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        _try(Client(), "kader_a", "salah")  # from this address (127.0.0.1)
    client = login(world.users["kader_a"])  # a session from before the lock
    response = _change(client, PASSWORD)
    assert response.status_code == 429
    user = world.users["kader_a"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_right_old_password_still_changes_it(world, login):
    client = login(world.users["kader_a"])
    assert _change(client, "tebak").status_code == 200
    response = _change(client, PASSWORD)
    assert response.status_code == 302
    user = world.users["kader_a"]
    user.refresh_from_db()
    assert user.check_password("kata-sandi-baru-2026")


def _unlockers(page: str) -> str:
    return page.split("Yang dapat membukanya", 1)[1].split("Kembali ke halaman masuk", 1)[0]


def test_a_locked_out_kader_is_told_their_ketua_and_desa_operator_by_name(world, settings):
    settings.AXES_FAILURE_LIMIT = 3
    operator = world.users["desa_a1"]
    operator.first_name, operator.last_name = "Rahmawati", "Daeng Ngai"
    operator.save()
    text = _unlockers(_lock("kader_a", times=3).content.decode())
    assert "Ketua Posyandu Mawar" in text and "Ketua pengurus Posyandu Mawar" in text  # the ketua's name
    assert "Rahmawati Daeng Ngai" in text and "Operator desa Desa Lassang" in text
    assert "Mappakasunggu" not in text  # not the kecamatan team while the desa has people to ask


def test_a_posyandu_without_ketua_or_operator_names_the_next_team_up(world, settings):
    from posyandu import services

    settings.AXES_FAILURE_LIMIT = 3
    ketua = Pengurus.objects.get(posyandu=world.posyandu_b, position=Pengurus.Position.KETUA)
    services.pengurus_end_term(pengurus=ketua, ended_on=ketua.term_start)
    # desa B1 has no operator and kecamatan B no Tim Pembina account in the cast: the kabupaten team
    text = _unlockers(_lock("kader_b", times=3).content.decode())
    assert "<strong>kabupaten</strong> — Tim Pembina kabupaten Kabupaten Takalar" in text
    assert "Ketua" not in text


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("desa_a1", ("kecamatan_a", "Tim Pembina kecamatan Kec. Mappakasunggu")),
        ("kecamatan_a", ("kabupaten", "Tim Pembina kabupaten Kabupaten Takalar")),
        ("kabupaten", ("admin", "Admin")),
    ],
)
def test_a_locked_out_area_user_is_told_the_team_above_by_name(world, settings, username, expected):
    settings.AXES_FAILURE_LIMIT = 3
    text = _unlockers(_lock(username, times=3).content.decode())
    name, role = expected
    assert f"<strong>{name}</strong> — {role}" in text


def test_an_unknown_username_gets_the_lock_but_no_names(world, settings):
    settings.AXES_FAILURE_LIMIT = 3
    page = _lock("tidak_ada", times=3)
    assert page.status_code == 429
    text = page.content.decode()
    assert "Yang dapat membukanya" not in text and "ketua pengurus posyandu atau operator desa" in text
