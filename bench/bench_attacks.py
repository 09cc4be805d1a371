"""Time and peak memory of refusing each hostile file (tests/attack_files.py), as the importer does.

    .venv/bin/python bench/bench_attacks.py

Each file is imported in a fresh Python process (so the process's own peak is that file's alone),
into a store holding the test catalog, through the bounded reading worker. Printed per file: the
wall time of ``import_file``, the peak resident memory of the importing process and of the reading
worker (the two are separate processes), and the outcome. Goal: every file under 10 s and 500 MB.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

GOAL_SECONDS, GOAL_MB = 10.0, 500


def one(name: str, folder: Path) -> dict:
    """Import one attack file in this process; return the figures."""
    from attack_files import ATTACKS
    from factories import write_catalog

    from metrics.importer import import_file
    from metrics.messages import ImportRefused
    from metrics.sheets import isolate
    from metrics.store import Store

    store = Store(folder / "store")
    import_file(write_catalog(folder / "catalog.xlsx"), store)
    path = ATTACKS[name][0](folder)
    base_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    try:
        summary = import_file(path, store)
        outcome = f"read, {summary.rows} row(s), {sum(p.key == 'far_cell_ignored' for p in summary.problems)} stray"
    except ImportRefused as refused:
        outcome = "refused: " + refused.problems[0].text("en")[:90]
    seconds = time.perf_counter() - start
    own_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    isolate.stop_server()
    return {"file": path.name, "size_kb": path.stat().st_size / 1024, "seconds": seconds,
            "importer_mb": own_kb / 1024, "importer_growth_mb": (own_kb - base_kb) / 1024,
            "worker_mb": isolate.last_peak_kb / 1024, "outcome": outcome}


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        with tempfile.TemporaryDirectory() as tmp:
            print(json.dumps(one(sys.argv[2], Path(tmp)), ensure_ascii=False))
        return
    from attack_files import ATTACKS

    print(f"{'attack':34} {'file':30} {'size':>8} {'time':>7} {'importer':>9} {'worker':>8}  outcome")
    worst_s = worst_mb = 0.0
    for name in ATTACKS:
        run = subprocess.run([sys.executable, __file__, "--one", name], capture_output=True, text=True, cwd=ROOT)
        if run.returncode:
            print(f"{name:34} FAILED: {run.stderr.strip().splitlines()[-1] if run.stderr else run.returncode}")
            continue
        r = json.loads(run.stdout.strip().splitlines()[-1])
        worst_s, worst_mb = max(worst_s, r["seconds"]), max(worst_mb, r["importer_mb"], r["worker_mb"])
        print(f"{name:34} {r['file']:30} {r['size_kb']:7.0f}K {r['seconds']:6.2f}s {r['importer_mb']:7.0f}MB "
              f"{r['worker_mb']:6.0f}MB  {r['outcome']}")
    print(f"worst: {worst_s:.2f} s, {worst_mb:.0f} MB (goal < {GOAL_SECONDS:g} s and < {GOAL_MB} MB per file)")


if __name__ == "__main__":
    main()
