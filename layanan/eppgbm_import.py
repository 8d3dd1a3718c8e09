"""Import of an e-PPGBM by-name file into a posyandu: households, balita and their measurements.

The file (xlsx, or the HTML table e-PPGBM saves with an ``.xls`` name) is read by the headers of
``layanan.eppgbm_layout.COLUMNS``, the one place the layout lives. ``eppgbm_import`` then works through the
rows with the app's own services — ``keluarga_create``, ``warga_create``, ``hari_buka_open`` and
``kunjungan_record``, so z-scores come from ``layanan.growth`` and N/T, the month lock and every
validation are the same as at a kader's screen — inside one transaction:

* a preview (``commit=False``) does all of it and rolls back, reporting each row's outcome;
* the import (``commit=True``) keeps it only when no row was refused or conflicting: all or nothing.

A person matches an existing one by NIK, or by name + birth date + mother's name at the posyandu. A
measurement already recorded in its month with the same date and values is left as it is, so running
an import twice changes nothing. Mothers are not rows of e-PPGBM: the child keeps the mother's name
(``mother_name``), linked to the woman of that name when she is registered in the same household.
"""

import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from layanan import services as health
from layanan.eppgbm_layout import COLUMNS, POSITION_WORDS
from layanan.growth import Position
from layanan.models import HariBuka, Kunjungan
from layanan.schedule import vitamin_a_capsule
from posyandu import dates, services
from posyandu.models import BALITA_MAX_MONTHS, Keluarga, Posyandu, Sex, Warga
from posyandu.params import has_other_digits
from posyandu.saving import as_validation_error
from posyandu.spreadsheet import cell_text as _text

MAX_ROWS = 5000
Z_TOLERANCE = Decimal("0.05")
HEADER_SCAN_ROWS = 20
REQUIRED = ("nama", "jk", "tgl_lahir", "nama_ortu", "tgl_ukur", "berat", "tinggi")
# Other spellings seen in e-PPGBM downloads and hand-made sheets.
ALIASES = {
    "jenis kelamin": "jk",
    "tanggal lahir": "tgl_lahir",
    "nama orang tua": "nama_ortu",
    "nama ibu": "nama_ortu",
    "tgl pengukuran": "tgl_ukur",
    "tanggal ukur": "tgl_ukur",
    "bb": "berat",
    "tb": "tinggi",
    "berat badan": "berat",
    "tinggi badan": "tinggi",
}
SEX_WORDS = {"l": Sex.LAKI_LAKI, "laki-laki": Sex.LAKI_LAKI, "p": Sex.PEREMPUAN, "perempuan": Sex.PEREMPUAN}
POSITION_INPUT = {
    **{word.lower(): code for code, word in POSITION_WORDS.items()},
    "telentang": Position.TERLENTANG,
    "berbaring": Position.TERLENTANG,
    "l": Position.TERLENTANG,
    "h": Position.BERDIRI,
}
YES_WORDS = {"ya": True, "y": True, "1": True, "ada": True, "tidak": False, "t": False, "0": False, "tidak ada": False}
DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S")
EXCEL_EPOCH = datetime.date(1899, 12, 30)  # Excel's day 0 (its 1900 leap-year bug folded in)
MASK_CHARS = re.compile(r"[•*xX]")


class FileRefused(ValidationError):
    """The file as a whole cannot be read (not a spreadsheet, wrong columns, no rows)."""


class Outcome:
    NEW = "baru"
    MATCH_NIK = "cocok_nik"
    MATCH_NAME = "cocok_nama"
    SAME_FILE = "baris_sebelumnya"
    CONFLICT = "konflik"
    REFUSED = "ditolak"


OUTCOME_LABELS = {
    Outcome.NEW: _("Baru"),
    Outcome.MATCH_NIK: _("Sudah terdaftar (NIK sama)"),
    Outcome.MATCH_NAME: _("Sudah terdaftar (nama, tanggal lahir dan ibu sama)"),
    Outcome.SAME_FILE: _("Anak yang sama dengan baris sebelumnya"),
    Outcome.CONFLICT: _("Bertentangan dengan data yang ada"),
    Outcome.REFUSED: _("Ditolak"),
}


