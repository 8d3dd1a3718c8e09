"""The Sistem Informasi Posyandu (SIP) books of a posyandu and year, generated from the records.

Each book is plain data (``Book``: title, columns with their header groups, rows), so the PDF
(``templates/laporan/sip/buku.html``, landscape) and the Excel workbook show the same cells:

* F1 — pregnant women, births, and deaths of babies and mothers;
* F2 — babies and balita: birth weight, parents, weights January–December, exclusive breastfeeding
  E1–E6, vitamin A, immunisation, death;
* F4 — pregnant and postpartum (nifas) women, month by month;
* F5 — each month's visitors by life stage, staff present, births and deaths;
* F6 — each month's results of the posyandu's activities (the figures of ``laporan.rekap``, so they
  agree with the dashboards).

F3 (WUS/PUS and contraception) needs data the system does not record: ``F3_NEEDS`` says what, and both
outputs print that instead of an empty book. Cells are strings (numbers as digits); "—" where the
record holds nothing. Not recorded, so not printed: dasawisma, the father's name (the household head is
shown), ORS (oralit), and the presence of health staff (only kader present is recorded).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from laporan import indicators as ind
from laporan import rekap
from layanan.models import HariBuka, Imunisasi, Kehamilan, Kunjungan, Rujukan
from layanan.schedule import VITAMIN_A_MONTHS
from posyandu import dates
from posyandu.models import BALITA_MAX_MONTHS, LifeStage, Posyandu, Sex, Warga

NIFAS_DAYS = Kehamilan.NIFAS_DAYS
MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
ANTIGEN_SHORT = {
    "hb0": "HB0", "bcg": "BCG", "polio_1": "P1", "polio_2": "P2", "polio_3": "P3", "polio_4": "P4",
    "dpt_hb_hib_1": "DPT1", "dpt_hb_hib_2": "DPT2", "dpt_hb_hib_3": "DPT3", "pcv_1": "PCV1", "pcv_2": "PCV2",
    "pcv_3": "PCV3", "rv_1": "RV1", "rv_2": "RV2", "rv_3": "RV3", "ipv_1": "IPV1", "ipv_2": "IPV2", "mr": "MR",
    "je": "JE", "dpt_hb_hib_lanjutan": "DPT-L", "mr_lanjutan": "MR-L",
}  # fmt: skip
NONE = "—"
F3_NEEDS = (
    gettext_lazy("Daftar wanita usia subur (WUS, 15–49 tahun) dan pasangan usia subur (PUS) per keluarga."),
    gettext_lazy("Nama suami dan tahapan keluarga sejahtera (KS) keluarga itu."),
    gettext_lazy("Jumlah anak hidup dan anak meninggal tiap ibu."),
    gettext_lazy("LiLA WUS dan status imunisasi TT I–V (tanggal tiap dosis)."),
    gettext_lazy("Alat/cara kontrasepsi yang dipakai, tanggal mulai dan tanggal ganti atau berhenti."),
)


@dataclass(frozen=True)
class Column:
    label: str
    group: str = ""  # the label of the header cell above, shared by neighbouring columns
    width: int = 8  # Excel width; the PDF uses it as a relative width
    numeric: bool = False


@dataclass
class Book:
    code: str
    title: str
    description: str
    columns: list[Column]
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def header_top(self) -> list[dict]:
        """The first header row: a group label spanning its columns, or a column spanning both rows."""
        cells: list[dict] = []
        for column in self.columns:
            if column.group and cells and cells[-1]["group"] == column.group:
                cells[-1]["span"] += 1
            else:
                cells.append({"group": column.group, "label": column.group or column.label, "span": 1})
        return cells

    @property
    def header_bottom(self) -> list[Column]:
        return [column for column in self.columns if column.group]

    @property
    def has_groups(self) -> bool:
        return any(column.group for column in self.columns)

    @property
    def column_percents(self) -> list[str]:
        """Each column's share of the page width (the PDF's ``<col>``), summing to 100."""
        total = sum(column.width for column in self.columns)
        return [f"{100 * column.width / total:.3f}" for column in self.columns]


def _d(day: datetime.date | None) -> str:
    return day.strftime("%d-%m-%Y") if day else NONE


def _n(value) -> str:
    if value is None or value == "":
        return NONE
    return str(value).replace(".", ",")


def _kg(value) -> str:
    """A weight with one decimal, as the KMS is read (14,1)."""
    return f"{value:.1f}".replace(".", ",") if value is not None else ""


def _months(year: int) -> list[datetime.date]:
    return [datetime.date(year, month, 1) for month in range(1, 13)]


def _month_columns(group: str, width: int = 6) -> list[Column]:
    return [Column(abbr, group, width, numeric=True) for abbr in MONTH_ABBR]


def _age_years(birth: datetime.date, on: datetime.date) -> str:
    return str(dates.years_between(birth, on)) if birth <= on else NONE


# ---------------------------------------------------------------------------------------------
# F1: pregnant women, births, deaths of babies and mothers
# ---------------------------------------------------------------------------------------------
def _pregnancies(posyandu: Posyandu, year: int):
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return (
        Kehamilan.objects.filter(mother__posyandu=posyandu, registered_on__lte=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start - datetime.timedelta(days=NIFAS_DAYS)))
        .select_related("mother__keluarga", "baby")
        .order_by("registered_on", "pk")
    )


def _death(person: Warga | None, year: int) -> str:
    if person is not None and person.status == Warga.Status.MENINGGAL and person.status_date:
        return _d(person.status_date)
    return ""


def book_f1(posyandu: Posyandu, year: int) -> Book:
    columns = [
        Column("No", width=4, numeric=True),
        Column(_("Nama ibu"), width=20),
        Column(_("Umur"), width=6, numeric=True),
        Column(_("Kepala keluarga"), width=18),
        Column(_("RT/RW"), width=9),
        Column(_("Tgl didata"), _("Kehamilan"), 12),
        Column(_("HPHT"), _("Kehamilan"), 12),
        Column(_("HPL"), _("Kehamilan"), 12),
        Column(_("Ke-"), _("Kehamilan"), 4, numeric=True),
        Column(_("Hasil"), _("Persalinan"), 11),
        Column(_("Tanggal"), _("Persalinan"), 12),
        Column(_("Nama bayi"), _("Bayi"), 16),
        Column(_("JK"), _("Bayi"), 4),
        Column(_("BB lahir (kg)"), _("Bayi"), 7, numeric=True),
        Column(_("Bayi"), _("Meninggal (tanggal)"), 12),
        Column(_("Ibu"), _("Meninggal (tanggal)"), 12),
    ]
    book = Book(
        "F1",
        _("Register ibu hamil, kelahiran dan kematian bayi dan ibu"),
        _("Kehamilan yang berlangsung atau berakhir pada tahun ini (nifas 42 hari termasuk)."),
        columns,
    )
    for number, pregnancy in enumerate(_pregnancies(posyandu, year), start=1):
        mother, baby, household = pregnancy.mother, pregnancy.baby, pregnancy.mother.keluarga
        book.rows.append(
            [
                str(number), mother.name, _age_years(mother.birth_date, pregnancy.registered_on),
                household.head_name if household else NONE,
                f"{household.rt}/{household.rw}" if household and (household.rt or household.rw) else NONE,
                _d(pregnancy.registered_on), _d(pregnancy.hpht), _d(pregnancy.due_date), _n(pregnancy.gravida),
                pregnancy.get_outcome_display() if not pregnancy.is_ongoing else _("Sedang hamil"),
                _d(pregnancy.ended_on) if pregnancy.ended_on else "",
                baby.name if baby else "", baby.sex if baby else "", _n(baby.birth_weight_kg) if baby else "",
                _death(baby, year), _death(mother, year),
            ]
        )  # fmt: skip
    deaths = _balita_deaths(posyandu, year).exclude(
        pk__in=[p.baby_id for p in _pregnancies(posyandu, year) if p.baby_id]
    )
    for person in deaths:
        book.rows.append(
            [str(len(book.rows) + 1), person.mother_display or NONE, NONE, NONE, NONE, "", "", "", "", "", "",
             person.name, person.sex, _n(person.birth_weight_kg), _d(person.status_date), ""]
        )  # fmt: skip
    if not book.rows:
        book.notes.append(_("Tidak ada kehamilan, kelahiran atau kematian bayi tercatat pada tahun ini."))
    return book


def _balita_deaths(posyandu: Posyandu, year: int):
    return Warga.objects.filter(
        posyandu=posyandu, status=Warga.Status.MENINGGAL, status_date__year=year,
        birth_date__gt=dates.birth_date_cutoff(months=BALITA_MAX_MONTHS + 1, on=datetime.date(year, 12, 31)),
    ).order_by("status_date", "name")  # fmt: skip


# ---------------------------------------------------------------------------------------------
# F2: babies and balita
# ---------------------------------------------------------------------------------------------
def _balita_of_year(posyandu: Posyandu, year: int):
    """Everyone registered at the posyandu who was a balita on some day of the year."""
    first = datetime.date(year, 1, 1)
    return (
        Warga.objects.filter(
            posyandu=posyandu,
            birth_date__lte=datetime.date(year, 12, 31),
            birth_date__gt=dates.birth_date_cutoff(months=BALITA_MAX_MONTHS + 1, on=first),
        )
        .select_related("mother", "keluarga")
        .order_by("birth_date", "name", "pk")
    )


def _f2_visits(children: list[Warga], year: int) -> tuple[dict, dict, dict]:
    """Per child, from the year's balita visits: weight and N/T code by month, exclusive breastfeeding
    by month of age (1–6), and the vitamin A capsule by month (February, August). One query."""
    weights: dict[int, dict[int, tuple]] = defaultdict(dict)
    breastfed: dict[int, dict[int, bool]] = defaultdict(dict)
    vitamin_a: dict[int, dict[int, str]] = defaultdict(dict)
    visits = (
        Kunjungan.objects.filter(
            warga_id__in=[child.pk for child in children], reporting_month__year=year, stage=LifeStage.BALITA
        )
        .order_by("visit_date", "pk")
        .values_list("warga_id", "reporting_month", "visit_date", "weight_kg", "growth_code",
                     "exclusive_breastfeeding", "vitamin_a")
    )  # fmt: skip
    births = {child.pk: child.birth_date for child in children}
    for warga_id, month, visit_date, weight, code, asi, capsule in visits:
        if weight is not None:
            weights[warga_id][month.month] = (weight, code)
        months_old = dates.months_between(births[warga_id], visit_date)
        if asi is not None and months_old < 6:
            breastfed[warga_id][months_old + 1] = asi
        if capsule and month.month in VITAMIN_A_MONTHS:
            vitamin_a[warga_id][month.month] = capsule
    return weights, breastfed, vitamin_a


def _doses_given(ids: list[int]) -> dict[int, list[str]]:
    """Each child's immunisation doses in the order given, as short codes (BCG, P1, …). One query."""
    doses: dict[int, list[str]] = defaultdict(list)
    for warga_id, antigen in (
        Imunisasi.objects.filter(warga_id__in=ids).order_by("given_on", "pk").values_list("warga_id", "antigen")
    ):
        doses[warga_id].append(ANTIGEN_SHORT.get(antigen, antigen))
    return doses


