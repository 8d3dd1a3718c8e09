"""Every URL of the app, as every role, with an object inside and one outside the user's scope.

The table below must name every URL pattern; adding a URL without an entry fails
``test_every_url_pattern_has_a_scope_entry``. Inside the scope a role gets the status in ``inside``;
outside it always gets 404 (the object's existence is not revealed). A PDF page renders its template but is
not laid out by WeasyPrint here (``pdf_layout_skipped``): scope is decided before that.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.db import transaction
from django.test.utils import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import factories, snapshot
from tests.conftest import SWEEP_ROWS, SweepRows, build_opd_cast

# The cast, its rollup and the target objects are copied in once for the module (``_sweep_rows``), before
# any test's own transaction.
pytestmark = pytest.mark.usefixtures(SWEEP_ROWS, "pdf_layout_skipped")

ROLES = ["kader_a", "pengurus_a", "desa_a1", "kecamatan_a", "kabupaten", "admin", "puskesmas_a"]
MANAGERS = {"desa_a1": 200, "kecamatan_a": 200, "kabupaten": 200, "admin": 200}
READ_ONLY = {"kader_a": 403, "pengurus_a": 403}
# The people register (warga, keluarga): kept by kader, pengurus, operator desa and admin; Tim Pembina read.
PEOPLE_KEEPERS = {"kader_a": 200, "pengurus_a": 200, "desa_a1": 200, "admin": 200}
PEMBINA = {"kecamatan_a": 403, "kabupaten": 403}
# Health records: kader of the health field, pengurus, operator desa, admin.
HEALTH_WRITERS = PEOPLE_KEEPERS
# The five other fields' records: their kader (kader_a is of kesehatan, so not), pengurus, operator desa, admin.
BIDANG_WRITERS = {**PEOPLE_KEEPERS, "kader_a": 403}
# The kader register: kept by pengurus and the desa operator (and admin); assessments also by Tim Pembina.
KADER_KEEPERS = {"kader_a": 403, "pengurus_a": 200, "desa_a1": 200, "kecamatan_a": 403, "kabupaten": 403, "admin": 200}

# Per role: an object inside its scope and one outside (admin sees everything: no outside).
OUTSIDE_POSYANDU = {
    "kader_a": "posyandu_b",
    "pengurus_a": "posyandu_a2",
    "desa_a1": "posyandu_a2",
    "kecamatan_a": "posyandu_b",
    "kabupaten": "posyandu_x",
    "puskesmas_a": "posyandu_a2",  # same kecamatan, outside Puskesmas A's working area (desa A1 only)
}
OUTSIDE_PENGURUS = {
    "kader_a": "pengurus_b",
    "pengurus_a": "pengurus_b",
    "desa_a1": "pengurus_b",
    "kecamatan_a": "pengurus_b",
    "kabupaten": "pengurus_x",
    "puskesmas_a": "pengurus_b",
}


@dataclass
class Case:
    inside: dict[str, int]  # role -> expected status for an object inside the scope
    # The object(s) the URL takes: "posyandu" / "pengurus" / "warga" / "keluarga" / "hari_buka" /
    # "kunjungan" / "rujukan" / "kehamilan" / "kader" / "pelatihan" (its pk), "entry" (hari buka +
    # warga), "warga_pk".
    target: str | None = None
    method: str = "get"
    data: dict = field(default_factory=dict)
    # Signed out: sent to the login page (302), or for a script's JSON endpoint a 401 JSON answer
    # (never the login page, which a script would read as a success); public files 200.
    anonymous: int = 302


def every(status):
    return dict.fromkeys(ROLES, status)


ASSESSORS = {**every(200), "kader_a": 403}
# The Puskesmas pages: managed by the kabupaten team and admins; other roles do not see a Puskesmas (404).
PUSKESMAS_MANAGERS = {**every(404), "kabupaten": 200, "admin": 200}
ACCOUNT_MANAGERS = {**every(200), "kader_a": 403}
# An account outside each role's reach: another kecamatan's kader, or (for the kabupaten) another kabupaten's.
OUTSIDE_ACCOUNT = {
    "kader_a": "kader_b",
    "pengurus_a": "kader_b",
    "desa_a1": "kader_b",
    "kecamatan_a": "kader_b",
    "kabupaten": "kader_x",
    "puskesmas_a": "kader_b",
}
# A Puskesmas officer (role ``puskesmas``, puskesmas_a: desa A1) opens the health field's pages of their
# working area only (posyandu.role_gate.PUSKESMAS_URLS). These are the statuses inside it; every other URL is
# refused with 403 before its object is looked up, inside or outside the area alike.
PUSKESMAS_OPENS = {
    "login": 302,
    "logout": 302,
    "password_change": 200,
    "password_change_done": 200,
    "service_worker": 200,
    "akun:password_set": 302,
    "posyandu:home": 200,
    "posyandu:list": 200,
    "posyandu:detail": 200,
    "posyandu:warga_list": 200,
    "posyandu:warga_detail": 200,
    "posyandu:puskesmas_detail": 200,
    "layanan:haribuka_list": 200,
    "layanan:haribuka_detail": 200,
    "layanan:kunjungan_result": 200,
    "layanan:kunjungan_update": 200,  # corrects a kader's entry
    "layanan:rujukan_list": 200,
    "layanan:rujukan_follow_up": 200,  # follows up the referrals sent to the Puskesmas
    "layanan:imunisasi_overdue": 200,
    "layanan:warga_health": 200,
    "layanan:imunisasi_create": 200,
    "layanan_offline:session": 200,
    "layanan_offline:who_tables": 200,
    "laporan:dashboard": 200,
    "laporan:peta_json": 200,  # the dashboard map's recolouring (the health field's indicators only)
    "laporan:rakor_pdf": 200,  # the pack of their working area (the health field)
    "laporan:lembar_hari_buka": 200,
    "laporan:laporan_posyandu": 200,
    "laporan:laporan_pdf": 200,
    "format:posyandu": 200,
    "format:eppgbm_export": 200,
    "format:sip_pdf": 200,
    "format:sip_excel": 200,
    "format:rekap_puskesmas_pdf": 200,
    "format:rekap_puskesmas_excel": 200,
}


TABLE: dict[str, Case] = {
    "login": Case(every(302)),  # already logged in: straight to the home page
    "logout": Case(every(302), method="post"),
    "password_change": Case(every(200)),
    "password_change_done": Case(every(200)),
    "posyandu:home": Case(every(200)),
    "posyandu:list": Case(every(200)),
    "posyandu:create": Case({**READ_ONLY, **MANAGERS}),
    "posyandu:detail": Case(every(200), target="posyandu"),
    "posyandu:update": Case({**READ_ONLY, **MANAGERS}, target="posyandu"),
    "posyandu:pengurus_create": Case({**READ_ONLY, **MANAGERS}, target="posyandu"),
    "posyandu:pengurus_end": Case(
        {**READ_ONLY, **dict.fromkeys(MANAGERS, 302)},
        target="pengurus",
        method="post",
        data={"ended_on": "2025-06-30"},
    ),
    "posyandu:warga_list": Case(every(200)),
    "posyandu:warga_create": Case({**PEMBINA, **PEOPLE_KEEPERS}),
    "posyandu:warga_search": Case({**PEMBINA, **PEOPLE_KEEPERS}),
    # Found or not, the answer is a redirect (to the person, or back to the list with a message).
    "posyandu:warga_find_nik": Case(every(302), method="post", data={"nik": "7305011705230001"}),
    "posyandu:warga_detail": Case(every(200), target="warga"),
    "posyandu:warga_update": Case({**PEMBINA, **PEOPLE_KEEPERS}, target="warga"),
    # Anonymising is for admins only (403 for everyone else); it redirects back to the person.
    "posyandu:warga_anonymise": Case({**every(403), "admin": 302}, target="warga", method="post"),
    "posyandu:warga_move": Case({**PEMBINA, **PEOPLE_KEEPERS}, target="warga"),
    "posyandu:warga_status": Case({**PEMBINA, **PEOPLE_KEEPERS}, target="warga"),
    "posyandu:keluarga_list": Case(every(200)),
    "posyandu:keluarga_create": Case({**PEMBINA, **PEOPLE_KEEPERS}),
    "posyandu:keluarga_detail": Case(every(200), target="keluarga"),
    "posyandu:keluarga_update": Case({**PEMBINA, **PEOPLE_KEEPERS}, target="keluarga"),
    # Puskesmas and their working areas (posyandu/puskesmas/): the list shows those in scope (none for
    # posyandu, desa and kecamatan users); the kabupaten team and admins manage them.
    "posyandu:puskesmas_list": Case(every(200)),
    "posyandu:puskesmas_create": Case({**every(403), "kabupaten": 200, "admin": 200}),
    "posyandu:puskesmas_detail": Case(PUSKESMAS_MANAGERS, target="puskesmas"),
    "posyandu:puskesmas_update": Case(PUSKESMAS_MANAGERS, target="puskesmas"),
    "posyandu:wilayah_kerja_assign": Case(PUSKESMAS_MANAGERS, target="puskesmas"),
    # Nothing chosen: back to the Puskesmas with the form's message.
    "posyandu:wilayah_kerja_release": Case(
        {**every(404), "kabupaten": 302, "admin": 302}, target="puskesmas", method="post"
    ),
    # Health field: kader of kesehatan, pengurus, operator desa and admin record; Tim Pembina read.
    "layanan:haribuka_list": Case(every(200)),
    "layanan:haribuka_create": Case({**PEMBINA, **HEALTH_WRITERS}),
    "layanan:haribuka_detail": Case(every(200), target="hari_buka"),
    "layanan:haribuka_batch": Case({**PEMBINA, **HEALTH_WRITERS}, target="hari_buka"),
    "layanan:kunjungan_entry": Case({**PEMBINA, **HEALTH_WRITERS}, target="entry"),
    "layanan:kunjungan_result": Case(every(200), target="kunjungan"),
    "layanan:kunjungan_update": Case({**PEMBINA, **HEALTH_WRITERS}, target="kunjungan"),
    "layanan:kunjungan_rumah": Case({**PEMBINA, **HEALTH_WRITERS}, target="warga_pk"),
    "layanan:rujukan_create": Case({**PEMBINA, **HEALTH_WRITERS}, target="kunjungan"),
    "layanan:rujukan_list": Case(every(200)),
    "layanan:rujukan_follow_up": Case({**PEMBINA, **HEALTH_WRITERS}, target="rujukan"),
    "layanan:imunisasi_overdue": Case(every(200)),
    "layanan:warga_health": Case(every(200), target="warga"),
    "layanan:imunisasi_create": Case({**PEMBINA, **HEALTH_WRITERS}, target="warga"),
    "layanan:kehamilan_create": Case({**PEMBINA, **HEALTH_WRITERS}, target="warga"),
    "layanan:kehamilan_end": Case({**PEMBINA, **HEALTH_WRITERS}, target="kehamilan"),
    # Offline entry (layanan/offline.py): the page and the service worker hold no person's data; the
    # day's roster is for those who record; the sync endpoint refuses a body that is not a batch (400).
    "layanan_offline:app": Case(every(200)),
    "layanan_offline:session": Case(every(200), anonymous=401),
    "layanan_offline:who_tables": Case(every(200), anonymous=200),  # WHO's tables: public
    "layanan_offline:day_data": Case({**PEMBINA, **HEALTH_WRITERS}, target="hari_buka", anonymous=401),
    "layanan_offline:sync": Case({**PEMBINA, **dict.fromkeys(HEALTH_WRITERS, 400)}, method="post", anonymous=401),
    "service_worker": Case(every(200), anonymous=200),
    "laporan:lembar_hari_buka": Case(every(200), target="hari_buka"),
    # Reports: every role sees the dashboards of its own scope; the lifecycle is role-bound.
    "laporan:dashboard": Case(every(200)),
    "laporan:peta_json": Case(every(200)),
    "laporan:kelengkapan": Case(every(200)),
    # The change history: for the desa operator, the Tim Pembina and admins (laporan.audit.can_read_audit).
    "laporan:riwayat": Case({**every(200), **READ_ONLY}),
    # The kabupaten's settings: its Tim Pembina edits, the kecamatan reads, admins pick a kabupaten.
    "laporan:pengaturan": Case({**every(403), "kecamatan_a": 200, "kabupaten": 200, "admin": 200}),
    "laporan:laporan_posyandu": Case(every(200), target="posyandu_month"),
    "laporan:laporan_pdf": Case(every(200), target="posyandu_month"),
    "laporan:laporan_transition": Case(
        {**every(403), "pengurus_a": 302, "admin": 302},  # submitting is the pengurus' step
        target="posyandu_month",
        method="post",
        data={"action": "ajukan"},
    ),
    "laporan:rakor_pdf": Case(every(200)),
    # Rakor follow-up: every role lists what it sees (a posyandu's kader and pengurus the decisions
    # assigned to their desa, read only); the Tim Pembina and admins record meetings. Target "rakor" is
    # kecamatan A's meeting (not visible to the desa or a posyandu: 404); "keputusan" is one of its
    # decisions assigned to desa A1 (visible to everyone in desa A1 and above).
    "laporan:rakor_list": Case(every(200)),
    "laporan:rakor_create": Case({**every(403), "kecamatan_a": 200, "kabupaten": 200, "admin": 200}),
    "laporan:rakor_detail": Case({**every(404), "kecamatan_a": 200, "kabupaten": 200, "admin": 200}, target="rakor"),
    "laporan:keputusan_detail": Case(every(200), target="keputusan"),
    # Editing or reassigning a decision is the meeting's team's (kecamatan A, the kabupaten above, admins):
    # the responsible desa and its posyandu see the decision but may not edit it (403).
    "laporan:keputusan_edit": Case(
        {**every(403), "kecamatan_a": 200, "kabupaten": 200, "admin": 200}, target="keputusan"
    ),
    "laporan:excel_indikator": Case(every(200)),
    "laporan:excel_kelengkapan": Case(every(200)),
    "laporan:excel_warga": Case(every(200)),
    "laporan:excel_kader": Case(every(200)),
    "laporan:excel_keluarga": Case(every(200)),
    # A person's own data: for the keepers of the register who see the full NIK.
    "laporan:warga_data": Case({**PEMBINA, **PEOPLE_KEEPERS}, target="warga"),
    # The five other fields (layanan/urls/bidang.py). kader_a is a kader of kesehatan: they record
    # activities (penyuluhan) but not the other fields' data, and do not see other fields' requests (404).
    "bidang:home": Case(every(200)),
    "bidang:keluarga_survei": Case(every(200), target="keluarga"),
    "bidang:survei_create": Case({**PEMBINA, **BIDANG_WRITERS}, target="keluarga"),
    "bidang:pendidikan_list": Case(every(200)),
    "bidang:pendidikan_create": Case({**PEMBINA, **BIDANG_WRITERS}, target="warga"),
    "bidang:kegiatan_list": Case(every(200)),
    "bidang:kegiatan_create": Case({**PEMBINA, **HEALTH_WRITERS}),
    "bidang:kejadian_list": Case({**every(200), "kader_a": 403}),
    "bidang:kejadian_create": Case({**PEMBINA, **BIDANG_WRITERS}),
    "bidang:kejadian_detail": Case({**every(200), "kader_a": 403}, target="kejadian"),
    "bidang:permintaan_list": Case(every(200)),
    "bidang:permintaan_create": Case({**PEMBINA, **BIDANG_WRITERS}),
    "bidang:permintaan_detail": Case({**every(200), "kader_a": 404}, target="permintaan"),
    # Only the desa verifies a recorded request; the others may not (403), kader_a does not see it.
    "bidang:permintaan_transition": Case(
        {**every(403), "kader_a": 404, "desa_a1": 302, "admin": 302},
        target="permintaan",
        method="post",
        data={"to_status": "diverifikasi", "on": "2026-03-02"},
    ),
    # Documents are attached at the posyandu and desa (the Tim Pembina read them: 403). No file posted:
    # the form comes back with its error (400) for everyone else who sees the request.
    "bidang:dokumen_upload": Case({**every(400), **PEMBINA, "kader_a": 404}, target="permintaan", method="post"),
    "bidang:dokumen_download": Case({**every(200), "kader_a": 404}, target="dokumen"),
    # Kader: a kader sees their own profile and their posyandu's roster; pengurus and the desa operator
    # keep the register; Tim Pembina (desa operator, kecamatan, kabupaten) record trainings.
    "kader:kader_list": Case(every(200)),
    "kader:kader_create": Case(KADER_KEEPERS),
    "kader:kader_detail": Case(every(200), target="kader"),
    "kader:kader_update": Case(KADER_KEEPERS, target="kader"),
    "kader:kader_deactivate": Case(KADER_KEEPERS, target="kader"),
    "kader:penilaian_create": Case(ASSESSORS, target="kader"),
    "kader:roster": Case(every(200), target="posyandu"),
    "kader:pelatihan_list": Case(every(200)),
    "kader:pelatihan_create": Case({**READ_ONLY, **MANAGERS}),
    "kader:pelatihan_detail": Case(every(200), target="pelatihan"),
    "kader:pelatihan_update": Case({**READ_ONLY, **MANAGERS}, target="pelatihan"),
    "kader:peserta_add": Case({**READ_ONLY, **MANAGERS}, target="pelatihan"),
    "kader:peserta_import": Case({**READ_ONLY, **MANAGERS}, target="pelatihan"),
    "kader:peserta_update": Case({**READ_ONLY, **MANAGERS}, target="pelatihan"),
    "kader:peserta_template": Case(every(200)),
    "kader:coverage": Case(every(200)),
    "laporan:kader_rekap": Case(every(200)),
    "laporan:kader_sertifikat": Case(every(200), target="kader"),
    # Formats in and out (laporan/urls_format.py): e-PPGBM export for everyone in scope (NIK masked unless
    # the user keeps the register); the import is the desa operator's (and admin's); SIP books for all.
    "format:posyandu": Case(every(200), target="posyandu"),
    "format:eppgbm_export": Case(every(200)),
    "format:sip_pdf": Case(every(200), target="posyandu"),
    "format:sip_excel": Case(every(200), target="posyandu"),
    "format:rekap_puskesmas_pdf": Case(every(200)),
    "format:rekap_puskesmas_excel": Case(every(200)),
    "format:eppgbm_import": Case({**every(403), "desa_a1": 200, "admin": 200}, target="posyandu"),
    # Without a previewed file in the session the confirmation sends the operator back to the upload.
    "format:eppgbm_import_confirm": Case(
        {**every(403), "desa_a1": 302, "admin": 302}, target="posyandu", method="post"
    ),
    # Accounts (akun/): each level manages the roles below its own within its area. A kader manages
    # nobody: the list is 403 and any account is 404 (as one outside the area). Target: kader_a's account.
    "akun:password_set": Case(every(302)),  # no one-time password in this session: to the normal change page
    "akun:account_list": Case(ACCOUNT_MANAGERS),
    "akun:account_create": Case(ACCOUNT_MANAGERS),
    "akun:account_log": Case(ACCOUNT_MANAGERS),
    "akun:slips_pdf": Case({**every(302), "kader_a": 403}),  # nothing kept to print: back to the list
    "akun:slips_done": Case({**every(302), "kader_a": 403}, method="post"),
    "akun:kader_import": Case(ACCOUNT_MANAGERS),
    "akun:kader_import_template": Case(ACCOUNT_MANAGERS),
    "akun:account_detail": Case({**every(200), "kader_a": 404}, target="account"),
    "akun:account_update": Case({**every(200), "kader_a": 404}, target="account"),
    "akun:account_deactivate": Case({**every(302), "kader_a": 404}, target="account", method="post"),
    "akun:account_activate": Case({**every(302), "kader_a": 404}, target="account", method="post"),
    "akun:account_unlock": Case({**every(302), "kader_a": 404}, target="account", method="post"),
    "akun:account_password_reset": Case({**every(200), "kader_a": 404}, target="account", method="post"),
    # OPD pengampu (posyandu/urls.py): kept by the kabupaten team and admins; others 403.
    "posyandu:opd_list": Case({**every(403), "kabupaten": 200, "admin": 200}),
    "posyandu:opd_create": Case({**every(403), "kabupaten": 200, "admin": 200}),
    # An OPD is an object of its kabupaten: below the kabupaten it is outside everyone's area (404).
    "posyandu:opd_update": Case({**every(404), "kabupaten": 200, "admin": 200}, target="opd"),
}
for _name, _case in TABLE.items():
    _case.inside = {**_case.inside, "puskesmas_a": PUSKESMAS_OPENS.get(_name, 403)}  # some dicts are shared
# Django admin has its own login and permission checks, tested in tests/posyandu/test_views.py.
EXCLUDED_NAMESPACES = {"admin"}


def _url_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            if ns in EXCLUDED_NAMESPACES:
                continue
            yield from _url_names(pattern.url_patterns, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


def test_every_url_pattern_has_a_scope_entry():
    names = set(_url_names(get_resolver().url_patterns))
    missing = names - set(TABLE)
    assert not missing, f"URL patterns without an entry in the scope table: {sorted(missing)}"
    assert not set(TABLE) - names, "stale entries in the scope table"


def test_the_puskesmas_table_is_the_roles_list_of_pages():
    from posyandu.role_gate import PUSKESMAS_URLS

    assert set(PUSKESMAS_OPENS) == PUSKESMAS_URLS
    assert set(PUSKESMAS_OPENS) <= set(TABLE)


def _request(client, case, url):
    return client.post(url, case.data) if case.method == "post" else client.get(url)


def _people(world) -> dict:
    """A household with one member at each posyandu of the cast: inside/outside as for posyandu."""
    rows = {}
    for name in ("posyandu_a", "posyandu_a2", "posyandu_b", "posyandu_x"):
        posyandu = getattr(world, name)
        keluarga = factories.keluarga(posyandu=posyandu, head_name=f"Kepala {posyandu.name}")
        rows[name] = {"keluarga": keluarga, "warga": factories.warga(posyandu=posyandu, keluarga=keluarga)}
    return rows


def _health(people, world) -> dict:
    """At each posyandu: an opening day, a pregnant woman with a home visit, and a referral."""
    from layanan import services as health_services

    rows = {}
    for name, row in people.items():
        posyandu = getattr(world, name)
        mother = factories.warga(posyandu=posyandu, name="Ibu Sari", sex="P", birth_date=datetime.date(1995, 4, 4))
        kehamilan = health_services.kehamilan_register(mother=mother, registered_on=datetime.date(2026, 1, 5))
        visit = health_services.kunjungan_record(
            warga=mother, user=None, visit_date=datetime.date(2026, 2, 3), values={"weight_kg": Decimal("55")}
        )
        child_visit = health_services.kunjungan_record(
            warga=row["warga"], user=None, visit_date=datetime.date(2026, 2, 3), values={"weight_kg": Decimal("11")}
        )
        rujukan = health_services.rujukan_create(
            kunjungan=child_visit,
            destination="puskesmas",
            referred_on=datetime.date(2026, 2, 3),
            reasons="T",
            user=None,
        )
        hari_buka = health_services.hari_buka_open(posyandu=posyandu, date=datetime.date(2026, 3, 10), user=None)
        rows[name] = {"hari_buka": hari_buka, "kunjungan": visit, "rujukan": rujukan, "kehamilan": kehamilan}
    return rows


def _spm_field_records(people, world) -> dict:
    """At each posyandu: an incident, a recorded service request (sosial) with one PDF document (the
    file under MEDIA_ROOT, which the caller sets)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from layanan import services as field_services

    rows = {}
    for name, row in people.items():
        posyandu = getattr(world, name)
        kejadian = field_services.kejadian_record(
            posyandu=posyandu,
            kind="kebakaran",
            occurred_on=datetime.date(2026, 2, 1),
            place="Dusun I",
            description="Dapur terbakar",
            user=None,
        )
        permintaan = field_services.permintaan_create(
            field="sosial",
            kind="bansos",
            description="Lansia tinggal sendiri",
            keluarga=row["keluarga"],
            user=None,
            recorded_on=datetime.date(2026, 3, 2),
        )
        dokumen = field_services.dokumen_attach(
            permintaan=permintaan,
            kind="surat",
            upload=SimpleUploadedFile("surat.pdf", factories.pdf_bytes(), content_type="application/pdf"),
            user=None,
        )
        rows[name] = {"kejadian": kejadian, "permintaan": permintaan, "dokumen": dokumen}
    return rows


