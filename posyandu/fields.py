"""Model fields: identity numbers (NIK, nomor KK) encrypted at rest."""

from django.db import models
from django.db.models import Lookup

from posyandu import crypto

# Equality is all an encrypted number supports: a "starts with" or "contains" search would compare
# ciphertexts and silently find nothing, so such lookups fail loudly instead.
ALLOWED_LOOKUPS = {"exact", "in", "isnull", "ciphertext"}


class EncryptedIdentityField(models.CharField):
    """A NIK or nomor KK: plain digits in Python, AES-SIV ciphertext in the database (posyandu/crypto.py).

    Same number → same ciphertext, so ``unique=True`` and ``filter(nik=...)`` keep working in SQL.
    The model validates the plain number (16 digits, date of birth …) in ``clean()``; the database
    checks, with the ``ciphertext`` lookup, that nothing but ciphertext is ever stored."""

    def __init__(self, *args, purpose: str = "nik", **kwargs):
        self.purpose = purpose
        kwargs.setdefault("max_length", 64)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["purpose"] = self.purpose
        if kwargs.get("max_length") == 64:
            del kwargs["max_length"]
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return None
        return crypto.decrypt(value, purpose=self.purpose)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return None
        return crypto.encrypt(value, purpose=self.purpose)

    def get_lookup(self, lookup_name):
        if lookup_name not in ALLOWED_LOOKUPS:
            return None
        return super().get_lookup(lookup_name)

    def formfield(self, **kwargs):
        # The plain number is 16 digits; 64 is the ciphertext's room.
        kwargs.setdefault("max_length", 16)
        return super().formfield(**kwargs)


@EncryptedIdentityField.register_lookup
class IsCiphertext(Lookup):
    """``nik__ciphertext=True``: the stored value has the encrypted form (used in check constraints)."""

    lookup_name = "ciphertext"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} ~ %s", (*lhs_params, crypto.CIPHERTEXT_RE)
