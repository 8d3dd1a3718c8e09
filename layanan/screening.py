"""Screening flags for ibu hamil, anak sekolah & remaja, usia produktif and lansia.

Pure functions over one visit's measurements: no database. Each threshold below names its source.
A flag means "tell the person and refer as the programme says", not a diagnosis.

Remaja: the BMI flag comes from BMI-for-age z (WHO Growth Reference 2007, 5–19 years) with the
Permenkes No. 2 Tahun 2020 categories for 5–18 years; :func:`bmi_for_age_z_5_18` computes it from
the WHO 2007 LMS table kept as data at the end of this module (WHO's own file
``bfawho2007.txt`` of the R package WorldHealthOrganization/anthroplus; the same numbers ship in
``rcpchgrowth``, which would bring scipy along for a 10 kB table).
"""

import math
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from layanan.growth import Sex, age_in_days, lms_z
from posyandu.dates import DAYS_PER_MONTH

# --- Thresholds -------------------------------------------------------------------------------

# LiLA < 23,5 cm: risk of kurang energi kronis (KEK) for ibu hamil and wanita usia subur 15–49 years
# (Kemenkes: Buku KIA; Pedoman Penanggulangan KEK pada Ibu Hamil).
KEK_MUAC_CM = Decimal("23.5")
WUS_AGE_YEARS = (15, 49)

# Anaemia: haemoglobin below these g/dL (WHO 2011, "Haemoglobin concentrations for the diagnosis of
# anaemia and assessment of severity", VMNIS; used by Kemenkes' Pedoman Pencegahan dan Penanggulangan
# Anemia pada Remaja Putri dan WUS, 2018).
HB_PREGNANT = Decimal("11.0")
HB_CHILD_5_11 = Decimal("11.5")
HB_CHILD_12_14 = Decimal("12.0")
HB_WOMAN_15_UP = Decimal("12.0")
HB_MAN_15_UP = Decimal("13.0")

# Blood pressure, mmHg (JNC 7 classes as used by Kemenkes P2PTM and the Posbindu PTM guide):
# hypertension ≥ 140 systolic or ≥ 90 diastolic; pre-hypertension 120–139 or 80–89. In pregnancy
# ≥ 140/90 is hypertension (Buku KIA); pre-hypertension is not flagged there. Adult cut-offs are used
# from 15 years, the age the ILP starts measuring blood pressure and glucose in remaja.
HYPERTENSION = (140, 90)
PREHYPERTENSION = (120, 80)
ADULT_MEASURES_FROM_YEARS = 15

# Glucose, mg/dL: random (sewaktu) ≥ 200 or fasting (puasa) ≥ 126 suggests diabetes, refer
# (Kemenkes P2PTM; PERKENI consensus 2021).
GLUCOSE_RANDOM_HIGH = 200
GLUCOSE_FASTING_HIGH = 126

# Waist, cm: central obesity above 90 (men) / 80 (women) (Kemenkes P2PTM, Riskesdas; WHO Asia-Pacific
# 2000), measured from 15 years.
WAIST_CM = {Sex.LAKI_LAKI: 90, Sex.PEREMPUAN: 80}

# Adult BMI (IMT) classes for Indonesia, kg/m², one decimal (Kemenkes P2PTM "Tabel Batas Ambang IMT";
# Pedoman Gizi Seimbang, Permenkes 41/2014): < 17,0 kurus berat; 17,0–18,4 kurus ringan;
# 18,5–25,0 normal; 25,1–27,0 gemuk ringan; > 27,0 gemuk berat (obesitas).
BMI_VERY_THIN_BELOW = Decimal("17.0")
BMI_THIN_BELOW = Decimal("18.5")
BMI_NORMAL_UP_TO = Decimal("25.0")
BMI_OVERWEIGHT_UP_TO = Decimal("27.0")

# BMI-for-age z, 5–18 years (Permenkes 2/2020): < −3 gizi buruk; −3 to < −2 gizi kurang;
# −2 to +1 gizi baik; > +1 to +2 gizi lebih; > +2 obesitas.
# WHO 2007 z-scores are given from 61 to 228 months (WHO AnthroPlus / R anthroplus).
WHO_2007_AGE_MONTHS = (61, 228)

