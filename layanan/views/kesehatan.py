"""Views of the health field. Thin: authorise, scope, call one service or selector, render.

The opening-day entry works with htmx (the form is swapped for the result without a page
reload) and without it (post, redirect, result page).
"""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from layanan import selectors, services
from layanan.charts import growth_chart_svg
from layanan.forms import (
    BatchRowForm,
    HariBukaForm,
    ImunisasiForm,
    KehamilanEndForm,
    KehamilanForm,
    KunjunganForm,
    RujukanFollowUpForm,
    RujukanForm,
)
from layanan.growth import completed_months
from layanan.models import HariBuka, Imunisasi, Kehamilan, Kunjungan, Rujukan
from layanan.permissions import (
    can_correct_health,
    can_record_health,
    require_health_corrector,
    require_health_writer,
)
from layanan.schedule import doses_due
from posyandu import dates
from posyandu.concurrency import StaleEdit, version_of
from posyandu.models import LifeStage, Posyandu, Warga
from posyandu.params import query_id
from posyandu.scope import get_object_for_user
from posyandu.viewkit import form_add_errors, paginate

PAGE_SIZE = 25


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


# ---------------------------------------------------------------------------------------------
# Opening days
# ---------------------------------------------------------------------------------------------
def haribuka_list(request):
    sessions = selectors.haribuka_list(user=request.user).annotate(visit_count=Count("kunjungan", distinct=True))
    page = paginate(request, sessions, PAGE_SIZE)[0]
    return render(
        request,
        "layanan/haribuka_list.html",
        {"page": page, "can_write": can_record_health(request.user), "today": dates.today()},
    )


def haribuka_create(request):
    require_health_writer(request.user)
    form = HariBukaForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        existing = HariBuka.objects.filter(posyandu=data["posyandu"], date=data["date"]).first()
        if existing is not None:
            messages.info(request, _("Hari buka tanggal ini sudah ada; dibuka kembali."))
            return redirect(existing)
        try:
            hari_buka = services.hari_buka_open(
                posyandu=data["posyandu"],
                date=data["date"],
                reporting_month=data["reporting_month"],
                place=data["place"],
                kader_present=data["kader_present"],
                user=request.user,
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("Hari buka dibuka. Pilih warga yang datang untuk mencatat."))
            return redirect(hari_buka)
    return render(request, "layanan/haribuka_form.html", {"form": form})


def _hari_buka(request, pk) -> HariBuka:
    return get_object_for_user(HariBuka.objects.select_related("posyandu", "posyandu__desa"), request.user, pk=pk)


def haribuka_detail(request, pk: int):
    hari_buka = _hari_buka(request, pk)
    sections = selectors.roster(posyandu=hari_buka.posyandu, on=hari_buka.date, month=hari_buka.reporting_month)
    summary = [
        (stage, LifeStage(stage).label, rows, sum(1 for row in rows if row.done)) for stage, rows in sections.items()
    ]
    return render(
        request,
        "layanan/haribuka_detail.html",
        {
            "hari_buka": hari_buka,
            "summary": summary,
            "can_write": can_record_health(request.user),
            "done_total": sum(done for *_rest, done in summary),
            "home_visit_stages": (LifeStage.BALITA, LifeStage.IBU_HAMIL),
            # Each person's three links, reversed once for the page instead of once per person (a
            # posyandu lists a few hundred people; the reverses were a fifth of the page's time).
            "entry_base": _url_base("layanan:kunjungan_entry", hari_buka.pk),
            "result_base": _url_base("layanan:kunjungan_result"),
            "home_base": _url_base("layanan:kunjungan_rumah"),
        },
    )


def _url_base(name: str, *args) -> str:
    """The URL of ``name`` without its last argument, a person's or a visit's id: the template appends it."""
    url = reverse(name, args=[*args, 0])
    if not url.endswith("/0/"):
        raise ValueError(f"{name} does not end with its id: {url}")
    return url[: -len("0/")]