def _f2_columns() -> list[Column]:
    return [
        Column("No", width=4, numeric=True),
        Column(_("Nama anak"), width=13),
        Column(_("JK"), width=4),
        Column(_("Tgl lahir"), width=12),
        Column(_("BB lahir"), width=6, numeric=True),
        Column(_("Ibu / kepala keluarga"), width=13),
        *_month_columns(_("Berat badan (kg) dan N/T per bulan"), width=6),
        *[Column(f"E{n}", _("ASI eksklusif"), 4) for n in range(1, 7)],
        Column(_("Feb"), _("Vitamin A"), 5),
        Column(_("Agu"), _("Vitamin A"), 5),
        Column(_("Imunisasi (dosis yang sudah diberikan)"), width=24),
        Column(_("Meninggal"), width=12),
    ]


def book_f2(posyandu: Posyandu, year: int) -> Book:
    children = list(_balita_of_year(posyandu, year))
    weights, breastfed, vitamin_a = _f2_visits(children, year)
    doses = _doses_given([child.pk for child in children])
    book = Book(
        "F2",
        _("Register bayi dan balita"),
        _(
            "Anak yang berumur 0–59 bulan pada suatu hari di tahun ini. Berat: penimbangan terakhir bulan itu, "
            "dengan N (naik), T (tidak naik), O (tidak ditimbang bulan lalu), B (baru)."
        ),
        _f2_columns(),
    )
    capsule_letter = {"biru": "B", "merah": "M"}
    for number, child in enumerate(children, start=1):
        parent = child.mother_display or (child.keluarga.head_name if child.keluarga else "")
        month_cells = []
        for month in range(1, 13):
            weight = weights[child.pk].get(month)
            month_cells.append(f"{_kg(weight[0])} {weight[1]}".strip() if weight else "")
        asi_cells = [("✓" if breastfed[child.pk][n] else "✗") if n in breastfed[child.pk] else "" for n in range(1, 7)]
        book.rows.append(
            [
                str(number), child.name, child.sex, _d(child.birth_date), _n(child.birth_weight_kg), parent or NONE,
                *month_cells, *asi_cells,
                capsule_letter.get(vitamin_a[child.pk].get(2, ""), ""),
                capsule_letter.get(vitamin_a[child.pk].get(8, ""), ""),
                " ".join(doses[child.pk]),
                _d(child.status_date) if child.status == Warga.Status.MENINGGAL else "",
            ]
        )  # fmt: skip
    book.notes.append(
        _("ASI eksklusif: ✓ ya, ✗ tidak, pada umur bulan ke-1 … ke-6. Vitamin A: B kapsul biru, M merah.")
    )
    book.notes.append(_("Dasawisma dan nama ayah tidak dicatat: kolom ibu / kepala keluarga menggantikannya."))
    return book


