"""Who acts at the command line: ``--user NAME`` names an enabled account whose role and units apply;
without it the caller is the server's operator (whoever runs the shell), unrestricted and recorded
as such in the audit trail and the version."""

from __future__ import annotations

import argparse
import sys

from metrics.access import Actor, Forbidden
from metrics.accounts import actor_for
from metrics.db import database_url


def db_url_for(args: argparse.Namespace) -> str:
    return database_url(getattr(args, "store", None) or None)


def cli_actor(db_url: str, user: str | None) -> Actor:
    """The account named by ``--user`` (Forbidden when unknown or disabled), else the operator."""
    return actor_for(db_url, user) if user else Actor.cli_operator()


def say(lang: str, zh: str, en: str, *, err: bool = False) -> None:
    print(en if lang == "en" else zh, file=sys.stderr if err else sys.stdout)


def refuse(lang: str, exc: Exception) -> int:
    """Print a refusal (Forbidden and the zh/en errors of accounts and settings) and return exit code 3."""
    message = exc.message(lang) if hasattr(exc, "message") else str(exc)
    print(("✘ " + message), file=sys.stderr)
    return 3 if isinstance(exc, Forbidden) else 2