STAGES = ("ibu_hamil", "remaja", "usia_produktif", "lansia")


class ScreeningFlag(models.TextChoices):
    KEK = "kek", _("Risiko KEK (LiLA < 23,5 cm)")
    ANEMIA = "anemia", _("Anemia (Hb di bawah batas normal)")
    HIPERTENSI = "hipertensi", _("Hipertensi (≥ 140/90 mmHg)")
    PRA_HIPERTENSI = "pra_hipertensi", _("Pra-hipertensi (120–139/80–89 mmHg)")
    GULA_DARAH_TINGGI = "gula_darah_tinggi", _("Gula darah tinggi (sewaktu ≥ 200 atau puasa ≥ 126 mg/dL)")
    SANGAT_KURUS = "sangat_kurus", _("Sangat kurus (IMT < 17,0)")
    KURUS = "kurus", _("Kurus (IMT 17,0–18,4)")
    GEMUK = "gemuk", _("Gemuk (IMT 25,1–27,0)")
    OBESITAS = "obesitas", _("Obesitas (IMT > 27,0)")
    OBESITAS_SENTRAL = "obesitas_sentral", _("Obesitas sentral (lingkar perut > 90 cm laki-laki, > 80 cm perempuan)")
    GIZI_BURUK_REMAJA = "gizi_buruk_remaja", _("Gizi buruk (IMT/U < −3 SD)")
    GIZI_KURANG_REMAJA = "gizi_kurang_remaja", _("Gizi kurang (IMT/U −3 SD s.d. < −2 SD)")
    GIZI_LEBIH_REMAJA = "gizi_lebih_remaja", _("Gizi lebih (IMT/U > +1 SD s.d. +2 SD)")
    OBESITAS_REMAJA = "obesitas_remaja", _("Obesitas (IMT/U > +2 SD)")
    AKS_KETERGANTUNGAN = "aks_ketergantungan", _("Ketergantungan dalam aktivitas sehari-hari (AKS)")


class Aks(models.TextChoices):
    """Kemandirian dalam aktivitas kehidupan sehari-hari (AKS), lansia."""

    MANDIRI = "mandiri", _("Mandiri")
    RINGAN = "ringan", _("Ketergantungan ringan")
    SEDANG = "sedang", _("Ketergantungan sedang")
    BERAT = "berat", _("Ketergantungan berat")
    TOTAL = "total", _("Ketergantungan total")


class AdultBmiCategory(models.TextChoices):
    SANGAT_KURUS = "sangat_kurus", _("Sangat kurus")
    KURUS = "kurus", _("Kurus")
    NORMAL = "normal", _("Normal")
    GEMUK = "gemuk", _("Gemuk")
    OBESITAS = "obesitas", _("Obesitas")


class RemajaBmiCategory(models.TextChoices):
    """IMT/U for 5–18 years (Permenkes 2/2020)."""

    GIZI_BURUK = "gizi_buruk", _("Gizi buruk")
    GIZI_KURANG = "gizi_kurang", _("Gizi kurang")
    GIZI_BAIK = "gizi_baik", _("Gizi baik")
    GIZI_LEBIH = "gizi_lebih", _("Gizi lebih")
    OBESITAS = "obesitas", _("Obesitas")


_ADULT_BMI_FLAG = {
    AdultBmiCategory.SANGAT_KURUS: ScreeningFlag.SANGAT_KURUS,
    AdultBmiCategory.KURUS: ScreeningFlag.KURUS,
    AdultBmiCategory.GEMUK: ScreeningFlag.GEMUK,
    AdultBmiCategory.OBESITAS: ScreeningFlag.OBESITAS,
}
_REMAJA_BMI_FLAG = {
    RemajaBmiCategory.GIZI_BURUK: ScreeningFlag.GIZI_BURUK_REMAJA,
    RemajaBmiCategory.GIZI_KURANG: ScreeningFlag.GIZI_KURANG_REMAJA,
    RemajaBmiCategory.GIZI_LEBIH: ScreeningFlag.GIZI_LEBIH_REMAJA,
    RemajaBmiCategory.OBESITAS: ScreeningFlag.OBESITAS_REMAJA,
}


