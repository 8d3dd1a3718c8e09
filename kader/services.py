"""Writes for kader, trainings, participants and assessments. Keyword-only; ``full_clean()`` first."""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from kader.models import (
    Kader,
    Kompetensi,
    LevelRule,
    Pelatihan,
    PenilaianKompetensi,
    PesertaPelatihan,
)
from posyandu.akun import services as account_services
from posyandu.models import NIK_RE, Posyandu, Role, Warga
from posyandu.params import ascii_digits_problem
from posyandu.saving import as_validation_error, record_save
from posyandu.scope import area_filter, scoped
from posyandu.signals import data_changed
from posyandu.spreadsheet import cell_text as _cell_text

KADER_FIELDS = ("name", "nik", "phone", "posyandu", "field", "sk_number", "sk_date", "start_date", "warga", "user")
PELATIHAN_FIELDS = (
    "title",
    "organiser_level",
    "organiser_opd",
    "field",
    "wilayah",
    "start_date",
    "end_date",
    "hours",
    "place",
    "notes",
)
IMPORT_MAX_ROWS = 2000


# ---------------------------------------------------------------------------------------------
# Kader
# ---------------------------------------------------------------------------------------------
def _link_warga(kader: Kader) -> None:
    """Link the people register's person with the same NIK in the same desa, when there is one."""
    if kader.warga_id or not kader.nik:
        return
    kader.warga = (
        Warga.objects.filter(nik=kader.nik, posyandu__desa_id=kader.posyandu.desa_id).only("pk", "nik").first()
    )


def kader_register(
    *,
    posyandu: Posyandu,
    name: str,
    field: str,
    start_date: datetime.date,
    nik: str | None = None,
    phone: str = "",
    sk_number: str = "",
    sk_date: datetime.date | None = None,
    warga: Warga | None = None,
    user=None,
) -> Kader:
    """Register a kader at a posyandu (from their SK). A person of the register is linked by NIK."""
    if warga is not None:
        name = name or warga.name
        nik = nik or warga.nik
        phone = phone or warga.phone
    kader = Kader(
        posyandu=posyandu,
        name=name,
        field=field,
        start_date=start_date,
        nik=nik or None,
        phone=phone,
        sk_number=sk_number,
        sk_date=sk_date,
        warga=warga,
        user=user,
    )
    _link_warga(kader)
    return record_save(
        kader, constraint_errors={"kader_one_active_per_warga": _("Warga ini sudah tercatat sebagai kader aktif.")}
    )


def kader_register_with_accounts(*, by, rows: list[dict], start_date: datetime.date) -> list[tuple[Kader, str]]:
    """Register many kader, each with their kader account (the bulk import): ``rows`` of ``{"name",
    "posyandu", "field", "phone", "nik"}``. The rules of ``kader_register_with_account`` per row, in a
    fixed number of queries: the accounts (``account_services.kader_accounts_create``), the people of
    the register with the same NIK in the same desa, one insert of the kader and one of their history
    (who: ``by``). A refusal by the database (a constraint, a locked month) is the usual message, and
    nothing is saved. Returns ``(kader, one-time password)`` pairs in the order of ``rows``."""
    from simple_history.utils import bulk_create_with_history

    with transaction.atomic():
        people = [{"first_name": r["name"], "posyandu": r["posyandu"], "field": r["field"], "phone": r["phone"]}
                  for r in rows]  # fmt: skip
        accounts = account_services.kader_accounts_create(by=by, people=people)
        niks = {row["nik"] for row in rows if row.get("nik")}
        registered = {}
        if niks:  # the register's people by (NIK, desa), as ``_link_warga`` links one
            for warga in (
                Warga.objects.filter(nik__in=niks).only("pk", "nik", "posyandu__desa_id").select_related("posyandu")
            ):
                registered.setdefault((warga.nik, warga.posyandu.desa_id), warga)
        kader = []
        for row, (account, _password) in zip(rows, accounts, strict=True):
            one = Kader(posyandu=row["posyandu"], name=row["name"], field=row["field"], start_date=start_date,
                        nik=row.get("nik") or None, phone=row["phone"], user=account,
                        warga=registered.get((row.get("nik"), row["posyandu"].desa_id)))  # fmt: skip
            # The row's own rules (Kader.clean); the keys were checked by the import, the database keeps them.
            one.full_clean(exclude=["posyandu", "user", "warga"], validate_unique=False, validate_constraints=False)
            kader.append(one)
        try:
            with transaction.atomic():
                kader = bulk_create_with_history(kader, Kader, default_user=by)
        except DatabaseError as exc:
            raise as_validation_error(exc, KADER_RACES) from exc
        data_changed.send(sender=Kader, posyandu_ids={row["posyandu"].pk for row in rows}, since=None)
    return [(one, password) for one, (_account, password) in zip(kader, accounts, strict=True)]


