from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from posyandu import crypto
from posyandu.fields import EncryptedIdentityField


class Command(BaseCommand):
    help = (
        "Re-encrypt every NIK and nomor KK (history included) that was written under a retired key with the "
        "current PERSONAL_DATA_KEY, in one transaction. Run after setting a new key with a new "
        "PERSONAL_DATA_KEY_ID and the old one in PERSONAL_DATA_OLD_KEYS; afterwards the old key can go."
    )

    def handle(self, *args, **options):
        total = 0
        with transaction.atomic():
            for model in apps.get_models():
                for field in model._meta.concrete_fields:
                    if isinstance(field, EncryptedIdentityField):
                        count = crypto.rekey_column(
                            connection, table=model._meta.db_table, column=field.column, purpose=field.purpose
                        )
                        total += count
                        if count:
                            self.stdout.write(f"{model._meta.db_table}.{field.column}: {count}")
        self.stdout.write(self.style.SUCCESS(f"{total} nomor dienkripsi ulang dengan kunci {crypto.current_key_id()}."))