# ---------------------------------------------------------------------------------------------
# F4: pregnant and postpartum women
# ---------------------------------------------------------------------------------------------
def _f4_visits(pregnancies: list[Kehamilan], year: int) -> tuple[dict, dict, set, set]:
    """Per pregnancy, from the year's antenatal visits: each month's cell (weeks, weight, LiLA), the iron
    tablets (TTD) given, and whether LiLA showed KEK risk or a danger sign was seen. One query."""
    cells: dict[int, dict[int, str]] = defaultdict(dict)
    ttd: dict[int, int] = defaultdict(int)
    kek: set[int] = set()
    danger: set[int] = set()
    for visit in Kunjungan.objects.filter(
        kehamilan__in=pregnancies, reporting_month__year=year, stage=LifeStage.IBU_HAMIL
    ).order_by("visit_date", "pk"):
        parts = []
        if visit.gestational_weeks:
            parts.append(f"{visit.gestational_weeks}mg")
        if visit.weight_kg is not None:
            parts.append(_kg(visit.weight_kg))
        if visit.muac_cm is not None:
            parts.append(f"L{_n(visit.muac_cm)}")
            if visit.muac_cm < 23.5:
                kek.add(visit.kehamilan_id)
        cells[visit.kehamilan_id][visit.reporting_month.month] = " ".join(parts) or "✓"
        ttd[visit.kehamilan_id] += visit.ttd_tablets or 0
        if visit.danger_signs:
            danger.add(visit.kehamilan_id)
    return cells, ttd, kek, danger