KADER_RACES = {
    "kader_one_active_per_warga": _("Warga ini sudah tercatat sebagai kader aktif."),
    "kader_user_id_key": _("Akun login ini sudah dipakai kader lain."),
}


def kader_update(*, kader: Kader, **data) -> Kader:
    unknown = set(data) - set(KADER_FIELDS)
    if unknown:
        raise TypeError(f"kader_update() got unexpected fields: {sorted(unknown)}")
    for name, value in data.items():
        setattr(kader, name, value)
    if "nik" in data and kader.warga_id and kader.warga.nik != kader.nik:
        kader.warga = None
    _link_warga(kader)
    return record_save(kader, constraint_errors=KADER_RACES)


def kader_deactivate(*, kader: Kader, end_date: datetime.date, end_reason: str) -> Kader:
    """End a kader's service. The record, trainings and competencies stay."""
    if not kader.is_active:
        raise ValidationError(_("Kader ini sudah tidak aktif."))
    kader.status = Kader.Status.NONAKTIF
    kader.end_date = end_date
    kader.end_reason = (end_reason or "").strip()
    return record_save(kader)


# ---------------------------------------------------------------------------------------------
# The kader registry and the accounts are one person (accounts: posyandu.akun.services)
# ---------------------------------------------------------------------------------------------
@transaction.atomic
def kader_register_with_account(*, by, **data):
    """Register a kader (``kader_register``) and create their kader account with it.

    Returns ``(kader, one-time password)``. Both or neither are saved."""
    account, password = account_services.account_create(
        by=by,
        first_name=data["name"],
        role=Role.KADER,
        posyandu=data["posyandu"],
        field=data["field"],
        phone=data.get("phone") or "",
    )
    data.pop("user", None)
    return kader_register(**data, user=account), password


@transaction.atomic
def kader_end_service(*, by, kader: Kader, end_date: datetime.date, end_reason: str) -> Kader:
    """End a kader's service (``kader_deactivate``) and deactivate their account with it."""
    kader = kader_deactivate(kader=kader, end_date=end_date, end_reason=end_reason)
    if kader.user is not None:
        account_services.account_retire(by=by, account=kader.user, reason=_("kader berhenti bertugas"))
    return kader


# ---------------------------------------------------------------------------------------------
# Levels (rules as data)
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rule:
    level: str
    rank: int
    required_groups: frozenset[int]
    min_complete_groups: int
    min_competencies: int


def level_rules() -> list[Rule]:
    """The level rules, highest first (2 queries)."""
    return [
        Rule(
            level=rule.level,
            rank=rule.rank,
            required_groups=frozenset(group.pk for group in rule.required_groups.all()),
            min_complete_groups=rule.min_complete_groups,
            min_competencies=rule.min_competencies,
        )
        for rule in LevelRule.objects.prefetch_related("required_groups").order_by("-rank")
    ]


def group_sizes() -> dict[int, int]:
    """Active competencies per group that counts for the level (1 query)."""
    return dict(
        Kompetensi.objects.filter(is_active=True, group__counts_for_level=True)
        .values("group")
        .annotate(n=Count("pk"))
        .values_list("group", "n")
    )


def level_for(*, passed: dict[int, int], sizes: dict[int, int], rules: list[Rule]) -> str:
    """The highest level whose rule is met, or "" (no level yet).

    ``passed``: competencies passed per group; ``sizes``: competencies per group. A group is
    complete when every one of its competencies is passed.
    """
    complete = {group for group, size in sizes.items() if size and passed.get(group, 0) >= size}
    total = sum(min(passed.get(group, 0), size) for group, size in sizes.items())
    for rule in sorted(rules, key=lambda r: -r.rank):
        if (
            rule.required_groups <= complete
            and len(complete) >= rule.min_complete_groups
            and total >= rule.min_competencies
        ):
            return rule.level
    return ""


