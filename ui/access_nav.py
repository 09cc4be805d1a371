"""What the navigation offers to whom: the sign-in gate and the pages of signed-in roles.

``ui.app.setup`` calls :func:`gate` first: a visitor who is not signed in sees only the sign-in page
unless the site allows anonymous reading.  Pages a role may not use are not offered (a courtesy:
each write checks the role again on the server).
"""

from __future__ import annotations

import streamlit as st

from metrics import site, users
from metrics.access import Actor
from ui import identity, signin


@st.cache_data(ttl=60, show_spinner=False)
def role_labels(db: str, lang: str) -> dict[str, str]:
    table = users.roles_table(db)
    return dict(zip(table["name"], table["label_en" if lang == "en" else "label_zh"], strict=True))


def login_page(t) -> st.Page:
    return st.Page("pages/login.py", title=t("page.login"), icon=":material/login:", url_path="login")


def gate(root: str, t) -> tuple[str, Actor, object | None]:
    """The database, the actor of this run, and — when the visitor must sign in first — the navigation
    that offers only the sign-in page."""
    db = identity.db_url(root)
    actor = identity.resolve(db)
    if actor.role == "anonymous" and not site.get(db, "anonymous_read"):
        return db, actor, st.navigation([login_page(t)], position="hidden")
    signin.hand_over_cookie()
    return db, actor, None


def manage_pages(t, actor: Actor) -> list:
    """The 管理 section for this actor: 数据 for everyone, 账号 and 审计 for those who may, 登录 for anonymous."""
    pages = [st.Page("pages/data.py", title=t("page.data"), icon=":material/upload_file:", url_path="data")]
    if actor.may("audit.read"):
        pages.append(st.Page("pages/audit.py", title=t("page.audit"), icon=":material/policy:", url_path="audit"))
    if actor.role == "anonymous":
        pages.append(login_page(t))
    return pages


def account_box(db: str, t, lang: str) -> None:
    actor = identity.current_actor()
    signin.account_box(db, t, role_labels(db, lang).get(actor.role, actor.role))
