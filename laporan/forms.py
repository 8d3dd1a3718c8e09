"""Forms of the reporting app: the kabupaten's settings (minimum kader, report deadline, targets)."""

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from laporan import indicators as ind
from layanan.forms.kesehatan import MonthField
from posyandu.forms import AsciiIntegerField, LocalDecimalField
from posyandu.pengaturan.models import DEADLINE_DAY_MAX, MIN_KADER_MAX, MIN_KADER_PER_FIELD_MAX, TARGET_MAX

TARGET_PREFIX = "target_"


def _whole(label, help_text, low: int, high: int) -> AsciiIntegerField:
    range_message = _("Isi angka bulat %(low)s sampai %(high)s.") % {"low": low, "high": high}
    return AsciiIntegerField(
        label=label,
        help_text=help_text,
        validators=[MinValueValidator(low, range_message), MaxValueValidator(high, range_message)],
        error_messages={"invalid": _("Isi angka bulat, misalnya 5."), "required": _("Isi kolom ini.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class PengaturanKabupatenForm(forms.Form):
    """A new version of the kabupaten's settings: the numbers, a target per rate indicator (empty: the
    catalogue's), the month it takes effect and why. Starts from the version in force."""

    valid_from = MonthField(
        label=_("Berlaku mulai bulan"),
        help_text=_(
            "Angka bulan ini dan sesudahnya dihitung dengan pengaturan baru. Bulan yang laporannya sudah "
            "disetujui tetap memakai angka saat disetujui."
        ),
        error_messages={"required": _("Pilih bulan mulai berlaku.")},
    )
    min_kader = _whole(
        _("Jumlah kader aktif minimal per posyandu"),
        _("Dipakai untuk Posyandu Aktif dan strata (Pratama bila kurang)."),
        1,
        MIN_KADER_MAX,
    )
    min_kader_per_field = _whole(
        _("Jumlah kader aktif minimal per bidang SPM"),
        _("Posyandu dengan kader bidang lebih sedikit ditandai kurang di daftar kader."),
        0,
        MIN_KADER_PER_FIELD_MAX,
    )
    deadline_day = _whole(
        _("Batas tanggal laporan bulanan"),
        _("Tanggal di bulan berikutnya; laporan yang diajukan sesudahnya terlambat (1 sampai 28)."),
        1,
        DEADLINE_DAY_MAX,
    )
    reason = forms.CharField(
        label=_("Alasan perubahan"),
        max_length=255,
        help_text=_("Misalnya nomor Perbup atau hasil rapat Tim Pembina."),
        error_messages={"required": _("Tuliskan alasan perubahan.")},
    )

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = [ind.INDICATORS[code] for code in ind.target_codes()]
        for indicator in self.indicators:
            default = indicator.target
            self.fields[TARGET_PREFIX + indicator.code] = LocalDecimalField(
                label=indicator.name,
                required=False,
                max_digits=5,
                decimal_places=1,
                min_value=Decimal(0),
                max_value=Decimal(TARGET_MAX),
                help_text=(
                    _("Kosongkan untuk target bawaan (%(target)s %%).") % {"target": f"{default:g}".replace(".", ",")}
                    if default is not None
                    else _("Kosongkan bila tanpa target.")
                ),
                error_messages={
                    "min_value": _("Target antara 0 dan 100 %%."),
                    "max_value": _("Target antara 0 dan 100 %%."),
                    "max_digits": _("Target antara 0 dan 100 %%."),
                    "max_decimal_places": _("Paling banyak 1 angka di belakang koma."),
                },
            )
        if current is not None and not self.is_bound:
            self.initial.update(
                min_kader=current.min_kader,
                min_kader_per_field=current.min_kader_per_field,
                deadline_day=current.deadline_day,
            )
            for code, value in current.targets.items():
                self.initial[TARGET_PREFIX + code] = f"{value:g}".replace(".", ",")

    def target_fields(self) -> list[tuple[str, list]]:
        """The target fields grouped by SPM field, in the catalogue's order, for the template."""
        groups: dict[str, list] = {}
        for indicator in self.indicators:
            groups.setdefault(indicator.field_label(), []).append(self[TARGET_PREFIX + indicator.code])
        return list(groups.items())

    def targets(self) -> dict[str, Decimal]:
        """The typed targets (code -> percent) that differ from the catalogue's."""
        chosen = {}
        for indicator in self.indicators:
            value = self.cleaned_data.get(TARGET_PREFIX + indicator.code)
            if value is not None and (indicator.target is None or value != Decimal(str(indicator.target))):
                chosen[indicator.code] = value
        return chosen