@dataclass
class Row:
    number: int  # the row's number in the spreadsheet
    nik: str | None = None
    name: str = ""
    sex: str = ""
    birth_date: datetime.date | None = None
    birth_weight_kg: Decimal | None = None
    mother_name: str = ""
    rt: str = ""
    rw: str = ""
    address: str = ""
    measured_on: datetime.date | None = None
    weight_kg: Decimal | None = None
    height_cm: Decimal | None = None
    position: str = ""
    muac_cm: Decimal | None = None
    vitamin_a_total: int | None = None  # "Jml Vit A": capsules received up to this measurement
    pmt_kg: Decimal | None = None  # "PMT Diterima (kg)"
    file_z: dict = field(default_factory=dict)  # "wfa" / "lhfa" / "wflh" -> Decimal
    has_buku_kia: bool = True
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    outcome: str = ""
    visit: str = ""  # "baru", "sudah tercatat", ""
    z_differences: list[str] = field(default_factory=list)

    @property
    def outcome_label(self) -> str:
        return str(OUTCOME_LABELS.get(self.outcome, ""))

    @property
    def blocking(self) -> bool:
        return self.outcome in (Outcome.CONFLICT, Outcome.REFUSED)


@dataclass
class ImportResult:
    rows: list[Row]
    committed: bool = False

    @property
    def problems(self) -> list[str]:
        return [
            _("Baris %(n)s: %(problem)s") % {"n": row.number, "problem": problem}
            for row in self.rows
            for problem in row.problems
        ]

    @property
    def ok(self) -> bool:
        return not any(row.blocking for row in self.rows)

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def new_people(self) -> int:
        return self.count(Outcome.NEW)

    @property
    def new_visits(self) -> int:
        return sum(1 for row in self.rows if row.visit == "baru")

    @property
    def z_differences(self) -> list[Row]:
        return [row for row in self.rows if row.z_differences]