@dataclass
class EntryContext:
    """What one person's entry screen needs: stage, doses, what is due, the vitamin A capsule."""

    stage: str
    given: set[str]
    due: list
    due_antigens: tuple[str, ...]
    overdue_antigens: frozenset[str]
    capsule: str | None
    age_months: int
    month: datetime.date
    pregnancy: Kehamilan | None = None

    @property
    def overdue_count(self) -> int:
        return sum(1 for item in self.due if item.overdue)


def _entry_context(*, warga: Warga, on: datetime.date, month: datetime.date) -> EntryContext:
    stage, pregnancy = services.visit_stage(warga, on)
    given = set(Imunisasi.objects.filter(warga=warga).values_list("antigen", flat=True))
    age_months = completed_months(warga.birth_date, on)
    doses = doses_due(age_months=age_months, age_days=dates.age_in_days(warga.birth_date, on), given=given)
    return EntryContext(
        stage=stage,
        given=given,
        due=selectors.due_items(
            warga=warga, stage=stage, on=on, age_months=age_months, given=given, month=month, visit=None
        ),
        due_antigens=tuple(dose.antigen for dose, _late in doses),
        overdue_antigens=frozenset(dose.antigen for dose, late in doses if late),
        capsule=services.vitamin_a_due(age_months=age_months, month=month) if stage == LifeStage.BALITA else None,
        age_months=age_months,
        month=month,
        pregnancy=pregnancy,
    )


def _entry_form(request, warga, entry: EntryContext, on: datetime.date, **kwargs) -> KunjunganForm:
    return KunjunganForm(
        request.POST or None,
        warga=warga,
        stage=entry.stage,
        on=on,
        given=entry.given,
        due=entry.due_antigens,
        overdue=entry.overdue_antigens,
        vitamin_a_capsule=entry.capsule,
        pregnancy=entry.pregnancy,
        **kwargs,
    )


def _entry_page_context(warga, entry: EntryContext, form, implausible, **extra) -> dict:
    """What the entry screen shows; only when it is shown (a save that succeeds never reads the last weighing)."""
    if entry.stage in (LifeStage.BALITA, LifeStage.IBU_HAMIL):
        form.show_last_weighing(selectors.last_weighing(warga=warga, before_month=entry.month))
    return {
        "warga": warga,
        "stage": entry.stage,
        "stage_label": LifeStage(entry.stage).label,
        "age_text": dates.format_age(entry.age_months),
        "due": entry.due,
        "overdue_count": entry.overdue_count,
        "form": form,
        "implausible": implausible,
        **extra,
    }


def kunjungan_entry(request, pk: int, warga_pk: int):
    """Record one person on the opening day: one screen, saved without a page reload."""
    hari_buka = _hari_buka(request, pk)
    warga = get_object_for_user(
        Warga.objects.select_related("mother", "keluarga"), request.user, pk=warga_pk, posyandu=hari_buka.posyandu
    )
    require_health_writer(request.user)  # after the fetch: outside the scope is a 404 first
    if request.method == "GET":
        existing = Kunjungan.objects.filter(
            warga=warga, reporting_month=hari_buka.reporting_month, kind=Kunjungan.Kind.POSYANDU
        ).first()
        if existing is not None:
            return redirect("layanan:kunjungan_result", pk=existing.pk)
    entry = _entry_context(warga=warga, on=hari_buka.date, month=hari_buka.reporting_month)
    form = _entry_form(request, warga, entry, hari_buka.date)
    implausible = None
    if request.method == "POST" and form.is_valid():
        antigens = form.cleaned_data.get("antigens") or ()
        kunjungan, implausible = _record_from_form(request, form, warga=warga, hari_buka=hari_buka, antigens=antigens)
        if kunjungan is not None:
            return _saved(request, kunjungan)
    context = _entry_page_context(warga, entry, form, implausible, hari_buka=hari_buka, action=request.path)
    return render(request, _entry_template(request), context)


