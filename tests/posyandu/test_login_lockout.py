"""Login protection: repeated wrong passwords lock the username (django-axes), in Indonesian."""

from django.urls import reverse

from tests.conftest import PASSWORD


def _try(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


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