def _cadres(world) -> dict:
    """At each posyandu: a kader (posyandu A's is kader_a's own profile) and a desa-level training."""
    from kader import services as kader_services
    from kader.models import Pelatihan

    rows = {}
    for name in ("posyandu_a", "posyandu_a2", "posyandu_b", "posyandu_x"):
        posyandu = getattr(world, name)
        kader = kader_services.kader_register(
            posyandu=posyandu,
            name=f"Kader {posyandu.name}",
            field="kesehatan",
            start_date=datetime.date(2015, 3, 1),
            user=world.users["kader_a"] if name == "posyandu_a" else None,
        )
        pelatihan = kader_services.pelatihan_create(
            title=f"Bimtek {posyandu.desa.name}",
            organiser_level=Pelatihan.OrganiserLevel.DESA,
            organiser_opd="Pemerintah Desa",
            field="kesehatan",
            wilayah=posyandu.desa,
            start_date=datetime.date(2026, 2, 10),
            end_date=datetime.date(2026, 2, 11),
        )
        rows[name] = {"kader": kader, "pelatihan": pelatihan}
    return rows


def _kader_x(world):
    """A kader account at posyandu X (Luwu Timur): outside the kabupaten team's Takalar."""
    from posyandu import services
    from tests.conftest import PASSWORD

    return services.user_create(
        username="kader_x", password=PASSWORD, role="kader", posyandu=world.posyandu_x, field="kesehatan"
    )


