"""Subcommands of ``python -m metrics`` beyond import/versions/report, one module each.

Every module here defines ``add_parser(subparsers, common)`` and registers its own command(s);
``metrics.cli.build_parser`` finds them all, so a new command never edits a shared list.
"""
