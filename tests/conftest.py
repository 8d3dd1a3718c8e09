"""A small named cast: two kecamatan of Takalar and one posyandu of another kabupaten.

73.05 Takalar ─ 73.05.01 (kecamatan A) ─ 73.05.01.2001 desa A1: posyandu_a (kader_a, pengurus_a)
              │                       └ 73.05.01.2002 desa A2: posyandu_a2
              └ 73.05.02 (kecamatan B) ─ 73.05.02.2001 desa B1: posyandu_b (kader_b)
73.24 Luwu Timur ─ 73.24.01 ─ 73.24.01.2001: posyandu_x

Puskesmas Mappakasunggu (puskesmas_a, officer puskesmas_a) has desa A1 alone in its working area:
posyandu_a is inside it, posyandu_a2 (same kecamatan) and the others are not.
"""

import datetime
import os
import pickle
import zoneinfo
from dataclasses import dataclass

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.db import connections, transaction
from django.test import TransactionTestCase
from django.test.utils import override_settings

from laporan import rekap
from posyandu import dates, services
from posyandu.models import Pengurus, Posyandu, Puskesmas, PuskesmasPosition, Role, SpmField, User, Wilayah
from posyandu.puskesmas import services as puskesmas_services
from tests import databases, factories, migrating, snapshot
from tests.browser.fixtures import _allow_async_unsafe, browser, new_page, phone  # noqa: F401 - one Chromium for all

PASSWORD = factories.PASSWORD

# ---------------------------------------------------------------------------------------------
# The clock. ``posyandu.dates`` is the app's one clock; time-machine moves every clock under it
# (``timezone.now()``, ``auto_now`` fields, the audit history), so they always agree.
# ---------------------------------------------------------------------------------------------
TODAY_ENV = "POSYANDU_TEST_TODAY"
_session_travel: time_machine.travel | None = None


def clock_moment(value) -> datetime.datetime:
    """An aware moment from ``"2027-01-01"`` / a ``date`` (09:00 in the project's time zone, so the
    local and the UTC date agree) or an ISO datetime / ``datetime`` (naive: the project's time zone)."""
    zone = zoneinfo.ZoneInfo(django_settings.TIME_ZONE)
    if isinstance(value, str):
        value = (
            datetime.datetime.fromisoformat(value)
            if "T" in value or " " in value
            else datetime.date.fromisoformat(value)
        )
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time(9, 0))
    return value if value.tzinfo else value.replace(tzinfo=zone)


def pytest_configure(config):
    """``POSYANDU_TEST_TODAY=2027-01-01``: the whole session runs on that day, the clock ticking from
    there (``make test-dates`` runs the suite on 1 January 2027 and on 29 February 2028)."""
    global _session_travel
    if value := os.environ.get(TODAY_ENV):
        # A timestamp, not a zoned datetime: time-machine would otherwise also change the process TZ.
        _session_travel = time_machine.travel(clock_moment(value).timestamp(), tick=True)
        _session_travel.start()


def pytest_unconfigure(config):
    global _session_travel
    if _session_travel is not None:
        _session_travel.stop()
        _session_travel = None


def pytest_report_header(config):
    if os.environ.get(TODAY_ENV):
        return f"{TODAY_ENV}={os.environ[TODAY_ENV]}: the clock travelled to {dates.localtime():%Y-%m-%d %H:%M %Z}"
    return None


@pytest.fixture
def pinned_clock():
    """Pin the clock for one test: ``pinned_clock("2026-04-06")`` (or a date or datetime, see
    ``clock_moment``) puts ``posyandu.dates`` and every clock under it there, ticking on from that
    moment; call it again to move on. Returns the moment. Tests read the clock only through
    ``posyandu.dates`` or this fixture (``tests/test_one_clock.py``)."""
    state: dict = {}

    def pin(value) -> datetime.datetime:
        moment = clock_moment(value)
        if "coordinates" in state:
            state["coordinates"].move_to(moment.timestamp())
        else:
            state["travel"] = time_machine.travel(moment.timestamp(), tick=True)
            state["coordinates"] = state["travel"].start()
        return moment

    yield pin
    if "travel" in state:
        state["travel"].stop()


