"""Views: home pages, posyandu registry, pengurus, households and people. Thin: authorise, call, render."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from posyandu import dates, selectors, services
from posyandu.concurrency import StaleEdit
from posyandu.forms import (
    KeluargaFilterForm,
    KeluargaForm,
    NikSearchForm,
    OpdForm,
    PasswordChangeForm,
    PengurusEndForm,
    PengurusForm,
    PosyanduFilter,
    PosyanduForm,
    PosyanduPickForm,
    WargaFilterForm,
    WargaForm,
    WargaMoveForm,
    WargaStatusForm,
)
from posyandu.models import (
    Keluarga,
    LifeStage,
    Opd,
    Pengurus,
    Posyandu,
    Role,
    SpmField,
    Warga,
    Wilayah,
    can_see_full_nik,
)
from posyandu.params import is_id, query_choice
from posyandu.puskesmas import selectors as puskesmas_selectors
from posyandu.scope import get_object_for_user, scoped
from posyandu.viewkit import form_add_errors, paginate

PAGE_SIZE = 25


def _require_manager(user) -> None:
    if not user.can_manage_posyandu:
        raise PermissionDenied(_("Hanya operator desa, Tim Pembina dan admin yang boleh mengubah data posyandu."))


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page, with the old password counted like a login (``PasswordChangeForm``). When the
    count reaches the lock, the session ends and axes' middleware answers with the lockout page, as it
    does for the login: whoever holds an unattended session cannot go on guessing."""

    form_class = PasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_invalid(self, form):
        if getattr(self.request, "axes_locked_out", False):
            logout(self.request)
        return super().form_invalid(form)


def home(request):
    """What this person should do now, by role."""
    user = request.user
    context = {"today": dates.today()}
    # (the reports and requests waiting for this user: ``work_queue``, from laporan's context processor)
    if user.role == Role.OPD:
        # An OPD officer: their queue (``opd_queue``, from layanan's context processor).
        return render(request, "posyandu/home_opd.html", context)
    if user.posyandu_id:
        posyandu = get_object_for_user(Posyandu.objects.select_related("desa__parent"), user, pk=user.posyandu_id)
        current, _past, vacant = selectors.posyandu_pengurus(posyandu=posyandu)
        next_opening = posyandu.next_opening_date(context["today"])
        context.update(
            posyandu=posyandu,
            next_opening=next_opening,
            days_until=(next_opening - context["today"]).days if next_opening else None,
            current_pengurus=current,
            vacant_positions=vacant,
        )
        return render(request, "posyandu/home_posyandu.html", context)
    area = user.wilayah if user.wilayah_id else None
    if user.scope_puskesmas_id:  # a Puskesmas officer: the area holding the working area
        area = puskesmas_selectors.home_area(puskesmas=user.puskesmas)
    is_desa = area is not None and area.level == area.Level.DESA
    context.update(
        area=area,
        rows=[] if is_desa else selectors.area_summary(user=user, area=area),
        desa_posyandu=list(selectors.posyandu_list(user=user)) if is_desa else None,
        attention=selectors.posyandu_needing_attention(user=user),
        required_positions=selectors.PENGURUS_POSITIONS_REQUIRED,
    )
    return render(request, "posyandu/home_area.html", context)


def posyandu_list(request):
    filterset = PosyanduFilter(
        request.GET or None, queryset=selectors.posyandu_list(user=request.user), user=request.user
    )
    page = paginate(request, filterset.qs, PAGE_SIZE)[0]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "posyandu/posyandu_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "required_positions": selectors.PENGURUS_POSITIONS_REQUIRED,
        },
    )


def posyandu_detail(request, pk: int):
    posyandu = get_object_for_user(Posyandu.objects.select_related("desa__parent__parent"), request.user, pk=pk)
    current, past, vacant = selectors.posyandu_pengurus(posyandu=posyandu)
    return render(
        request,
        "posyandu/posyandu_detail.html",
        {
            "posyandu": posyandu,
            "current_pengurus": current,
            "past_pengurus": past,
            "vacant_positions": vacant,
            "next_opening": posyandu.next_opening_date(),
            "can_manage": request.user.can_manage_posyandu,
        },
    )


