"""Every form in the app, fuzzed through its real URL with random and hostile input (Hypothesis).

For each URL of the scope table (``tests/test_scope_every_url.py``, which lists every URL), the page
is opened as an admin; every ``<form method="post">`` on it is posted with the names of its own
fields filled from strategies of hostile values: huge strings, control characters, HTML/script,
non-ASCII and apostrophes, wrong types, out-of-range numbers, dates in odd formats. The answer must
never be a server error; a re-rendered form must not have saved anything (no table changed), and any
text we sent must come back escaped, never as live HTML.
"""

import re

import pytest
from django.db import connection
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_scope_every_url import TABLE, _kwargs, bidang, cadres, health, people  # noqa: F401 - fixtures

FORM = re.compile(r'<form[^>]*method="post"[^>]*>(.*?)</form>', re.S | re.I)
ACTION = re.compile(r'<form[^>]*action="([^"]*)"', re.I)
FIELD = re.compile(r'<(?:input|select|textarea)[^>]*name="([^"]+)"', re.I)
SKIP_FIELDS = {"csrfmiddlewaretoken"}
# Logging out or changing the admin's password would end the session the fuzzer runs in.
SKIP_URLS = {"logout", "password_change", "login"}

SCRIPT = "<script>alert('x')</script>"
hostile_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "Zs", "Lo", "So"]), max_size=30),
    st.sampled_from([SCRIPT, "O'Brien", "Ṣiti Nur'aini", "' OR 1=1 --", '=HYPERLINK("x")', "x" * 5000, "\x00", ""]),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(
        [
            "8,5",
            "-1",
            "0",
            "500",
            "300,0",
            "1e309",
            "NaN",
            "2026-02-30",
            "31/12/2026",
            "9999-12-31",
            "0001-01-01",
            "2026-13-01",
            "kemarin",
            "73.05.01.2001",
            "7305011705230001",
        ]
    ),
)


def _table_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_live_tup FROM pg_stat_user_tables WHERE schemaname = 'public'"
        )  # cheap, but stale: recount the tables that matter exactly
        names = [row[0] for row in cursor.fetchall() if not row[0].startswith(("django_", "auth_", "axes_"))]
        counts = {}
        for name in names:
            cursor.execute(f'SELECT count(*) FROM "{name}"')  # noqa: S608 - names from the catalogue
            counts[name] = cursor.fetchone()[0]
    return counts


def _forms(client, url_name, kwargs):
    url = reverse(url_name, kwargs=kwargs)
    response = client.get(url)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    page = response.content.decode()
    forms = []
    for match in FORM.finditer(page):
        action = ACTION.search(match.group(0))
        target = action.group(1).replace("&amp;", "&") if action and action.group(1) else url
        if target.startswith(("http", "/akun/")):
            continue
        names = sorted({name for name in FIELD.findall(match.group(1)) if name not in SKIP_FIELDS})
        if names:
            forms.append((target, names))
    return forms


FORM_URLS = sorted(name for name, case in TABLE.items() if case.method == "get" and name not in SKIP_URLS)


@pytest.mark.parametrize("url_name", FORM_URLS)
def test_no_form_answers_hostile_input_with_an_error_or_a_partial_save(request, world, client, url_name):
    case = TABLE[url_name]
    client.force_login(world.users["admin"])
    kwargs = _kwargs(request, world, case.target) if case.target else {}
    forms = _forms(client, url_name, kwargs)
    if not forms:
        pytest.skip("no POST form on this page")

    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(data=st.data())
    def fuzz(data):
        for target, names in forms:
            payload = {name: data.draw(hostile_text, label=name) for name in names}
            before = _table_counts()
            response = client.post(target, payload)
            assert response.status_code < 500, (target, payload)
            if response.status_code == 200:  # re-rendered with messages: nothing may have been saved
                assert _table_counts() == before, (target, payload)
                assert SCRIPT not in response.content.decode(), (target, "unescaped HTML echoed")

    fuzz()


LOGIN_MESSAGES = (
    "Nama pengguna atau kata sandi salah",
    "Bidang ini tidak boleh kosong",
    "Nama pengguna paling panjang 150 karakter",
    "Nama pengguna berisi karakter yang tidak diizinkan",
    "Karakter null tidak diizinkan",
)


def test_the_login_form_answers_hostile_input_from_anyone_without_an_error(world, client):
    """Anonymous, before any session: the form every stranger can reach. Hostile usernames and
    passwords get the Indonesian message (or, after repeated failures, the lockout page), never a
    500, never a session, and never a change to any table but axes' own failure log."""
    url = reverse("login")
    usernames = st.one_of(hostile_text, st.sampled_from(["kader_a", "admin", "KADER_A", " kader_a ", "kader_a\x00"]))

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(username=usernames, password=hostile_text, extra=st.dictionaries(hostile_text, hostile_text, max_size=3))
    def fuzz(username, password, extra):
        client.logout()
        before = _table_counts()
        response = client.post(url, {**extra, "username": username, "password": password})
        assert response.status_code in (200, 403, 429), (username, password)
        assert "_auth_user_id" not in client.session, (username, password)
        assert _table_counts() == before
        page = response.content.decode()
        assert SCRIPT not in page
        if response.status_code == 200:  # the form again, with an Indonesian reason
            assert any(message in page for message in LOGIN_MESSAGES), (username, password)

    fuzz()
