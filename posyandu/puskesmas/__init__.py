"""Puskesmas and their working areas (wilayah kerja): writes (services), reads (selectors), the pages
with which the kabupaten team manages them (views, forms). The models are in ``posyandu.models``."""