def posyandu_create(request):
    _require_manager(request.user)
    form = PosyanduForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            posyandu = services.posyandu_create(**form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Posyandu %(name)s tersimpan.") % {"name": posyandu.name})
            return redirect(posyandu)
    return render(request, "posyandu/posyandu_form.html", {"form": form})


def posyandu_update(request, pk: int):
    posyandu = get_object_for_user(Posyandu, request.user, pk=pk)
    _require_manager(request.user)
    form = PosyanduForm(request.POST or None, instance=posyandu, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.posyandu_update(posyandu=posyandu, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Perubahan posyandu %(name)s tersimpan.") % {"name": posyandu.name})
            return redirect(posyandu)
    return render(request, "posyandu/posyandu_form.html", {"form": form, "posyandu": posyandu})


def pengurus_create(request, pk: int):
    posyandu = get_object_for_user(Posyandu, request.user, pk=pk)
    _require_manager(request.user)
    initial = {
        "position": query_choice(request, "position", Pengurus.Position.values),
        "field": query_choice(request, "field", SpmField.values),
    }
    initial = {key: value for key, value in initial.items() if value}
    form = PengurusForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            pengurus = services.pengurus_appoint(posyandu=posyandu, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(name)s tercatat sebagai %(position)s.")
                % {"name": pengurus.name, "position": pengurus.position_label},
            )
            return redirect(posyandu)
    return render(request, "posyandu/pengurus_form.html", {"form": form, "posyandu": posyandu})


@require_POST
def pengurus_end(request, pk: int):
    pengurus = get_object_for_user(Pengurus.objects.select_related("posyandu"), request.user, pk=pk)
    _require_manager(request.user)
    form = PengurusEndForm(request.POST)
    if form.is_valid():
        try:
            services.pengurus_end_term(pengurus=pengurus, ended_on=form.cleaned_data["ended_on"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Masa bakti %(name)s diakhiri.") % {"name": pengurus.name})
    else:
        messages.error(request, _("Tanggal berhenti tidak valid."))
    return redirect(pengurus.posyandu)


# ---------------------------------------------------------------------------------------------
# Households and people
# ---------------------------------------------------------------------------------------------
def _require_people_editor(user) -> None:
    if not user.can_edit_warga:
        raise PermissionDenied(
            _("Tim Pembina hanya melihat data warga; perubahan dicatat oleh kader, pengurus atau operator desa.")
        )


def _pk_or_404(value: str | None) -> int | None:
    """An id from the query string: None when absent, 404 when it is not an id (ASCII digits, a bigint)."""
    if value in (None, ""):
        return None
    if not is_id(value):
        raise Http404
    return int(value)


def _mother_options(user, *, name: str, selected, person: Warga | None = None) -> tuple[list[Warga], str]:
    """The radio list under the mother's name: the chosen mother first, then women matching the name.

    Only women of the user's scope, plus the person's current mother (who may have moved away).
    """
    allowed = scoped(Warga.objects.all(), user)
    if person is not None and person.mother_id:
        allowed = allowed | Warga.objects.filter(pk=person.mother_id)
    selected = str(selected or "")
    exclude_pk = person.pk if person is not None else None
    options = selectors.warga_mother_candidates(user=user, name=name or "", exclude_pk=exclude_pk)
    if is_id(selected) and int(selected) not in {option.pk for option in options}:
        chosen = allowed.filter(pk=int(selected)).select_related("posyandu", "keluarga").first()
        if chosen is not None:
            options.insert(0, chosen)
    return options, selected


def _form_context(request, form, **context) -> dict:
    person = context.get("warga")
    options, selected = _mother_options(
        request.user, name=form["mother_name"].value(), selected=form["mother"].value(), person=person
    )
    return {
        "form": form,
        "mother_options": options,
        "selected_mother": selected,
        "show_posyandu": not request.user.posyandu_id,
        **context,
    }


def warga_list(request):
    user = request.user
    filter_form = WargaFilterForm(request.GET, user=user)
    filters = filter_form.filters()
    page, query = paginate(request, selectors.warga_list(user=user, **filters), selectors.WARGA_PAGE_SIZE)
    add_url = reverse("posyandu:warga_create")
    if not user.posyandu_id and filters["posyandu"] is not None:
        add_url += f"?posyandu={filters['posyandu'].pk}"  # skip the posyandu choice for an area user
    return render(
        request,
        "posyandu/warga_list.html",
        {
            "filter": filter_form,
            "page": page,
            "query": query,
            "nik_form": NikSearchForm(),
            "show_posyandu": not user.posyandu_id,
            "can_edit": user.can_edit_warga,
            "add_url": add_url,
        },
    )


@require_POST
@sensitive_post_parameters("nik")
def warga_find_nik(request):
    """Open a person's page by NIK. POST only: the number never appears in a URL or an access log."""
    form = NikSearchForm(request.POST)
    warga = selectors.warga_find_by_nik(user=request.user, nik=form.cleaned_data["nik"]) if form.is_valid() else None
    if warga is None:
        messages.warning(request, _("Tidak ada warga dengan NIK itu di wilayah Anda."))
        return redirect("posyandu:warga_list")
    return redirect(warga)


def warga_search(request):
    """htmx: the mother choices for the name typed so far (also rendered inside the form without JS)."""
    user = request.user
    _require_people_editor(user)
    person_pk = _pk_or_404(request.GET.get("warga"))
    person = get_object_for_user(Warga, user, pk=person_pk) if person_pk else None
    options, selected = _mother_options(
        user, name=request.GET.get("mother_name", ""), selected=request.GET.get("mother"), person=person
    )
    return render(
        request,
        "posyandu/warga_mother_options.html",
        {"mother_options": options, "selected_mother": selected, "show_posyandu": not user.posyandu_id},
    )


def _with_scope_flag(people: list[Warga], user) -> list[Warga]:
    visible = set(scoped(Warga.objects.filter(pk__in=[p.pk for p in people]), user).values_list("pk", flat=True))
    for person in people:
        person.in_scope = person.pk in visible
    return people


@sensitive_post_parameters("nik")
def warga_create(request):
    """Register a person. Possible duplicates in the desa are shown first; ticking the box saves anyway."""
    user = request.user
    _require_people_editor(user)
    keluarga = None
    if keluarga_pk := _pk_or_404(request.GET.get("keluarga")):
        keluarga = get_object_for_user(Keluarga.objects.select_related("posyandu__desa"), user, pk=keluarga_pk)
        posyandu = keluarga.posyandu
    elif user.posyandu_id:
        posyandu = get_object_for_user(Posyandu.objects.select_related("desa"), user, pk=user.posyandu_id)
    else:
        pick = PosyanduPickForm(request.GET if "posyandu" in request.GET else None, user=user)
        if not pick.is_valid():
            return render(request, "posyandu/warga_pick_posyandu.html", {"form": pick})
        posyandu = pick.cleaned_data["posyandu"]

    form = WargaForm(request.POST or None, user=user, posyandu=posyandu, initial={"keluarga": keluarga})
    duplicates = []
    if request.method == "POST":
        if "cari_ibu" in request.POST:
            form.show_without_errors()
        elif form.is_valid():
            data = form.warga_data
            matches = list(
                selectors.warga_possible_duplicates(
                    name=data["name"],
                    birth_date=data["birth_date"],
                    mother=data["mother"],
                    mother_name=data["mother_name"],
                    desa=posyandu.desa,
                )[:10]
            )
            match_pks = {match.pk for match in matches}
            confirmed = form.cleaned_data["confirm_different"] and match_pks <= form.cleaned_data["duplicates_seen"]
            if matches and not confirmed:
                duplicates = _with_scope_flag(matches, user)
                shown = request.POST.copy()
                shown["duplicates_seen"] = ",".join(str(pk) for pk in sorted(match_pks))
                shown.pop("confirm_different", None)
                form = WargaForm(shown, user=user, posyandu=posyandu)
                form.is_valid()
            else:
                try:
                    warga = services.warga_create(posyandu=posyandu, **data)
                except ValidationError as exc:
                    form_add_errors(form, exc)
                else:
                    messages.success(request, _("%(name)s tercatat sebagai warga.") % {"name": warga.name})
                    return redirect(warga)
    return render(
        request,
        "posyandu/warga_form.html",
        _form_context(request, form, posyandu=posyandu, keluarga=keluarga, duplicates=duplicates),
    )


def warga_detail(request, pk: int):
    user = request.user
    warga = get_object_for_user(
        Warga.objects.select_related("posyandu__desa__parent", "mother__posyandu", "keluarga"), user, pk=pk
    )
    return render(
        request,
        "posyandu/warga_detail.html",
        {
            "warga": warga,
            "family": selectors.warga_family(user=user, warga=warga),
            "life_stage": LifeStage(warga.life_stage()).label,
            "show_full_nik": can_see_full_nik(user, warga.posyandu),
            "can_edit": user.can_edit_warga,
        },
    )


@require_POST
def warga_anonymise(request, pk: int):
    """Admin only: erase what identifies the person, keep what the reports count."""
    warga = get_object_for_user(Warga, request.user, pk=pk)
    try:
        services.warga_anonymise(warga=warga, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Data pribadi warga ini sudah dihapus; data kunjungannya tetap dihitung."))
    return redirect("posyandu:warga_detail", pk=pk)


@sensitive_post_parameters("nik")
def warga_update(request, pk: int):
    user = request.user
    warga = get_object_for_user(Warga.objects.select_related("posyandu__desa", "mother"), user, pk=pk)
    _require_people_editor(user)
    title = warga.name
    form = WargaForm(request.POST or None, instance=warga, user=user, posyandu=warga.posyandu)
    if request.method == "POST":
        if "cari_ibu" in request.POST:
            form.show_without_errors()
        elif form.is_valid():
            try:
                services.warga_update(warga=warga, version=form.cleaned_data["version"], **form.warga_data)
            except StaleEdit as exc:
                form.data = form.data.copy()
                form.data["version"] = exc.current_version  # saving again overwrites, knowingly
                form.add_error(None, exc)
            except ValidationError as exc:
                form_add_errors(form, exc)
            else:
                messages.success(request, _("Perubahan data %(name)s tersimpan.") % {"name": warga.name})
                return redirect(warga)
    return render(
        request,
        "posyandu/warga_form.html",
        _form_context(request, form, warga=warga, title=title, posyandu=warga.posyandu, duplicates=[]),
    )


def warga_move(request, pk: int):
    user = request.user
    warga = get_object_for_user(Warga.objects.select_related("posyandu__desa"), user, pk=pk)
    _require_people_editor(user)
    from_posyandu = warga.posyandu
    destinations = selectors.warga_move_destinations(user=user, warga=warga)
    form = WargaMoveForm(request.POST or None, destinations=destinations, initial={"moved_on": dates.today()})
    if request.method == "POST" and form.is_valid():
        try:
            move = services.warga_move(warga=warga, user=user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s dipindahkan ke %(posyandu)s. Riwayat kunjungan di %(old)s tetap tercatat.")
                % {"name": warga.name, "posyandu": move.to_posyandu.name, "old": from_posyandu.name},
            )
            if scoped(Warga.objects.filter(pk=warga.pk), user).exists():
                return redirect(warga)
            return redirect("posyandu:warga_list")  # handed over outside the user's own posyandu
    return render(
        request,
        "posyandu/warga_move.html",
        {"form": form, "warga": warga, "from_posyandu": from_posyandu, "has_destinations": destinations.exists()},
    )


def warga_status(request, pk: int):
    user = request.user
    warga = get_object_for_user(Warga.objects.select_related("posyandu"), user, pk=pk)
    _require_people_editor(user)
    current_status = warga.get_status_display()
    form = WargaStatusForm(request.POST or None, initial={"status": warga.status, "status_date": warga.status_date})
    if request.method == "POST" and form.is_valid():
        try:
            services.warga_set_status(warga=warga, **form.cleaned_data)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Status %(name)s: %(status)s.") % {"name": warga.name, "status": warga.get_status_display()},
            )
            return redirect(warga)
    return render(
        request, "posyandu/warga_status.html", {"form": form, "warga": warga, "current_status": current_status}
    )


def keluarga_list(request):
    user = request.user
    filter_form = KeluargaFilterForm(request.GET, user=user)
    households = selectors.keluarga_list(user=user, **filter_form.filters())
    page, query = paginate(request, households, selectors.WARGA_PAGE_SIZE)
    return render(
        request,
        "posyandu/keluarga_list.html",
        {
            "filter": filter_form,
            "page": page,
            "query": query,
            "show_posyandu": not user.posyandu_id,
            "can_edit": user.can_edit_warga,
        },
    )


@sensitive_post_parameters("kk_number")
def keluarga_create(request):
    user = request.user
    _require_people_editor(user)
    form = KeluargaForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        posyandu = data.pop("posyandu", None) or get_object_for_user(Posyandu, user, pk=user.posyandu_id)
        try:
            keluarga = services.keluarga_create(posyandu=posyandu, **data)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Keluarga %(name)s tersimpan. Tambahkan anggotanya di sini.") % {"name": keluarga.head_name},
            )
            return redirect(keluarga)
    return render(request, "posyandu/keluarga_form.html", {"form": form})


def keluarga_detail(request, pk: int):
    user = request.user
    keluarga = get_object_for_user(Keluarga.objects.select_related("posyandu__desa"), user, pk=pk)
    return render(
        request,
        "posyandu/keluarga_detail.html",
        {
            "keluarga": keluarga,
            "members": selectors.keluarga_members(keluarga=keluarga),
            "show_full_kk": can_see_full_nik(user, keluarga.posyandu),
            "can_edit": user.can_edit_warga,
        },
    )


@sensitive_post_parameters("kk_number")
def keluarga_update(request, pk: int):
    user = request.user
    keluarga = get_object_for_user(Keluarga.objects.select_related("posyandu__desa"), user, pk=pk)
    _require_people_editor(user)
    title = keluarga.head_name
    form = KeluargaForm(request.POST or None, instance=keluarga, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.keluarga_update(keluarga=keluarga, **form.cleaned_data)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Perubahan keluarga %(name)s tersimpan.") % {"name": keluarga.head_name})
            return redirect(keluarga)
    return render(request, "posyandu/keluarga_form.html", {"form": form, "keluarga": keluarga, "title": title})


# ---------------------------------------------------------------------------------------------
# OPD pengampu: kept by the kabupaten team (admins: every kabupaten)
# ---------------------------------------------------------------------------------------------
def _require_opd_keeper(user) -> None:
    if not user.keeps_kabupaten_registers:
        raise PermissionDenied(_("OPD pengampu dikelola oleh Tim Pembina kabupaten."))


def opd_list(request):
    _require_opd_keeper(request.user)
    rows = selectors.opd_list(user=request.user)
    return render(request, "posyandu/opd_list.html", {"rows": rows})


def opd_create(request):
    _require_opd_keeper(request.user)
    choices = scoped(Wilayah.objects.filter(level=Wilayah.Level.KABUPATEN), request.user).order_by("name")
    form = OpdForm(request.POST or None, kabupaten_choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            opd = services.opd_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("OPD %(name)s tersimpan.") % {"name": opd.name})
            return redirect("posyandu:opd_list")
    return render(request, "posyandu/opd_form.html", {"form": form})


def opd_update(request, pk: int):
    opd = get_object_for_user(Opd.objects.select_related("kabupaten"), request.user, pk=pk)
    _require_opd_keeper(request.user)
    initial = {"name": opd.name, "short_name": opd.short_name, "fields": opd.fields}
    form = OpdForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.opd_update(by=request.user, opd=opd, **form.cleaned_data)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("OPD %(name)s tersimpan.") % {"name": opd.name})
            return redirect("posyandu:opd_list")
    return render(request, "posyandu/opd_form.html", {"form": form, "opd": opd})