# ---------------------------------------------------------------------------------------------
# The test databases: in a parallel run the first worker migrates, the others copy its database
# (tests/databases.py); a run in one process migrates its database as pytest-django would.
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def django_db_setup(
    request, django_test_environment, django_db_blocker, django_db_modify_db_settings, tmp_path_factory, worker_id
):
    from django.test.utils import setup_databases, teardown_databases

    verbosity = request.config.option.verbose
    if worker_id == "master":
        with django_db_blocker.unblock():
            # serialized_aliases: no test uses serialized_rollback (Django would otherwise dump every table)
            made = setup_databases(
                verbosity=verbosity, interactive=False, aliases={"default"}, serialized_aliases=set()
            )
        yield
        with django_db_blocker.unblock():
            teardown_databases(made, verbosity=verbosity)
        return
    shared = {
        "run_id": request.config.workerinput["testrunuid"],
        "lock_path": tmp_path_factory.getbasetemp().parent / "test-databases.lock",
        "verbosity": verbosity,
    }
    with django_db_blocker.unblock():
        old_name = databases.setup_worker(**shared)
    yield
    with django_db_blocker.unblock():
        databases.teardown_worker(old_name=old_name, **shared)


# ---------------------------------------------------------------------------------------------
# The wipe after a transactional test (browser tests, threads). Django's flush TRUNCATEs every table
# (about half a second: PostgreSQL makes new files for each table and index) and then recreates the
# content types and permissions through post_migrate; a DELETE of the few rows such a test wrote costs
# a hundredth of that. Content types, permissions and the month lock's triggers are what migrate made
# and stay (the triggers and foreign keys are off for the wipe: session_replication_role, as superuser);
# the rows the data migrations wrote (the kader competencies, ...) are read once before any test and put
# back, so a test never depends on whether a transactional test ran before it in its worker.
# ---------------------------------------------------------------------------------------------
_KEPT_BY_THE_WIPE = {"django_content_type", "auth_permission"}
_migrations_data: list[snapshot.Snapshot] = []


def _wiped_tables(connection) -> list[str]:
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    return sorted(set(tables) - _KEPT_BY_THE_WIPE)


