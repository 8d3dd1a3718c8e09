"""e-PPGBM by-name data, both ways: the export's layout and NIK rule, the import's preview, its
all-or-nothing save, the round trip, and hostile files."""

import datetime
import io
from decimal import Decimal as D

import pytest
from django.db import transaction
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from laporan import eppgbm
from layanan import services as health
from layanan.eppgbm_import import FileRefused, Outcome, eppgbm_import, parse
from layanan.models import Kunjungan
from posyandu import services
from posyandu.models import BulanTerkunci, Sex, Warga
from tests import factories

JAN, FEB, MAR = (datetime.date(2026, month, 1) for month in (1, 2, 3))


def _sheet(content: bytes) -> list[list]:
    return [list(row) for row in load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True)]


def _xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def build_register(world):
    """Posyandu A: two households, three balita (two with NIK), weighed in January–March 2026;
    Rina also at home in March. Siti is registered as Rina's mother."""
    kader = world.users["kader_a"]
    p = world.posyandu_a
    k1 = services.keluarga_create(posyandu=p, head_name="Siti Aminah", rt="001", rw="002", address="Jl. Mawar 1")
    k2 = services.keluarga_create(posyandu=p, head_name="Hasna", rt="003", rw="002", address="Dusun II")
    siti = factories.warga(posyandu=p, name="Siti Aminah", sex=Sex.PEREMPUAN, birth_date=datetime.date(1996, 2, 2),
                           keluarga=k1)  # fmt: skip
    rina_born, bayu_born = datetime.date(2025, 3, 15), datetime.date(2024, 1, 31)
    rina = factories.warga(
        posyandu=p, name="Rina", sex=Sex.PEREMPUAN, birth_date=rina_born, keluarga=k1, mother=siti,
        birth_weight_kg=D("3.10"), nik=factories.nik(kecamatan="73.05.01", birth_date=rina_born, sex="P"),
    )  # fmt: skip
    bayu = factories.warga(
        posyandu=p, name="Bayu", sex=Sex.LAKI_LAKI, birth_date=bayu_born, keluarga=k2, mother_name="Hasna",
        nik=factories.nik(kecamatan="73.05.01", birth_date=bayu_born, sex="L", serial=2),
    )  # fmt: skip
    cici = factories.warga(posyandu=p, name="Cici", sex=Sex.PEREMPUAN, birth_date=datetime.date(2025, 10, 1),
                           keluarga=k2, mother_name="Hasna", has_buku_kia=False)  # fmt: skip
    days = {m: health.hari_buka_open(posyandu=p, date=m.replace(day=10), user=kader) for m in (JAN, FEB, MAR)}

    def visit(warga, month, kg, cm=None, **extra):
        values = {"weight_kg": D(kg), **({"height_cm": D(cm)} if cm else {}), **extra}
        return health.kunjungan_record(warga=warga, user=kader, hari_buka=days[month], values=values,
                                       confirm_implausible=True)  # fmt: skip

    visit(rina, JAN, "7.6", "63.0")
    visit(rina, FEB, "8.0", "64.0", vitamin_a="biru")
    visit(rina, MAR, "8.5", "65.5", muac_cm=D("13.5"))
    health.kunjungan_record(
        warga=rina, user=kader, visit_date=datetime.date(2026, 3, 20), values={"weight_kg": D("8.6")}
    )
    visit(bayu, JAN, "11.0", "84.0")
    visit(bayu, MAR, "11.4", "86.0", position="H")
    visit(cici, FEB, "4.9", "55.0")
    visit(cici, MAR, "5.6", "58.0")
    return {"rina": rina, "bayu": bayu, "cici": cici}


@pytest.fixture
def register(world):
    return build_register(world)


def _export(client, user, month, **params) -> bytes:
    client.force_login(user)
    response = client.get(reverse("format:eppgbm_export"), {"bulan": f"{month:%Y-%m}", **params})
    assert response.status_code == 200
    return response.content


