from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LaporanConfig(AppConfig):
    name = "laporan"
    verbose_name = _("Laporan dan dasbor")

    def ready(self):
        from laporan import rekap_signals

        rekap_signals.connect()
