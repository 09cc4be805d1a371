"""``GET /healthz``: what the load balancer (and compose's health check) asks each replica.

200 with the replica's name and the store's latest version when the store and the database answer
(the same cheap version query every page run makes), 503 naming what failed otherwise, so a replica
that lost PostgreSQL or the object store is taken out of rotation instead of serving stale numbers.
"""

from __future__ import annotations

import os
import socket

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from metrics.store import Store


def replica_name() -> str:
    """$METRICS_REPLICA (deploy/ names each replica), else host name and process id."""
    return os.environ.get("METRICS_REPLICA") or f"{socket.gethostname()}:{os.getpid()}"


def _probe() -> dict:
    store = Store()
    return {"ok": True, "replica": replica_name(), "version": store.latest_version(), "store": str(store.root)}


async def health(_request: Request) -> JSONResponse:
    try:
        body = await run_in_threadpool(_probe)
    except Exception as exc:  # noqa: BLE001 - any failure of the store or database is "unhealthy"
        return JSONResponse({"ok": False, "replica": replica_name(), "error": type(exc).__name__}, status_code=503,
                            headers={"Cache-Control": "no-store"})
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


def route() -> Route:
    return Route("/healthz", health, methods=["GET"])
