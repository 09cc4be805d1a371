"""Scheme sections that belong to one feature (supervision, reporting calendar, assessment …).

Each module here defines ``NAME`` (the TOML table, e.g. ``"supervision"``), ``DEFAULTS`` (a dict, the
values when no file names them) and ``validate(values, where) -> None`` raising
:class:`metrics.scheme.SchemeError` on a bad or unknown key.  ``metrics.scheme`` finds them all, so a
feature adds its rules without editing the scheme parser, and a typo in a scheme file is still an
error rather than silently ignored.  Code reads them as ``scheme.section(NAME)[key]``.
"""
