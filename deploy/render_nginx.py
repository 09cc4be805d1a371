"""Render nginx.conf from nginx.conf.template for a list of replicas.

    python deploy/render_nginx.py --listen 80 --temp /tmp dashboard-1:8501 dashboard-2:8501 > deploy/nginx.conf

The compose setup uses the rendered ``deploy/nginx.conf``; the tests render the same template with
replicas on loopback ports and run Debian's nginx on it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"


def render(servers: list[str], listen: str, temp: str) -> str:
    """The configuration text: one ``server`` line per replica (passive health: out for 5 s after a failure)."""
    if not servers:
        raise ValueError("at least one replica")
    lines = "\n".join(f"        server {s} max_fails=1 fail_timeout=5s;" for s in servers)
    return (TEMPLATE.read_text(encoding="utf-8").replace("{{SERVERS}}", lines)
            .replace("{{LISTEN}}", str(listen)).replace("{{TEMP}}", temp))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("servers", nargs="+", help="host:port of each dashboard replica")
    p.add_argument("--listen", default="80")
    p.add_argument("--temp", default="/tmp", help="folder for nginx's pid, logs and temporary files")
    args = p.parse_args(argv)
    sys.stdout.write(render(args.servers, args.listen, args.temp))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