def passed_by_group(kader_ids) -> dict[int, dict[int, int]]:
    """Per kader, competencies passed (ever assessed lulus) per group that counts (1 query)."""
    rows = (
        PenilaianKompetensi.objects.filter(
            kader_id__in=kader_ids,
            result=PenilaianKompetensi.Result.LULUS,
            kompetensi__is_active=True,
            kompetensi__group__counts_for_level=True,
        )
        .values("kader", "kompetensi__group")
        .annotate(n=Count("kompetensi", distinct=True))
        .values_list("kader", "kompetensi__group", "n")
    )
    result: dict[int, dict[int, int]] = defaultdict(dict)
    for kader_id, group_id, n in rows:
        result[kader_id][group_id] = n
    return result


def kader_levels_refresh(*, kader_ids=None) -> int:
    """Recompute the stored level of these kader (all when None), e.g. after a rule changed."""
    queryset = Kader.objects.all() if kader_ids is None else Kader.objects.filter(pk__in=list(kader_ids))
    kader_list = list(queryset.only("pk", "level"))
    rules, sizes = level_rules(), group_sizes()
    passed = passed_by_group([k.pk for k in kader_list])
    changed = []
    for kader in kader_list:
        level = level_for(passed=passed.get(kader.pk, {}), sizes=sizes, rules=rules)
        if level != kader.level:
            kader.level = level
            changed.append(kader)
    Kader.objects.bulk_update(changed, ["level"], batch_size=1000)
    if changed:
        data_changed.send(
            sender=Kader,
            posyandu_ids=Kader.objects.filter(pk__in=[k.pk for k in changed]).values_list("posyandu_id", flat=True),
        )
    return len(changed)


@transaction.atomic
def penilaian_record(
    *,
    kader: Kader,
    assessed_on: datetime.date,
    assessor: str,
    results: dict[Kompetensi, str],
    user=None,
) -> list[PenilaianKompetensi]:
    """Record one assessment session: a result per competency; all saved or none. Refreshes the level."""
    if not results:
        raise ValidationError(_("Pilih hasil untuk sedikitnya satu kompetensi."))
    rows = [
        PenilaianKompetensi(
            kader=kader,
            kompetensi=kompetensi,
            assessed_on=assessed_on,
            assessor=(assessor or "").strip(),
            result=result,
            recorded_by=user,
        )
        for kompetensi, result in results.items()
    ]
    for row in rows:
        row.full_clean(validate_constraints=False)
    taken = set(
        PenilaianKompetensi.objects.filter(
            kader=kader, assessed_on=assessed_on, kompetensi__in=list(results)
        ).values_list("kompetensi__code", flat=True)
    )
    if taken:
        raise ValidationError(
            _("Sudah dinilai pada tanggal ini: %(codes)s. Pilih tanggal lain atau kosongkan kompetensi itu.")
            % {"codes": ", ".join(sorted(taken))}
        )
    try:
        with transaction.atomic():
            PenilaianKompetensi.objects.bulk_create(rows)
    except DatabaseError as exc:  # the month lock: an assessment dated in an approved month
        raise as_validation_error(exc) from exc
    kader_levels_refresh(kader_ids=[kader.pk])
    kader.refresh_from_db(fields=["level"])
    return rows


# ---------------------------------------------------------------------------------------------
# Trainings and participants
# ---------------------------------------------------------------------------------------------
def pelatihan_create(*, user=None, **data) -> Pelatihan:
    unknown = set(data) - set(PELATIHAN_FIELDS)
    if unknown:
        raise TypeError(f"pelatihan_create() got unexpected fields: {sorted(unknown)}")
    return record_save(Pelatihan(created_by=user, **data))


def pelatihan_update(*, pelatihan: Pelatihan, **data) -> Pelatihan:
    unknown = set(data) - set(PELATIHAN_FIELDS)
    if unknown:
        raise TypeError(f"pelatihan_update() got unexpected fields: {sorted(unknown)}")
    for name, value in data.items():
        setattr(pelatihan, name, value)
    return record_save(pelatihan)