def _record_from_form(request, form, **where) -> tuple[Kunjungan | None, services.ImplausibleMeasurement | None]:
    """The entry pages' one way to save (an opening day's entry, a home visit, a correction): the form's
    values through ``services.kunjungan_record``, and whatever stops them put on the form: the question
    about an implausible measurement (returned too, for the page to ask it), someone else's newer save
    (saving again overwrites it, knowingly), the service's own errors. Returns (the visit or None, the
    implausible measurement or None)."""
    try:
        kunjungan = services.kunjungan_record(
            user=request.user,
            values=form.service_values(),
            confirm_implausible=form.cleaned_data["confirm_implausible"],
            **where,
        )
    except services.ImplausibleMeasurement as error:
        form.add_error(None, error)
        return None, error
    except StaleEdit as error:
        form.data = form.data.copy()
        form.data["version"] = error.current_version
        form.add_error(None, error)
    except ValidationError as error:
        form_add_errors(form, error)
    else:
        return kunjungan, None
    return None, None


def _entry_template(request) -> str:
    """The form alone for htmx (swapped into the page), the whole page otherwise."""
    return "layanan/includes/entry_form.html" if _is_htmx(request) else "layanan/kunjungan_entry.html"


def _saved(request, kunjungan: Kunjungan, message: str | None = None, *, fresh: bool = True):
    """After a save: htmx gets the result card in place (and the result's URL in the address bar);
    a plain form post is redirected to the result page (post/redirect/get)."""
    if _is_htmx(request):
        response = _result_response(request, kunjungan, partial=True, fresh=fresh)
        response["HX-Push-Url"] = reverse("layanan:kunjungan_result", kwargs={"pk": kunjungan.pk})
        return response
    if message:
        messages.success(request, message)
    return redirect("layanan:kunjungan_result", pk=kunjungan.pk)


def _result_response(request, kunjungan: Kunjungan, *, partial: bool, fresh: bool = False):
    next_person = None
    if kunjungan.hari_buka_id:
        next_person = selectors.next_to_see(
            posyandu=kunjungan.hari_buka.posyandu_id,
            on=kunjungan.visit_date,
            month=kunjungan.reporting_month,
            after=kunjungan.warga,
        )
    context = {
        "kunjungan": kunjungan,
        "warga": kunjungan.warga,
        "hari_buka": kunjungan.hari_buka,
        "next_person": next_person,
        "immunisations": list(kunjungan.imunisasi.all()),
        "can_write": can_correct_health(request.user),
        "referral": None if fresh else Rujukan.objects.filter(kunjungan=kunjungan).first(),
    }
    template = "layanan/includes/entry_result.html" if partial else "layanan/kunjungan_result.html"
    return render(request, template, context)


def kunjungan_result(request, pk: int):
    kunjungan = get_object_for_user(
        Kunjungan.objects.select_related("warga", "hari_buka", "hari_buka__posyandu", "posyandu"),
        request.user,
        pk=pk,
    )
    return _result_response(request, kunjungan, partial=False)


def kunjungan_rumah(request, warga_pk: int):
    """A home visit (kunjungan rumah): the same screen with a date and reporting month."""
    warga = get_object_for_user(Warga.objects.select_related("mother"), request.user, pk=warga_pk)
    require_health_writer(request.user)  # after the fetch: outside the scope is a 404 first
    on = dates.today()
    if request.method == "POST":
        try:
            on = datetime.date.fromisoformat(request.POST.get("visit_date", ""))
        except ValueError:
            on = dates.today()
        on = min(max(on, warga.birth_date), dates.today())
    entry = _entry_context(warga=warga, on=on, month=dates.month_start(on))
    form = _entry_form(request, warga, entry, on, home_visit=True)
    implausible = None
    if request.method == "POST" and form.is_valid():
        kunjungan, implausible = _record_from_form(
            request,
            form,
            warga=warga,
            visit_date=form.cleaned_data["visit_date"],
            reporting_month=form.cleaned_data["reporting_month"],
            antigens=form.cleaned_data.get("antigens") or (),
        )
        if kunjungan is not None:
            return _saved(request, kunjungan, _("Kunjungan rumah tersimpan."))
    return render(
        request,
        _entry_template(request),
        _entry_page_context(warga, entry, form, implausible, home_visit=True, action=request.path),
    )