# ---------------------------------------------------------------------------------------------
# Reading the file
# ---------------------------------------------------------------------------------------------
class _TableParser(HTMLParser):
    """The rows of the first HTML table with cells (th/td) as text."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


class _Formula:
    """A cell holding a formula: refused (its value is not in the file, and it is not data)."""

    def __init__(self, text: str):
        self.text = text


def _read_xlsx(content: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), data_only=False, read_only=True)
    except Exception as exc:  # a damaged or disguised file: openpyxl raises many kinds
        raise FileRefused(_("Berkas xlsx tidak dapat dibaca. Simpan ulang dari Excel lalu unggah lagi.")) from exc
    sheet = book.worksheets[0]
    rows = []
    for row in sheet.iter_rows():
        cells = []
        for cell in row:
            if getattr(cell, "data_type", None) == "f":
                cells.append(_Formula(str(cell.value)))
            else:
                cells.append(cell.value)
        rows.append(cells)
        if len(rows) > MAX_ROWS + HEADER_SCAN_ROWS:
            break
    book.close()
    return rows


def read_table(content: bytes, filename: str = "") -> list[list]:
    """The cells of the file's first sheet or table, by row."""
    head = content[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if content.startswith(b"PK"):
        return _read_xlsx(content)
    if head.startswith(b"<") or b"<table" in head:
        parser = _TableParser()
        for encoding in ("utf-8", "cp1252"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        parser.feed(text)
        return parser.rows
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused(_("Berkas .xls lama (Excel 97–2003) tidak dapat dibaca: simpan sebagai .xlsx lalu unggah."))
    raise FileRefused(_("Berkas bukan xlsx atau tabel e-PPGBM (.xls). Unggah berkas unduhan e-PPGBM."))


def _header_key(value) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split()).lower()
    for column in COLUMNS:
        if column.header.lower() == text:
            return column.key
    return ALIASES.get(text)


def _find_header(table: list[list]) -> tuple[int, dict[str, int]]:
    for index, cells in enumerate(table[:HEADER_SCAN_ROWS]):
        keys = [_header_key(cell) for cell in cells]
        if "nama" in keys and ("tgl_lahir" in keys or "jk" in keys):
            positions: dict[str, int] = {}
            duplicates = []
            for position, key in enumerate(keys):
                if key is None:
                    continue
                if key in positions:
                    duplicates.append(str(cells[position]))
                positions[key] = position
            missing = [column.header for column in COLUMNS if column.key in REQUIRED and column.key not in positions]
            problems = []
            if missing:
                problems.append(_("Kolom tidak ditemukan: %(columns)s.") % {"columns": ", ".join(missing)})
            if duplicates:
                problems.append(_("Kolom ganda: %(columns)s.") % {"columns": ", ".join(duplicates)})
            if problems:
                raise FileRefused(problems)
            return index, positions
    raise FileRefused(
        _("Baris judul kolom e-PPGBM (NIK, Nama, JK, Tgl Lahir, …) tidak ditemukan di %(n)s baris pertama.")
        % {"n": HEADER_SCAN_ROWS}
    )


def _number(row: Row, value, label: str) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        row.problems.append(_("%(label)s bukan angka.") % {"label": label})
        return None
    if isinstance(value, int | float):
        number = Decimal(str(value))
    else:
        text = value.strip()
        if has_other_digits(text):
            row.problems.append(
                _("%(label)s '%(value)s' ditulis dengan angka selain 0–9.") % {"label": label, "value": text}
            )
            return None
        if text.count(",") + text.count(".") > 1:
            row.problems.append(_("%(label)s '%(value)s' bukan angka.") % {"label": label, "value": text})
            return None
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            row.problems.append(_("%(label)s '%(value)s' bukan angka.") % {"label": label, "value": text})
            return None
    if not number.is_finite():
        row.problems.append(_("%(label)s bukan angka.") % {"label": label})
        return None
    return number


def _from_serial(serial: int) -> datetime.date:
    return EXCEL_EPOCH + datetime.timedelta(days=serial)


def _date(row: Row, value, label: str) -> datetime.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value <= 2958465:  # Excel's serial days (the last is 31-12-9999)
            return _from_serial(int(value))
    elif isinstance(value, str):
        text = value.strip()
        if has_other_digits(text):
            row.problems.append(
                _("%(label)s '%(value)s' ditulis dengan angka selain 0–9.") % {"label": label, "value": text}
            )
            return None
        if text.isascii() and text.isdigit() and 1 <= int(text) <= 2958465:
            return _from_serial(int(text))
        for pattern in DATE_FORMATS:
            try:
                return datetime.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
    row.problems.append(
        _("%(label)s '%(value)s' bukan tanggal (tulis seperti 17-05-2023).") % {"label": label, "value": value}
    )
    return None


def _nik(row: Row, value) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, float):
        value = int(value)
    text = _text(value).replace(" ", "").lstrip("'")
    if not text:
        return None
    if MASK_CHARS.search(text):
        row.notes.append(_("NIK disamarkan di berkas: diabaikan."))
        return None
    if has_other_digits(text):
        row.problems.append(_("NIK ditulis dengan angka selain 0–9."))
        return None
    if not (text.isascii() and text.isdigit() and len(text) == 16):
        row.problems.append(_("NIK '%(nik)s' harus 16 digit angka.") % {"nik": text})
        return None
    return text


def parse(content: bytes, filename: str = "") -> list[Row]:
    """The file's data rows, each with its values converted and its problems listed. Raises
    ``FileRefused`` when the file as a whole is unusable."""
    table = read_table(content, filename)
    header_index, positions = _find_header(table)
    rows = []
    for offset, cells in enumerate(table[header_index + 1 :], start=header_index + 2):
        if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells):
            continue
        row = Row(number=offset)
        raw = {}
        for key, position in positions.items():
            value = cells[position] if position < len(cells) else None
            if isinstance(value, _Formula):
                header = next(column.header for column in COLUMNS if column.key == key)
                row.problems.append(
                    _("Kolom %(column)s berisi rumus (%(formula)s): salin lalu tempel sebagai nilai.")
                    % {"column": header, "formula": value.text}
                )
                value = None
            raw[key] = value
        _convert(row, raw)
        rows.append(row)
        if len(rows) > MAX_ROWS:
            raise FileRefused(_("Berkas lebih dari %(n)s baris: bagi per posyandu.") % {"n": MAX_ROWS})
    if not rows:
        raise FileRefused(_("Berkas tidak berisi baris data di bawah judul kolom."))
    return rows