# The meeting and decision each role may not see (see the ``rakor_rows`` fixture).
OUTSIDE_RAKOR = {
    "rakor": {
        "kader_a": "rakor_b", "pengurus_a": "rakor_b", "desa_a1": "rakor_b", "kecamatan_a": "rakor_b",
        "kabupaten": "rakor_x", "puskesmas_a": "rakor_b",
    },
    "keputusan": {
        # desa A1 and its posyandu do not see kecamatan A's decision for desa A2; kecamatan A does not see
        # the kabupaten's decision for kecamatan B; Takalar does not see Luwu Timur's.
        "kader_a": "keputusan_a2", "pengurus_a": "keputusan_a2", "desa_a1": "keputusan_a2",
        "kecamatan_a": "keputusan_kab_b", "kabupaten": "keputusan_x", "puskesmas_a": "keputusan_a2",
    },
}  # fmt: skip


def _rakor(world) -> dict:
    """Meetings of kecamatan A, kecamatan B, Takalar and Luwu Timur's kecamatan, with decisions."""
    from laporan import services as report_services
    from posyandu.models import Wilayah

    admin = world.users["admin"]
    held_on, deadline = datetime.date(2026, 3, 20), datetime.date(2026, 4, 30)

    def meeting(area):
        return report_services.rakor_create(wilayah=area, held_on=held_on, period="2026-02", user=admin)

    def decide(rakor, area):
        row = {"text": "Sweeping balita", "field": "kesehatan", "wilayah_pj": area, "deadline": deadline}
        return report_services.keputusan_add(rakor=rakor, rows=[row], user=admin)[0]

    rakor_a, rakor_b = meeting(world.kecamatan_a), meeting(world.kecamatan_b)
    rakor_kab, rakor_x = meeting(world.kabupaten), meeting(Wilayah.objects.get(code="73.24.01"))
    return {
        "rakor": rakor_a,
        "rakor_b": rakor_b,
        "rakor_x": rakor_x,
        "keputusan": decide(rakor_a, world.desa_a1),
        "keputusan_a2": decide(rakor_a, world.desa_a2),
        "keputusan_kab_b": decide(rakor_kab, world.kecamatan_b),
        "keputusan_x": decide(rakor_x, Wilayah.objects.get(code="73.24.01.2001")),
    }


