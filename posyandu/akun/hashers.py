"""The hash of one-time passwords: Argon2id with a light cost.

A slow hash protects the passwords people choose, which are guessable. A one-time password is a random
secret of about 59 bits (``posyandu.akun.services.one_time_password``): even at a billion guesses a second an
offline attacker needs years per account, so it needs no key stretching, and creating 2,000 kader
accounts at once must not cost 2,000 full Argon2 hashes (about 0.25 s of a core each). It lives until
the first login, where Django rehashes it with the default hasher and the person replaces it anyway.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher, get_hasher, make_password


class OneTimePasswordHasher(Argon2PasswordHasher):
    algorithm = "argon2_otp"
    time_cost = 1
    # 256 KiB: about 1 ms a hash, so a sheet of 2,000 kader costs 2 s of hashing, not 20-80 s (8 MiB was
    # 10-40 ms on the 2-core machine). A 59-bit random secret gains nothing from memory hardness.
    memory_cost = 256  # KiB
    parallelism = 1


def one_time_password_hash(password: str) -> str:
    """The stored form of a one-time password: this hasher when configured (settings), else the default."""
    try:
        get_hasher(OneTimePasswordHasher.algorithm)
    except ValueError:
        return make_password(password)
    return make_password(password, hasher=OneTimePasswordHasher.algorithm)