def eligible_kader(*, pelatihan: Pelatihan, user):
    """Kader the user may add to this training: in their scope and in the training's area."""
    return scoped(Kader.objects.all(), user).filter(area_filter("posyandu__desa__code", pelatihan.wilayah_id))


def _peserta_problems(pelatihan: Pelatihan, kader_list: list[Kader]) -> list[str]:
    problems = []
    seen = set()
    existing = set(
        PesertaPelatihan.objects.filter(pelatihan=pelatihan, kader__in=kader_list).values_list("kader_id", flat=True)
    )
    for kader in kader_list:
        if kader.pk in seen:
            problems.append(_("%(name)s tercantum dua kali.") % {"name": kader.name})
        elif kader.pk in existing:
            problems.append(_("%(name)s sudah terdaftar sebagai peserta pelatihan ini.") % {"name": kader.name})
        elif kader.end_date and kader.end_date < pelatihan.start_date:
            problems.append(
                _("%(name)s sudah tidak aktif sejak %(date)s, sebelum pelatihan dimulai.")
                % {"name": kader.name, "date": kader.end_date.strftime("%d-%m-%Y")}
            )
        seen.add(kader.pk)
    return problems


@transaction.atomic
def peserta_add_bulk(
    *,
    pelatihan: Pelatihan,
    kader: list[Kader],
    user,
    certificates: dict[int, str] | None = None,
    attended: dict[int, bool] | None = None,
) -> list[PesertaPelatihan]:
    """Add kader as participants, all or none. Refuses duplicates and kader outside the training's area."""
    kader = list(kader)
    if not kader:
        raise ValidationError(_("Pilih sedikitnya satu kader."))
    allowed = set(
        eligible_kader(pelatihan=pelatihan, user=user).filter(pk__in=[k.pk for k in kader]).values_list("pk", flat=True)
    )
    problems = [
        _("%(name)s bukan kader di wilayah pelatihan ini.") % {"name": k.name} for k in kader if k.pk not in allowed
    ]
    problems += _peserta_problems(pelatihan, kader)
    if problems:
        raise ValidationError(problems)
    certificates, attended = certificates or {}, attended or {}
    rows = [
        PesertaPelatihan(
            pelatihan=pelatihan,
            kader=k,
            attended=attended.get(k.pk, True),
            certificate_number=(certificates.get(k.pk) or "").strip(),
        )
        for k in kader
    ]
    for row in rows:
        row.full_clean(exclude=["pelatihan", "kader"], validate_constraints=False)
    numbers = [row.certificate_number for row in rows if row.certificate_number]
    clash = set(
        PesertaPelatihan.objects.filter(pelatihan=pelatihan, certificate_number__in=numbers).values_list(
            "certificate_number", flat=True
        )
    )
    if len(set(numbers)) != len(numbers) or clash:
        raise ValidationError(_("Nomor sertifikat ganda: setiap peserta harus punya nomor sendiri."))
    try:
        with transaction.atomic():
            created = PesertaPelatihan.objects.bulk_create(rows)
            data_changed.send(sender=PesertaPelatihan, posyandu_ids=[row.kader.posyandu_id for row in rows])
            return created
    except DatabaseError as exc:
        error = as_validation_error(exc)  # the month lock names the approved month
        if error is exc and isinstance(exc, IntegrityError):  # a participant added by someone else meanwhile
            error = ValidationError(_("Sebagian kader baru saja ditambahkan orang lain; muat ulang halaman."))
        raise error from exc


@transaction.atomic
def peserta_update_bulk(*, pelatihan: Pelatihan, rows: dict[int, tuple[bool, str]]) -> int:
    """Attendance and certificate numbers of the participants, all or none."""
    peserta = list(PesertaPelatihan.objects.filter(pelatihan=pelatihan, pk__in=list(rows)).select_related("kader"))
    errors = []
    for row in peserta:
        row.attended, row.certificate_number = rows[row.pk][0], (rows[row.pk][1] or "").strip()
        try:
            row.full_clean(exclude=["pelatihan", "kader"], validate_constraints=False)
        except ValidationError as exc:
            errors += [f"{row.kader.name}: {message}" for message in exc.messages]
    numbers = [row.certificate_number for row in peserta if row.certificate_number]
    if len(set(numbers)) != len(numbers):
        errors.append(_("Nomor sertifikat ganda: setiap peserta harus punya nomor sendiri."))
    if errors:
        raise ValidationError(errors)
    # Clear first, so that swapping two numbers does not trip the unique constraint midway.
    PesertaPelatihan.objects.filter(pk__in=[row.pk for row in peserta]).update(certificate_number="")
    PesertaPelatihan.objects.bulk_update(peserta, ["attended", "certificate_number"])
    data_changed.send(sender=PesertaPelatihan, posyandu_ids=[row.kader.posyandu_id for row in peserta])
    return len(peserta)


