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


def test_a_streamed_register_starts_before_its_last_row_and_reads_back_whole():
    read = []

    def rows():
        for index in range(20_000):
            read.append(index)
            yield [f"Warga {index} binti Ahmad Daeng {index * 7919 % 100_003}", datetime.date(2020, 1, 1), index]

    writer = RegisterWriter("Warga", ["Nama", "Tanggal lahir", "Nomor"])
    chunks, read_at = [], []
    for chunk in writer.stream(rows(), every=1000):
        chunks.append(chunk)
        read_at.append(len(read))
    assert read_at[0] == 1  # the first bytes leave after the first row
    assert len(chunks) > 5 and read_at[-2] < 20_000  # then chunk by chunk, not all at the end
    sheet = load_workbook(io.BytesIO(b"".join(chunks)), read_only=True).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 20_001 and values[-1][2] == 19_999 and values[1][0].startswith("Warga 0 ")


def test_a_download_never_read_writes_nothing_and_one_closed_early_closes_its_zip():
    unread = RegisterWriter("Warga", ["Nama"])
    assert unread.zip is None  # a response nobody reads (a HEAD, a test that checks the status) opens nothing
    writer = RegisterWriter("Warga", ["Nama"])
    chunks = writer.stream([f"Warga {index}"] for index in range(10))
    next(chunks)
    chunks.close()  # the client went away
    assert writer.zip.fp is None  # closed: no "open writing handle" left for the garbage collector
