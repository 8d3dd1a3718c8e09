"""Signals of the foundation that other apps may send or receive without importing each other."""

from django.dispatch import Signal

# Data behind the indicators changed without model signals (bulk writes, queryset updates).
# Arguments: ``posyandu_ids`` (iterable of ids) and ``since`` (a date, or None for "any month"), and
# optionally ``warga_ids``: people whose data changed (every posyandu they belonged to since then).
# The reporting app listens to keep its monthly rollup true (laporan/rekap.py).
data_changed = Signal()

# An account managed in the app (posyandu.akun.services) is about to change, inside its transaction.
# Arguments: ``account`` (the user, not yet changed) and ``changes`` (field name -> new value, e.g.
# ``role``, ``posyandu``, ``field``, ``is_active``). A receiver may refuse with a ValidationError: the
# kader registry keeps a kader's account at the kader's role and posyandu (kader/account_signals.py).
account_changing = Signal()

# An account managed in the app was saved (same transaction). Argument: ``account``. The kader registry
# keeps the kader's SPM field equal to their account's.
account_changed = Signal()
