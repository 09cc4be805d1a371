"""Closest known names for a label nobody recognises, so the message can ask "是否为 衡阳县？"."""

from __future__ import annotations

from rapidfuzz import fuzz, process

from metrics.text import match_key


def closest(label: str, candidates: list[str], limit: int = 3, cutoff: float = 45.0) -> list[str]:
    """Up to ``limit`` candidate names most like ``label``, best first."""
    if not candidates:
        return []
    found = process.extract(match_key(label), {c: match_key(c) for c in candidates},
                            scorer=fuzz.ratio, limit=limit * 3, score_cutoff=cutoff)
    names: list[str] = []
    for _key, _score, name in sorted(found, key=lambda f: (-f[1], len(f[2]))):
        if name not in names:
            names.append(name)
    return names[:limit]


def hint(names: list[str]) -> tuple[str, str]:
    """The "did you mean" tail of a message, in both languages."""
    if not names:
        return "", ""
    return "，是否为 " + " / ".join(names) + "？", "; did you mean " + " / ".join(names) + "?"