def _decimal(value) -> Decimal | None:
    return None if value is None else value if isinstance(value, Decimal) else Decimal(str(value))


def bmi(weight_kg: Decimal, height_cm: Decimal) -> Decimal:
    """IMT in kg/m², one decimal, as the Kemenkes table reads it."""
    weight, height = _decimal(weight_kg), _decimal(height_cm)
    if weight <= 0 or height <= 0:
        raise ValueError(gettext("Berat dan tinggi badan harus lebih dari nol."))
    return (weight / (height / 100) ** 2).quantize(Decimal("0.1"), ROUND_HALF_UP)


def adult_bmi_category(bmi: Decimal) -> str:
    """Kemenkes P2PTM class of an adult IMT (18 years and over)."""
    bmi = _decimal(bmi)
    if bmi < BMI_VERY_THIN_BELOW:
        return AdultBmiCategory.SANGAT_KURUS
    if bmi < BMI_THIN_BELOW:
        return AdultBmiCategory.KURUS
    if bmi <= BMI_NORMAL_UP_TO:
        return AdultBmiCategory.NORMAL
    if bmi <= BMI_OVERWEIGHT_UP_TO:
        return AdultBmiCategory.GEMUK
    return AdultBmiCategory.OBESITAS


def bmi_for_age_category_5_18(z: Decimal) -> str:
    """Permenkes 2/2020 IMT/U class for 5–18 years from a z-score rounded to 2 decimals."""
    z = _decimal(z)
    if z < -3:
        return RemajaBmiCategory.GIZI_BURUK
    if z < -2:
        return RemajaBmiCategory.GIZI_KURANG
    if z <= 1:
        return RemajaBmiCategory.GIZI_BAIK
    if z <= 2:
        return RemajaBmiCategory.GIZI_LEBIH
    return RemajaBmiCategory.OBESITAS


def anaemia_threshold_g_dl(*, sex: str, age_years: int, pregnant: bool = False) -> Decimal:
    """Haemoglobin below this is anaemia (WHO 2011), from 5 years."""
    if pregnant:
        return HB_PREGNANT
    if age_years < 12:
        return HB_CHILD_5_11
    if age_years < 15:
        return HB_CHILD_12_14
    return HB_MAN_15_UP if Sex(sex) == Sex.LAKI_LAKI else HB_WOMAN_15_UP