def _edit_form(request, kunjungan: Kunjungan) -> KunjunganForm:
    """The visit form filled with the visit's values, for ``kunjungan_update``."""
    warga = kunjungan.warga
    initial = {name: getattr(kunjungan, name) for name in services.STAGE_FIELDS[kunjungan.stage]}
    initial["vitamin_a"] = bool(kunjungan.vitamin_a)
    initial["version"] = version_of(kunjungan)
    capsule = None
    if kunjungan.stage == LifeStage.BALITA:
        capsule = kunjungan.vitamin_a or services.vitamin_a_due(
            age_months=completed_months(warga.birth_date, kunjungan.visit_date), month=kunjungan.reporting_month
        )
    form = KunjunganForm(
        request.POST or None,
        initial=initial,
        warga=warga,
        stage=kunjungan.stage,
        on=kunjungan.visit_date,
        vitamin_a_capsule=capsule,
        editing=True,
    )
    return form


def kunjungan_update(request, pk: int):
    """Correct a visit. Next month's N/T is recomputed from the corrected weight."""
    kunjungan = get_object_for_user(
        Kunjungan.objects.select_related("warga", "hari_buka", "posyandu"), request.user, pk=pk
    )
    require_health_corrector(request.user)  # after the fetch: outside the scope is a 404 first
    warga = kunjungan.warga
    form = _edit_form(request, kunjungan)
    implausible = None
    if request.method == "POST" and form.is_valid():
        saved, implausible = _record_from_form(
            request, form, warga=warga, instance=kunjungan, version=form.cleaned_data.get("version")
        )
        if saved is not None:
            return _saved(request, kunjungan, _("Perubahan tersimpan."), fresh=False)
    return render(
        request,
        _entry_template(request),
        {
            "warga": warga,
            "kunjungan": kunjungan,
            "hari_buka": kunjungan.hari_buka,
            "stage": kunjungan.stage,
            "stage_label": LifeStage(kunjungan.stage).label,
            "age_text": kunjungan.age_display,
            "form": form,
            "implausible": implausible,
            "editing": True,
            "action": request.path,
        },
    )


def haribuka_batch(request, pk: int):
    """Type a paper sheet in afterwards: one row per balita, saved all at once or not at all."""
    hari_buka = _hari_buka(request, pk)
    require_health_writer(request.user)  # after the fetch: outside the scope is a 404 first
    sections = selectors.roster(posyandu=hari_buka.posyandu, on=hari_buka.date, month=hari_buka.reporting_month)
    rows = [row for row in sections[LifeStage.BALITA] if not row.done]
    vitamin_month = hari_buka.reporting_month.month in services.VITAMIN_A_MONTHS
    forms_by_row = []
    for index, row in enumerate(rows):
        form = BatchRowForm(request.POST or None, prefix=f"r{index}", initial={"warga": row.warga.pk})
        forms_by_row.append((row, form))
    saved = 0
    if request.method == "POST":
        by_pk = {row.warga.pk: row for row in rows}
        valid = all(form.is_valid() for _row, form in forms_by_row)
        if valid and all(form.cleaned_data["warga"] == row.warga.pk for row, form in forms_by_row):
            try:
                saved = _batch_save(request, hari_buka, forms_by_row, by_pk)
            except ValidationError:
                pass  # errors were put on the rows; nothing was saved
            else:
                if saved:
                    messages.success(request, _("%(n)s balita tersimpan.") % {"n": saved})
                else:
                    messages.info(request, _("Tidak ada baris yang diisi."))
                return redirect(hari_buka)
        messages.error(request, _("Belum tersimpan: perbaiki baris yang ditandai merah. Isian Anda tetap ada."))
    return render(
        request,
        "layanan/haribuka_batch.html",
        {"hari_buka": hari_buka, "forms_by_row": forms_by_row, "vitamin_month": vitamin_month},
    )


