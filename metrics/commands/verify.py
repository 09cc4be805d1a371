"""``python -m metrics verify``: prove the store intact (hashes, Parquet files, version chain, checkpoints).

Exits 0 when everything checks, 1 naming each version (or checkpoint) and file that does not.
"""

from __future__ import annotations

import argparse

from metrics.export import json_text
from metrics.store import Store
from metrics.stored.verify import verify


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("verify", parents=[common],
                       help="check every stored file against its manifest, the version chain and the checkpoints")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    store = Store(args.store or None)
    report = verify(store.root)
    en = args.lang == "en"
    if args.json:
        print(json_text(report.to_dict(), ensure_ascii=False, indent=2))
    elif report.ok:
        print(f"✔ store intact: {report.versions} versions, {report.files} files, {report.checkpoints} checkpoints"
              if en else f"✔ 数据库完好：{report.versions} 个版本，{report.files} 个文件，{report.checkpoints} 个检查点")
    else:
        print(f"✘ store damaged: {len(report.findings)} problem(s)" if en
              else f"✘ 数据库已损坏：{len(report.findings)} 个问题")
        for f in report.findings:
            print("    ✘ " + f.render(args.lang))
    return 0 if report.ok else 1
