"""The project's CJK font (``static/fonts/NotoSansSC-*.woff2``, the one the dashboard serves) as
OpenType files the PDF typesetter and the chart renderer can load.

Why: a bulletin must show Chinese on any machine, without system fonts; the project already ships
a GB 2312 subset of Noto Sans CJK SC for the browser.  WOFF2 is for browsers, so it is unpacked
once (about 0.2 s) into a cache folder, under its own family name so that it can never be confused
with a full Noto Sans CJK the system may have (which then serves as a fallback for rarer glyphs).
Noto Sans CJK is under the SIL Open Font License 1.1 (static/fonts/OFL.txt); renaming is allowed.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from pathlib import Path

STATIC_FONTS = Path(__file__).resolve().parents[2] / "static" / "fonts"
FAMILY = "YJX Noto Sans SC"
WEIGHTS = {"Regular": "NotoSansSC-Regular.woff2", "Bold": "NotoSansSC-Bold.woff2"}
SYSTEM_FALLBACK = "Noto Sans CJK SC"
_lock = threading.Lock()


def cache_dir() -> Path:
    """$METRICS_CACHE, else $XDG_CACHE_HOME or ~/.cache, else the temporary folder; + /yunjixiao/fonts."""
    base = os.environ.get("METRICS_CACHE") or os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base else Path.home() / ".cache"
    folder = root / "yunjixiao" / "fonts"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError:
        folder = Path(tempfile.gettempdir()) / "yunjixiao-fonts"
        folder.mkdir(parents=True, exist_ok=True)
    return folder


def font_files() -> dict[str, Path]:
    """weight -> an .otf of the project's font (unpacked on first use, reused while the source is the same)."""
    out = {}
    with _lock:
        folder = cache_dir()
        for weight, name in WEIGHTS.items():
            source = STATIC_FONTS / name
            digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
            target = folder / f"YJXNotoSansSC-{weight}-{digest}.otf"
            if not target.is_file():
                _unpack(source, target, weight)
            out[weight] = target
    return out


def font_folder() -> Path:
    return font_files()["Regular"].parent


def _unpack(source: Path, target: Path, weight: str) -> None:
    from fontTools.ttLib import TTFont

    font = TTFont(str(source))
    font.flavor = None
    names = font["name"]
    full = f"{FAMILY} {weight}" if weight != "Regular" else FAMILY
    postscript = f"YJXNotoSansSC-{weight}"
    for record in list(names.names):
        if record.nameID in (16, 17, 21, 22):
            names.removeNames(nameID=record.nameID)
    for name_id, text in ((1, FAMILY), (2, weight), (4, full), (6, postscript)):
        names.setName(text, name_id, 3, 1, 0x409)
        names.setName(text, name_id, 1, 0, 0)
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [postscript]
        top = cff.topDictIndex[0]
        top.FullName, top.FamilyName = full, FAMILY
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    font.save(str(tmp))
    os.replace(tmp, target)
