"""The two HTTP routes that set and drop the sign-in cookie, served beside the app by ``server.py``.

Streamlit's script talks to the browser over a websocket and cannot set a cookie; these routes can.
``POST /account/session`` trades a one-time handoff code for an HttpOnly, SameSite=Strict cookie
(Secure over HTTPS) holding the signed session token; ``POST /account/logout`` revokes the session
its cookie names and deletes the cookie.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from metrics import sessions
from metrics.db import database_url
from metrics.db.engine import session_scope
from metrics.store import default_store_dir

MAX_BODY = 256


def _db_url() -> str:
    from metrics.db import upgrade

    url = database_url(default_store_dir())
    upgrade(url)
    return url


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "").lower() == "https"


async def _body(request: Request) -> str:
    data = b""
    async for chunk in request.stream():
        data += chunk
        if len(data) > MAX_BODY:
            return ""
    return data.decode("ascii", "ignore").strip()


async def session_cookie(request: Request) -> Response:
    code = await _body(request)
    redeemed = await run_in_threadpool(sessions.redeem, _db_url(), code)
    if redeemed is None:
        return Response("unknown or expired sign-in", status_code=403, media_type="text/plain")
    value, max_age = redeemed
    response = Response(status_code=204)
    response.set_cookie(sessions.COOKIE_NAME, value, max_age=max_age, path="/", httponly=True, samesite="strict",
                        secure=_secure(request))
    response.headers["Cache-Control"] = "no-store"
    return response


def _revoke_cookie(url: str, value: str | None) -> None:
    found = sessions.session_for_cookie(url, value)
    if found is not None:
        with session_scope(url) as session:
            sessions.revoke(session, found)


async def logout_cookie(request: Request) -> Response:
    await run_in_threadpool(_revoke_cookie, _db_url(), request.cookies.get(sessions.COOKIE_NAME))
    response = Response(status_code=204)
    response.delete_cookie(sessions.COOKIE_NAME, path="/", httponly=True, samesite="strict", secure=_secure(request))
    response.headers["Cache-Control"] = "no-store"
    return response


def routes() -> list[Route]:
    return [Route("/account/session", session_cookie, methods=["POST"]),
            Route("/account/logout", logout_cookie, methods=["POST"])]
