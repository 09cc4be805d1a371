"""Strings of the dashboard's feature areas, one module each (``ZH`` and ``EN`` dictionaries).

Why a package: every feature (ledger, accounts, bulletin …) keeps its words beside its own name,
and ``ui.i18n`` merges every module found here, refusing a key defined twice.
"""