def _build_targets(world) -> dict:
    people = _people(world)
    return {
        "people": people,
        "health": _health(people, world),
        "bidang": _spm_field_records(people, world),
        "cadres": _cadres(world),
        "kader_x": _kader_x(world),
        "rakor": _rakor(world),
    }


@pytest.fixture(scope="session")
def _targets_snapshot(_world_snapshot, django_db_blocker, tmp_path_factory):
    """The objects the URLs point at, built once per session (per xdist worker, and per module that
    imports this fixture) through the real services on top of the cast, and copied into each test that
    needs one (``tests/snapshot.py``): building them for each of the ~1,000 cases was most of this file's
    time. Returns (snapshot, MEDIA_ROOT of the documents' files). A module whose tests use the targets
    names it in its ``pytestmark``, so it is built before a test's own database transaction opens (asked
    for with ``getfixturevalue`` it would start inside that transaction, after ``world``), and during
    the first of its tests (those using the database run first), not after a flush."""
    media = tmp_path_factory.mktemp("scope_media")
    # As each test had built them: without the dashboards' rollup marks (tests/conftest.py).
    with override_settings(MEDIA_ROOT=str(media), LAPORAN_REKAP=False):
        return snapshot.for_session(django_db_blocker, _build_targets, _world_snapshot), str(media)


