"""Views for the home pages, the posyandu registry and pengurus. Thin: authorise, call, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from posyandu import selectors, services
from posyandu.forms import PengurusEndForm, PengurusForm, PosyanduFilter, PosyanduForm
from posyandu.models import Pengurus, Posyandu
from posyandu.scope import get_object_for_user

PAGE_SIZE = 25


def _require_manager(user) -> None:
    if not user.can_manage_posyandu:
        raise PermissionDenied(_("Hanya operator desa, Tim Pembina dan admin yang boleh mengubah data posyandu."))


def home(request):
    """What this person should do now, by role."""
    user = request.user
    context = {"today": timezone.localdate()}
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
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
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
    initial = {key: request.GET[key] for key in ("position", "field") if key in request.GET}
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