def _snapshot(posyandu) -> set:
    """What the round trip must keep: each child and each of its measurements."""
    children = {
        (w.name, w.sex, w.birth_date, w.nik, w.birth_weight_kg, w.mother_display, w.has_buku_kia)
        for w in Warga.objects.filter(posyandu=posyandu, birth_date__gte=datetime.date(2020, 1, 1))
    }
    visits = {
        (v.warga.name, v.visit_date, v.reporting_month, v.weight_kg, v.height_cm, v.muac_cm, v.position, v.z_wfa,
         v.z_lhfa, v.z_wflh, v.growth_code, v.vitamin_a)
        for v in Kunjungan.objects.filter(warga__posyandu=posyandu).select_related("warga")
    }  # fmt: skip
    return children | visits


# ---------------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------------
def test_export_has_the_eppgbm_columns_in_order_and_one_row_per_measurement(world, client, register):
    rows = _sheet(_export(client, world.users["pengurus_a"], MAR, posyandu=world.posyandu_a.pk))
    assert rows[0][:4] == ["NIK", "Nama", "JK", "Tgl Lahir"]
    assert tuple(rows[0]) == eppgbm.HEADERS and len(eppgbm.HEADERS) == 33
    assert rows[0][-3:] == ["Jml Vit A", "KPSP", "KIA"]
    data = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert [r["Nama"] for r in data] == ["Bayu", "Cici", "Rina", "Rina"]  # Rina at the posyandu and at home
    rina = data[2]
    assert rina["NIK"] == register["rina"].nik  # the pengurus keeps the register: full NIK
    assert rina["Nama Ortu"] == "Siti Aminah" and rina["RT"] == "001" and rina["Alamat"] == "Jl. Mawar 1"
    assert rina["Usia Saat Ukur"] == "0 Tahun - 11 Bulan - 23 Hari"
    assert rina["Berat"] == 8.5 and rina["Tinggi"] == 65.5 and rina["LiLA"] == 13.5
    assert rina["Cara Ukur"] == "Terlentang" and rina["Jml Vit A"] == 1 and rina["KIA"] == "Ya"
    assert rina["Prov"] and rina["Kec"] == world.kecamatan_a.name and rina["Posyandu"] == "Posyandu Mawar"
    assert rina["Puskesmas"] == "Puskesmas Mappakasunggu"  # desa A1's Puskesmas at the month's end
    assert rina["ZS BB/U"] == float(
        Kunjungan.objects.get(warga=register["rina"], visit_date=datetime.date(2026, 3, 10)).z_wfa
    )
    assert data[0]["Cara Ukur"] == "Berdiri" and data[1]["KIA"] == "Tidak"


def test_export_masks_nik_for_kader_and_tim_pembina(world, client, register):
    for role in ("kader_a", "kecamatan_a"):
        rows = _sheet(_export(client, world.users[role], MAR, posyandu=world.posyandu_a.pk))
        niks = [row[0] for row in rows[1:] if row[0]]
        assert niks and all("•" in nik for nik in niks), role


def test_export_of_an_area_stays_in_the_users_scope(world, client, register):
    other = factories.warga(posyandu=world.posyandu_b, name="Fajar", birth_date=datetime.date(2025, 1, 5))
    day = health.hari_buka_open(posyandu=world.posyandu_b, date=datetime.date(2026, 3, 12), user=None)
    health.kunjungan_record(warga=other, user=None, hari_buka=day, values={"weight_kg": D("9.5")})
    kecamatan_a = _sheet(_export(client, world.users["kecamatan_a"], MAR, wilayah=world.kabupaten.code))
    assert "Fajar" not in [row[1] for row in kecamatan_a]  # kabupaten asked, own kecamatan given
    kabupaten = _sheet(_export(client, world.users["kabupaten"], MAR, wilayah=world.kabupaten.code))
    assert {"Fajar", "Rina"} <= {row[1] for row in kabupaten}
    response = client.get(reverse("format:eppgbm_export"), {"posyandu": world.posyandu_x.pk})
    assert response.status_code == 404


