"""Offline entry: visits typed on a phone without signal arrive here in batches from its outbox.

Each record carries the id the phone gave it (a UUID) and the entry form's fields as typed. It goes
through the same form (types, per-field errors) and the same service (``services.kunjungan_record``)
as online entry: the server stays the authority and keeps no second copy of the rules. The phone's id
is unique in the database (``kunjungan_client_id_unique``), so a batch sent twice, or twice at once,
stores each record once; the second sending gets the first one's answer.

Per record the answer is one of
- ``stored``: saved now, with the server's computed result;
- ``already``: saved before under the same id, with that result (never a second row);
- ``refused``: nothing saved, with a ``code`` the phone can act on, an Indonesian ``message`` and, for
  form errors, ``errors`` per field.

A person registered on the phone (a newborn, a newcomer) is a record of ``type`` "warga", registered
once by its id through ``posyandu.services.warga_create`` after the same possible-duplicate check as
online; the phone's visits of that person name it by ``warga_client`` (sent after it, in order).
"""

import datetime
import uuid
from dataclasses import dataclass, replace

from django import forms
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from layanan import services
from layanan.forms import KunjunganForm
from layanan.models import HariBuka, Imunisasi, Kunjungan
from layanan.permissions import can_record_health
from layanan.schedule import doses_due
from posyandu import dates, monthlock
from posyandu import services as posyandu_services
from posyandu.forms import AsciiDateField, AsciiIntegerField, LocalDecimalField
from posyandu.models import Sex, Warga, WargaPindah
from posyandu.scope import scoped
from posyandu.selectors import warga_possible_duplicates

MAX_BATCH = 200  # records per request; a whole opening day is well under this


class Code:
    """Why a record was refused: the phone shows the message and offers the fix the code implies."""

    INVALID = "invalid"  # form errors per field: fix the values
    IMPLAUSIBLE = "implausible"  # WHO flags a value: re-measure, or confirm it is right
    DUPLICATE = "duplicate"  # the person already has a visit this month (another kader, another phone)
    MONTH_LOCKED = "month_locked"  # the month was approved meanwhile: discard (or ask the admin)
    MOVED = "moved"  # the person moved away (or died) since the roster was taken
    NOT_FOUND = "not_found"  # the opening day or the person is not (or no longer) in the user's scope
    FORBIDDEN = "forbidden"  # the user may not record health data
    MALFORMED = "malformed"  # not a record the phone's app would send
    POSSIBLE_DUPLICATE = "possible_duplicate"  # a person registered offline may be someone already known


@dataclass(frozen=True)
class Record:
    client_id: uuid.UUID
    hari_buka_id: int
    warga_id: int | None  # None: a person registered on the phone, by ``warga_client``
    data: dict
    kind: str = "kunjungan"  # or "warga": a person registered offline (a newborn, a newcomer)
    warga_client: uuid.UUID | None = None


def parse_record(raw) -> Record:
    """A record of the outbox, or ValueError."""
    if not isinstance(raw, dict):
        raise ValueError("record")
    data = raw.get("data") or {}
    if not isinstance(data, dict):
        raise ValueError("data")
    kind = raw.get("type", "kunjungan")
    hari_buka, warga, warga_client = raw.get("hari_buka"), raw.get("warga"), raw.get("warga_client")
    if kind not in ("kunjungan", "warga") or not isinstance(hari_buka, int):
        raise ValueError("kind")
    if kind == "kunjungan" and not isinstance(warga, int) and not warga_client:
        raise ValueError("ids")
    return Record(
        client_id=uuid.UUID(str(raw.get("id"))),
        hari_buka_id=hari_buka,
        warga_id=warga if isinstance(warga, int) else None,
        data=data,
        kind=kind,
        warga_client=uuid.UUID(str(warga_client)) if warga_client else None,
    )