def screen(
    *,
    stage: str,
    sex: str,
    age_years: int,
    weight_kg: Decimal | None = None,
    height_cm: Decimal | None = None,
    waist_cm: Decimal | None = None,
    systolic: int | None = None,
    diastolic: int | None = None,
    glucose_mg_dl: int | None = None,
    glucose_fasting: bool = False,
    hb_g_dl: Decimal | None = None,
    muac_cm: Decimal | None = None,
    aks: str | None = None,
    bmi_for_age_z: Decimal | None = None,
) -> tuple[str, ...]:
    """Screening flag codes (:class:`ScreeningFlag`) of one visit, sorted.

    ``stage``: "ibu_hamil", "remaja" (5–17 years), "usia_produktif" (18–59) or "lansia" (60 and
    over). Missing measurements raise no flag. Remaja get their BMI flag from ``bmi_for_age_z``
    (WHO 2007, see :func:`bmi_for_age_z_5_18`) and none without it; adults from the Kemenkes IMT
    table. Ibu hamil get no BMI or waist flag (weight in pregnancy is read on the Buku KIA chart).
    """
    sex = _checked_sex(stage=stage, sex=sex, age_years=age_years)
    pregnant = stage == "ibu_hamil"
    adult_measures = age_years >= ADULT_MEASURES_FROM_YEARS
    flags = set()

    muac = _decimal(muac_cm)
    woman_of_reproductive_age = sex == Sex.PEREMPUAN and WUS_AGE_YEARS[0] <= age_years <= WUS_AGE_YEARS[1]
    if muac is not None and muac < KEK_MUAC_CM and (pregnant or woman_of_reproductive_age):
        flags.add(ScreeningFlag.KEK)

    hb = _decimal(hb_g_dl)
    if hb is not None and hb < anaemia_threshold_g_dl(sex=sex, age_years=age_years, pregnant=pregnant):
        flags.add(ScreeningFlag.ANEMIA)

    if systolic is not None and diastolic is not None and (pregnant or adult_measures):
        flags.add(_blood_pressure_flag(systolic, diastolic, pregnant=pregnant))

    if glucose_mg_dl is not None:
        limit = GLUCOSE_FASTING_HIGH if glucose_fasting else GLUCOSE_RANDOM_HIGH
        if glucose_mg_dl >= limit:
            flags.add(ScreeningFlag.GULA_DARAH_TINGGI)

    waist = _decimal(waist_cm)
    if waist is not None and not pregnant and adult_measures and waist > WAIST_CM[sex]:
        flags.add(ScreeningFlag.OBESITAS_SENTRAL)

    flags.add(_bmi_flag(stage, weight_kg=weight_kg, height_cm=height_cm, bmi_for_age_z=bmi_for_age_z))

    if aks is not None and Aks(aks) != Aks.MANDIRI:
        flags.add(ScreeningFlag.AKS_KETERGANTUNGAN)

    flags.discard(None)
    return tuple(sorted(str(flag) for flag in flags))


def _checked_sex(*, stage: str, sex: str, age_years: int) -> Sex:
    """``screen``'s arguments checked: a known stage, a woman when pregnant, an age not negative."""
    if stage not in STAGES:
        raise ValueError(gettext("Tahap kehidupan tidak dikenal: %(stage)s") % {"stage": stage})
    sex = Sex(sex)
    if stage == "ibu_hamil" and sex != Sex.PEREMPUAN:
        raise ValueError(gettext("Ibu hamil harus perempuan."))
    if age_years < 0:
        raise ValueError(gettext("Umur tidak boleh negatif."))
    return sex


def _blood_pressure_flag(systolic: int, diastolic: int, *, pregnant: bool) -> ScreeningFlag | None:
    """Hypertension (anyone measured), else pre-hypertension (not in pregnancy), else None."""
    if systolic >= HYPERTENSION[0] or diastolic >= HYPERTENSION[1]:
        return ScreeningFlag.HIPERTENSI
    if not pregnant and (systolic >= PREHYPERTENSION[0] or diastolic >= PREHYPERTENSION[1]):
        return ScreeningFlag.PRA_HIPERTENSI
    return None


def _bmi_flag(stage: str, *, weight_kg, height_cm, bmi_for_age_z) -> ScreeningFlag | None:
    """Remaja: from BMI-for-age z (none without it); adults not pregnant: the Kemenkes IMT table."""
    if stage == "remaja":
        if bmi_for_age_z is None:
            return None
        return _REMAJA_BMI_FLAG.get(bmi_for_age_category_5_18(bmi_for_age_z))
    if stage != "ibu_hamil" and weight_kg is not None and height_cm is not None:
        return _ADULT_BMI_FLAG.get(adult_bmi_category(bmi(weight_kg, height_cm)))
    return None


# --- WHO 2007 BMI-for-age, 5–19 years ------------------------------------------------------------