# ---------------------------------------------------------------------------------------------
# Round trip, preview, twice
# ---------------------------------------------------------------------------------------------
def test_round_trip_into_an_empty_posyandu_keeps_children_and_measurements(world, client):
    """Export January–March from posyandu A, forget posyandu A's data, import the three files into
    the empty posyandu A2: the same children and measurements, z-scores and N/T."""
    with transaction.atomic():
        build_register(world)
        source = _snapshot(world.posyandu_a)
        files = [
            _export(client, world.users["desa_a1"], month, posyandu=world.posyandu_a.pk) for month in (JAN, FEB, MAR)
        ]
        transaction.set_rollback(True)
    assert not Warga.objects.filter(posyandu=world.posyandu_a).exists()
    for content in files:
        result = eppgbm_import(
            posyandu=world.posyandu_a2, user=world.users["desa_a1"], rows=parse(content), commit=True
        )
        assert result.committed, result.problems
        assert not result.z_differences
    assert _snapshot(world.posyandu_a2) == source


def test_preview_saves_nothing_and_lists_each_rows_outcome(world, client, register):
    content = _export(client, world.users["desa_a1"], MAR, posyandu=world.posyandu_a.pk)
    before = (Warga.objects.count(), Kunjungan.objects.count())
    rows = parse(content)
    result = eppgbm_import(posyandu=world.posyandu_a, user=world.users["desa_a1"], rows=rows, commit=False)
    assert result.ok and not result.committed
    assert {row.outcome for row in rows} == {Outcome.MATCH_NIK, Outcome.MATCH_NAME}  # Cici has no NIK
    assert {row.visit for row in rows} == {"sudah tercatat"}
    assert (Warga.objects.count(), Kunjungan.objects.count()) == before


def test_importing_twice_changes_nothing(world, client, register):
    content = _export(client, world.users["desa_a1"], MAR, posyandu=world.posyandu_a.pk)
    first = eppgbm_import(posyandu=world.posyandu_a2, user=world.users["admin"], rows=parse(content), commit=False)
    assert not first.ok  # NIKs registered at posyandu A: conflicts, listed
    assert any("posyandu lain" in p for p in first.problems)
    masked = _export(client, world.users["kecamatan_a"], MAR, posyandu=world.posyandu_a.pk)
    user = world.users["admin"]
    once = eppgbm_import(posyandu=world.posyandu_a2, user=user, rows=parse(masked), commit=True)
    assert once.committed and once.new_people == 3 and once.new_visits == 4
    state = _snapshot(world.posyandu_a2), Warga.objects.count(), Kunjungan.objects.count()
    twice = eppgbm_import(posyandu=world.posyandu_a2, user=user, rows=parse(masked), commit=True)
    assert twice.committed and twice.new_people == 0 and twice.new_visits == 0
    assert (_snapshot(world.posyandu_a2), Warga.objects.count(), Kunjungan.objects.count()) == state


# ---------------------------------------------------------------------------------------------
# Hostile files
# ---------------------------------------------------------------------------------------------
HEADERS = list(eppgbm.HEADERS)


def _row(**values) -> list:
    base = {"Nama": "Dewi", "JK": "P", "Tgl Lahir": "05-06-2025", "Nama Ortu": "Nur", "RT": "1", "RW": "2"}
    base.update({"Tanggal Pengukuran": "10-03-2026", "Berat": "7,9", "Tinggi": "66,0", "Cara Ukur": "Terlentang"})
    base.update(values)
    return [base.get(header) for header in HEADERS]


def _import(world, rows, commit=True):
    return eppgbm_import(posyandu=world.posyandu_a2, user=world.users["desa_a1"], rows=rows, commit=commit)


def test_wrong_columns_are_refused_naming_the_missing_ones(world):
    with pytest.raises(FileRefused) as refused:
        parse(_xlsx([["NIK", "Nama", "JK", "Tgl Lahir", "Berat Badan (kg)"], ["", "Dewi", "P", "05-06-2025", "7"]]))
    message = " ".join(refused.value.messages)
    assert "Nama Ortu" in message and "Tanggal Pengukuran" in message and "Tinggi" in message