def _batch_save(request, hari_buka, forms_by_row, by_pk) -> int:
    from django.db import transaction

    saved = 0
    failed = False
    with transaction.atomic():
        for row, form in forms_by_row:
            if not form.has_values:
                continue
            data = form.cleaned_data
            capsule = services.vitamin_a_due(age_months=row.age_months, month=hari_buka.reporting_month)
            values = {
                "weight_kg": data["weight_kg"],
                "height_cm": data["height_cm"],
                "position": data["position"],
                "muac_cm": data["muac_cm"],
                "vitamin_a": capsule if data["vitamin_a"] and capsule else "",
            }
            if data["vitamin_a"] and not capsule:
                form.add_error("vitamin_a", _("Vitamin A tidak untuk umur atau bulan ini."))
                failed = True
                continue
            try:
                with transaction.atomic():
                    services.kunjungan_record(
                        warga=row.warga,
                        user=request.user,
                        hari_buka=hari_buka,
                        values=values,
                        confirm_implausible=data["confirm_implausible"],
                    )
            except ValidationError as error:
                form_add_errors(form, error)
                form.implausible = isinstance(error, services.ImplausibleMeasurement)
                failed = True
            else:
                saved += 1
        if failed:
            transaction.set_rollback(True)
            raise ValidationError("batch")
    return saved