@pytest.fixture
def _targets(request, world, _targets_snapshot, settings) -> dict:
    """Every target object in this test's database, restored after the cast (``world``); in a sweep
    module (``SWEEP_ROWS``) already there."""
    taken, media = _targets_snapshot
    settings.MEDIA_ROOT = media  # the documents' files written while the snapshot was built
    if SWEEP_ROWS in request.fixturenames:
        return request.getfixturevalue(SWEEP_ROWS).copy("targets")
    return taken.restore()


@pytest.fixture(scope="module")
def _sweep_rows(_world_snapshot, _world_rollup_snapshot, _targets_snapshot, django_db_blocker):
    """The cast, its rollup, the targets and the OPD cast, copied in once for the module, and a session for
    each of their users (``tests/conftest.py``, ``SWEEP_ROWS``): 211 tests of this module took 52.0 s
    instead of 60.7 s."""
    taken, _media = _targets_snapshot
    fast_hashing = override_settings(PASSWORD_HASHERS=snapshot.FAST_PASSWORD_HASHERS)
    with django_db_blocker.unblock(), transaction.atomic(), fast_hashing:
        world = _world_snapshot.restore()
        _world_rollup_snapshot.restore()
        opd = build_opd_cast(world)
        rows = SweepRows(world=world, targets=taken.restore(), opd_cast=opd)
        rows.sign_in(*world.users.values(), opd.officer, opd.other)
        try:
            yield rows
        finally:
            transaction.set_rollback(True)  # nothing of the module stays


