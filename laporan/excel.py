"""Excel exports: indicator tables (openpyxl) and registers (``laporan.xlsx_stream``, several times faster
for 100,000 rows, and streamed: each register is one query read through a server-side cursor in chunks,
written row by row and sent as it is written), from the same selectors as the screens.

Cells are typed (numbers as numbers, percentages as fractions with a % format) so a kabupaten
analyst can keep computing in Excel. Text cells that would start a formula are prefixed with an
apostrophe-equivalent (stored as plain strings) so a name like ``=HYPERLINK(...)`` stays text.
"""

import datetime
import io
from collections.abc import Callable, Iterable, Iterator

from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from laporan.xlsx_stream import RegisterWriter
from posyandu.models import Warga, mask_nik

HEADER_FILL = PatternFill("solid", fgColor="E8F3EC")
CHUNK = 5000  # rows fetched at a time from the register's server-side cursor
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _text(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text  # never a formula


def _header(sheet, titles: Iterable[str]) -> None:
    sheet.append([str(t) for t in titles])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    sheet.freeze_panes = sheet.cell(row=sheet.max_row + 1, column=2)


def _widths(sheet, widths: dict[int, int]) -> None:
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = width


def _result_cells(result):
    """(value, numerator, denominator) as typed cells."""
    value = result.value
    if result.indicator.is_ratio:
        return [None if value is None else value / 100, result.numerator, result.denominator]
    return [value, result.numerator, None]


def column_title(indicator) -> str:
    """A column heading in words with its unit: "D/S — partisipasi penimbangan (%)", never ``skdn_ds``."""
    return f"{indicator.name} ({indicator.unit})"


def indicator_workbook(board) -> bytes:
    """Two sheets: the area's totals per indicator, and the league table (one row per child area)."""
    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Ringkasan")[:31]
    area_name = board.area.display_name if board.area else _("Seluruh wilayah")
    summary.append([_text(area_name), _text(board.period.label)])
    summary["A1"].font = Font(bold=True, size=13)
    _header(summary, [_("Bidang"), _("Kode"), _("Indikator"), _("Nilai"), _("Pembilang"), _("Penyebut"), _("Target"),
                      _("Catatan"), _("Definisi")])  # fmt: skip
    for result in board.total:
        indicator = result.indicator
        summary.append(
            [str(indicator.field_label()), indicator.code, str(indicator.name), *_result_cells(result),
             None if indicator.target is None else (indicator.target / 100 if indicator.is_ratio else indicator.target),
             str(indicator.note) or None, indicator.definition]
        )  # fmt: skip
        if indicator.is_ratio:
            summary.cell(row=summary.max_row, column=4).number_format = "0.0%"
            summary.cell(row=summary.max_row, column=7).number_format = "0%"
    _widths(summary, {1: 24, 2: 18, 3: 48, 4: 10, 5: 11, 6: 11, 7: 9, 8: 40, 9: 80})
    summary.auto_filter.ref = f"A2:{get_column_letter(summary.max_column)}{summary.max_row}"

    league = workbook.create_sheet(_("Per wilayah")[:31])
    _header(league, [_("Wilayah / posyandu"), *[column_title(i) for i in board.indicators]])
    for row in board.rows:
        league.append([_text(row.name), *[_result_cells(r)[0] for r in row.results]])
        for column, result in enumerate(row.results, start=2):
            if result.indicator.is_ratio:
                league.cell(row=league.max_row, column=column).number_format = "0.0%"
    _widths(league, {1: 34, **dict.fromkeys(range(2, len(board.indicators) + 2), 18)})
    for cell in league[league.min_row]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    league.auto_filter.ref = league.dimensions
    return _save(workbook)


def warga_workbook(people, *, show_nik: Callable[[dict], bool]) -> Iterator[bytes]:
    """The register as rows of plain values (no model instances: a kabupaten has 100,000+ people), streamed."""
    sheet = RegisterWriter(_("Warga"), [_("Nama"), _("NIK"), _("Jenis kelamin"), _("Tanggal lahir"), _("Tahap"),
                                        _("Ibu"), _("Posyandu"), _("Desa"), _("Kecamatan"), _("Status")])  # fmt: skip
    sexes = {key: str(label) for key, label in Warga._meta.get_field("sex").choices}
    statuses = {key: str(label) for key, label in Warga.Status.choices}
    rows = people.values(
        "name", "nik", "sex", "birth_date", "stage_label", "mother__name", "mother_name", "posyandu_id",
        "posyandu__name", "posyandu__desa_id", "posyandu__desa__name", "posyandu__desa__parent__name", "status",
    )  # fmt: skip

    def values():
        for row in _streamed(rows):
            nik = row["nik"] if row["nik"] and show_nik(row) else mask_nik(row["nik"])
            yield [_text(row["name"]), nik, sexes.get(row["sex"], row["sex"]), row["birth_date"], row["stage_label"],
                   _text(row["mother__name"] or row["mother_name"]), _text(row["posyandu__name"]),
                   _text(row["posyandu__desa__name"]), _text(row["posyandu__desa__parent__name"]),
                   statuses.get(row["status"], row["status"])]  # fmt: skip

    return sheet.stream(values())


def _streamed(rows) -> Iterator[dict]:
    """A register's rows from a server-side cursor, ``CHUNK`` at a time, inside a transaction: a cursor
    declared outside one is ``WITH HOLD``, and PostgreSQL then computes the whole result at the commit
    before the first row is fetched (the first byte of 100,000 households came after the last row was
    computed); inside one, rows come as the query produces them. Read-only: closing the download early
    ends the transaction."""
    with transaction.atomic():
        yield from rows.iterator(chunk_size=CHUNK)


def _choices(model, name: str) -> dict[str, str]:
    return {key: str(label) for key, label in model._meta.get_field(name).choices}


def _yes_no(value) -> str | None:
    return None if value is None else (_("ya") if value else _("tidak"))


def kader_workbook(kader, *, show_nik: Callable[[dict], bool]) -> Iterator[bytes]:
    """The kader register: one row per kader with their SK, level and trainings attended."""
    from kader.models import Kader

    sheet = RegisterWriter(_("Kader"), [_("Nama"), _("NIK"), _("Nomor HP"), _("Bidang"), _("Posyandu"), _("Desa"),
                  _("Kecamatan"), _("Nomor SK"), _("Tanggal SK"), _("Mulai bertugas"), _("Status"), _("Berhenti pada"),
                  _("Jenjang"), _("Pelatihan diikuti")])  # fmt: skip
    fields, statuses, levels = _choices(Kader, "field"), _choices(Kader, "status"), _choices(Kader, "level")
    rows = kader.values(
        "name", "nik", "phone", "field", "posyandu_id", "posyandu__name", "posyandu__desa_id",
        "posyandu__desa__name", "posyandu__desa__parent__name", "sk_number", "sk_date", "start_date", "status",
        "end_date", "level", "training_count",
    )  # fmt: skip

    def values():
        for row in _streamed(rows):
            nik = row["nik"] if row["nik"] and show_nik(row) else mask_nik(row["nik"])
            yield [_text(row["name"]), nik, _text(row["phone"]), fields.get(row["field"], row["field"]),
                   _text(row["posyandu__name"]), _text(row["posyandu__desa__name"]),
                   _text(row["posyandu__desa__parent__name"]), _text(row["sk_number"]), row["sk_date"],
                   row["start_date"], statuses.get(row["status"], row["status"]), row["end_date"],
                   levels.get(row["level"], row["level"]), row["training_count"]]  # fmt: skip

    return sheet.stream(values())


KELUARGA_SURVEY_COLUMNS = (
    "survey_date", "water_source", "has_safe_water", "latrine", "has_proper_latrine", "area_per_person_m2",
    "is_rtlh", "is_poor", "receives_bansos", "bansos_programmes", "disabled_members",
)  # fmt: skip


def keluarga_workbook(households, *, show_kk: Callable[[dict], bool]) -> Iterator[bytes]:
    """The household register with each household's latest survey (its current state), streamed.
    ``households`` carries the survey as ``latest_survey`` (``layanan.selectors.survei_latest_of``):
    one query for both, never a dictionary of every household's survey."""
    from layanan.models import Bansos, SurveiKeluarga

    sheet = RegisterWriter(_("Keluarga"), [_("Kepala keluarga"), _("Nomor KK"), _("RT"), _("RW"), _("Dusun"),
                  _("Posyandu"), _("Desa"), _("Kecamatan"), _("Survei terakhir"), _("Sumber air minum"),
                  _("Air layak"), _("Jamban"), _("Jamban layak"),
                  _("Luas lantai per orang (m²)"), _("RTLH"), _("Keluarga miskin"), _("Menerima bansos"),
                  _("Program bansos"), _("Anggota disabilitas")])  # fmt: skip
    water, latrine = _choices(SurveiKeluarga, "water_source"), _choices(SurveiKeluarga, "latrine")
    bansos = {key: str(label) for key, label in Bansos.choices}
    rows = households.values(
        "pk", "head_name", "kk_number", "rt", "rw", "dusun", "posyandu_id", "posyandu__name", "posyandu__desa_id",
        "posyandu__desa__name", "posyandu__desa__parent__name", "latest_survey",
    )  # fmt: skip

    def values():
        for row in _streamed(rows):
            kk = row["kk_number"] if row["kk_number"] and show_kk(row) else mask_nik(row["kk_number"])
            survey = row["latest_survey"] or {}
            surveyed = survey.get("survey_date")
            yield [_text(row["head_name"]), kk, _text(row["rt"]), _text(row["rw"]), _text(row["dusun"]),
                   _text(row["posyandu__name"]), _text(row["posyandu__desa__name"]),
                   _text(row["posyandu__desa__parent__name"]),
                   datetime.date.fromisoformat(surveyed) if surveyed else None,
                   water.get(survey.get("water_source"), survey.get("water_source")),
                   _yes_no(survey.get("has_safe_water")), latrine.get(survey.get("latrine"), survey.get("latrine")),
                   _yes_no(survey.get("has_proper_latrine")),
                   None if survey.get("area_per_person_m2") is None else float(survey["area_per_person_m2"]),
                   _yes_no(survey.get("is_rtlh")), _yes_no(survey.get("is_poor")),
                   _yes_no(survey.get("receives_bansos")),
                   ", ".join(bansos.get(code, code) for code in survey.get("bansos_programmes") or []),
                   survey.get("disabled_members")]  # fmt: skip

    return sheet.stream(values())


def kelengkapan_workbook(rows, by_field, *, area_name: str, period_label: str, deadline) -> bytes:
    """Report completeness for one month: per posyandu its report's status, whether it is late and
    the month's records of each of the six SPM fields; then how many posyandu recorded each field."""
    from posyandu.models import SpmField

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Kelengkapan")[:31]
    sheet.append([_text(area_name), _text(period_label), _("batas pengajuan"), deadline])
    sheet["A1"].font = Font(bold=True, size=13)
    fields = [str(label) for _code, label in SpmField.choices]
    _header(sheet, [_("Posyandu"), _("Desa"), _("Kecamatan"), _("Status laporan"), _("Diajukan"), _("Terlambat"),
                    *fields, _("Bidang tercatat (dari 6)")])  # fmt: skip
    for row in rows:
        submitted = row.laporan.submitted_at if row.laporan and row.laporan.submitted_at else None
        sheet.append(
            [_text(row.posyandu.name), _text(row.posyandu.desa.name), _text(row.posyandu.desa.parent.name),
             str(row.status_label), submitted.date() if submitted else None, _yes_no(row.late),
             *[row.fields.get(code, 0) for code in SpmField.values], row.fields_reported]
        )  # fmt: skip
    sheet.append([])
    sheet.append([_("Posyandu yang mencatat data"), None, None, None, None, None, *[n for _c, _l, n in by_field],
                  None])  # fmt: skip
    sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    sheet.append([_("Jumlah posyandu aktif"), len(rows)])
    _widths(sheet, {1: 30, 2: 22, 3: 22, 4: 16, 5: 12, 6: 10, **dict.fromkeys(range(7, 13), 13), 13: 12})
    return _save(workbook)


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def response(content: bytes, filename: str) -> HttpResponse:
    result = HttpResponse(content, content_type=XLSX)
    result["Content-Disposition"] = f'attachment; filename="{filename}"'
    return result


def stream_response(chunks: Iterable[bytes], filename: str) -> StreamingHttpResponse:
    """A register sent as it is written: the first bytes leave before the last row is read."""
    result = StreamingHttpResponse(chunks, content_type=XLSX)
    result["Content-Disposition"] = f'attachment; filename="{filename}"'
    return result