def _f4_columns() -> list[Column]:
    return [
        Column("No", width=4, numeric=True),
        Column(_("Nama ibu"), width=15),
        Column(_("Umur"), width=6, numeric=True),
        Column(_("Ke-"), width=4, numeric=True),
        Column(_("HPHT"), width=12),
        Column(_("HPL"), width=12),
        *_month_columns(_("Pemeriksaan per bulan: umur kehamilan (minggu), BB (kg), LiLA (cm)"), width=7),
        Column(_("TTD (tablet)"), width=6, numeric=True),
        Column(_("KEK"), width=5),
        Column(_("Tanda bahaya"), width=7),
        Column(_("Hasil"), _("Persalinan / nifas"), 10),
        Column(_("Tanggal"), _("Persalinan / nifas"), 12),
        Column(_("Nifas s.d."), _("Persalinan / nifas"), 12),
    ]


def book_f4(posyandu: Posyandu, year: int) -> Book:
    pregnancies = list(_pregnancies(posyandu, year))
    cells, ttd, kek, danger = _f4_visits(pregnancies, year)
    book = Book(
        "F4",
        _("Register ibu hamil dan ibu nifas"),
        _("LiLA kurang dari 23,5 cm = risiko KEK. Masa nifas 42 hari sesudah persalinan."),
        _f4_columns(),
    )
    for number, pregnancy in enumerate(pregnancies, start=1):
        mother = pregnancy.mother
        nifas_until = pregnancy.ended_on + datetime.timedelta(days=NIFAS_DAYS) if pregnancy.ended_on else None
        book.rows.append(
            [
                str(number), mother.name, _age_years(mother.birth_date, pregnancy.registered_on),
                _n(pregnancy.gravida), _d(pregnancy.hpht), _d(pregnancy.due_date),
                *[cells[pregnancy.pk].get(month, "") for month in range(1, 13)],
                str(ttd[pregnancy.pk]), _("Ya") if pregnancy.pk in kek else "",
                _("Ya") if pregnancy.pk in danger else "",
                pregnancy.get_outcome_display() if not pregnancy.is_ongoing else _("Sedang hamil"),
                _d(pregnancy.ended_on) if pregnancy.ended_on else "",
                _d(nifas_until) if nifas_until and pregnancy.outcome == Kehamilan.Outcome.LAHIR_HIDUP else "",
            ]
        )  # fmt: skip
    if not book.rows:
        book.notes.append(_("Tidak ada ibu hamil atau nifas tercatat pada tahun ini."))
    return book


