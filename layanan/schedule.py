"""Immunisation schedule, vitamin A rounds and KIE constants, kept as data.

Source: the national schedule as recorded in Buku KIA 2023 / Permenkes 12/2017 with the 2022–2023
additions of PCV, rotavirus and the second IPV dose (see ``shared/domain.md`` §3). Each antigen
dose is one row: a code stored in the database, its label, and the age in months it is due at.
JE is given only in endemic areas, so it is recordable but not listed as due.

Some doses have an upper age (``shared/domain.md`` §3, "Upper age limits"; unverified, hence data
here and nowhere else): past it a dose is no longer "overdue", it is simply not given. HB0 only in
the first 7 days (the child is then covered by DPT-HB-Hib); BCG before the first birthday; the
rotavirus doses before 8 months; the PCV primary doses before 12 months. The other doses catch up
until 59 months.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Antigen(models.TextChoices):
    HB0 = "hb0", _("Hepatitis B (HB0, < 24 jam)")
    BCG = "bcg", _("BCG")
    POLIO_1 = "polio_1", _("Polio tetes 1")
    DPT_HB_HIB_1 = "dpt_hb_hib_1", _("DPT-HB-Hib 1")
    POLIO_2 = "polio_2", _("Polio tetes 2")
    PCV_1 = "pcv_1", _("PCV 1")
    RV_1 = "rv_1", _("Rotavirus 1")
    DPT_HB_HIB_2 = "dpt_hb_hib_2", _("DPT-HB-Hib 2")
    POLIO_3 = "polio_3", _("Polio tetes 3")
    PCV_2 = "pcv_2", _("PCV 2")
    RV_2 = "rv_2", _("Rotavirus 2")
    DPT_HB_HIB_3 = "dpt_hb_hib_3", _("DPT-HB-Hib 3")
    POLIO_4 = "polio_4", _("Polio tetes 4")
    IPV_1 = "ipv_1", _("IPV (polio suntik) 1")
    RV_3 = "rv_3", _("Rotavirus 3")
    MR = "mr", _("Campak-Rubela (MR)")
    IPV_2 = "ipv_2", _("IPV (polio suntik) 2")
    JE = "je", _("Japanese Encephalitis (daerah endemis)")
    PCV_3 = "pcv_3", _("PCV 3 (lanjutan)")
    DPT_HB_HIB_LANJUTAN = "dpt_hb_hib_lanjutan", _("DPT-HB-Hib lanjutan")
    MR_LANJUTAN = "mr_lanjutan", _("Campak-Rubela (MR) lanjutan")


@dataclass(frozen=True)
class Dose:
    antigen: str
    due_months: int
    basic: bool  # counts towards imunisasi dasar lengkap (IDL): every dose due by 9 months
    routine: bool = True  # False: only in some areas (JE), never listed as due
    before_days: int | None = None  # upper age, exclusive, in days of life (HB0: the first 7 days)
    before_months: int | None = None  # upper age, exclusive, in completed months (BCG: before 12)

    def too_old(self, *, age_months: int, age_days: int) -> bool:
        """Past this dose's upper age: it is no longer given, so never due nor overdue."""
        if self.before_days is not None and age_days >= self.before_days:
            return True
        return self.before_months is not None and age_months >= self.before_months


SCHEDULE: tuple[Dose, ...] = (
    Dose(Antigen.HB0, 0, True, before_days=7),
    Dose(Antigen.BCG, 1, True, before_months=12),
    Dose(Antigen.POLIO_1, 1, True),
    Dose(Antigen.DPT_HB_HIB_1, 2, True),
    Dose(Antigen.POLIO_2, 2, True),
    Dose(Antigen.PCV_1, 2, True, before_months=12),
    Dose(Antigen.RV_1, 2, True, before_months=8),
    Dose(Antigen.DPT_HB_HIB_2, 3, True),
    Dose(Antigen.POLIO_3, 3, True),
    Dose(Antigen.PCV_2, 3, True, before_months=12),
    Dose(Antigen.RV_2, 3, True, before_months=8),
    Dose(Antigen.DPT_HB_HIB_3, 4, True),
    Dose(Antigen.POLIO_4, 4, True),
    Dose(Antigen.IPV_1, 4, True),
    Dose(Antigen.RV_3, 4, True, before_months=8),
    Dose(Antigen.MR, 9, True),
    Dose(Antigen.IPV_2, 9, True),
    Dose(Antigen.JE, 10, False, routine=False),
    Dose(Antigen.PCV_3, 12, False),
    Dose(Antigen.DPT_HB_HIB_LANJUTAN, 18, False),
    Dose(Antigen.MR_LANJUTAN, 18, False),
)
DOSE_BY_ANTIGEN = {dose.antigen: dose for dose in SCHEDULE}
BASIC_ANTIGENS = tuple(dose.antigen for dose in SCHEDULE if dose.basic)

# A dose is "due" from its month and "overdue" once this many months have passed without it.
OVERDUE_AFTER_MONTHS = 1
# Catch-up stops here: doses not given by 5 years are no longer listed (the child has left balita age).
CATCH_UP_UNTIL_MONTHS = 59


class VitaminA(models.TextChoices):
    """Vitamin A capsules, given in February and August: blue 6–11 months, red 12–59 months."""

    BIRU = "biru", _("Kapsul biru (100.000 IU)")
    MERAH = "merah", _("Kapsul merah (200.000 IU)")


VITAMIN_A_MONTHS = (2, 8)


def vitamin_a_capsule(age_months: int) -> str | None:
    if 6 <= age_months <= 11:
        return VitaminA.BIRU
    if 12 <= age_months <= 59:
        return VitaminA.MERAH
    return None


def doses_due(*, age_months: int, age_days: int, given: set[str]) -> list[tuple[Dose, bool]]:
    """Routine doses not yet given whose age has come and not gone: ``(dose, overdue)``, in
    schedule order. A dose past its upper age (``Dose.too_old``) is left out: HB0 is due in the
    first week of life and never "terlambat" at 12 or 25 months."""
    if age_months > CATCH_UP_UNTIL_MONTHS:
        return []
    return [
        (dose, age_months >= dose.due_months + OVERDUE_AFTER_MONTHS)
        for dose in SCHEDULE
        if dose.routine
        and dose.antigen not in given
        and age_months >= dose.due_months
        and not dose.too_old(age_months=age_months, age_days=age_days)
    ]