@pytest.fixture
def people(_targets):
    return _targets["people"]


@pytest.fixture
def health(_targets):
    return _targets["health"]


@pytest.fixture
def bidang(_targets):
    return _targets["bidang"]


@pytest.fixture
def cadres(_targets):
    return _targets["cadres"]


@pytest.fixture
def kader_x(_targets):
    return _targets["kader_x"]


@pytest.fixture
def rakor_rows(_targets):
    return _targets["rakor"]


@pytest.fixture
def puskesmas_x(world):
    """A Puskesmas of Luwu Timur: outside every role's scope but the admin's."""
    from posyandu.puskesmas import services as puskesmas_services

    kabupaten = world.posyandu_x.desa.parent.parent
    return puskesmas_services.puskesmas_create(code="P7324010101", name="Puskesmas Luwu", kabupaten=kabupaten)


def _kwargs(request, world, target: str, role: str | None = None) -> dict:
    """URL kwargs for the object(s) a URL points at: inside the scope (``role`` None) or outside it."""
    if target == "puskesmas":
        return {"pk": (request.getfixturevalue("puskesmas_x") if role else world.puskesmas_a).pk}
    if target == "account":
        if role is None:
            return {"pk": world.users["kader_a"].pk}
        name = OUTSIDE_ACCOUNT[role]
        return {"pk": (request.getfixturevalue("kader_x") if name == "kader_x" else world.users[name]).pk}
    if target == "pengurus":
        return {"pk": (getattr(world, OUTSIDE_PENGURUS[role]) if role else world.pengurus_a).pk}
    if target == "opd":  # an OPD of Takalar; outside: one of Luwu Timur
        cast = request.getfixturevalue("opd_cast")
        return {"pk": (cast.dinsos_x if role else cast.dinsos).pk}
    posyandu_name = OUTSIDE_POSYANDU[role] if role else "posyandu_a"
    if target == "posyandu":
        return {"pk": getattr(world, posyandu_name).pk}
    if target == "posyandu_month":
        return {"posyandu_pk": getattr(world, posyandu_name).pk, "month": "2026-03"}
    if target in ("warga", "keluarga"):
        return {"pk": request.getfixturevalue("people")[posyandu_name][target].pk}
    if target == "warga_pk":
        return {"warga_pk": request.getfixturevalue("people")[posyandu_name]["warga"].pk}
    if target in ("kejadian", "permintaan", "dokumen"):
        return {"pk": request.getfixturevalue("bidang")[posyandu_name][target].pk}
    if target in ("rakor", "keputusan"):
        name = OUTSIDE_RAKOR[target][role] if role else target
        return {"pk": request.getfixturevalue("rakor_rows")[name].pk}
    if target in ("kader", "pelatihan"):
        return {"pk": request.getfixturevalue("cadres")[posyandu_name][target].pk}
    health = request.getfixturevalue("health")[posyandu_name]
    if target == "entry":
        warga = request.getfixturevalue("people")[posyandu_name]["warga"]
        return {"pk": health["hari_buka"].pk, "warga_pk": warga.pk}
    return {"pk": health[target].pk}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", sorted(TABLE))