def _convert(row: Row, raw: dict) -> None:
    row.nik = _nik(row, raw.get("nik"))
    row.name = _text(raw.get("nama"))
    if not row.name:
        row.problems.append(_("Nama kosong."))
    sex = _text(raw.get("jk")).lower()
    row.sex = SEX_WORDS.get(sex, "")
    if not row.sex:
        row.problems.append(_("JK '%(value)s' harus L atau P.") % {"value": _text(raw.get("jk"))})
    row.birth_date = _date(row, raw.get("tgl_lahir"), "Tgl Lahir")
    if row.birth_date is None and not any("Tgl Lahir" in p for p in row.problems):
        row.problems.append(_("Tgl Lahir kosong."))
    row.birth_weight_kg = _number(row, raw.get("bb_lahir"), "BB Lahir")
    row.mother_name = _text(raw.get("nama_ortu"))
    row.rt, row.rw = _text(raw.get("rt"))[:3], _text(raw.get("rw"))[:3]
    row.address = _text(raw.get("alamat"))[:255]
    row.measured_on = _date(row, raw.get("tgl_ukur"), "Tanggal Pengukuran")
    row.weight_kg = _number(row, raw.get("berat"), "Berat")
    row.height_cm = _number(row, raw.get("tinggi"), "Tinggi")
    row.muac_cm = _number(row, raw.get("lila"), "LiLA")
    position = _text(raw.get("cara_ukur")).lower()
    row.position = POSITION_INPUT.get(position, "")
    if position and not row.position:
        row.problems.append(_("Cara Ukur '%(value)s' harus Terlentang atau Berdiri.") % {"value": position})
    for key, index in (("zs_bbu", "wfa"), ("zs_tbu", "lhfa"), ("zs_bbtb", "wflh")):
        value = _number(row, raw.get(key), key.upper().replace("_", " ").replace("ZS ", "ZS "))
        if value is not None:
            row.file_z[index] = value
    _convert_supplements(row, raw)
    kia = _text(raw.get("kia")).lower()
    row.has_buku_kia = YES_WORDS.get(kia, True)
    if (row.weight_kg is not None or row.height_cm is not None) and row.measured_on is None:
        row.problems.append(_("Ada berat/tinggi tanpa Tanggal Pengukuran."))
    if row.measured_on is not None and row.weight_kg is None and row.height_cm is None:
        row.problems.append(_("Tanggal Pengukuran tanpa berat maupun tinggi."))
    if row.birth_date and row.measured_on:
        if row.measured_on < row.birth_date:
            row.problems.append(_("Tanggal Pengukuran sebelum tanggal lahir."))
        elif dates.months_between(row.birth_date, row.measured_on) > BALITA_MAX_MONTHS:
            row.problems.append(_("Umur saat ukur lebih dari 59 bulan: bukan balita."))


def _convert_supplements(row: Row, raw: dict) -> None:
    """Jml Vit A (a whole number of capsules, 0–20) and PMT Diterima (kg, 0–50)."""
    capsules = _number(row, raw.get("jml_vit_a"), "Jml Vit A")
    if capsules is not None:
        if capsules != capsules.to_integral_value() or not 0 <= capsules <= 20:
            row.problems.append(_("Jml Vit A '%(value)s' harus bilangan bulat 0–20.") % {"value": _text(capsules)})
        else:
            row.vitamin_a_total = int(capsules)
    row.pmt_kg = _number(row, raw.get("pmt_kg"), "PMT Diterima (kg)")
    if row.pmt_kg is not None and not 0 <= row.pmt_kg <= 50:
        row.problems.append(_("PMT Diterima (kg) '%(value)s' di luar 0–50.") % {"value": _text(row.pmt_kg)})
        row.pmt_kg = None


