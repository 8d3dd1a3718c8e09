"""Signals of the foundation that other apps may send or receive without importing each other."""

from django.dispatch import Signal

# Data behind the indicators changed without model signals (bulk writes, queryset updates).
# Arguments: ``posyandu_ids`` (iterable of ids) and ``since`` (a date, or None for "any month"), and
# optionally ``warga_ids``: people whose data changed (every posyandu they belonged to since then).
# The reporting app listens to keep its monthly rollup true (laporan/rekap.py).
data_changed = Signal()
