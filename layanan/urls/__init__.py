"""URLs of the SPM fields: ``kesehatan`` (namespace ``layanan``, at ``kesehatan/``) and ``bidang`` (the five
other fields, namespace ``bidang``, at ``bidang/``), each included by ``config/urls.py``."""