# ---------------------------------------------------------------------------------------------
# Excel import of participants: preview first, then all or nothing
# ---------------------------------------------------------------------------------------------
@dataclass
class ImportRow:
    line: int
    name: str
    nik: str
    certificate: str
    attended: bool
    kader: Kader | None = None
    problem: str = ""
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.kader is not None and not self.problem


@dataclass
class ImportPreview:
    rows: list[ImportRow] = field(default_factory=list)

    @property
    def problems(self) -> list[ImportRow]:
        return [row for row in self.rows if not row.ok]

    @property
    def matched(self) -> list[ImportRow]:
        return [row for row in self.rows if row.ok]

    @property
    def can_save(self) -> bool:
        return bool(self.rows) and not self.problems

    def payload(self) -> list[list]:
        """What the confirmation step needs (signed by the view)."""
        return [[row.kader.pk, row.attended, row.certificate] for row in self.rows]


HEADERS = {
    "nama": "name",
    "nama lengkap": "name",
    "nama kader": "name",
    "nik": "nik",
    "nomor sertifikat": "certificate",
    "no sertifikat": "certificate",
    "no. sertifikat": "certificate",
    "sertifikat": "certificate",
    "hadir": "attended",
    "kehadiran": "attended",
}
NOT_ATTENDED = {"tidak", "t", "no", "n", "0", "tidak hadir", "absen", "false"}


def _read_sheet(file) -> list[ImportRow]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a file that is not .xlsx
        raise ValidationError(_("Berkas tidak bisa dibaca. Unggah lembar Excel (.xlsx).")) from exc
    sheet = workbook.worksheets[0]
    columns: dict[str, int] | None = None
    rows = []
    for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        texts = [_cell_text(value) for value in values]
        if columns is None:
            found = {HEADERS[t.lower()]: i for i, t in enumerate(texts) if t.lower() in HEADERS}
            if "name" in found or "nik" in found:
                columns = found
            elif line >= 10:
                break
            continue
        if not any(texts):
            continue

        def cell(key, texts=texts, columns=columns):
            index = columns.get(key)
            return texts[index] if index is not None and index < len(texts) else ""

        nik = re.sub(r"[\s'.-]", "", cell("nik"))
        rows.append(
            ImportRow(
                line=line,
                name=cell("name"),
                nik=nik,
                certificate=cell("certificate"),
                attended=cell("attended").lower() not in NOT_ATTENDED,
            )
        )
        if len(rows) > IMPORT_MAX_ROWS:
            raise ValidationError(_("Paling banyak %(n)s baris sekali impor.") % {"n": IMPORT_MAX_ROWS})
    workbook.close()
    if columns is None:
        raise ValidationError(_("Tidak ada baris judul kolom: beri judul kolom 'Nama' dan/atau 'NIK'."))
    if not rows:
        raise ValidationError(_("Lembar Excel tidak berisi peserta."))
    return rows


