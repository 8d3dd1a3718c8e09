"""Bulk: kader and their accounts from one Excel sheet, every row or none, then their login slips.

The desa operator (or anyone who manages kader accounts) downloads the template, fills one row per
kader (name, NIK optional, phone, posyandu registration number, field), uploads it, and sees every
row with its problems: a missing cell, an unknown posyandu or one outside their area, a person who is
already a kader (same NIK anywhere, or same name at the same posyandu) or appears twice in the file,
a NIK or phone that is not ASCII digits, a formula instead of a value. Nothing is saved until the
preview has no problem and they confirm; then the rows are checked again and saved in one
transaction (``kader_accounts_import``) under a lock, so a replayed or double-tapped confirmation
finds its people already registered and saves nothing.
"""

import dataclasses
import io
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from kader.models import Kader
from posyandu import dates
from posyandu.akun import selectors
from posyandu.akun.permissions import assignable_roles
from posyandu.models import NIK_RE, Posyandu, Role, SpmField
from posyandu.spreadsheet import cell_text as _text

MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024
ADVISORY_LOCK = 17_017  # pg_advisory_xact_lock key: one bulk import at a time
HEADERS = {
    "nama": "name",
    "nama lengkap": "name",
    "nama kader": "name",
    "nik": "nik",
    "nomor hp": "phone",
    "no hp": "phone",
    "no. hp": "phone",
    "hp": "phone",
    "telepon": "phone",
    "nomor registrasi posyandu": "registration_number",
    "nomor registrasi": "registration_number",
    "no registrasi posyandu": "registration_number",
    "no. registrasi posyandu": "registration_number",
    "bidang": "field",
    "bidang spm": "field",
}
COLUMN_TITLES = ["Nama", "NIK", "Nomor HP", "Nomor registrasi posyandu", "Bidang"]
TITLE_BY_KEY = dict(zip(("name", "nik", "phone", "registration_number", "field"), COLUMN_TITLES, strict=True))
REQUIRED = ("name", "phone", "registration_number", "field")
FIELD_BY_TEXT = {
    **{value: value for value in SpmField.values},
    **{str(label).lower(): value for value, label in SpmField.choices},
    **{value.replace("_", " "): value for value in SpmField.values},
}
PHONE_RE = re.compile(r"^\+?[0-9]{8,15}$")


@dataclass
class Row:
    line: int
    name: str = ""
    nik: str = ""
    phone: str = ""
    registration_number: str = ""
    field: str = ""
    posyandu: object = None
    problems: list[str] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def field_label(self) -> str:
        return SpmField(self.field).label if self.field in SpmField.values else ""

    def payload(self) -> list:
        return [self.line, self.name, self.nik, self.phone, self.posyandu.pk, self.field]


@dataclass
class Preview:
    rows: list[Row]

    @property
    def problems(self) -> list[Row]:
        return [row for row in self.rows if not row.ok]

    @property
    def can_save(self) -> bool:
        return bool(self.rows) and not self.problems


