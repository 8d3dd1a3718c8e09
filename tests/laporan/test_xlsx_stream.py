"""The registers' streaming .xlsx writer: what it writes, openpyxl reads back as the same values."""

import datetime
import io
from decimal import Decimal

from openpyxl import load_workbook

from laporan.xlsx_stream import RegisterWriter


def test_a_register_written_row_by_row_reads_back_with_its_types_and_a_frozen_filtered_header():
    writer = RegisterWriter("Warga & <keluarga>", ["Nama", "Tanggal lahir", "Jumlah", "Luas", "Aktif", "Catatan"])
    writer.append(['Baso "Daeng" <Ngalle> & co', datetime.date(2024, 2, 29), 3, Decimal("12.5"), True, None])
    writer.append(['\'=HYPERLINK("x")', datetime.datetime(2026, 3, 1, 8, 0), 0, 1.25, False, "bel\x07l"])
    workbook = load_workbook(io.BytesIO(writer.save()))
    sheet = workbook.active
    assert sheet.title == "Warga & <keluarga>"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Nama", "Tanggal lahir", "Jumlah", "Luas", "Aktif", "Catatan")
    assert rows[1] == ('Baso "Daeng" <Ngalle> & co', datetime.datetime(2024, 2, 29), 3, 12.5, True, None)
    assert rows[2] == ('\'=HYPERLINK("x")', datetime.datetime(2026, 3, 1), 0, 1.25, False, "bell")
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:F3"
    assert sheet["A1"].font.b and sheet.column_dimensions["A"].width == 18