def import_template() -> bytes:
    """An empty participants sheet with the column titles the import reads."""
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Peserta"
    sheet.append(["Nama", "NIK", "Nomor sertifikat", "Hadir"])
    sheet.append(["Sitti Aminah (contoh, hapus baris ini)", "", "001/BIMTEK/2026", "ya"])
    for column, width in zip("ABCD", (36, 20, 22, 8), strict=True):
        sheet.column_dimensions[column].width = width
    for cell in sheet["B"]:
        cell.number_format = "@"  # NIK as text: Excel would round a 16-digit number
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def peserta_import_preview(*, pelatihan: Pelatihan, file, user) -> ImportPreview:
    """Read a sheet of names / NIK and match each row to a kader of the training's area.

    Nothing is saved. Problems: NIK not 16 digits, NIK or name not found among the kader of the
    area, a name shared by several kader (add the NIK), a row repeating another, a kader already
    taking part, a kader who stopped before the training.
    """
    rows = _read_sheet(file)
    niks = {row.nik for row in rows if row.nik}
    names = {row.name.lower() for row in rows if row.name and not row.nik}
    candidates = list(
        eligible_kader(pelatihan=pelatihan, user=user)
        .annotate(name_lower=Lower("name"))
        .filter(Q(nik__in=niks) | Q(warga__nik__in=niks) | Q(name_lower__in=names))
        .select_related("posyandu", "warga")
    )
    by_nik, by_name = {}, defaultdict(list)
    for kader in candidates:
        for value in (kader.nik, kader.warga.nik if kader.warga_id else None):
            if value:
                by_nik[value] = kader
        by_name[kader.name_lower].append(kader)
    existing = set(
        PesertaPelatihan.objects.filter(pelatihan=pelatihan, kader__in=candidates).values_list("kader_id", flat=True)
    )
    first_line: dict[int, int] = {}
    certificate_line: dict[str, int] = {}
    for row in rows:
        if not _match_kader(row, by_nik, by_name):
            continue
        if row.kader.pk in first_line:
            row.problem = _("Kader yang sama dengan baris %(line)s.") % {"line": first_line[row.kader.pk]}
        elif row.kader.pk in existing:
            row.problem = _("Sudah terdaftar sebagai peserta pelatihan ini.")
        elif row.kader.end_date and row.kader.end_date < pelatihan.start_date:
            row.problem = _("Kader sudah tidak aktif sebelum pelatihan dimulai.")
        elif row.certificate and row.certificate in certificate_line:
            row.problem = _("Nomor sertifikat sama dengan baris %(line)s.") % {
                "line": certificate_line[row.certificate]
            }
        elif row.certificate and not row.attended:
            row.problem = _("Sertifikat hanya untuk peserta yang hadir.")
        first_line.setdefault(row.kader.pk, row.line)
        if row.certificate:
            certificate_line.setdefault(row.certificate, row.line)
    return ImportPreview(rows=rows)


def _match_kader(row, by_nik: dict, by_name: dict) -> bool:
    """Match one row of ``peserta_import_preview`` to a kader by NIK, else by name; False with ``row.problem`` set."""
    if row.nik:
        if problem := ascii_digits_problem(row.nik, label=_("NIK")):
            row.problem = problem
            return False
        if not NIK_RE.match(row.nik):
            row.problem = _("NIK harus 16 digit angka.")
            return False
        row.kader = by_nik.get(row.nik)
        if row.kader is None:
            row.problem = _("NIK tidak terdaftar sebagai kader di wilayah pelatihan ini.")
            return False
        if row.name and row.name.lower() != row.kader.name.lower():
            row.note = _("Nama di berkas: %(name)s") % {"name": row.name}
    elif row.name:
        found = by_name.get(row.name.lower(), [])
        if not found:
            row.problem = _("Nama tidak ditemukan di antara kader wilayah ini; tambahkan NIK.")
            return False
        if len(found) > 1:
            row.problem = _("Ada %(n)s kader bernama ini; tambahkan NIK.") % {"n": len(found)}
            return False
        row.kader = found[0]
    else:
        row.problem = _("Baris tanpa nama dan NIK.")
        return False
    return True


def peserta_import(*, pelatihan: Pelatihan, payload: list[list], user) -> list[PesertaPelatihan]:
    """Save a previewed import: every row or none (checked again, in case something changed)."""
    ids = [int(kader_id) for kader_id, _attended, _certificate in payload]
    by_pk = Kader.objects.in_bulk(ids)
    kader = [by_pk[pk] for pk in ids if pk in by_pk]
    if len(kader) != len(ids):
        raise ValidationError(_("Sebagian kader di berkas sudah dihapus; unggah ulang."))
    return peserta_add_bulk(
        pelatihan=pelatihan,
        kader=kader,
        user=user,
        certificates={int(pk): certificate for pk, _attended, certificate in payload},
        attended={int(pk): bool(attended) for pk, attended, _certificate in payload},
    )