def _read(file) -> list[Row]:
    """The sheet's rows under its title row; a formula cell is a problem of its row, never evaluated."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(file, read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
    except Exception as exc:  # openpyxl raises several kinds for a file that is not .xlsx
        raise ValidationError(_("Berkas tidak bisa dibaca. Unggah lembar Excel (.xlsx) dari contoh.")) from exc
    columns: dict[str, int] | None = None
    rows: list[Row] = []
    for line, cells in enumerate(sheet.iter_rows(), start=1):
        values = [getattr(cell, "value", None) for cell in cells]
        texts = [_text(value) for value in values]
        if columns is None:
            found = {HEADERS[t.lower()]: i for i, t in enumerate(texts) if t.lower() in HEADERS}
            if "name" in found:
                missing = [TITLE_BY_KEY[key] for key in REQUIRED if key not in found]
                if missing:
                    raise ValidationError(
                        _("Kolom %(columns)s tidak ada. Pakai contoh lembar Excel.") % {"columns": ", ".join(missing)}
                    )
                columns = found
            elif line >= 10:
                break
            continue
        if not any(texts):
            continue
        row = Row(line=line)
        for key, index in columns.items():
            if index >= len(cells):
                continue
            cell = cells[index]
            if getattr(cell, "data_type", None) == "f" or texts[index].startswith("="):
                row.problems.append(
                    _("Kolom %(column)s berisi rumus; isi dengan nilainya.") % {"column": TITLE_BY_KEY[key]}
                )
                continue
            setattr(row, key, texts[index])
        rows.append(row)
        if len(rows) > MAX_ROWS:
            workbook.close()
            raise ValidationError(_("Paling banyak %(n)s baris sekali impor; bagi berkasnya.") % {"n": MAX_ROWS})
    workbook.close()
    if columns is None:
        raise ValidationError(
            _("Tidak ada baris judul kolom (%(columns)s). Pakai contoh lembar Excel.")
            % {"columns": ", ".join(COLUMN_TITLES)}
        )
    if not rows:
        raise ValidationError(_("Lembar Excel tidak berisi kader."))
    return rows


def _digits(value: str) -> str:
    return re.sub(r"[\s'.\-]", "", value)


def _check(rows: list[Row], *, by) -> None:
    """Mark every row's problems (reads only). Used by the preview and again at confirmation."""
    if Role.KADER not in assignable_roles(by):
        raise ValidationError(_("Anda tidak berwenang membuat akun kader."))
    numbers = {row.registration_number for row in rows if row.registration_number}
    known = {p.registration_number: p for p in selectors.assignable_posyandu(user=by).filter(
        registration_number__in=numbers)}  # fmt: skip
    exists = set(Posyandu.objects.filter(registration_number__in=numbers).values_list("registration_number", flat=True))
    niks = _check_cells(rows, known=known, exists=exists)
    _check_duplicates(rows, niks=niks)


def _check_cells(rows: list[Row], *, known: dict, exists: set) -> set[str]:
    """Each row on its own: required cells, NIK, phone, field, posyandu. Returns the well-formed NIKs."""
    niks = set()
    for row in rows:
        row.nik = _digits(row.nik)
        row.phone = re.sub(r"[\s\-]", "", row.phone)
        for key in REQUIRED:
            label = TITLE_BY_KEY[key]
            if not getattr(row, key) and not any(label in p for p in row.problems):
                row.problems.append(_("%(column)s kosong.") % {"column": label})
        if row.nik:
            if not row.nik.isascii():
                row.problems.append(_("NIK harus ditulis dengan angka 0–9 biasa."))
            elif not NIK_RE.match(row.nik):
                row.problems.append(_("NIK harus 16 digit angka."))
            else:
                niks.add(row.nik)
        if row.phone and (not row.phone.isascii() or not PHONE_RE.match(row.phone)):
            row.problems.append(_("Nomor HP 8–15 angka 0–9, boleh diawali +."))
        if row.field:
            code = FIELD_BY_TEXT.get(row.field.lower())
            if code is None:
                row.problems.append(_("Bidang tidak dikenal: %(value)s.") % {"value": row.field})
            else:
                row.field = code
        if row.registration_number:
            row.posyandu = known.get(row.registration_number)
            if row.posyandu is None:
                if row.registration_number in exists:
                    row.problems.append(
                        _("Posyandu %(number)s di luar wilayah Anda.") % {"number": row.registration_number}
                    )
                else:
                    row.problems.append(
                        _("Tidak ada posyandu bernomor registrasi %(number)s.") % {"number": row.registration_number}
                    )
    return niks