def visit_result(kunjungan: Kunjungan) -> dict:
    """The server's computed result of a visit, as the phone shows it."""

    def number(value):
        return None if value is None else str(value)

    return {
        "pk": kunjungan.pk,
        "stage": kunjungan.stage,
        "weight_kg": number(kunjungan.weight_kg),
        "height_cm": number(kunjungan.height_cm),
        "z_wfa": number(kunjungan.z_wfa),
        "z_lhfa": number(kunjungan.z_lhfa),
        "z_wflh": number(kunjungan.z_wflh),
        "z_bmi": number(kunjungan.z_bmi),
        "cat_wfa": kunjungan.cat_wfa,
        "cat_lhfa": kunjungan.cat_lhfa,
        "cat_wflh": kunjungan.cat_wflh,
        "cat_bmi": kunjungan.cat_bmi,
        "growth_code": kunjungan.growth_display,
        "weight_gain_g": kunjungan.weight_gain_g,
        "implausible": list(kunjungan.implausible),
        "screening_flags": list(kunjungan.screening_flags),
        "referral_reasons": kunjungan.referral_reasons,
    }


def _refused(record_id, code: str, message: str, errors: dict | None = None) -> dict:
    answer = {"id": str(record_id), "status": "refused", "code": code, "message": str(message)}
    if errors:
        answer["errors"] = errors
    return answer


def _answer_for_existing(record_id, existing: Kunjungan, user) -> dict:
    """The same id arrived before: the same answer, if the record is the user's to see."""
    if not scoped(Kunjungan.objects.filter(pk=existing.pk), user).exists():
        return _refused(record_id, Code.NOT_FOUND, _("Catatan ini tidak ditemukan di wilayah Anda."))
    return {"id": str(record_id), "status": "already", "result": visit_result(existing)}


def _stored_with(client_id) -> Kunjungan | None:
    return Kunjungan.objects.filter(client_id=client_id).first()


def _person_problem(record: Record, hari_buka: HariBuka, user) -> dict | None:
    """The person is gone from this posyandu's roster (moved, died) or was never in the user's scope."""
    warga = Warga.objects.filter(pk=record.warga_id).only("name", "status", "posyandu_id").first()
    moved_from_here = WargaPindah.objects.filter(warga_id=record.warga_id, from_posyandu=hari_buka.posyandu_id)
    if warga is not None and (warga.posyandu_id == hari_buka.posyandu_id or moved_from_here.exists()):
        if warga.posyandu_id != hari_buka.posyandu_id or warga.status == Warga.Status.PINDAH:
            message = _("%(name)s sudah pindah dari posyandu ini: kunjungan tidak dicatat di sini.")
        else:
            message = _("%(name)s tidak aktif lagi (%(status)s): kunjungan tidak dicatat.")
        return _refused(
            record.client_id,
            Code.MOVED,
            message % {"name": warga.name, "status": warga.get_status_display().lower()},
        )
    return _refused(record.client_id, Code.NOT_FOUND, _("Warga ini tidak ditemukan di posyandu Anda."))


def _form(warga: Warga, hari_buka: HariBuka, data: dict) -> KunjunganForm:
    """The online entry form for this person on this day, bound to the phone's values."""
    on, month = hari_buka.date, hari_buka.reporting_month
    stage, _pregnancy = services.visit_stage(warga, on)
    given = set(Imunisasi.objects.filter(warga=warga).values_list("antigen", flat=True))
    age_months = dates.months_between(warga.birth_date, on)
    doses = doses_due(age_months=age_months, age_days=dates.age_in_days(warga.birth_date, on), given=given)
    return KunjunganForm(
        data,
        warga=warga,
        stage=stage,
        on=on,
        given=given,
        due=tuple(dose.antigen for dose, _late in doses),
        overdue=frozenset(dose.antigen for dose, late in doses if late),
        vitamin_a_capsule=services.vitamin_a_due(age_months=age_months, month=month) if stage == "balita" else None,
    )


def _form_errors(form: KunjunganForm) -> dict:
    return {name: [str(message) for message in messages] for name, messages in form.errors.items()}


def _validation_errors(error: ValidationError) -> tuple[str, dict]:
    if hasattr(error, "error_dict"):
        errors = {
            name: [str(m) for m in ValidationError(messages).messages] for name, messages in error.error_dict.items()
        }
        return " ".join(message for messages in errors.values() for message in messages), errors
    return " ".join(str(m) for m in error.messages), {}


def _locked_month(record: Record, hari_buka: HariBuka) -> datetime.date | None:
    month = hari_buka.reporting_month
    if monthlock.is_locked(posyandu_id=hari_buka.posyandu_id, month=month):
        return month
    return None