def test_zero_rows_and_other_files_are_refused(world):
    for content in (_xlsx([HEADERS]), b"%PDF-1.4 not a sheet", b"\xd0\xcf\x11\xe0 old xls"):
        with pytest.raises(FileRefused):
            parse(content)


def test_decimal_commas_text_dates_and_excel_serials_are_read(world):
    serials = _row(Nama="Eko", JK="L", **{"Tgl Lahir": 45813, "Tanggal Pengukuran": "46091"})
    typed = _row(Nama="Fina", **{"Tgl Lahir": datetime.datetime(2025, 6, 5), "Berat": 7.9})
    rows = parse(_xlsx([HEADERS, _row(), serials, typed]))
    assert [row.problems for row in rows] == [[], [], []]
    assert {row.birth_date for row in rows} == {datetime.date(2025, 6, 5)}
    assert rows[0].weight_kg == D("7.9") and rows[1].measured_on == datetime.date(2026, 3, 10)
    result = _import(world, rows)
    assert result.committed and result.new_people == 3 and result.new_visits == 3


def test_a_file_with_broken_rows_is_refused_whole_with_every_problem_listed(world):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    sheet.append(_row())
    sheet.append(_row(Nama="Gita", **{"Berat": "٨,٥"}))  # Arabic-Indic digits
    sheet.append(_row(Nama="Hadi", JK="X", **{"Tgl Lahir": "kemarin"}))
    sheet.append(_row(Nama="Ika", NIK="73050145062５0001"))  # a fullwidth digit
    sheet.append(_row(Nama="Joko", JK="L"))
    sheet.cell(row=6, column=HEADERS.index("Berat") + 1, value="=7+1")  # a formula
    buffer = io.BytesIO()
    book.save(buffer)
    rows = parse(buffer.getvalue())
    result = _import(world, rows)
    assert not result.committed and not Warga.objects.filter(posyandu=world.posyandu_a2).exists()
    problems = "\n".join(result.problems)
    assert "Baris 3: Berat '٨,٥' ditulis dengan angka selain 0–9." in problems
    assert "Baris 4: JK 'X' harus L atau P." in problems and "Baris 4: Tgl Lahir 'kemarin' bukan tanggal" in problems
    assert "Baris 5: NIK ditulis dengan angka selain 0–9." in problems
    assert "Baris 6: Kolom Berat berisi rumus (=7+1)" in problems
    assert [row.outcome for row in rows] == [Outcome.NEW, *[Outcome.REFUSED] * 4]


def test_an_approved_month_in_the_file_is_refused_and_nothing_is_saved(world):
    BulanTerkunci.objects.create(posyandu=world.posyandu_a2, month=FEB)
    rows = parse(_xlsx([HEADERS, _row(), _row(Nama="Eko", JK="L", **{"Tanggal Pengukuran": "10-02-2026"})]))
    result = _import(world, rows)
    assert not result.committed
    assert any("Baris 3" in p and "Februari 2026" in p for p in result.problems), result.problems
    assert not Warga.objects.filter(posyandu=world.posyandu_a2).exists()
    assert not Kunjungan.objects.filter(posyandu=world.posyandu_a2).exists()


def test_the_upload_pages_preview_then_import_in_scope(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.users["desa_a1"])
    url = reverse("format:eppgbm_import", kwargs={"pk": world.posyandu_a.pk})
    upload = SimpleUploadedFile("eppgbm.xlsx", _xlsx([HEADERS, _row()]))
    preview = client.post(url, {"berkas": upload})
    assert preview.status_code == 200 and "Impor semua" in preview.text and "Baru" in preview.text
    assert not Warga.objects.filter(name="Dewi").exists()
    done = client.post(
        reverse("format:eppgbm_import_confirm", kwargs={"pk": world.posyandu_a.pk}),
        {"digest": preview.context["digest"]},
    )
    assert done.status_code == 302
    assert Warga.objects.get(name="Dewi").posyandu == world.posyandu_a
    # Another desa's posyandu: not found for this operator.
    other = reverse("format:eppgbm_import", kwargs={"pk": world.posyandu_a2.pk})
    assert client.post(other, {"berkas": SimpleUploadedFile("e.xlsx", _xlsx([HEADERS, _row()]))}).status_code == 404


