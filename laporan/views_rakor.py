"""Rakor follow-up: the meetings of an area, the decisions taken there and where each one stands.

The Tim Pembina records a meeting and its decisions (several at once, from a phone); the responsible
OPD's officers or area's users (and the team) update each decision's status with a note. Every list is
scoped (``posyandu.scope``): a kecamatan team sees its kecamatan's meetings and the decisions a kabupaten
meeting assigned to its kecamatan; a desa operator (and a posyandu's kader and pengurus, read only) the
decisions assigned to its desa; an OPD officer the decisions assigned to their OPD (not the meetings'
pages: ``posyandu.role_gate``).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from laporan import selectors, services
from laporan.forms import KeputusanEditForm, KeputusanFormSet, KeputusanStatusForm, RakorForm
from laporan.models import KeputusanRakor, Rakor
from posyandu import dates
from posyandu.concurrency import StaleEdit
from posyandu.params import query_area_code, query_choice
from posyandu.role_gate import may_open
from posyandu.scope import get_object_for_user


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


def rakor_list(request):
    """The meetings of the user's area, and the decisions the user sees (optionally only the overdue
    ones, or only those waiting for the user)."""
    area = selectors.area_for_user(request.user, query_area_code(request, "wilayah"))
    overdue = query_choice(request, "terlambat", ["1"]) == "1"
    mine = query_choice(request, "untuk_saya", ["1"]) == "1"
    decisions = selectors.keputusan_list(user=request.user, area=area, overdue=overdue)
    if mine:
        decisions = decisions.filter(selectors.keputusan_waiting_q(request.user))
    opens_meetings = may_open(request.user, "laporan:rakor_detail")
    return render(
        request,
        "laporan/rakor_list.html",
        {
            "meetings": selectors.rakor_list(user=request.user)[:30] if opens_meetings else [],
            "opens_meetings": opens_meetings,
            "decisions": list(decisions.order_by("status", "deadline", "pk")[:200]),
            "overdue": overdue,
            "mine": mine,
            "area": area,
            "today": dates.today(),
            "may_create": services.may_create_rakor(request.user),
        },
    )


def rakor_create(request):
    if not services.may_create_rakor(request.user):
        raise PermissionDenied(_("Hanya Tim Pembina kecamatan/kabupaten yang mencatat rakor."))
    choices = selectors.period_choices()
    form = RakorForm(request.POST or None, user=request.user, period_choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            rakor = services.rakor_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Rakor dicatat. Tuliskan keputusannya."))
            return redirect("laporan:rakor_detail", pk=rakor.pk)
    return render(request, "laporan/rakor_form.html", {"form": form})


def rakor_detail(request, pk: int):
    """A meeting, its decisions with their status, and (for its team) rows to record more decisions."""
    rakor = get_object_for_user(Rakor.objects.select_related("wilayah"), request.user, pk=pk)
    team = services.is_rakor_team(request.user, rakor)
    if request.method == "POST" and not team:
        raise PermissionDenied(_("Hanya Tim Pembina penyelenggara rakor yang mencatat keputusannya."))
    formset = KeputusanFormSet(request.POST or None, rakor=rakor, prefix="k") if team else None
    if request.method == "POST" and formset.is_valid():
        rows = [form.cleaned_data for form in formset.forms if form.has_changed()]
        try:
            created = services.keputusan_add(rakor=rakor, rows=rows, user=request.user)
        except ValidationError as error:
            formset.forms[0].add_error(None, error.messages)
        else:
            messages.success(request, _("%(n)s keputusan dicatat.") % {"n": len(created)})
            return redirect("laporan:rakor_detail", pk=rakor.pk)
    decisions = selectors.keputusan_list(user=request.user).filter(rakor=rakor).order_by("deadline", "pk")
    return render(
        request,
        "laporan/rakor_detail.html",
        {"rakor": rakor, "decisions": list(decisions), "formset": formset, "team": team, "today": dates.today()},
    )


def keputusan_detail(request, pk: int):
    """One decision: its status history, and for the responsible users and the team, a status change."""
    keputusan = get_object_for_user(
        KeputusanRakor.objects.select_related("rakor", "rakor__wilayah", "wilayah_pj", "opd"), request.user, pk=pk
    )
    choices = services.keputusan_next_statuses(keputusan=keputusan, user=request.user)
    if request.method == "POST" and not choices:
        if _closed_meanwhile(request, keputusan):
            return redirect("laporan:keputusan_detail", pk=keputusan.pk)
        raise PermissionDenied(_("Hanya penanggung jawab atau Tim Pembina penyelenggara yang mengubah status."))
    form = KeputusanStatusForm(request.POST or None, choices=choices) if choices else None
    if request.method == "POST" and form.is_valid():
        try:
            services.keputusan_set_status(
                keputusan=keputusan, to_status=form.cleaned_data["status"], note=form.cleaned_data["note"],
                on=form.cleaned_data["on"], user=request.user,
            )  # fmt: skip
        except ValidationError as error:
            if getattr(error, "code", None) != "already_recorded":
                _form_errors(form, error)
            else:  # a double tap or a replayed form: the first one counted
                messages.info(request, error.messages[0])
                return redirect("laporan:keputusan_detail", pk=keputusan.pk)
        else:
            messages.success(request, _("Status keputusan diperbarui."))
            return redirect("laporan:keputusan_detail", pk=keputusan.pk)
    return render(
        request,
        "laporan/keputusan_detail.html",
        {
            "keputusan": keputusan,
            "opens_meetings": may_open(request.user, "laporan:rakor_detail"),
            "history": list(keputusan.riwayat.select_related("user")),
            "form": form,
            "may_edit": services.may_edit_keputusan(request.user, keputusan) and keputusan.is_open,
            "today": dates.today(),
        },
    )


def _closed_meanwhile(request, keputusan) -> bool:
    """A status posted on a decision that is closed for this user by now: a second tap after the first
    closed it, or a form left open while the team cancelled it. Said so, not refused with a 403."""
    if not services.may_update_keputusan(request.user, keputusan):
        return False
    status = keputusan.get_status_display()
    if request.POST.get("status") == keputusan.status:
        messages.info(request, _("Status keputusan ini sudah “%(status)s”.") % {"status": status})
    else:
        text = _("Keputusan ini sudah “%(status)s”; statusnya hanya dapat diubah Tim Pembina penyelenggara rakor.")
        messages.warning(request, text % {"status": status})
    return True


def keputusan_edit(request, pk: int):
    """The meeting's team corrects a decision or hands it to another OPD or area, with the reason; others who
    see the decision get a 403, those who do not a 404 (``get_object_for_user``)."""
    keputusan = get_object_for_user(
        KeputusanRakor.objects.select_related("rakor", "rakor__wilayah", "wilayah_pj", "opd"), request.user, pk=pk
    )
    if not services.may_edit_keputusan(request.user, keputusan):
        raise PermissionDenied(_("Hanya Tim Pembina penyelenggara rakor yang mengubah atau mengalihkan keputusannya."))
    detail = redirect("laporan:keputusan_detail", pk=keputusan.pk)
    if not keputusan.is_open:
        if request.method == "POST":  # a form left open while the decision was closed: said so, not saved
            messages.warning(request, services.keputusan_closed_message(keputusan))
            return detail
        form = None
    else:
        form = KeputusanEditForm(request.POST or None, keputusan=keputusan)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.KEPUTUSAN_EDITABLE}
        try:
            services.keputusan_update(
                keputusan=keputusan, user=request.user, note=form.cleaned_data["note"],
                version=form.cleaned_data["version"], **data,
            )  # fmt: skip
        except StaleEdit as error:
            form.data = form.data.copy()
            form.data["version"] = error.current_version  # saving again overwrites, knowingly
            form.add_error(None, error)
        except ValidationError as error:
            if getattr(error, "code", None) in ("already_recorded", "closed"):  # a replay, or closed meanwhile
                messages.info(request, error.messages[0])
                return detail
            _form_errors(form, error)
        else:
            messages.success(request, _("Keputusan diperbarui dan dicatat di riwayatnya."))
            return detail
    return render(
        request,
        "laporan/keputusan_form.html",
        {
            "keputusan": keputusan,
            "form": form,
            "closed_message": None if form else services.keputusan_closed_message(keputusan),
        },
    )