# ---------------------------------------------------------------------------------------------
# F5: visitors and staff each month
# ---------------------------------------------------------------------------------------------
F5_STAGES = (
    ("bayi", gettext_lazy("Bayi 0–11 bln")),
    ("balita", gettext_lazy("Balita 12–59 bln")),
    (LifeStage.IBU_HAMIL, gettext_lazy("Ibu hamil")),
    (LifeStage.REMAJA, gettext_lazy("Anak & remaja")),
    (LifeStage.USIA_PRODUKTIF, gettext_lazy("Usia produktif")),
    (LifeStage.LANSIA, gettext_lazy("Lansia")),
)


def _f5_visitors(posyandu: Posyandu, year: int) -> dict[int, dict[str, set]]:
    """Per month and F5 stage (babies apart from older balita), the people served: (pk, sex). One query."""
    visitors: dict[int, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for warga_id, month, stage, birth, visit_date, sex in Kunjungan.objects.filter(
        posyandu=posyandu, reporting_month__year=year
    ).values_list("warga_id", "reporting_month", "stage", "warga__birth_date", "visit_date", "warga__sex"):
        key = stage
        if stage == LifeStage.BALITA:
            key = "bayi" if dates.months_between(birth, visit_date) < 12 else "balita"
        visitors[month.month][key].add((warga_id, sex))
    return visitors


def _f5_deaths(posyandu: Posyandu, year: int) -> dict[int, dict[str, int]]:
    """Per month, the deaths of babies, older balita, pregnant or postpartum women ("ibu") and others."""
    deaths: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for person in Warga.objects.filter(posyandu=posyandu, status=Warga.Status.MENINGGAL, status_date__year=year):
        months_old = dates.months_between(person.birth_date, person.status_date)
        kind = "bayi" if months_old < 12 else "balita" if months_old <= BALITA_MAX_MONTHS else "lain"
        if kind == "lain" and person.sex == Sex.PEREMPUAN and _pregnant_or_nifas(person, person.status_date):
            kind = "ibu"
        deaths[person.status_date.month][kind] += 1
    return deaths


def _f5_columns() -> list[Column]:
    return [
        Column(_("Bulan"), width=10),
        Column(_("Hari buka"), width=5, numeric=True),
        Column(_("Kader hadir"), width=6, numeric=True),
        *[Column(str(label), _("Pengunjung (orang): L / P"), 9) for _key, label in F5_STAGES],
        Column(_("L"), _("Bayi lahir"), 4, numeric=True),
        Column(_("P"), _("Bayi lahir"), 4, numeric=True),
        Column(_("Bayi"), _("Meninggal"), 5, numeric=True),
        Column(_("Balita"), _("Meninggal"), 5, numeric=True),
        Column(_("Ibu hamil/nifas"), _("Meninggal"), 6, numeric=True),
    ]


def book_f5(posyandu: Posyandu, year: int) -> Book:
    visitors = _f5_visitors(posyandu, year)
    days: dict[int, list] = defaultdict(list)
    for day in HariBuka.objects.filter(posyandu=posyandu, reporting_month__year=year):
        days[day.reporting_month.month].append(day)
    births: dict[int, list] = defaultdict(list)
    for person in Warga.objects.filter(posyandu=posyandu, birth_date__year=year):
        births[person.birth_date.month].append(person)
    deaths = _f5_deaths(posyandu, year)
    book = Book(
        "F5",
        _("Data pengunjung, petugas, kelahiran dan kematian per bulan"),
        _(
            "Pengunjung: orang yang dilayani (di hari buka atau kunjungan rumah) pada bulan laporan itu. Kader hadir: "
            "jumlah yang dicatat pada hari buka (semua hari buka bulan itu)."
        ),
        _f5_columns(),
    )
    for month in _months(year):
        row_visitors = []
        for key, _label in F5_STAGES:
            people = visitors[month.month][key]
            male = sum(1 for _pk, sex in people if sex == Sex.LAKI_LAKI)
            row_visitors.append(f"{male} / {len(people) - male}" if people else "")
        month_days = days[month.month]
        present = [day.kader_present for day in month_days if day.kader_present is not None]
        born = births[month.month]
        book.rows.append(
            [
                date_format(month, "F"), str(len(month_days)) if month_days else "",
                str(sum(present)) if present else "",
                *row_visitors,
                str(sum(1 for p in born if p.sex == Sex.LAKI_LAKI)) if born else "",
                str(sum(1 for p in born if p.sex == Sex.PEREMPUAN)) if born else "",
                *[str(deaths[month.month][kind] or "") for kind in ("bayi", "balita", "ibu")],
            ]
        )  # fmt: skip
    book.notes.append(_("Kehadiran petugas kesehatan dan PLKB belum dicatat; hanya kader hadir."))
    return book


def _pregnant_or_nifas(person: Warga, on: datetime.date) -> bool:
    return (
        Kehamilan.objects.filter(mother=person, registered_on__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on - datetime.timedelta(days=NIFAS_DAYS)))
        .exists()
    )