def test_the_html_table_saved_as_xls_is_read(world):
    cells = "".join(f"<th>{h}</th>" for h in HEADERS)
    row = "".join(f"<td>{'' if v is None else v}</td>" for v in _row())
    html = f"<html><body><h3>Data e-PPGBM</h3><table><tr>{cells}</tr><tr>{row}</tr></table></body></html>"
    rows = parse(html.encode(), "eppgbm.xls")
    assert len(rows) == 1 and rows[0].problems == [] and rows[0].weight_kg == D("7.9")


def test_z_scores_differing_from_the_files_are_listed(world):
    rows = parse(_xlsx([HEADERS, _row(**{"ZS BB/U": "1,50"})]))
    result = _import(world, rows, commit=False)
    assert result.ok and result.z_differences and "ZS BB/U: berkas 1,50" in result.z_differences[0].z_differences[0]


def test_vitamin_a_and_pmt_are_imported_as_the_visits_capsule_and_pmt(world):
    """Jml Vit A above the capsules recorded before the measurement: the capsule of the child's age at
    this visit; kilograms of PMT: PMT given. A count the age cannot have is a note, not a capsule."""
    rows = parse(_xlsx([
        HEADERS,
        _row(**{"Jml Vit A": 1, "PMT Diterima (kg)": "1,5"}),  # Dewi, 9 months in March: blue capsule
        _row(Nama="Gita", **{"Tgl Lahir": "01-01-2026", "Jml Vit A": "1", "Berat": "5,0", "Tinggi": "57"}),
        _row(Nama="Hadi", JK="L", **{"Tgl Lahir": "01-01-2024", "Jml Vit A": "3", "Berat": "11", "Tinggi": "85"}),
    ]))  # fmt: skip
    assert [row.problems for row in rows] == [[], [], []]
    result = _import(world, rows)
    assert result.committed, result.problems
    visits = {v.warga.name: v for v in Kunjungan.objects.filter(posyandu=world.posyandu_a2).select_related("warga")}
    assert (visits["Dewi"].vitamin_a, visits["Dewi"].pmt) == ("biru", True)
    assert (visits["Gita"].vitamin_a, visits["Gita"].pmt) == ("", False)  # 2 months old: no capsule
    assert any("tidak mendapat kapsul" in note for note in rows[1].notes)
    assert visits["Hadi"].vitamin_a == "merah"
    assert any("sebelumnya tercatat 0" in note for note in rows[2].notes)
    again = _import(world, parse(_xlsx([HEADERS, _row(**{"Jml Vit A": 1, "PMT Diterima (kg)": "1,5"})])))
    assert again.committed and again.new_visits == 0  # the same measurement: nothing added


def test_impossible_vitamin_a_counts_and_pmt_weights_are_refused(world):
    rows = parse(_xlsx([
        HEADERS,
        _row(**{"Jml Vit A": "2,5"}),
        _row(Nama="Eko", **{"Jml Vit A": "-1"}),
        _row(Nama="Fina", **{"PMT Diterima (kg)": "900"}),
        _row(Nama="Gina", **{"Jml Vit A": "٣"}),
    ]))  # fmt: skip
    assert "Jml Vit A '2.5' harus bilangan bulat 0–20." in rows[0].problems
    assert any("Jml Vit A" in p for p in rows[1].problems)
    assert any("PMT Diterima (kg) '900' di luar 0–50." in p for p in rows[2].problems)
    assert any("angka selain 0–9" in p for p in rows[3].problems)
    assert not _import(world, rows).committed
