"""URLs of the SPM fields: ``kesehatan`` (namespace ``layanan``, at ``kesehatan/``), each included by
``config/urls.py``."""
