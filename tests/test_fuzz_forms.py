"""Every form in the app, fuzzed through its real URL with random and hostile input (Hypothesis).

For each URL of the scope table (``tests/test_scope_every_url.py``, which lists every URL), the page
is opened as an admin; every ``<form method="post">`` on it is posted with the names of its own
fields filled from strategies of hostile values: huge strings, control characters, HTML/script,
non-ASCII and apostrophes, wrong types, out-of-range numbers, dates in odd formats. The answer must
never be a server error; a re-rendered form must not have saved anything (no table changed), and any
text we sent must come back escaped, never as live HTML. A page that errors fails its case; only
the pages listed as having no form (``NO_POST_FORM``) have none, and they must still answer.

Every query parameter is swept too: for every GET URL, as every role that may open it, each
parameter the page reads (``QUERY_PARAMS``, kept complete by ``test_every_query_parameter_is_swept``
and by the page's own GET forms) gets a small set of hostile values. The answer is never a server
error, and a GET never writes.
"""

import functools
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SWEEP_ROWS
from tests.test_scope_every_url import (  # noqa: F401 - fixtures
    ROLES,
    TABLE,
    _kwargs,
    _sweep_rows,
    _targets,
    _targets_snapshot,
    bidang,
    cadres,
    health,
    people,
    rakor_rows,
)

# The cast, its rollup and the scope table's targets: copied in once for the module (tests/conftest.py).
pytestmark = pytest.mark.usefixtures(SWEEP_ROWS)

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
            "9999-12",
            "0001-01",
            "9999-T4",
            "٢٠٢٦-٠٣-٢١",
            "７３０５０１１７０５２３０００１",
            "٧٣.٠٥.٠١.٢٠٠١.٠٠١",
            "99999999999999999999",
        ]
    ),
)


def _table_counts() -> dict[str, int]:
    """Every table's exact row count (but Django's, auth's and axes' own), in one query: the sweeps
    count about 1,400 times (one query per table was 30 s of this module's 260 s under cProfile)."""
    with connection.cursor() as cursor:
        cursor.execute(_count_query())
        return dict(cursor.fetchall())