# ---------------------------------------------------------------------------------------------
# Working through the rows
# ---------------------------------------------------------------------------------------------
def _messages(exc: BaseException) -> list[str]:
    if isinstance(exc, ValidationError):
        return [str(message) for message in exc.messages]
    return [str(exc)]


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _find_person(row: Row, posyandu: Posyandu) -> tuple[Warga | None, str, str]:
    """(person, outcome, detail) for a row: matched by NIK, by name + birth date + mother, or none."""
    if row.nik:
        found = Warga.objects.select_related("mother").filter(nik=row.nik).first()
        if found is not None:
            if found.posyandu_id != posyandu.pk:
                # Not named: the other posyandu may lie outside the importer's scope.
                return (
                    found,
                    Outcome.CONFLICT,
                    _("NIK ini sudah terdaftar di posyandu lain (pindahkan lewat halaman warga)."),
                )
            if not _same_name(found.name, row.name) or found.birth_date != row.birth_date:
                return (
                    found,
                    Outcome.CONFLICT,
                    _("NIK ini terdaftar atas %(name)s, lahir %(date)s.")
                    % {"name": found.name, "date": found.birth_date.strftime("%d-%m-%Y")},
                )
            return found, Outcome.MATCH_NIK, ""
    candidates = (
        Warga.objects.select_related("mother")
        .annotate(lower_name=Lower("name"))
        .filter(posyandu=posyandu, lower_name=" ".join(row.name.split()).lower(), birth_date=row.birth_date)
    )
    for found in candidates:
        if _same_name(found.mother_display, row.mother_name):
            if row.nik and found.nik and found.nik != row.nik:
                return found, Outcome.CONFLICT, _("Anak dengan nama, tanggal lahir dan ibu ini punya NIK lain.")
            return found, Outcome.MATCH_NAME, ""
    return None, Outcome.NEW, ""


def _household(row: Row, posyandu: Posyandu) -> Keluarga:
    head = row.mother_name or row.name
    existing = (
        Keluarga.objects.annotate(lower_head=Lower("head_name"))
        .filter(posyandu=posyandu, lower_head=" ".join(head.split()).lower(), rt=row.rt, rw=row.rw)
        .first()
    )
    if existing is not None:
        return existing
    return services.keluarga_create(posyandu=posyandu, head_name=head, rt=row.rt, rw=row.rw, address=row.address)


def _create_person(row: Row, posyandu: Posyandu) -> Warga:
    keluarga = _household(row, posyandu)
    mother = (
        Warga.objects.annotate(lower_name=Lower("name"))
        .filter(keluarga=keluarga, sex=Sex.PEREMPUAN, lower_name=" ".join(row.mother_name.split()).lower())
        .first()
        if row.mother_name
        else None
    )
    return services.warga_create(
        posyandu=posyandu,
        name=row.name,
        nik=row.nik,
        sex=row.sex,
        birth_date=row.birth_date,
        birth_weight_kg=row.birth_weight_kg,
        mother=mother,
        mother_name="" if mother else row.mother_name,
        keluarga=keluarga,
        has_buku_kia=row.has_buku_kia,
    )


def _opening_day(posyandu: Posyandu, day: datetime.date, user) -> HariBuka:
    existing = HariBuka.objects.filter(posyandu=posyandu, date=day).first()
    if existing is not None:
        return existing
    return health.hari_buka_open(posyandu=posyandu, date=day, user=user, notes=_("Dari impor e-PPGBM"))


def _record_measurement(row: Row, warga: Warga, posyandu: Posyandu, user) -> None:
    """The row's measurement as a visit of its month: at an opening day of the posyandu on that date
    (opened if needed); a second measurement in the same month on another date as a home visit (one
    visit per person, month and kind). The same date and values already recorded: left as they are."""
    month = dates.month_start(row.measured_on)
    existing = list(Kunjungan.objects.filter(warga=warga, reporting_month=month).order_by("pk"))
    for visit in existing:
        if visit.visit_date == row.measured_on:
            if visit.weight_kg == row.weight_kg and visit.height_cm == row.height_cm:
                row.visit = "sudah tercatat"
                return
            row.outcome = Outcome.CONFLICT
            row.problems.append(
                _("Pada %(date)s sudah tercatat %(weight)s kg / %(height)s cm.")
                % {
                    "date": visit.visit_date.strftime("%d-%m-%Y"),
                    "weight": str(visit.weight_kg or "-").replace(".", ","),
                    "height": str(visit.height_cm or "-").replace(".", ","),
                }
            )
            return
    kinds = {visit.kind for visit in existing}
    if Kunjungan.Kind.POSYANDU not in kinds:
        place = {"hari_buka": _opening_day(posyandu, row.measured_on, user)}
    elif Kunjungan.Kind.RUMAH not in kinds:
        place = {"visit_date": row.measured_on, "reporting_month": month}
    else:
        row.outcome = Outcome.CONFLICT
        row.problems.append(_("Bulan %(month)s sudah ada dua pengukuran lain.") % {"month": month.strftime("%m/%Y")})
        return
    values = {"weight_kg": row.weight_kg, "height_cm": row.height_cm, "muac_cm": row.muac_cm}
    if row.position:
        values["position"] = row.position
    values.update(_supplements(row, warga))
    visit = health.kunjungan_record(warga=warga, user=user, values=values, confirm_implausible=True, **place)
    row.visit = "baru"
    names = {"wfa": "ZS BB/U", "lhfa": "ZS TB/U", "wflh": "ZS BB/TB"}
    for index, file_z in row.file_z.items():
        ours = getattr(visit, f"z_{index}")
        if ours is not None and abs(ours - file_z) > Z_TOLERANCE:
            row.z_differences.append(
                _("%(name)s: berkas %(file)s, dihitung %(ours)s")
                % {"name": names[index], "file": str(file_z).replace(".", ","), "ours": str(ours).replace(".", ",")}
            )
    if visit.implausible:
        row.notes.append(_("Nilai tidak wajar menurut WHO: periksa pengukurannya."))


