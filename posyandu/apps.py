from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PosyanduConfig(AppConfig):
    name = "posyandu"
    verbose_name = _("Posyandu dan wilayah")

    def ready(self) -> None:
        from posyandu import monthlock

        # The month lock's triggers follow the models' MONTH_GUARD declarations after every migrate.
        post_migrate.connect(monthlock.install_after_migrate, dispatch_uid="posyandu.monthlock")