@functools.cache
def _count_query() -> str:
    """The counting query, made once per process: the tables are migrate's, the same for the whole run
    (reading the catalogue and passing 71 names as parameters were 40 % of each count)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_stat_user_tables WHERE schemaname = 'public' ORDER BY relname")
        names = [row[0] for row in cursor.fetchall() if not row[0].startswith(("django_", "auth_", "axes_"))]
    return " UNION ALL ".join(
        f"SELECT '{name}', count(*) FROM {connection.ops.quote_name(name)}"  # noqa: S608 - names from the catalogue
        for name in names
    )


def test_the_table_counts_see_a_row_written_and_only_then(world):
    before = _table_counts()
    assert before["posyandu_posyandu"] == 4 and _table_counts() == before
    world.posyandu_a.pk = None
    world.posyandu_a.registration_number, world.posyandu_a.name = "73.05.01.2001.099", "Posyandu Baru"
    world.posyandu_a.save()
    after = _table_counts()
    assert after["posyandu_posyandu"] == 5 and after != before


def _forms(response, url):
    """The POST forms of a page: (where each posts to, the names of its fields)."""
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
# Pages that show no POST form of their own (lists, reports, files). Every other page must show one:
# a page that errors or loses its form fails, it is never skipped.
NO_POST_FORM = {
    "akun:account_detail",  # its buttons post no fields (deactivate, reset, unlock): nothing to fuzz
    "akun:account_list",
    "akun:account_log",
    "akun:kader_import_template",
    "akun:password_set",  # no one-time password in the session: a redirect
    "akun:slips_pdf",  # nothing kept to print: a redirect
    "bidang:dokumen_download",
    "bidang:home",
    "bidang:kegiatan_list",
    "bidang:kejadian_detail",
    "bidang:kejadian_list",
    "bidang:keluarga_survei",
    "bidang:pendidikan_list",
    "bidang:permintaan_list",
    "format:eppgbm_export",
    "format:posyandu",  # links and a GET form (the month); the import has a page of its own
    "format:rekap_puskesmas_excel",
    "format:rekap_puskesmas_pdf",
    "format:sip_excel",
    "format:sip_pdf",
    "kader:coverage",
    "kader:kader_detail",
    "kader:kader_list",
    "kader:pelatihan_detail",
    "kader:pelatihan_list",
    "kader:peserta_template",
    "kader:roster",
    "laporan:dashboard",
    "laporan:peta_json",  # the dashboard map's JSON
    "laporan:excel_indikator",
    "laporan:excel_kader",
    "laporan:excel_kelengkapan",
    "laporan:excel_keluarga",
    "laporan:excel_warga",
    "laporan:kader_rekap",
    "laporan:kader_sertifikat",
    "laporan:kelengkapan",
    "laporan:laporan_pdf",
    "laporan:lembar_hari_buka",
    "laporan:rakor_list",
    "laporan:rakor_pdf",
    "laporan:riwayat",
    "laporan:warga_data",
    "layanan:haribuka_detail",
    "layanan:haribuka_list",
    "layanan:imunisasi_overdue",
    "layanan:kunjungan_result",
    "layanan:rujukan_list",
    "layanan:warga_health",
    "layanan_offline:app",  # the phone's entry page: its forms post through the outbox (JSON), not a form
    "layanan_offline:day_data",
    "layanan_offline:session",
    "layanan_offline:who_tables",
    "password_change_done",
    "posyandu:home",
    "posyandu:keluarga_detail",
    "posyandu:keluarga_list",
    "posyandu:list",
    "posyandu:opd_list",  # a table with links: the forms are on their own pages
    "posyandu:puskesmas_list",
    "posyandu:warga_detail",
    "posyandu:warga_search",
    "service_worker",
}


# Pages whose POST form shows once a query chooses what it is for (an area user picks the posyandu).
FORM_QUERY = {
    "posyandu:warga_create": lambda world: {"posyandu": world.posyandu_a.pk},
    "kader:peserta_add": lambda world: {"posyandu": world.posyandu_a.pk},
}


def test_the_pages_without_a_form_are_pages_of_the_table():
    assert set(FORM_URLS) >= NO_POST_FORM
    assert set(FORM_URLS) - NO_POST_FORM >= set(FORM_QUERY)


@pytest.mark.parametrize("url_name", FORM_URLS)
def test_no_form_answers_hostile_input_with_an_error_or_a_partial_save(
    request, world, figures_from_the_rollup, login, url_name
):
    case = TABLE[url_name]
    client = login(world.users["admin"])
    kwargs = _kwargs(request, world, case.target) if case.target else {}
    url = reverse(url_name, kwargs=kwargs)
    if url_name in FORM_QUERY:
        url += "?" + urlencode(FORM_QUERY[url_name](world))
    response = client.get(url)
    assert response.status_code == case.inside["admin"], (url_name, response.status_code)
    if url_name not in QUERY_PARAMS:  # a page that reads no query parameter: no GET form, and it ignores them
        assert not _get_form_fields(response), f"{url_name} has a GET form: add its fields to QUERY_PARAMS"
        stray = client.get(url, {"periode": "9999-12", "page": "\x00", "tahun": "99999999999999999999"})
        assert stray.status_code < 500, (url_name, "query parameters it does not read")
    forms = _forms(response, url)
    if url_name in NO_POST_FORM:
        assert not forms, f"{url_name} shows a POST form now: take it out of NO_POST_FORM"
        return
    assert forms, f"{url_name} shows no POST form (an error page?)"

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
        # 400: a body Django refuses to read (a field name of thousands of characters), with our page
        assert response.status_code in (200, 400, 403, 429), (username, password)
        if response.status_code == 400:
            assert "Permintaan tidak dapat dibaca" in response.content.decode()
        assert "_auth_user_id" not in client.session, (username, password)
        assert _table_counts() == before
        page = response.content.decode()
        assert SCRIPT not in page
        if response.status_code == 200:  # the form again, with an Indonesian reason
            assert any(message in page for message in LOGIN_MESSAGES), (username, password)

    fuzz()


def test_a_body_django_refuses_to_read_gets_a_clear_indonesian_page(world, client):
    """A multipart field name of 5,000 characters exceeds Django's header limit: 400, our page, no 500."""
    response = client.post(reverse("login"), {"a" * 5000: "b", "username": "kader_a", "password": "x"})
    assert response.status_code == 400
    assert "Permintaan tidak dapat dibaca" in response.content.decode()