def test_url_inside_scope(request, world, figures_from_the_rollup, login, url_name, role):
    case = TABLE[url_name]
    client = login(world.users[role])
    kwargs = _kwargs(request, world, case.target) if case.target else {}
    response = _request(client, case, reverse(url_name, kwargs=kwargs))
    assert response.status_code == case.inside[role], (url_name, role)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
@pytest.mark.parametrize("url_name", sorted(name for name, case in TABLE.items() if case.target))
def test_url_outside_scope_is_404(request, world, login, url_name, role):
    case = TABLE[url_name]
    client = login(world.users[role])
    response = _request(client, case, reverse(url_name, kwargs=_kwargs(request, world, case.target, role)))
    # A Puskesmas officer is refused every page outside the health field before anything is looked up.
    expected = 403 if role == "puskesmas_a" and url_name not in PUSKESMAS_OPENS else 404
    assert response.status_code == expected, (url_name, role)


@pytest.mark.parametrize("url_name", sorted(name for name in TABLE if name not in {"login"}))
def test_anonymous_is_sent_to_login(db, client, url_name):
    case = TABLE[url_name]
    kwargs = {"pk": 1} if case.target else {}
    if case.target == "posyandu_month":
        kwargs = {"posyandu_pk": 1, "month": "2026-03"}
    if case.target in ("entry", "warga_pk"):
        kwargs = {"pk": 1, "warga_pk": 1} if case.target == "entry" else {"warga_pk": 1}
    response = _request(client, case, reverse(url_name, kwargs=kwargs))
    if case.anonymous != 302:
        assert response.status_code == case.anonymous, url_name
        return
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# ---------------------------------------------------------------------------------------------
# The OPD officer (role "opd": Dinas Sosial of Takalar, tests.conftest.opd_cast). Every URL of TABLE is
# a 403 for them (posyandu.role_gate), inside the kabupaten or outside it, except these pages; of the
# objects, only a request forwarded to their OPD (and its documents) is inside: another OPD's request
# or one not forwarded is a 404, as for any object outside a scope.
# ---------------------------------------------------------------------------------------------
OPD_INSIDE = {
    "login": 302,
    "logout": 302,
    "password_change": 200,
    "password_change_done": 200,
    "akun:password_set": 302,
    "service_worker": 200,
    "posyandu:home": 200,
    "laporan:dashboard": 200,
    "laporan:excel_indikator": 200,
    "bidang:permintaan_list": 200,
    "bidang:permintaan_detail": 200,
    "bidang:permintaan_transition": 302,
    "bidang:dokumen_download": 200,
    # the rakor decisions assigned to their OPD (the meetings' own pages stay the team's: 403)
    "laporan:rakor_list": 200,
    "laporan:keputusan_detail": 200,
}
OPD_STEP = {"to_status": "diterima", "on": "2026-03-05"}


def _forward_to(permintaan, opd):
    from layanan import services as field_services

    step = field_services.permintaan_transition
    permintaan = step(permintaan=permintaan, to_status="diverifikasi", user=None, on=datetime.date(2026, 3, 3))
    return step(
        permintaan=permintaan, to_status="diteruskan", user=None, on=datetime.date(2026, 3, 3), forwarded_opd=opd
    )


def _opd_kwargs(request, world, opd_cast, target: str, *, inside: bool) -> dict:
    """Inside: posyandu A's objects, its request forwarded to the officer's OPD. Outside: posyandu A2's
    request forwarded to Dukcapil (another OPD of the same kabupaten), and posyandu X's objects."""
    if target in ("permintaan", "dokumen"):
        rows = request.getfixturevalue("bidang")
        if inside:
            _forward_to(rows["posyandu_a"]["permintaan"], opd_cast.dinsos)
            return {"pk": rows["posyandu_a"][target].pk}
        _forward_to(rows["posyandu_a2"]["permintaan"], opd_cast.dukcapil)
        return {"pk": rows["posyandu_a2"][target].pk}
    if target == "account":
        return {"pk": world.users["kader_a"].pk}
    if target == "keputusan":  # inside: a decision of Takalar's rakor for Dinsos; outside: one for Dukcapil
        return {"pk": _assigned_to(request, world, opd_cast.dinsos if inside else opd_cast.dukcapil).pk}
    return _kwargs(request, world, target, None if inside else "kecamatan_a")