def bmi_for_age_z_5_18(
    *, sex: str, birth_date: date, measured_on: date, weight_kg: Decimal, height_cm: Decimal
) -> Decimal | None:
    """BMI-for-age z-score (WHO Growth Reference 2007), rounded to 2 decimals; None outside 61–228 months.

    As WHO AnthroPlus: age in months = days / 30.4375, L, M and S interpolated between the whole
    months around it, the restricted (SD23) z-score beyond ±3, BMI from the unrounded weight/height².
    """
    weight, height = _decimal(weight_kg), _decimal(height_cm)
    if weight <= 0 or height <= 0:
        raise ValueError(gettext("Berat dan tinggi badan harus lebih dari nol."))
    age_months = age_in_days(birth_date, measured_on) / DAYS_PER_MONTH
    if not WHO_2007_AGE_MONTHS[0] <= age_months <= WHO_2007_AGE_MONTHS[1]:
        return None
    rows = _who_2007_bmi_for_age()[Sex(sex)]
    low = math.floor(age_months)
    fraction = age_months - low
    lms = rows[low]
    if fraction > 0:
        lms = tuple(a + fraction * (b - a) for a, b in zip(lms, rows[low + 1], strict=True))
    z = lms_z(float(weight / (height / 100) ** 2), *lms)
    return Decimal(repr(z)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@cache
def _who_2007_bmi_for_age() -> dict[str, dict[int, tuple[float, float, float]]]:
    table = {Sex.LAKI_LAKI: {}, Sex.PEREMPUAN: {}}
    for line in _WHO_2007_BMI_FOR_AGE.strip().splitlines():
        month, *values = line.split()
        numbers = [float(value) for value in values]
        table[Sex.LAKI_LAKI][int(month)] = tuple(numbers[:3])
        table[Sex.PEREMPUAN][int(month)] = tuple(numbers[3:])
    return table


# WHO Growth Reference 2007, BMI-for-age, by whole months: month, then L M S for boys, then L M S for
# girls. Source: WorldHealthOrganization/anthroplus, data-raw/growthstandards/bfawho2007.txt (the
# table WHO AnthroPlus uses; month 60 is there for interpolation only). Do not edit by hand.
_WHO_2007_BMI_FOR_AGE = """
60 -0.7151 15.2679 0.08366 -0.8702 15.2453 0.09646
61 -0.7387 15.2641 0.08390 -0.8886 15.2441 0.09692
62 -0.7621 15.2616 0.08414 -0.9068 15.2434 0.09738
63 -0.7856 15.2604 0.08439 -0.9248 15.2433 0.09783
64 -0.8089 15.2605 0.08464 -0.9427 15.2438 0.09829
65 -0.8322 15.2619 0.08490 -0.9605 15.2448 0.09875
66 -0.8554 15.2645 0.08516 -0.9780 15.2464 0.09920
67 -0.8785 15.2684 0.08543 -0.9954 15.2487 0.09966
68 -0.9015 15.2737 0.08570 -1.0126 15.2516 0.10012
69 -0.9243 15.2801 0.08597 -1.0296 15.2551 0.10058
70 -0.9471 15.2877 0.08625 -1.0464 15.2592 0.10104
71 -0.9697 15.2965 0.08653 -1.0630 15.2641 0.10149
72 -0.9921 15.3062 0.08682 -1.0794 15.2697 0.10195
73 -1.0144 15.3169 0.08711 -1.0956 15.2760 0.10241
74 -1.0365 15.3285 0.08741 -1.1115 15.2831 0.10287
75 -1.0584 15.3408 0.08771 -1.1272 15.2911 0.10333
76 -1.0801 15.3540 0.08802 -1.1427 15.2998 0.10379
77 -1.1017 15.3679 0.08833 -1.1579 15.3095 0.10425
78 -1.1230 15.3825 0.08865 -1.1728 15.3200 0.10471
79 -1.1441 15.3978 0.08898 -1.1875 15.3314 0.10517
80 -1.1649 15.4137 0.08931 -1.2019 15.3439 0.10562
81 -1.1856 15.4302 0.08964 -1.2160 15.3572 0.10608
82 -1.2060 15.4473 0.08998 -1.2298 15.3717 0.10654
83 -1.2261 15.4650 0.09033 -1.2433 15.3871 0.10700
84 -1.2460 15.4832 0.09068 -1.2565 15.4036 0.10746
85 -1.2656 15.5019 0.09103 -1.2693 15.4211 0.10792
86 -1.2849 15.5210 0.09139 -1.2819 15.4397 0.10837
87 -1.3040 15.5407 0.09176 -1.2941 15.4593 0.10883
88 -1.3228 15.5608 0.09213 -1.3060 15.4798 0.10929
89 -1.3414 15.5814 0.09251 -1.3175 15.5014 0.10974
90 -1.3596 15.6023 0.09289 -1.3287 15.5240 0.11020
91 -1.3776 15.6237 0.09327 -1.3395 15.5476 0.11065
92 -1.3953 15.6455 0.09366 -1.3499 15.5723 0.11110
93 -1.4126 15.6677 0.09406 -1.3600 15.5979 0.11156
94 -1.4297 15.6903 0.09445 -1.3697 15.6246 0.11201
95 -1.4464 15.7133 0.09486 -1.3790 15.6523 0.11246
96 -1.4629 15.7368 0.09526 -1.3880 15.6810 0.11291
97 -1.4790 15.7606 0.09567 -1.3966 15.7107 0.11335
98 -1.4947 15.7848 0.09609 -1.4047 15.7415 0.11380
99 -1.5101 15.8094 0.09651 -1.4125 15.7732 0.11424
100 -1.5252 15.8344 0.09693 -1.4199 15.8058 0.11469
101 -1.5399 15.8597 0.09735 -1.4270 15.8394 0.11513
102 -1.5542 15.8855 0.09778 -1.4336 15.8738 0.11557
103 -1.5681 15.9116 0.09821 -1.4398 15.9090 0.11601
104 -1.5817 15.9381 0.09864 -1.4456 15.9451 0.11644
105 -1.5948 15.9651 0.09907 -1.4511 15.9818 0.11688
106 -1.6076 15.9925 0.09951 -1.4561 16.0194 0.11731
107 -1.6199 16.0205 0.09994 -1.4607 16.0575 0.11774
108 -1.6318 16.0490 0.10038 -1.4650 16.0964 0.11816
109 -1.6433 16.0781 0.10082 -1.4688 16.1358 0.11859
110 -1.6544 16.1078 0.10126 -1.4723 16.1759 0.11901
111 -1.6651 16.1381 0.10170 -1.4753 16.2166 0.11943
112 -1.6753 16.1692 0.10214 -1.4780 16.2580 0.11985
113 -1.6851 16.2009 0.10259 -1.4803 16.2999 0.12026
114 -1.6944 16.2333 0.10303 -1.4823 16.3425 0.12067
115 -1.7032 16.2665 0.10347 -1.4838 16.3858 0.12108
116 -1.7116 16.3004 0.10391 -1.4850 16.4298 0.12148
117 -1.7196 16.3351 0.10435 -1.4859 16.4746 0.12188
118 -1.7271 16.3704 0.10478 -1.4864 16.5200 0.12228
119 -1.7341 16.4065 0.10522 -1.4866 16.5663 0.12268
120 -1.7407 16.4433 0.10566 -1.4864 16.6133 0.12307
121 -1.7468 16.4807 0.10609 -1.4859 16.6612 0.12346
122 -1.7525 16.5189 0.10652 -1.4851 16.7100 0.12384
123 -1.7578 16.5578 0.10695 -1.4839 16.7595 0.12422
124 -1.7626 16.5974 0.10738 -1.4825 16.8100 0.12460
125 -1.7670 16.6376 0.10780 -1.4807 16.8614 0.12497
126 -1.7710 16.6786 0.10823 -1.4787 16.9136 0.12534
127 -1.7745 16.7203 0.10865 -1.4763 16.9667 0.12571
128 -1.7777 16.7628 0.10906 -1.4737 17.0208 0.12607
129 -1.7804 16.8059 0.10948 -1.4708 17.0757 0.12643
130 -1.7828 16.8497 0.10989 -1.4677 17.1316 0.12678
131 -1.7847 16.8941 0.11030 -1.4642 17.1883 0.12713
132 -1.7862 16.9392 0.11070 -1.4606 17.2459 0.12748
133 -1.7873 16.9850 0.11110 -1.4567 17.3044 0.12782
134 -1.7881 17.0314 0.11150 -1.4526 17.3637 0.12816
135 -1.7884 17.0784 0.11189 -1.4482 17.4238 0.12849
136 -1.7884 17.1262 0.11228 -1.4436 17.4847 0.12882
137 -1.7880 17.1746 0.11266 -1.4389 17.5464 0.12914
138 -1.7873 17.2236 0.11304 -1.4339 17.6088 0.12946
139 -1.7861 17.2734 0.11342 -1.4288 17.6719 0.12978
140 -1.7846 17.3240 0.11379 -1.4235 17.7357 0.13009
141 -1.7828 17.3752 0.11415 -1.4180 17.8001 0.13040
142 -1.7806 17.4272 0.11451 -1.4123 17.8651 0.13070
143 -1.7780 17.4799 0.11487 -1.4065 17.9306 0.13099
144 -1.7751 17.5334 0.11522 -1.4006 17.9966 0.13129
145 -1.7719 17.5877 0.11556 -1.3945 18.0630 0.13158
146 -1.7684 17.6427 0.11590 -1.3883 18.1297 0.13186
147 -1.7645 17.6985 0.11623 -1.3819 18.1967 0.13214
148 -1.7604 17.7551 0.11656 -1.3755 18.2639 0.13241
149 -1.7559 17.8124 0.11688 -1.3689 18.3312 0.13268
150 -1.7511 17.8704 0.11720 -1.3621 18.3986 0.13295
151 -1.7461 17.9292 0.11751 -1.3553 18.4660 0.13321
152 -1.7408 17.9887 0.11781 -1.3483 18.5333 0.13347
153 -1.7352 18.0488 0.11811 -1.3413 18.6006 0.13372
154 -1.7293 18.1096 0.11841 -1.3341 18.6677 0.13397
155 -1.7232 18.1710 0.11869 -1.3269 18.7346 0.13421
156 -1.7168 18.2330 0.11898 -1.3195 18.8012 0.13445
157 -1.7102 18.2955 0.11925 -1.3121 18.8675 0.13469
158 -1.7033 18.3586 0.11952 -1.3046 18.9335 0.13492
159 -1.6962 18.4221 0.11979 -1.2970 18.9991 0.13514
160 -1.6888 18.4860 0.12005 -1.2894 19.0642 0.13537
161 -1.6811 18.5502 0.12030 -1.2816 19.1289 0.13559
162 -1.6732 18.6148 0.12055 -1.2739 19.1931 0.13580
163 -1.6651 18.6795 0.12079 -1.2661 19.2567 0.13601
164 -1.6568 18.7445 0.12102 -1.2583 19.3197 0.13622
165 -1.6482 18.8095 0.12125 -1.2504 19.3820 0.13642
166 -1.6394 18.8746 0.12148 -1.2425 19.4437 0.13662
167 -1.6304 18.9398 0.12170 -1.2345 19.5045 0.13681
168 -1.6211 19.0050 0.12191 -1.2266 19.5647 0.13700
169 -1.6116 19.0701 0.12212 -1.2186 19.6240 0.13719
170 -1.6020 19.1351 0.12233 -1.2107 19.6824 0.13738
171 -1.5921 19.2000 0.12253 -1.2027 19.7400 0.13756
172 -1.5821 19.2648 0.12272 -1.1947 19.7966 0.13774
173 -1.5719 19.3294 0.12291 -1.1867 19.8523 0.13791
174 -1.5615 19.3937 0.12310 -1.1788 19.9070 0.13808
175 -1.5510 19.4578 0.12328 -1.1708 19.9607 0.13825
176 -1.5403 19.5217 0.12346 -1.1629 20.0133 0.13841
177 -1.5294 19.5853 0.12363 -1.1549 20.0648 0.13858
178 -1.5185 19.6486 0.12380 -1.1470 20.1152 0.13873
179 -1.5074 19.7117 0.12396 -1.1390 20.1644 0.13889
180 -1.4961 19.7744 0.12412 -1.1311 20.2125 0.13904
181 -1.4848 19.8367 0.12428 -1.1232 20.2595 0.13920
182 -1.4733 19.8987 0.12443 -1.1153 20.3053 0.13934
183 -1.4617 19.9603 0.12458 -1.1074 20.3499 0.13949
184 -1.4500 20.0215 0.12473 -1.0996 20.3934 0.13963
185 -1.4382 20.0823 0.12487 -1.0917 20.4357 0.13977
186 -1.4263 20.1427 0.12501 -1.0838 20.4769 0.13991
187 -1.4143 20.2026 0.12514 -1.0760 20.5170 0.14005
188 -1.4022 20.2621 0.12528 -1.0681 20.5560 0.14018
189 -1.3900 20.3211 0.12541 -1.0603 20.5938 0.14031
190 -1.3777 20.3796 0.12554 -1.0525 20.6306 0.14044
191 -1.3653 20.4376 0.12567 -1.0447 20.6663 0.14057
192 -1.3529 20.4951 0.12579 -1.0368 20.7008 0.14070
193 -1.3403 20.5521 0.12591 -1.0290 20.7344 0.14082
194 -1.3277 20.6085 0.12603 -1.0212 20.7668 0.14094
195 -1.3149 20.6644 0.12615 -1.0134 20.7982 0.14106
196 -1.3021 20.7197 0.12627 -1.0055 20.8286 0.14118
197 -1.2892 20.7745 0.12638 -0.9977 20.8580 0.14130
198 -1.2762 20.8287 0.12650 -0.9898 20.8863 0.14142
199 -1.2631 20.8824 0.12661 -0.9819 20.9137 0.14153
200 -1.2499 20.9355 0.12672 -0.9740 20.9401 0.14164
201 -1.2366 20.9881 0.12683 -0.9661 20.9656 0.14176
202 -1.2233 21.0400 0.12694 -0.9582 20.9901 0.14187
203 -1.2098 21.0914 0.12704 -0.9503 21.0138 0.14198
204 -1.1962 21.1423 0.12715 -0.9423 21.0367 0.14208
205 -1.1826 21.1925 0.12726 -0.9344 21.0587 0.14219
206 -1.1688 21.2423 0.12736 -0.9264 21.0801 0.14230
207 -1.1550 21.2914 0.12746 -0.9184 21.1007 0.14240
208 -1.1410 21.3400 0.12756 -0.9104 21.1206 0.14250
209 -1.1270 21.3880 0.12767 -0.9024 21.1399 0.14261
210 -1.1129 21.4354 0.12777 -0.8944 21.1586 0.14271
211 -1.0986 21.4822 0.12787 -0.8863 21.1768 0.14281
212 -1.0843 21.5285 0.12797 -0.8783 21.1944 0.14291
213 -1.0699 21.5742 0.12807 -0.8703 21.2116 0.14301
214 -1.0553 21.6193 0.12816 -0.8623 21.2282 0.14311
215 -1.0407 21.6638 0.12826 -0.8542 21.2444 0.14320
216 -1.0260 21.7077 0.12836 -0.8462 21.2603 0.14330
217 -1.0112 21.7510 0.12845 -0.8382 21.2757 0.14340
218 -0.9962 21.7937 0.12855 -0.8301 21.2908 0.14349
219 -0.9812 21.8358 0.12864 -0.8221 21.3055 0.14359
220 -0.9661 21.8773 0.12874 -0.8140 21.3200 0.14368
221 -0.9509 21.9182 0.12883 -0.8060 21.3341 0.14377
222 -0.9356 21.9585 0.12893 -0.7980 21.3480 0.14386
223 -0.9202 21.9982 0.12902 -0.7899 21.3617 0.14396
224 -0.9048 22.0374 0.12911 -0.7819 21.3752 0.14405
225 -0.8892 22.0760 0.12920 -0.7738 21.3884 0.14414
226 -0.8735 22.1140 0.12930 -0.7658 21.4014 0.14423
227 -0.8578 22.1514 0.12939 -0.7577 21.4143 0.14432
228 -0.8419 22.1883 0.12948 -0.7496 21.4269 0.14441
"""