# ---------------------------------------------------------------------------------------------
# Query parameters
# ---------------------------------------------------------------------------------------------
# What each page reads from its query string: request.GET in the views and the forms bound to it.
PAGE = ("page",)
REPORT = ("wilayah", "periode", "bidang")
KADER_FILTERS = ("q", "kecamatan", "field", "level", "status")
COVERAGE_FILTERS = ("kecamatan", "field", "year")
QUERY_PARAMS: dict[str, tuple[str, ...]] = {
    "akun:account_list": ("q", *PAGE),
    "akun:account_log": PAGE,
    "posyandu:list": ("q", "wilayah", "kecamatan", "desa", "status", *PAGE),
    "posyandu:pengurus_create": ("position", "field"),
    "posyandu:warga_list": ("q", "life_stage", "status", "posyandu", *PAGE),
    "posyandu:warga_create": ("keluarga", "posyandu"),
    "posyandu:warga_search": ("warga", "mother_name", "mother"),
    "posyandu:keluarga_list": ("q", "posyandu", *PAGE),
    "layanan:haribuka_list": PAGE,
    "layanan:rujukan_list": ("semua", *PAGE),
    "layanan:imunisasi_overdue": ("posyandu", *PAGE),
    "bidang:home": ("bidang",),
    "bidang:pendidikan_list": ("tampil", *PAGE),
    "bidang:kegiatan_list": ("bidang", *PAGE),
    "bidang:kejadian_list": PAGE,
    "bidang:permintaan_list": ("field", "status", "terlambat", *PAGE),
    "bidang:permintaan_create": ("keluarga",),
    "kader:kader_list": (*KADER_FILTERS, *PAGE),
    "kader:kader_create": ("posyandu",),
    "kader:pelatihan_list": ("tahun", *PAGE),
    "kader:peserta_add": ("posyandu", "kecamatan", "field"),
    "kader:coverage": COVERAGE_FILTERS,
    "laporan:dashboard": (*REPORT, "urut", "peta", "puskesmas"),
    "laporan:peta_json": (*REPORT, "indikator", "puskesmas"),
    "laporan:kelengkapan": (*REPORT, "status"),
    "laporan:riwayat": (*REPORT, "jenis"),
    "laporan:pengaturan": ("wilayah",),
    "laporan:rakor_pdf": (*REPORT, "puskesmas"),
    "laporan:rakor_list": ("wilayah", "terlambat", "untuk_saya"),
    "laporan:excel_indikator": REPORT,
    "laporan:excel_kelengkapan": (*REPORT, "status"),
    "laporan:excel_kader": KADER_FILTERS,
    "laporan:kader_rekap": COVERAGE_FILTERS,
    "format:posyandu": ("bulan", "posyandu"),
    "format:eppgbm_export": ("posyandu", "puskesmas", "wilayah", "bulan"),
    "format:rekap_puskesmas_pdf": ("puskesmas", "wilayah", "bulan"),
    "format:rekap_puskesmas_excel": ("puskesmas", "wilayah", "bulan"),
    "format:sip_pdf": ("tahun", "buku"),
    "format:sip_excel": ("tahun", "buku"),
}
# A small representative set per parameter: every parameter gets a NUL, a huge number, non-ASCII
# digits (fullwidth and Arabic-Indic) and markup in a very long string; the period parameters also
# get periods outside the years held and one in fullwidth digits.
SCRIPT_FRAGMENT = "'<script>"
HOSTILE_QUERY_VALUES = ("\x00", "99999999999999999999", "７٧٣.٠٥", SCRIPT_FRAGMENT + "x" * 3000)
HOSTILE_PERIODS = ("9999-12", "0001-01", "9999-T4", "２０２６-０３")
PERIOD_PARAMS = {"periode", "tahun", "year", "bulan"}
FILES = {
    name
    for name in QUERY_PARAMS
    if name.startswith(("laporan:excel_", "laporan:rakor", "laporan:kader_rekap", "format:eppgbm_export", "format:sip_",
                        "format:rekap_puskesmas"))
}  # fmt: skip


