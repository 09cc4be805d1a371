"""Names, notes and messages from data shown as text, never as markup.

Streamlit reads Markdown (and its own ``:red[…]``, ``:material/…:`` and ``$…$`` extensions) in
``st.markdown``, captions, alerts, headers, metric notes and help; a unit named ``![x](http://…)``
would make every viewer's browser fetch that address. ``md`` backslash-escapes every ASCII
punctuation character (CommonMark lets any of them be escaped) so the text shows as written.
``html_text`` is for HTML that Streamlit also runs through Markdown (the map's SVG): HTML-escaped,
with the characters Markdown reacts to written as numeric character references.
"""

from __future__ import annotations

import re
from html import escape

#: what Markdown, GFM and Streamlit react to anywhere in a line (``.``, ``-``, ``+`` and digits only matter at
#: a line's start: see _LINE_START)
_PUNCT = re.compile(r"([\\`*_\[\]()!<>#|~$:{}&=])")
_LINE_START = re.compile(r"(?m)^(\s*)([-+.]|\d+(?=[.)]))")
_MD_SIGNIFICANT = str.maketrans({c: f"&#{ord(c)};" for c in "!()[]*_`~|#+-=:$\\{}"})


def md(text: object) -> str:
    """Text for a Markdown context, shown exactly as written (no link, image, emphasis or HTML)."""
    if text is None:
        return ""
    escaped = _LINE_START.sub(lambda m: m[1] + "\\" + m[2] if not m[2].isdigit() else m[1] + m[2] + "\\",
                              _PUNCT.sub(r"\\\1", str(text)))
    return escaped.replace("\n", "  \n")


_AUTOLINK = re.compile(r"(?i)(://|www\.|@)")


def html_text(text: object) -> str:
    """Text for HTML that may also pass through Markdown: escaped for both. A URL-looking part gets an
    empty comment inside it (``http:<!---->//``), so GFM's autolinking cannot make it a link."""
    escaped = escape("" if text is None else str(text), quote=True)
    pieces = _AUTOLINK.sub(lambda m: m[1][0] + "\0" + m[1][1:], escaped).split("\0")
    return "<!---->".join(piece.translate(_MD_SIGNIFICANT) for piece in pieces)