def _check_duplicates(rows: list[Row], *, niks: set[str]) -> None:
    """People already registered as kader, or appearing twice in the file."""
    registered_niks = set(Kader.objects.filter(nik__in=niks).values_list("nik", flat=True)) if niks else set()
    places = {row.posyandu.pk for row in rows if row.posyandu is not None}
    registered_names = set(
        Kader.objects.filter(posyandu__in=places, status=Kader.Status.AKTIF)
        .annotate(name_lower=Lower("name"))
        .values_list("posyandu_id", "name_lower")
    )
    seen_nik: dict[str, int] = {}
    seen_name: dict[tuple, int] = {}
    for row in rows:
        if row.nik in registered_niks:
            row.problems.append(_("NIK ini sudah terdaftar sebagai kader."))
        elif row.nik and row.nik in seen_nik:
            row.problems.append(_("NIK sama dengan baris %(line)s.") % {"line": seen_nik[row.nik]})
        if row.posyandu is not None and row.name:
            key = (row.posyandu.pk, row.name.lower())
            if key in registered_names:
                row.problems.append(_("Sudah ada kader aktif bernama ini di posyandu ini."))
            elif key in seen_name:
                row.problems.append(_("Orang yang sama dengan baris %(line)s.") % {"line": seen_name[key]})
            seen_name.setdefault(key, row.line)
        if row.nik:
            seen_nik.setdefault(row.nik, row.line)


def kader_import_preview(*, by, file) -> Preview:
    """Read the sheet and mark every row's problems. Nothing is saved."""
    rows = _read(file)
    _check(rows, by=by)
    return Preview(rows=rows)


def kader_accounts_import(*, by, payload: list[list]) -> list[tuple]:
    """Register the previewed kader with their accounts: all or none. Returns ``(kader, password)`` pairs."""
    from kader.services import kader_register_with_accounts

    posyandu = {p.pk: p for p in selectors.assignable_posyandu(user=by)}
    rows = []
    for line, name, nik, phone, posyandu_pk, field_code in payload:
        place = posyandu.get(posyandu_pk)
        rows.append(Row(line=line, name=name, nik=nik, phone=phone, field=field_code,
                        registration_number=place.registration_number if place else "?"))  # fmt: skip
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK])
        _check(rows, by=by)
        if problems := [row for row in rows if row.problems]:
            raise ValidationError(
                _("Tidak ada yang disimpan: %(problems)s")
                % {"problems": "; ".join(f"{_('baris')} {row.line}: {' '.join(row.problems)}" for row in problems[:5])}
            )
        # Every kader and account in a fixed number of queries (not a dozen per row): 2,000 rows in seconds.
        created = kader_register_with_accounts(
            by=by,
            start_date=dates.today(),
            rows=[{"name": row.name, "posyandu": row.posyandu, "field": row.field, "phone": row.phone,
                   "nik": row.nik or None} for row in rows],
        )  # fmt: skip
    return created


def import_template(*, by) -> bytes:
    """The sheet to fill: the column titles, one example row, and the manager's posyandu on a second sheet."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Kader"
    sheet.append(COLUMN_TITLES)
    places = list(selectors.assignable_posyandu(user=by).exclude(registration_number=None))
    example = places[0].registration_number if places else "73.05.01.2001.001"
    sheet.append(["Sitti Aminah (contoh, hapus baris ini)", "", "081234567890", example, "Kesehatan"])
    for column, width in zip("ABCDE", (36, 20, 16, 28, 20), strict=True):
        sheet.column_dimensions[column].width = width
    for letter in "BCD":
        for cell in sheet[letter]:
            cell.number_format = "@"  # text: Excel would round a 16-digit NIK and drop a phone's leading 0
    help_sheet = workbook.create_sheet("Petunjuk")
    help_sheet.append(["Bidang yang bisa diisi"])
    for _value, label in SpmField.choices:
        help_sheet.append([str(label)])
    help_sheet.append([])
    help_sheet.append(["Posyandu di wilayah Anda", "Nomor registrasi"])
    for place in places:
        help_sheet.append([f"{place.name}, {place.desa.display_name}", place.registration_number])
    help_sheet.column_dimensions["A"].width = 48
    help_sheet.column_dimensions["B"].width = 22
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
