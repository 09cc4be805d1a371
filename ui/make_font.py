"""Build the locally served CJK web font: static/fonts/NotoSansSC-{Regular,Bold}.woff2.

The dashboard must not fetch fonts from the internet, and the full Noto Sans CJK collection is ~19 MB,
so we ship a WOFF2 subset: every character of GB 2312 (6,763 hanzi plus its symbols, which covers the
names of units, indicators and the interface), ASCII, Latin-1 and the punctuation an office report
uses. Characters outside the subset fall back to the next font in the list ("Noto Sans CJK SC",
then the system's sans-serif), so a rare town name still shows.

Noto Sans CJK is under the SIL Open Font License 1.1 (a subset may be redistributed; the licence
is copied next to the fonts). This script needs fontTools and brotli, which are build-time tools,
not runtime requirements:

    python -m venv /tmp/fontvenv && /tmp/fontvenv/bin/pip install fonttools brotli
    /tmp/fontvenv/bin/python ui/make_font.py
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

SOURCES = {
    "Regular": Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    "Bold": Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
}
OUT = Path(__file__).resolve().parent.parent / "static" / "fonts"
EXTRA = "，。、；：？！“”‘’（）【】《》〈〉「」『』…—–·％＋－×÷±≤≥≈≠℃μ³²°▲▼△▽●○■□◆★☆→←↑↓✓✔✗✕·•／～"


def charset() -> str:
    chars = {chr(c) for c in range(0x20, 0x7F)} | {chr(c) for c in range(0xA0, 0x100)}
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(bytes([hi, lo]).decode("gb2312"))
    chars |= set(EXTRA)
    chars |= {chr(c) for c in range(0x3000, 0x3040)} | {chr(c) for c in range(0xFF01, 0xFF5F)}
    return "".join(sorted(chars))


def main() -> None:
    from fontTools import subset
    from fontTools.ttLib import TTCollection

    text = charset()
    OUT.mkdir(parents=True, exist_ok=True)
    for weight, path in SOURCES.items():
        collection = TTCollection(str(path))
        font = next(f for f in collection.fonts if "Noto Sans CJK SC" in f["name"].getDebugName(1))
        options = subset.Options()
        options.flavor = "woff2"
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=text)
        subsetter.subset(font)
        target = OUT / f"NotoSansSC-{weight}.woff2"
        font.flavor = "woff2"
        font.save(str(target))
        print(f"{target} {target.stat().st_size / 1e6:.2f} MB, {len(text)} characters", file=sys.stderr)


if __name__ == "__main__":
    main()