@pytest.fixture(scope="session", autouse=True)
def _rows_of_the_migrations(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _migrations_data.append(snapshot.of_tables(_wiped_tables(connections["default"])))
    yield
    # Before the test database is dropped: a connection a browser test's server thread left open would
    # keep it ("being accessed by other users"), and the database would stay behind.
    with django_db_blocker.unblock(), connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


def _wipe_tables(self):
    for alias in self._databases_names(include_mirrors=False):
        connection = connections[alias]
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            for table in _wiped_tables(connection):
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608 - catalogue names
            for data in _migrations_data:
                data.restore()


TransactionTestCase._fixture_teardown = _wipe_tables  # TestCase keeps its own (a rollback)


@pytest.fixture
def migrate_to(transactional_db):
    """``migrate_to([(app, migration), ...])`` moves the test database there and returns that state's
    models; after the test the database is at the latest migrations again (``tests/migrating.py``)."""
    yield migrating.migrate
    migrating.migrate_to_latest()


@dataclass
class World:
    kabupaten: Wilayah
    kecamatan_a: Wilayah
    kecamatan_b: Wilayah
    desa_a1: Wilayah
    desa_a2: Wilayah
    desa_b1: Wilayah
    posyandu_a: Posyandu
    posyandu_a2: Posyandu
    posyandu_b: Posyandu
    posyandu_x: Posyandu
    users: dict[str, User]
    puskesmas_a: Puskesmas
    pengurus_a: Pengurus
    pengurus_b: Pengurus
    pengurus_x: Pengurus


def _user(username, role, **scope):
    return services.user_create(username=username, password=PASSWORD, role=role, first_name=username, **scope)


def _build_world() -> World:
    kabupaten = factories.area("73.05", "Kabupaten Takalar")
    kecamatan_a = factories.area("73.05.01", "Mappakasunggu")
    kecamatan_b = factories.area("73.05.02", "Mangarabombang")
    desa_a1 = factories.area("73.05.01.2001", "Lassang")
    desa_a2 = factories.area("73.05.01.2002", "Bontoa")
    desa_b1 = factories.area("73.05.02.2001", "Punaga")
    desa_x = factories.area("73.24.01.2001", "Desa di Luwu Timur")
    posyandu_a = factories.posyandu(desa=desa_a1, name="Posyandu Mawar", registration_number="73.05.01.2001.001")
    posyandu_a2 = factories.posyandu(desa=desa_a2, name="Posyandu Melati")
    posyandu_b = factories.posyandu(desa=desa_b1, name="Posyandu Anggrek")
    posyandu_x = factories.posyandu(desa=desa_x, name="Posyandu Kenanga")
    pengurus = {
        p.pk: services.pengurus_appoint(
            posyandu=p,
            position=Pengurus.Position.KETUA,
            name=f"Ketua {p.name}",
            term_start=datetime.date(2025, 1, 1),
        )
        for p in (posyandu_a, posyandu_b, posyandu_x)
    }
    puskesmas_a = puskesmas_services.puskesmas_create(
        code="P7305010101", name="Puskesmas Mappakasunggu", kabupaten=kabupaten
    )
    puskesmas_services.wilayah_kerja_assign(puskesmas=puskesmas_a, desa=desa_a1, since=datetime.date(2020, 1, 1))
    users = {
        "kader_a": _user("kader_a", Role.KADER, posyandu=posyandu_a, field=SpmField.KESEHATAN),
        "kader_b": _user("kader_b", Role.KADER, posyandu=posyandu_b, field=SpmField.SOSIAL),
        "pengurus_a": _user("pengurus_a", Role.PENGURUS, posyandu=posyandu_a),
        "desa_a1": _user("desa_a1", Role.OPERATOR_DESA, wilayah=desa_a1),
        "kecamatan_a": _user("kecamatan_a", Role.PEMBINA_KECAMATAN, wilayah=kecamatan_a),
        "kabupaten": _user("kabupaten", Role.PEMBINA_KABUPATEN, wilayah=kabupaten),
        "admin": _user("admin", Role.ADMIN),
        "puskesmas_a": _user("puskesmas_a", Role.PUSKESMAS, puskesmas=puskesmas_a, position=PuskesmasPosition.BIDAN),
    }
    return World(
        kabupaten=kabupaten,
        kecamatan_a=kecamatan_a,
        kecamatan_b=kecamatan_b,
        desa_a1=desa_a1,
        desa_a2=desa_a2,
        desa_b1=desa_b1,
        posyandu_a=posyandu_a,
        posyandu_a2=posyandu_a2,
        posyandu_b=posyandu_b,
        posyandu_x=posyandu_x,
        users=users,
        puskesmas_a=puskesmas_a,
        pengurus_a=pengurus[posyandu_a.pk],
        pengurus_b=pengurus[posyandu_b.pk],
        pengurus_x=pengurus[posyandu_x.pk],
    )


@pytest.fixture(scope="session")
def _world_snapshot(django_db_setup, django_db_blocker) -> snapshot.Snapshot:
    """The cast, built once per session (per xdist worker) through the real services; without the
    rollup's marks (as a test would build it: ``_monthly_rollup_where_it_is_tested``), so that the
    cast's rollup below is taken on top of it by adding rows only."""
    with override_settings(LAPORAN_REKAP=False):
        return snapshot.for_session(django_db_blocker, _build_world)


@pytest.fixture
def world(request, db, _world_snapshot) -> World:
    """The cast in this test's database: the session's rows copied in (``tests/snapshot.py``), as
    fresh objects each test may change. In a sweep module (``SWEEP_ROWS``) the rows are already there."""
    if SWEEP_ROWS in request.fixturenames:
        return request.getfixturevalue(SWEEP_ROWS).copy("world")
    return _world_snapshot.restore()


# The sweeps over every page (tests/test_scope_every_url.py, tests/test_fuzz_forms.py: about 1,900 tests)
# name this module-scoped fixture in their ``pytestmark``: it copies the cast, its rollup and the scope
# table's targets in once per module, in a transaction left open until the module ends (then rolled back).
# Each test runs inside it in a savepoint of its own (pytest-django's ``db``, as always), so it starts
# from the same rows as if they had been copied in for it alone, and what it writes is gone after it.
SWEEP_ROWS = "_sweep_rows"


class SweepRows:
    """What a sweep module copied in once: its objects (``world``, ``targets``, ``opd_cast``), handed to
    each test as fresh objects (unpickled: a tenth of a deep copy's time), and a signed-in session per
    user of the cast (``login``), made as ``force_login`` makes one, so that a test of a sweep signs in
    by setting its cookie (a login writes the session, the last login and axes' records: 7 ms, for
    each of ~3,000 requests of the sweeps)."""

    def __init__(self, **objects):
        self._pickled = {name: pickle.dumps(value, pickle.HIGHEST_PROTOCOL) for name, value in objects.items()}
        self.sessions: dict[int, str] = {}

    def copy(self, name: str):
        return pickle.loads(self._pickled[name])  # noqa: S301 - our own objects, pickled above

    def sign_in(self, *users) -> None:
        """A session for each user, valid whatever day a test pins the clock to."""
        for user in users:
            key = factories.session_key(user)
            Session.objects.filter(session_key=key).update(expire_date=_SESSIONS_LAST)
            self.sessions[user.pk] = key


_SESSIONS_LAST = datetime.datetime(2999, 12, 31, tzinfo=datetime.UTC)


# The sweeps over every page (scope, hostile input) ask each report page many times, as several roles. Read
# live, a dashboard of the cast costs 0.3–0.5 s (139 queries: the trend and the strata month by month, each
# source's query built once); read from the maintained rollup, as production reads it, a fraction of
# that. The cast's rollup of the last 24 months is computed once per session and copied in like the cast;
# what a test then writes marks its posyandu and is computed again on the next read, as in production.
# tests/laporan/test_rekap.py proves the rollup equal to the live figures.
ROLLUP_MONTHS = 24


@pytest.fixture(scope="session")
def _world_rollup_snapshot(_world_snapshot, django_db_blocker) -> snapshot.Snapshot:
    def build(_world):
        this_month = dates.this_month()
        with override_settings(LAPORAN_REKAP=True):
            rekap.refresh(dates.add_months(this_month, -back) for back in range(ROLLUP_MONTHS))

    return snapshot.for_session(django_db_blocker, build, _world_snapshot)


@pytest.fixture
def figures_from_the_rollup(request, world, _world_rollup_snapshot, settings):
    """The report pages read the cast's figures from the monthly rollup (see ``ROLLUP_MONTHS``). Rows a
    snapshot adds after the cast (the scope sweep's targets) are not in those figures: the sweeps assert
    who may open a page and that no input breaks it, not its numbers."""
    if SWEEP_ROWS not in request.fixturenames:  # a sweep module holds them already
        _world_rollup_snapshot.restore()
    settings.LAPORAN_REKAP = True


@pytest.fixture
def bidang_kader(world):
    """A kader of each of the five other fields at posyandu A (kader_a is of kesehatan)."""
    return {
        field: services.user_create(
            username=f"kader_{field}",
            password=PASSWORD,
            role=Role.KADER,
            posyandu=world.posyandu_a,
            field=field,
            first_name=f"Kader {field}",
        )
        for field in (
            SpmField.PENDIDIKAN,
            SpmField.SOSIAL,
            SpmField.PERUMAHAN_RAKYAT,
            SpmField.PEKERJAAN_UMUM,
            SpmField.TRANTIBUM_LINMAS,
        )
    }


@pytest.fixture
def pdf_layout_skipped(monkeypatch):
    """For the sweeps over every page (scope, hostile input): a PDF page still renders its template from
    the request, but WeasyPrint's layout of the result (about a second a page, the same whatever the
    request) is skipped. The PDFs themselves are laid out and looked at in their own tests. The answer
    carries the document's text after its first line, for a test that counts what the page would show."""
    monkeypatch.setattr(
        "weasyprint.HTML.write_pdf",
        lambda self, *args, **kwargs: b"%PDF-1.7 sweep\n" + "".join(self.etree_element.itertext()).encode(),
    )


@pytest.fixture
def login(request, client):
    """Log the test client in as a user of the cast: ``login(world.users["kader_a"])``; in a sweep module
    with the session made for the module (``SweepRows.sign_in``)."""
    sessions = request.getfixturevalue(SWEEP_ROWS).sessions if SWEEP_ROWS in request.fixturenames else {}

    def _login(user):
        if user.pk in sessions:
            client.cookies[django_settings.SESSION_COOKIE_NAME] = sessions[user.pk]
        else:
            client.force_login(user)
        return client

    return _login


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing costs ~0.3 s per user.
    settings.PASSWORD_HASHERS = snapshot.FAST_PASSWORD_HASHERS


@pytest.fixture(autouse=True)
def _monthly_rollup_where_it_is_tested(request, settings):
    """The dashboards' tests (marked ``rekap``) read the maintained monthly rollup as production
    does; ``tests/laporan/test_rekap.py`` proves it equal to the live computation for every measure.
    Elsewhere the live path answers: a fresh test database would otherwise compute a year of the
    rollup on its first dashboard (about a second per test)."""
    if request.node.get_closest_marker("rekap") is None:
        settings.LAPORAN_REKAP = False


@dataclass
class OpdCast:
    """The OPD pengampu of the cast: Dinas Sosial and Dukcapil of Takalar (both serve sosial), Dinas Sosial
    of Luwu Timur, and an officer of Takalar's Dinas Sosial (``officer``) and of Dukcapil (``other``)."""

    dinsos: object
    dukcapil: object
    dinsos_x: object
    officer: User
    other: User


@pytest.fixture
def opd_cast(request, world) -> OpdCast:
    if SWEEP_ROWS in request.fixturenames:
        return request.getfixturevalue(SWEEP_ROWS).copy("opd_cast")
    return build_opd_cast(world)


def build_opd_cast(world) -> OpdCast:
    from posyandu.models import Opd

    luwu_timur = Wilayah.objects.get(code="73.24")
    dinsos = Opd.objects.create(kabupaten=world.kabupaten, name="Dinas Sosial", short_name="Dinsos", fields=["sosial"])
    dukcapil = Opd.objects.create(kabupaten=world.kabupaten, name="Dukcapil", short_name="Dukcapil", fields=["sosial"])
    dinsos_x = Opd.objects.create(kabupaten=luwu_timur, name="Dinas Sosial", short_name="Dinsos", fields=["sosial"])
    officer = _user("opd_sosial", Role.OPD, opd=dinsos, wilayah=world.kabupaten)
    other = _user("opd_dukcapil", Role.OPD, opd=dukcapil, wilayah=world.kabupaten)
    return OpdCast(dinsos=dinsos, dukcapil=dukcapil, dinsos_x=dinsos_x, officer=officer, other=other)