# ---------------------------------------------------------------------------------------------
# F6: monthly results of the posyandu's activities
# ---------------------------------------------------------------------------------------------
F6_MEASURES = (
    ("balita_s", "S"), ("balita_k", "K"), ("balita_d", "D"), ("balita_n", "N"), ("balita_t", "T"),
    ("balita_2t", "2T"), ("balita_o", "O"), ("balita_b", "B"), ("balita_bgm", "BGM"),
    ("vitamin_a_given", gettext_lazy("Vit A")), ("stunted", gettext_lazy("Stunting")),
    ("bumil_visited", gettext_lazy("Bumil diperiksa")), ("bumil_kek", gettext_lazy("Bumil KEK")),
    ("remaja_screened", gettext_lazy("Remaja")), ("produktif_screened", gettext_lazy("Usia produktif")),
    ("lansia_screened", gettext_lazy("Lansia")),
)  # fmt: skip


def book_f6(posyandu: Posyandu, year: int, *, user) -> Book:
    codes = [code for code, _label in F6_MEASURES]
    doses: dict[int, int] = defaultdict(int)
    for given_on in Imunisasi.objects.filter(warga__posyandu=posyandu, given_on__year=year).values_list(
        "given_on", flat=True
    ):
        doses[given_on.month] += 1
    referrals: dict[int, int] = defaultdict(int)
    for month in Rujukan.objects.filter(
        kunjungan__posyandu=posyandu, kunjungan__reporting_month__year=year
    ).values_list("kunjungan__reporting_month", flat=True):
        referrals[month.month] += 1
    columns = [
        Column(_("Bulan"), width=10),
        *[Column(str(label), _("Penimbangan balita (SKDN)"), 4, numeric=True) for _c, label in F6_MEASURES[:9]],
        *[Column(str(label), _("Balita"), 6, numeric=True) for _c, label in F6_MEASURES[9:11]],
        *[Column(str(label), _("Orang dilayani"), 7, numeric=True) for _c, label in F6_MEASURES[11:]],
        Column(_("Dosis imunisasi"), width=7, numeric=True),
        Column(_("Rujukan"), width=6, numeric=True),
    ]
    book = Book(
        "F6",
        _("Hasil kegiatan posyandu per bulan"),
        _("Angka yang sama dengan dasbor dan laporan bulanan. N/D dihitung tanpa B dan O."),
        columns,
    )
    this_month = dates.this_month()
    months = [month for month in _months(year) if month <= this_month]
    computed = rekap.compute_periods(user=user, periods=[ind.Period.month(m) for m in months], measures=codes,
                                     posyandu=posyandu)  # fmt: skip
    by_month = {month: values.get(ind.TOTAL, {}) for month, values in zip(months, computed, strict=True)}
    for month in _months(year):
        if month > this_month:
            book.rows.append([date_format(month, "F"), *[""] * (len(columns) - 1)])
            continue
        values = by_month[month]
        book.rows.append(
            [date_format(month, "F"), *[str(values.get(code, 0)) for code in codes], str(doses[month.month]),
             str(referrals[month.month])]
        )  # fmt: skip
    return book


