"""How big a file may be before it is read: the caps that keep a hostile or broken file from taking
the server's memory, with their defaults and the environment variables that change them.

A file over a cap is refused *before* it is read, with a message naming the cap and how to raise it.
What no cap foresees is caught by the reading worker's memory and time limits (``isolate``).

| cap | default | environment variable |
|---|---|---|
| file size | 100 MB | ``METRICS_MAX_FILE_MB`` |
| uncompressed size of an .xlsx (sum of its parts, from the zip directory) | 256 MB | ``METRICS_MAX_UNCOMPRESSED_MB`` |
| parts in an .xlsx | 10,000 | ``METRICS_MAX_PARTS`` |
| cells of one sheet's used range (rows x columns), and shared strings of a workbook | 5,000,000 | ``METRICS_MAX_CELLS`` |
| memory of the reading worker (address space above its start) | 2,048 MB | ``METRICS_READ_MEMORY_MB`` |
| time of the reading worker | 120 s | ``METRICS_READ_SECONDS`` |
| read in a worker process (0 = in the calling process, for tests and scripts) | 1 | ``METRICS_READ_ISOLATED`` |
"""

from __future__ import annotations

import os
from dataclasses import dataclass

MB = 1 << 20


def _env_number(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        return default
    return value if value > 0 else default


@dataclass(frozen=True)
class ReadLimits:
    """The caps one read works under (see the module docstring for defaults and variables)."""

    max_file_bytes: int = 100 * MB
    max_uncompressed_bytes: int = 256 * MB
    max_parts: int = 10_000
    max_cells: int = 5_000_000
    memory_bytes: int = 2048 * MB
    seconds: float = 120.0
    isolated: bool = True
    #: not a cap: sheets whose XML is at least this big are read column-wise (fastexcel/Arrow)
    columnar_min_bytes: int = 4 * MB

    @classmethod
    def from_env(cls) -> ReadLimits:
        d = cls()
        return cls(
            max_file_bytes=int(_env_number("METRICS_MAX_FILE_MB", d.max_file_bytes / MB) * MB),
            max_uncompressed_bytes=int(_env_number("METRICS_MAX_UNCOMPRESSED_MB", d.max_uncompressed_bytes / MB) * MB),
            max_parts=int(_env_number("METRICS_MAX_PARTS", d.max_parts)),
            max_cells=int(_env_number("METRICS_MAX_CELLS", d.max_cells)),
            memory_bytes=int(_env_number("METRICS_READ_MEMORY_MB", d.memory_bytes / MB) * MB),
            seconds=_env_number("METRICS_READ_SECONDS", d.seconds),
            isolated=os.environ.get("METRICS_READ_ISOLATED", "1").strip() not in ("0", "false", "no"),
            columnar_min_bytes=int(os.environ.get("METRICS_COLUMNAR_MIN_BYTES", "").strip() or d.columnar_min_bytes),
        )


def megabytes(n: int) -> str:
    """1.5 MB, 256 MB: sizes as a message shows them."""
    if n < MB:
        return f"{n / 1024:.0f} KB"
    value = n / MB
    return f"{value:.0f} MB" if value >= 10 else f"{value:.1f} MB"