def _assigned_to(request, world, opd):
    """A decision of the kabupaten's rakor (``rakor_rows``) assigned to ``opd``."""
    from laporan import services as report_services

    rakor = request.getfixturevalue("rakor_rows")["keputusan_kab_b"].rakor
    row = {"text": f"Tindak lanjut {opd.short_name}", "field": "sosial", "opd": opd,
           "deadline": datetime.date(2026, 4, 30)}  # fmt: skip
    if opd.kabupaten_id != rakor.wilayah_id:  # another kabupaten's OPD: a rakor of its own kabupaten
        rakor = request.getfixturevalue("rakor_rows")["rakor_x"]
        rakor = report_services.rakor_create(
            wilayah=rakor.wilayah.parent, held_on=rakor.held_on, period="2026-02", user=world.users["admin"]
        )
    return report_services.keputusan_add(rakor=rakor, rows=[row], user=world.users["admin"])[0]


@pytest.mark.parametrize("url_name", sorted(TABLE))
def test_url_as_opd_officer(request, world, opd_cast, login, pinned_clock, url_name):
    pinned_clock("2026-03-13")
    case = TABLE[url_name]
    client = login(opd_cast.officer)
    kwargs = _opd_kwargs(request, world, opd_cast, case.target, inside=True) if case.target else {}
    data = OPD_STEP if url_name == "bidang:permintaan_transition" else case.data
    url = reverse(url_name, kwargs=kwargs)
    response = client.post(url, data) if case.method == "post" else client.get(url)
    assert response.status_code == OPD_INSIDE.get(url_name, 403), url_name


@pytest.mark.parametrize("url_name", sorted(name for name, case in TABLE.items() if case.target))
def test_url_outside_opd_officers_scope(request, world, opd_cast, login, pinned_clock, url_name):
    pinned_clock("2026-03-13")
    case = TABLE[url_name]
    client = login(opd_cast.officer)
    kwargs = _opd_kwargs(request, world, opd_cast, case.target, inside=False)
    data = OPD_STEP if url_name == "bidang:permintaan_transition" else case.data
    url = reverse(url_name, kwargs=kwargs)
    response = client.post(url, data) if case.method == "post" else client.get(url)
    # Their own pages: 404 outside; every other page is closed to them whatever the object (403).
    assert response.status_code == (404 if url_name in OPD_INSIDE else 403), url_name


@pytest.mark.parametrize("outside", ["dukcapil", "dinsos_x"])
def test_opd_officer_cannot_open_or_update_another_opds_decision(
    request, world, opd_cast, login, pinned_clock, outside
):
    """Another OPD of the kabupaten, or the same-named OPD of another kabupaten: 404, read or written."""
    pinned_clock("2026-03-25")
    decision = _assigned_to(request, world, getattr(opd_cast, outside))
    client = login(opd_cast.officer)
    url = reverse("laporan:keputusan_detail", kwargs={"pk": decision.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"status": "selesai", "note": "x", "on": "2026-03-24"}).status_code == 404
    decision.refresh_from_db()
    assert decision.status == "belum"


def test_opd_pages_are_urls_of_the_table():
    assert set(OPD_INSIDE) <= set(TABLE)


# ---------------------------------------------------------------------------------------------
# The ``?puskesmas=<id>`` parameter (a Puskesmas area) of the report pages that take it. Puskesmas A is
# inside the scope of the kabupaten team, the admin and its own officer; the other roles see no
# Puskesmas (404). A Puskesmas of Luwu Timur is outside every scope but the admin's.
# ---------------------------------------------------------------------------------------------
PUSKESMAS_PARAM_URLS = [
    "laporan:dashboard",
    "laporan:peta_json",
    "laporan:rakor_pdf",
    "format:eppgbm_export",
    "format:rekap_puskesmas_pdf",
    "format:rekap_puskesmas_excel",
]
PUSKESMAS_PARAM_INSIDE = {**every(404), "kabupaten": 200, "admin": 200, "puskesmas_a": 200}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", PUSKESMAS_PARAM_URLS)
def test_a_puskesmas_parameter_inside_the_scope(world, figures_from_the_rollup, login, url_name, role):
    client = login(world.users[role])
    response = client.get(reverse(url_name), {"puskesmas": world.puskesmas_a.pk})
    assert response.status_code == PUSKESMAS_PARAM_INSIDE[role], (url_name, role)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
@pytest.mark.parametrize("url_name", PUSKESMAS_PARAM_URLS)
def test_a_puskesmas_parameter_outside_the_scope_is_404(world, login, puskesmas_x, url_name, role):
    client = login(world.users[role])
    response = client.get(reverse(url_name), {"puskesmas": puskesmas_x.pk})
    assert response.status_code == 404, (url_name, role)


def test_every_page_reading_a_puskesmas_parameter_is_in_that_table():
    from tests.test_fuzz_forms import QUERY_PARAMS

    takes_it = {name for name, parameters in QUERY_PARAMS.items() if "puskesmas" in parameters}
    assert takes_it == set(PUSKESMAS_PARAM_URLS)