def books(posyandu: Posyandu, year: int, *, user, only: str | None = None) -> list[Book]:
    builders = {
        "F1": lambda: book_f1(posyandu, year),
        "F2": lambda: book_f2(posyandu, year),
        "F4": lambda: book_f4(posyandu, year),
        "F5": lambda: book_f5(posyandu, year),
        "F6": lambda: book_f6(posyandu, year, user=user),
    }
    return [build() for code, build in builders.items() if only in (None, code)]


BOOK_CODES = ("F1", "F2", "F3", "F4", "F5", "F6")


def workbook(posyandu: Posyandu, year: int, book_list: list[Book]) -> bytes:
    """One sheet per book (header groups merged above their columns) and one saying what F3 needs."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from laporan.eppgbm import HEADER_FILL, safe_text, save

    result = Workbook()
    result.remove(result.active)
    where = f"{posyandu.name} · {posyandu.desa.name} · {year}"
    for book in book_list:
        sheet = result.create_sheet(book.code)
        sheet.append([f"{book.code} — {book.title}"])
        sheet["A1"].font = Font(bold=True, size=12)
        sheet.append([safe_text(where)])
        sheet.append([book.description])
        top = 4
        column_index = 1
        for cell in book.header_top:
            sheet.cell(row=top, column=column_index, value=cell["label"])
            if cell["group"] and cell["span"] > 1:
                sheet.merge_cells(start_row=top, start_column=column_index, end_row=top,
                                  end_column=column_index + cell["span"] - 1)  # fmt: skip
            elif not cell["group"] and book.has_groups:
                sheet.merge_cells(start_row=top, start_column=column_index, end_row=top + 1, end_column=column_index)
            column_index += cell["span"]
        if book.has_groups:
            for index, column in enumerate(book.columns, start=1):
                if column.group:
                    sheet.cell(row=top + 1, column=index, value=column.label)
        header_rows = 2 if book.has_groups else 1
        for row in sheet.iter_rows(min_row=top, max_row=top + header_rows - 1):
            for cell in row:
                cell.font = Font(bold=True)
                cell.fill = HEADER_FILL
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        for values in book.rows:
            cells = []
            for column, value in zip(book.columns, values, strict=True):
                if column.numeric and value.isascii() and value.isdigit():
                    cells.append(int(value))
                else:
                    cells.append(safe_text(value))
            sheet.append(cells)
        for note in book.notes:
            sheet.append([note])
        for index, column in enumerate(book.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width + 2
        sheet.freeze_panes = sheet.cell(row=top + header_rows, column=3)
    f3 = result.create_sheet("F3")
    f3.append([_("F3 — Register WUS/PUS: belum dapat dibuat")])
    f3["A1"].font = Font(bold=True, size=12)
    f3.append([_("Data yang diperlukan dan belum dicatat sistem:")])
    for need in F3_NEEDS:
        f3.append([str(need)])
    f3.column_dimensions["A"].width = 100
    return save(result)
