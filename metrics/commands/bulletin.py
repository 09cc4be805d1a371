"""``python -m metrics bulletin``: the 通报 of a period as .docx, .pdf, .pptx or .xlsx.

    python -m metrics bulletin --period 2021Q3 [--scope 全市|县市区/城区|衡阳县] --format docx|pdf|pptx|xlsx|all
                               [--out FILE] [--as-of-version N] [--date YYYY-MM-DD] [--issue [--user NAME]]

Progress goes to stderr.  ``--issue`` assigns the next 期号 (a 管理员's write; without ``--user`` the
server's operator) and locks the period where the period lock exists.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

from metrics import bulletin, periods
from metrics.access import Forbidden
from metrics.acting import cli_actor, refuse
from metrics.store import Store


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("bulletin", parents=[common], help="the 通报 of a period as docx, pdf, pptx or xlsx",
                       description="一旬一通报: the bulletin of one period, written from the engine's results.")
    p.add_argument("--period", required=True, help="period code or written form: 2021Q3, 2021-09-D2, 2021年9月中旬 …")
    p.add_argument("--scope", default="全市", help="全市 (default), a group (县市区/城区) or a county (衡阳县)")
    p.add_argument("--format", default="docx", choices=(*bulletin.FORMATS, "all"))
    p.add_argument("--out", help="file to write (default: <city><period>绩效评估通报.<format> here); with "
                                 "--format all, a folder")
    p.add_argument("--as-of-version", type=int, dest="as_of_version", help="write from this store version")
    p.add_argument("--date", help="the bulletin's date, YYYY-MM-DD (default: today in Asia/Shanghai)")
    p.add_argument("--issue", action="store_true", help="issue it: assign the next 期号 (needs a 管理员)")
    p.add_argument("--user", help="the account issuing (default: the server's operator)")
    p.set_defaults(func=run)


class _Stderr:
    """Progress lines on stderr: the step, how many of how many, the time so far."""

    def __init__(self, lang: str) -> None:
        self.lang, self.started = lang, time.perf_counter()

    def __call__(self, done: int, total: int, zh: str, en: str) -> None:
        words = en if self.lang == "en" else zh
        print(f"… {words} ({done}/{total}, {time.perf_counter() - self.started:.1f}s)", file=sys.stderr, flush=True)


def _say(lang: str, zh: str, en: str) -> None:
    print(en if lang == "en" else zh, file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """Exit status: 0 written, 1 nothing to write from / already issued, 2 bad arguments, 3 not allowed."""
    from metrics.bulletin import content, issuing, scope, service, source
    from metrics.db import database_url

    lang = args.lang
    try:
        period = periods.parse_period(args.period)
        on = dt.date.fromisoformat(args.date) if args.date else None
    except periods.PeriodError as err:
        _say(lang, f"--period {args.period}：{err.reason_zh}", f"--period {args.period}: {err.reason_en}")
        return 2
    except ValueError:
        _say(lang, f"--date {args.date}：请写成 YYYY-MM-DD", f"--date {args.date}: write it as YYYY-MM-DD")
        return 2
    store = Store(args.store or None)
    db_url = database_url(store.root)
    report = _Stderr(lang)
    report(0, 1, "读取数据并计算", "reading the store and computing")
    try:
        made = service.prepare(store, period, args.scope, as_of=args.as_of_version, db_url=db_url, on=on)
        if args.issue:
            made = _issue(args, db_url, made, on or content.today())
    except (source.SourceError, scope.ScopeError) as err:
        _say(lang, err.zh, err.en)
        return 1 if isinstance(err, source.SourceError) else 2
    except Forbidden as err:
        return refuse(lang, err)
    except issuing.AlreadyIssued as err:
        _say(lang, err.zh, err.en)
        return 1
    formats = bulletin.FORMATS if args.format == "all" else (args.format,)
    for fmt in formats:
        data = bulletin.render(made, fmt, report)
        out = _target(args.out, made, fmt, several=len(formats) > 1)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
        _say(lang, f"已写入 {out}（{len(data) / 1024:.0f} KB，{made.number_label}，数据版本 v{made.store_version}）",
             f"wrote {out} ({len(data) / 1024:.0f} KB, {made.number_label}, store version {made.store_version})")
    return 0


def _issue(args: argparse.Namespace, db_url: str, made, on: dt.date):
    from metrics.bulletin import issuing
    from metrics.bulletin.model import IssueMark

    actor = cli_actor(db_url, args.user)
    record = issuing.issue(db_url, actor, period=made.period, scope=made.scope, store_version=made.store_version,
                           title=made.title, on=on)
    made.issue = IssueMark(record.year, record.number, record.issue_date, record.issued_by)
    made.date = record.issue_date
    lock = "，期间已锁定" if record.locked else "（期间锁定功能尚未启用，未锁定）"
    _say(args.lang, f"已签发：{record.year}年第{record.number}期{lock}",
         f"issued as no. {record.number} of {record.year}" + ("; period locked" if record.locked else
                                                                "; the period lock does not exist yet: not locked"))
    return made


def _target(out: str | None, made, fmt: str, several: bool) -> Path:
    name = f"{made.file_stem()}.{fmt}"
    if out is None:
        return Path(name)
    path = Path(out)
    if several or path.is_dir():
        return path / name
    return path