def kunjungan_sync_one(*, user, record: Record) -> dict:
    """Store one outbox record through the online entry's form and service; the answer for the phone."""
    if record.warga_id is None:  # a person registered on the phone: registered before this visit?
        registered = Warga.objects.filter(client_id=record.warga_client).values_list("pk", flat=True).first()
        if registered is None:
            return _refused(record.client_id, Code.NOT_FOUND, _("Warga baru ini belum terdaftar di server."))
        record = replace(record, warga_id=registered)
    existing = _stored_with(record.client_id)
    if existing is not None:
        return _answer_for_existing(record.client_id, existing, user)
    if not can_record_health(user):
        return _refused(record.client_id, Code.FORBIDDEN, _("Anda tidak berwenang mencatat data kesehatan."))
    hari_buka = scoped(HariBuka.objects.select_related("posyandu"), user).filter(pk=record.hari_buka_id).first()
    if hari_buka is None:
        return _refused(record.client_id, Code.NOT_FOUND, _("Hari buka ini tidak ditemukan di wilayah Anda."))
    warga = (
        scoped(Warga.objects.select_related("mother", "keluarga"), user)
        .filter(pk=record.warga_id, posyandu=hari_buka.posyandu, status=Warga.Status.AKTIF)
        .first()
    )
    if warga is None:
        return _person_problem(record, hari_buka, user)
    if month := _locked_month(record, hari_buka):
        return _refused(record.client_id, Code.MONTH_LOCKED, monthlock.locked_message(month))
    form = _form(warga, hari_buka, record.data)
    if not form.is_valid():
        return _refused(
            record.client_id, Code.INVALID, _("Ada isian yang perlu diperbaiki."), errors=_form_errors(form)
        )
    try:
        with transaction.atomic():
            kunjungan = services.kunjungan_record(
                warga=warga,
                user=user,
                hari_buka=hari_buka,
                values=form.service_values(),
                antigens=form.cleaned_data.get("antigens") or (),
                confirm_implausible=form.cleaned_data["confirm_implausible"],
                client_id=record.client_id,
            )
    except services.ImplausibleMeasurement as error:
        return _refused(record.client_id, Code.IMPLAUSIBLE, error.messages[0])
    except services.DuplicateVisit as error:
        if error.existing.client_id == record.client_id:  # the same record, sent at the same moment
            return _answer_for_existing(record.client_id, error.existing, user)
        return _refused(record.client_id, Code.DUPLICATE, _duplicate_message(error.existing))
    except ValidationError as error:
        if (existing := _stored_with(record.client_id)) is not None:  # lost the race to the same id
            return _answer_for_existing(record.client_id, existing, user)
        if month := _locked_month(record, hari_buka) or monthlock.refused_month(error):  # early, or the database
            return _refused(record.client_id, Code.MONTH_LOCKED, monthlock.locked_message(month))
        message, errors = _validation_errors(error)
        return _refused(record.client_id, Code.INVALID, message, errors=errors)
    except DatabaseError as error:
        month = monthlock.refused_month(error)
        if month is None:
            raise
        return _refused(record.client_id, Code.MONTH_LOCKED, monthlock.locked_message(month))
    kunjungan.refresh_from_db()  # the stored values (9.60, not the 9.6 typed): the same answer as a resend
    return {"id": str(record.client_id), "status": "stored", "result": visit_result(kunjungan)}


def _duplicate_message(existing: Kunjungan) -> str:
    by = existing.recorded_by.get_full_name() or existing.recorded_by.username if existing.recorded_by else ""
    return _(
        "%(name)s sudah dicatat bulan %(month)s%(by)s. Catatan dari HP ini tidak disimpan; buang, atau "
        "bandingkan dengan catatan itu."
    ) % {
        "name": existing.warga.name,
        "month": date_format(existing.reporting_month, "F Y"),
        "by": (" " + _("oleh %(who)s") % {"who": by}) if by else "",
    }


class NewPersonForm(forms.Form):
    """A person registered on the phone: a newborn or a newcomer under five, with their mother."""

    name = forms.CharField(label=_lazy("Nama lengkap"), max_length=120)
    sex = forms.ChoiceField(label=_lazy("Jenis kelamin"), choices=Sex.choices)
    birth_date = AsciiDateField(label=_lazy("Tanggal lahir"))
    mother = AsciiIntegerField(label=_lazy("Ibu kandung"), required=False)
    mother_name = forms.CharField(label=_lazy("Nama ibu kandung"), max_length=120, required=False)
    birth_weight_kg = LocalDecimalField(label=_lazy("Berat lahir (kg)"), required=False, max_digits=3, decimal_places=2)
    confirm_new = forms.BooleanField(required=False)

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        if value > dates.today():
            raise ValidationError(_("Tanggal lahir tidak boleh di masa depan."))
        return value