# ---------------------------------------------------------------------------------------------
# Referrals, immunisation, pregnancy, health record
# ---------------------------------------------------------------------------------------------
def rujukan_create(request, pk: int):
    kunjungan = get_object_for_user(Kunjungan.objects.select_related("warga"), request.user, pk=pk)
    require_health_writer(request.user)  # after the fetch: outside the scope is a 404 first
    if hasattr(kunjungan, "rujukan"):
        messages.info(request, _("Kunjungan ini sudah dirujuk."))
        return redirect("layanan:kunjungan_result", pk=kunjungan.pk)
    form = RujukanForm(
        request.POST or None,
        initial={"referred_on": kunjungan.visit_date, "reasons": "; ".join(kunjungan.referral_reasons)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.rujukan_create(kunjungan=kunjungan, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("Rujukan tercatat. Tindak lanjuti di daftar rujukan."))
            return redirect("layanan:kunjungan_result", pk=kunjungan.pk)
    return render(request, "layanan/rujukan_form.html", {"form": form, "kunjungan": kunjungan})


def rujukan_list(request):
    show_all = request.GET.get("semua") == "1"
    referrals = selectors.rujukan_list(user=request.user, open_only=not show_all)
    page = paginate(request, referrals, PAGE_SIZE)[0]
    month = dates.this_month()
    candidates = selectors.referral_candidates(user=request.user, month=month)[:50]
    return render(
        request,
        "layanan/rujukan_list.html",
        {
            "page": page,
            "show_all": show_all,
            "candidates": candidates,
            "can_write": can_correct_health(request.user),
        },
    )


def rujukan_follow_up(request, pk: int):
    rujukan = get_object_for_user(Rujukan.objects.select_related("kunjungan", "kunjungan__warga"), request.user, pk=pk)
    require_health_corrector(request.user)  # after the fetch: outside the scope is a 404 first
    form = RujukanFollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rujukan_follow_up(
                rujukan=rujukan,
                status=form.cleaned_data["status"],
                follow_up_on=form.cleaned_data["follow_up_on"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("Tindak lanjut rujukan tersimpan."))
            return redirect("layanan:rujukan_list")
    return render(request, "layanan/rujukan_follow_up.html", {"form": form, "rujukan": rujukan})


def imunisasi_overdue(request):
    posyandu_pk = query_id(request, "posyandu")
    posyandu = get_object_for_user(Posyandu, request.user, pk=posyandu_pk) if posyandu_pk else None
    rows = selectors.immunisation_overdue(user=request.user, posyandu=posyandu)
    page = paginate(request, rows, 50)[0]
    return render(request, "layanan/imunisasi_overdue.html", {"page": page, "posyandu": posyandu})


def warga_health(request, pk: int):
    warga = get_object_for_user(Warga.objects.select_related("posyandu", "mother"), request.user, pk=pk)
    record = selectors.warga_health(warga=warga)
    today = dates.today()
    charts = []
    if completed_months(warga.birth_date, today) <= 60 or record.weight_points:
        age_days = dates.age_in_days(warga.birth_date, today)
        charts = [
            growth_chart_svg(
                sex=warga.sex,
                index="wfa",
                points=record.weight_points,
                title=_("Berat badan menurut umur (KMS)"),
                age_days=age_days,
            ),
            growth_chart_svg(
                sex=warga.sex,
                index="lhfa",
                points=record.height_points,
                title=_("Panjang/tinggi badan menurut umur"),
                age_days=age_days,
            ),
        ]
    ongoing = next((p for p in record.pregnancies if p.is_ongoing), None)
    return render(
        request,
        "layanan/warga_health.html",
        {
            "warga": warga,
            "record": record,
            "charts": charts,
            "due": selectors.person_due(warga=warga, on=today),
            "ongoing_pregnancy": ongoing,
            "can_write": can_correct_health(request.user),
            "stage": warga.life_stage(today),
        },
    )


def imunisasi_create(request, pk: int):
    warga = get_object_for_user(Warga, request.user, pk=pk)
    require_health_corrector(request.user)  # after the fetch: outside the scope is a 404 first
    given = set(Imunisasi.objects.filter(warga=warga).values_list("antigen", flat=True))
    form = ImunisasiForm(request.POST or None, given=given)
    if request.method == "POST" and form.is_valid():
        try:
            services.imunisasi_record(warga=warga, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("Imunisasi tercatat."))
            return redirect("layanan:warga_health", pk=warga.pk)
    return render(request, "layanan/imunisasi_form.html", {"form": form, "warga": warga})


def kehamilan_create(request, pk: int):
    warga = get_object_for_user(Warga, request.user, pk=pk)
    require_health_writer(request.user)  # after the fetch: outside the scope is a 404 first
    form = KehamilanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.kehamilan_register(mother=warga, **form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("Kehamilan tercatat. Ibu ini muncul di daftar ibu hamil hari buka."))
            return redirect("layanan:warga_health", pk=warga.pk)
    return render(request, "layanan/kehamilan_form.html", {"form": form, "warga": warga})


def kehamilan_end(request, pk: int):
    kehamilan = get_object_for_user(Kehamilan.objects.select_related("mother"), request.user, pk=pk)
    require_health_writer(request.user)  # after the fetch: outside the scope is a 404 first
    form = KehamilanEndForm(
        request.POST or None,
        initial={"ended_on": dates.today(), "baby_name": f"Bayi Ny. {kehamilan.mother.name}"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.kehamilan_end(kehamilan=kehamilan, **form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            if kehamilan.baby_id:
                messages.success(request, _("Persalinan tercatat dan bayi didaftarkan sebagai warga."))
                return redirect("layanan:warga_health", pk=kehamilan.baby_id)
            messages.success(request, _("Hasil kehamilan tercatat."))
            return redirect("layanan:warga_health", pk=kehamilan.mother_id)
    return render(request, "layanan/kehamilan_end.html", {"form": form, "kehamilan": kehamilan})
