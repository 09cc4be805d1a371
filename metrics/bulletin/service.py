"""A bulletin from a store, as the command line asks for it: scope, issued or draft, store version.

An issued bulletin (this period and scope have a 期号) is written as of the store version it was
issued from, with its number and date, unless another version is asked for.
"""

from __future__ import annotations

import datetime as dt

from metrics import periods as per
from metrics.bulletin import content, issuing, scope, source
from metrics.bulletin.model import Bulletin
from metrics.store import Store


def prepare(store: Store, period: str, scope_text: str | None = None, *, as_of: int | None = None,
            db_url: str | None = None, on: dt.date | None = None) -> Bulletin:
    """The bulletin of ``period`` for a scope (see metrics.bulletin.scope); raises
    :class:`metrics.bulletin.source.SourceError` / :class:`metrics.bulletin.scope.ScopeError`."""
    period = per.parse_period(period)
    latest = store.latest_version()
    catalog = store.catalog(as_of if as_of is not None else latest) if latest else None
    if catalog is None:
        raise source.SourceError("数据库中还没有目录（单位、指标）：请先导入目录", "the store has no catalog yet: import one first")
    chosen = scope.parse(scope_text, catalog[0])
    record = issuing.find(db_url, period, chosen) if db_url else None
    version = as_of if as_of is not None else (record.store_version if record else None)
    src = source.load(store, period, version)
    options = content.Options(version=src.version, settings=dict(src.scheme.section("bulletin")),
                              issue=record.mark if record else None, on=on, db_url=db_url,
                              store_root=str(store.root))
    return content.build(src.ctx, chosen, options)