def _stored_person(record_id, warga: Warga, user) -> dict:
    if not scoped(Warga.objects.filter(pk=warga.pk), user).exists():
        return _refused(record_id, Code.NOT_FOUND, _("Warga ini tidak ditemukan di wilayah Anda."))
    return {"id": str(record_id), "status": "already", "result": {"warga": warga.pk, "name": warga.name}}


def _possible_duplicate_refusal(record: Record, data: dict, mother: Warga | None, hari_buka: HariBuka) -> dict | None:
    """The refusal naming up to three people of the desa this new person may already be, or None."""
    same = list(
        warga_possible_duplicates(
            name=data["name"],
            birth_date=data["birth_date"],
            mother=mother,
            mother_name=data["mother_name"],
            desa=hari_buka.posyandu.desa,
        ).select_related("posyandu")[:3]
    )
    if not same:
        return None
    names = ", ".join(f"{w.name} ({w.posyandu.name})" for w in same)
    return _refused(
        record.client_id,
        Code.POSSIBLE_DUPLICATE,
        _("Mungkin sudah terdaftar: %(names)s. Periksa; bila memang orang lain, centang dan kirim lagi.")
        % {"names": names},
    )


def warga_sync_one(*, user, record: Record) -> dict:
    """Register a person typed on the phone, once; a possible duplicate is asked about first, as online."""
    if (existing := Warga.objects.filter(client_id=record.client_id).first()) is not None:
        return _stored_person(record.client_id, existing, user)
    if not can_record_health(user):
        return _refused(record.client_id, Code.FORBIDDEN, _("Anda tidak berwenang mencatat data kesehatan."))
    hari_buka = scoped(HariBuka.objects.select_related("posyandu__desa"), user).filter(pk=record.hari_buka_id).first()
    if hari_buka is None:
        return _refused(record.client_id, Code.NOT_FOUND, _("Hari buka ini tidak ditemukan di wilayah Anda."))
    form = NewPersonForm(record.data)
    if not form.is_valid():
        return _refused(
            record.client_id, Code.INVALID, _("Ada isian yang perlu diperbaiki."), errors=_form_errors(form)
        )
    data = form.cleaned_data
    mother = None
    if data["mother"]:
        mother = Warga.objects.filter(pk=data["mother"], posyandu=hari_buka.posyandu).first()
        if mother is None:
            return _refused(
                record.client_id,
                Code.INVALID,
                _("Ibu tidak ditemukan."),
                errors={"mother": [_("Ibu tidak ditemukan.")]},
            )
    if not data["confirm_new"] and (refusal := _possible_duplicate_refusal(record, data, mother, hari_buka)):
        return refusal
    try:
        with transaction.atomic():
            warga = posyandu_services.warga_create(
                posyandu=hari_buka.posyandu,
                client_id=record.client_id,
                name=data["name"],
                sex=data["sex"],
                birth_date=data["birth_date"],
                birth_weight_kg=data["birth_weight_kg"],
                mother=mother,
                mother_name="" if mother else data["mother_name"],
                keluarga=mother.keluarga if mother else None,
            )
    except ValidationError as error:
        if (existing := Warga.objects.filter(client_id=record.client_id).first()) is not None:
            return _stored_person(record.client_id, existing, user)
        message, errors = _validation_errors(error)
        return _refused(record.client_id, Code.INVALID, message, errors=errors)
    return {"id": str(record.client_id), "status": "stored", "result": {"warga": warga.pk, "name": warga.name}}


def kunjungan_sync(*, user, records: list) -> list[dict]:
    """Each record of a batch on its own (one refused does not stop the others), in order."""
    answers = []
    for raw in records[:MAX_BATCH]:
        try:
            record = parse_record(raw)
        except (ValueError, TypeError, AttributeError):
            record_id = raw.get("id") if isinstance(raw, dict) else None
            answers.append(_refused(record_id, Code.MALFORMED, _("Catatan ini tidak dapat dibaca.")))
            continue
        one = warga_sync_one if record.kind == "warga" else kunjungan_sync_one
        answers.append(one(user=user, record=record))
    return answers
