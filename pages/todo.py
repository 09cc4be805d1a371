"""待办 — the signed-in account's to-do list: items to rectify, feedback due, 催办 received, awaiting acceptance."""

from ui import app, layout
from ui import supervision_pages as sv

f, t = app.page()
layout.title(t("sv.todo_title"), f, t)
sv.todo_section(f, t)