def _supplements(row: Row, warga: Warga) -> dict:
    """A vitamin A capsule at this measurement when Jml Vit A is above the capsules recorded before it
    (the export counts them the same way), the capsule of the child's age; PMT when kilograms were given."""
    values = {}
    if row.pmt_kg:
        values["pmt"] = True
    if row.vitamin_a_total is None:
        return values
    before = Kunjungan.objects.filter(warga=warga, visit_date__lt=row.measured_on).exclude(vitamin_a="").count()
    if row.vitamin_a_total <= before:
        return values
    age_months = dates.months_between(row.birth_date, row.measured_on)
    capsule = vitamin_a_capsule(age_months)
    if capsule is None:
        row.notes.append(
            _("Jml Vit A %(n)s, tetapi umur %(months)s bulan tidak mendapat kapsul: tidak dicatat.")
            % {"n": row.vitamin_a_total, "months": age_months}
        )
        return values
    values["vitamin_a"] = capsule
    if row.vitamin_a_total > before + 1:
        row.notes.append(
            _("Jml Vit A %(n)s: sebelumnya tercatat %(before)s; dicatat satu kapsul pada pengukuran ini.")
            % {"n": row.vitamin_a_total, "before": before}
        )
    return values


def _process(row: Row, posyandu: Posyandu, user, created: dict) -> None:
    if row.problems:
        row.outcome = Outcome.REFUSED
        return
    key = (row.nik,) if row.nik else (row.name.casefold(), row.birth_date, row.mother_name.casefold())
    try:
        with transaction.atomic():
            if key in created:
                warga, first_row = created[key]
                row.outcome = Outcome.SAME_FILE
                row.notes.append(_("Baris %(n)s") % {"n": first_row})
            else:
                warga, row.outcome, detail = _find_person(row, posyandu)
                if row.outcome == Outcome.CONFLICT:
                    row.problems.append(detail)
                    return
                if warga is None:
                    warga = _create_person(row, posyandu)
                elif warga.status != Warga.Status.AKTIF:
                    row.outcome = Outcome.CONFLICT
                    row.problems.append(_("%(name)s tidak aktif lagi.") % {"name": warga.name})
                    return
            if row.measured_on is not None:
                _record_measurement(row, warga, posyandu, user)
            if row.outcome == Outcome.NEW:
                created[key] = (warga, row.number)
    except (ValidationError, DatabaseError) as exc:
        error = as_validation_error(exc) if isinstance(exc, DatabaseError) else exc
        if not isinstance(error, ValidationError):
            raise
        row.outcome = Outcome.REFUSED
        row.problems.extend(_messages(error))


def eppgbm_import(*, posyandu: Posyandu, user, rows: list[Row], commit: bool) -> ImportResult:
    """Work through ``rows`` for ``posyandu`` with the app's services in one transaction; keep the
    result only with ``commit`` and when no row is refused or conflicting (all or nothing)."""
    ordered = sorted(rows, key=lambda r: (r.measured_on or datetime.date.min, r.number))
    result = ImportResult(rows=rows)
    with transaction.atomic():
        created: dict = {}
        for row in ordered:
            _process(row, posyandu, user, created)
        if commit and result.ok:
            result.committed = True
        else:
            transaction.set_rollback(True)
    return result
