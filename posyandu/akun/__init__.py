"""Accounts managed in the app: creating, changing and deactivating accounts within a manager's reach,
one-time passwords and their login slips, and the account log (README, "Accounts"). URLs in
``posyandu/urls_akun.py`` (namespace ``akun``); the bulk kader import is the kader app's (``kader.kader_import``).
"""