def _hostile_values(name: str) -> tuple[str, ...]:
    return HOSTILE_QUERY_VALUES + (HOSTILE_PERIODS if name in PERIOD_PARAMS else ())


GET_FORM = re.compile(r'<form[^>]*method="get"[^>]*>(.*?)</form>', re.S | re.I)
APP_SOURCES = ("posyandu", "layanan", "kader", "laporan")
GET_READ = re.compile(r"""request\.GET(?:\.get\(|\[)\s*["']([^"']+)["']|["']([^"']+)["']\s+in\s+request\.GET""")


def _get_form_fields(response) -> set[str]:
    if "html" not in response.get("Content-Type", ""):
        return set()
    page = response.content.decode()
    return {name for form in GET_FORM.findall(page) for name in FIELD.findall(form)}


def test_every_query_parameter_is_swept():
    """Each name a view reads from request.GET is in QUERY_PARAMS (the forms' names are checked on
    their pages, by the sweep), and every URL there is a GET page of the scope table."""
    root = Path(__file__).resolve().parent.parent
    read = set()
    for app in APP_SOURCES:
        for path in (root / app).rglob("*.py"):
            read |= {a or b for a, b in GET_READ.findall(path.read_text())}
    swept = {name for names in QUERY_PARAMS.values() for name in names}
    assert read - swept == set(), "parameters read from request.GET but never swept"
    assert {name for name in QUERY_PARAMS if TABLE[name].method != "get"} == set()


def _openers(case) -> list[str]:
    """The roles that may open the page, the broadest first (admin sees every filter field)."""
    return sorted((role for role in ROLES if case.inside.get(role) == 200), key=lambda role: role != "admin")


@pytest.mark.parametrize("url_name", sorted(QUERY_PARAMS))
def test_no_query_parameter_answers_hostile_input_with_an_error(
    request, world, figures_from_the_rollup, login, pdf_layout_skipped, url_name
):
    """The broadest role sends every hostile value in every parameter; each other role that may open
    the page sends every parameter once, the values taken in turn (so each value reaches each role
    across the parameters), which keeps the sweep of every page and role under a minute."""
    case = TABLE[url_name]
    url = reverse(url_name, kwargs=_kwargs(request, world, case.target) if case.target else {})
    params = QUERY_PARAMS[url_name]
    before = _table_counts()
    failures = []
    broadest, *others = _openers(case)
    client = login(world.users[broadest])
    if url_name not in FILES:  # a page: its GET forms send only parameters swept here
        plain = client.get(url)
        assert plain.status_code == 200, (url_name, broadest)
        unswept = _get_form_fields(plain) - set(params)
        assert not unswept, f"{url_name}: the page's GET form sends {sorted(unswept)}, add them to QUERY_PARAMS"
    sends = [(broadest, name, value) for name in params for value in _hostile_values(name)]
    for turn, role in enumerate(others):
        for index, name in enumerate(params):
            values = _hostile_values(name)
            sends.append((role, name, values[(turn + index) % len(values)]))
    for role, name, value in sends:
        login(world.users[role])
        response = client.get(url, {name: value})
        if response.status_code >= 500:
            failures.append((role, name, value[:20]))
        elif response.status_code == 200 and "html" in response.get("Content-Type", ""):
            assert SCRIPT_FRAGMENT not in response.content.decode(), (role, name, "unescaped")
    assert not failures, f"{url_name}: server errors for {failures}"
    assert _table_counts() == before, f"{url_name}: a GET wrote to the database"


MONTH_PAGES = ("laporan:laporan_posyandu", "laporan:laporan_pdf")
HOSTILE_MONTHS = ("9999-12", "0001-01", "9999-T4", "1999-12", "2026-00", "２０２６-０３", "٢٠٢٦-٠٣", "x" * 300)


@pytest.mark.parametrize("url_name", MONTH_PAGES)
def test_a_report_month_outside_the_years_held_is_not_found(request, world, login, url_name):
    """The month in a report's URL is parsed by the same bounded parser: 404, never a 500."""
    client = login(world.users["admin"])
    kwargs = _kwargs(request, world, "posyandu_month")
    for month in HOSTILE_MONTHS:
        response = client.get(reverse(url_name, kwargs={**kwargs, "month": month}))
        assert response.status_code == 404, (month, response.status_code)
