"""Replicas benchmark: the store on an S3 server vs on local disk, and viewers across 2 replicas vs 1.

    .venv/bin/python bench/bench_replicas.py                     # both parts
    .venv/bin/python bench/bench_replicas.py --only store --units 2000 --ind 300
    .venv/bin/python bench/bench_replicas.py --only load --viewers 50

1. store: the province-scale store (bench_dashboard.province_store: 2,000 units x 300 monthly indicators
   x 12 months, ≈7M rows) copied onto moto's S3 server (loopback) with its versions registered in
   PostgreSQL; in a fresh process each (a replica's first visitor), the overview page through AppTest:
   time to the first overview and the process's peak memory, S3 vs the same store on local disk.
2. load: the demo store (city scale) on S3; ``streamlit run`` replicas behind Debian's nginx (the
   configuration rendered from deploy/nginx.conf.template); N simultaneous viewers, each a Streamlit
   websocket client (what the browser sends: a rerun of the default page) through nginx, timed from
   connect to the script's end: median and 95th percentile with 2 replicas vs 1, and each replica's
   resident memory afterwards.  Loopback only, bounded (every viewer has a 300 s limit).

PostgreSQL: $METRICS_TEST_PG or the local server (a database is created for the run and dropped).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

import pyarrow.fs as pafs  # noqa: E402
from replica_servers import free_port, s3_env, start_nginx, start_streamlit, stop, wait_http  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

BUCKET = "metrics-bench"


# -- servers ----------------------------------------------------------------------------------------


class Servers:
    """moto's S3 server and a PostgreSQL database for this run (both removed at the end)."""

    def __init__(self) -> None:
        port = free_port()
        self.s3_log = open(ROOT / "bench" / "out" / "moto.log", "wb")  # noqa: SIM115 - closed in close()
        self.s3 = subprocess.Popen([str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p",
                                    str(port)], stdout=self.s3_log, stderr=subprocess.STDOUT)
        self.endpoint = f"http://127.0.0.1:{port}"
        wait_http(self.endpoint + "/", proc=self.s3)
        server = os.environ.get("METRICS_TEST_PG") or "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
        self.admin = create_engine(server, isolation_level="AUTOCOMMIT")
        self.dbname = f"metrics_bench_{os.getpid()}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self.dbname}"'))
        self.db = make_url(server).set(database=self.dbname).render_as_string(hide_password=False)
        self.env = s3_env(self.endpoint) | {"METRICS_DB": self.db}
        os.environ.update(self.env)

    def close(self) -> None:
        from metrics.db import engine as db_engine

        db_engine.dispose()
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.dbname}" WITH (FORCE)'))
        stop(self.s3)
        self.s3_log.close()


def to_s3(local: Path, prefix: str) -> tuple[str, float]:
    """Copy a folder store's versions and checkpoints onto S3; the first Store use registers them in
    PostgreSQL (DbSequence adopts a folder's complete versions).  Returns the address and seconds."""
    from metrics.store import Store
    from metrics.stored import fs, sequence

    uri = f"s3://{BUCKET}/{prefix}"
    target = fs.from_uri(uri)
    t0 = time.perf_counter()
    for sub in ("versions", "checkpoints"):
        if (local / sub).is_dir():
            pafs.copy_files(str(local / sub), f"{target.path}/{sub}", source_filesystem=pafs.LocalFileSystem(),
                            destination_filesystem=target.fs, use_threads=True)
    seconds = time.perf_counter() - t0
    assert Store(uri).latest_version() == sequence.FolderSequence(local).numbers()[-1]
    return uri, seconds


# -- part 1: time to first overview ---------------------------------------------------------------


def _status_mb(key: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def overview_child(store: str) -> None:
    """A replica's first visitor, in a fresh process: the overview page (the dashboard's default) run
    once through AppTest with the dashboard's caches; prints seconds and memory as JSON."""
    from tests.conftest_ui import open_app

    t0 = time.perf_counter()
    at = open_app(store, timeout=1800)
    first = time.perf_counter() - t0
    assert not at.exception, [e.value for e in at.exception]
    fresh = [m.value for m in at.get("html") if "yjx-fresh" in str(getattr(m, "value", ""))]
    t1 = time.perf_counter()
    at.run()
    again = time.perf_counter() - t1
    print(json.dumps({"first_s": round(first, 2), "rerun_s": round(again, 2), "rss_mb": round(_status_mb("VmRSS")),
                      "peak_mb": round(_status_mb("VmHWM")), "fresh": fresh[:1]}, ensure_ascii=False))


def first_overview(store: str, env: dict[str, str]) -> dict:
    child_env = {k: v for k, v in os.environ.items() if not k.startswith(("METRICS_", "AWS_"))} | env
    out = subprocess.run([sys.executable, __file__, "--overview-child", store], capture_output=True, text=True,
                         cwd=ROOT, env=child_env | {"PYTHONPATH": str(ROOT)}, timeout=3600)
    if out.returncode != 0:
        raise RuntimeError(out.stdout[-2000:] + out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def store_part(servers: Servers, local: Path, built: float) -> dict:
    from metrics.stored import sequence

    last = sequence.FolderSequence(local).numbers()[-1]
    rows = 12 * int(json.loads((local / "versions" / f"{last:06d}" / "manifest.json").read_text())["rows"])
    uri, upload = to_s3(local, f"province-{uuid.uuid4().hex[:6]}")
    print(f"province store: {local.name}, ≈{rows:,} rows (built/reused in {built:.0f} s, copied to S3 in {upload:.1f} s)")
    disk = first_overview(str(local), {})
    print(f"  local disk: first overview {disk['first_s']:.1f} s, rerun {disk['rerun_s']:.2f} s, "
          f"peak {disk['peak_mb']:,} MB")
    s3 = first_overview(uri, servers.env)
    print(f"  S3 + PG   : first overview {s3['first_s']:.1f} s, rerun {s3['rerun_s']:.2f} s, peak {s3['peak_mb']:,} MB")
    print(f"  S3 / disk : first overview x{s3['first_s'] / disk['first_s']:.2f}, peak memory "
          f"x{s3['peak_mb'] / disk['peak_mb']:.2f}")
    return {"rows": rows, "disk": disk, "s3": s3, "upload_s": round(upload, 1)}


# -- part 2: simultaneous viewers ------------------------------------------------------------------


async def _viewer(url: str, limit: float) -> float:
    """One viewer: open the websocket, ask for the default page, wait for the script's end."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    t0 = time.perf_counter()
    async with websockets.connect(url, subprotocols=["streamlit"], max_size=None, open_timeout=limit) as ws:
        msg = BackMsg()
        msg.rerun_script.query_string = ""
        await ws.send(msg.SerializeToString())
        deltas = 0
        while True:
            fm = ForwardMsg()
            fm.ParseFromString(await asyncio.wait_for(ws.recv(), limit))
            kind = fm.WhichOneof("type")
            deltas += kind == "delta"
            if kind == "script_finished":
                if deltas < 10:
                    raise RuntimeError(f"the page sent only {deltas} elements")
                return time.perf_counter() - t0


async def _crowd(url: str, n: int, limit: float) -> list[float]:
    return list(await asyncio.gather(*[_viewer(url, limit) for _ in range(n)]))


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def load_run(uri: str, env: dict[str, str], n_replicas: int, viewers: int, log_dir: Path) -> dict:
    ports = [free_port() for _ in range(n_replicas)]
    procs = [start_streamlit(p, env | {"METRICS_STORE": uri, "METRICS_REPLICA": f"r{k}"}, log_dir / f"r{k}.log")
             for k, p in enumerate(ports)]
    balancer = temp = None
    try:
        for p, proc in zip(ports, procs, strict=True):
            wait_http(f"http://127.0.0.1:{p}/healthz", timeout=120, proc=proc)
        front = free_port()
        balancer, temp = start_nginx([f"127.0.0.1:{p}" for p in ports], front)
        wait_http(f"http://127.0.0.1:{front}/healthz", proc=balancer)
        ws = f"ws://127.0.0.1:{front}/_stcore/stream"
        for p in ports:   # each replica computes the overview once before the meeting starts
            asyncio.run(_crowd(f"ws://127.0.0.1:{p}/_stcore/stream", 1, 600))
        t0 = time.perf_counter()
        times = sorted(asyncio.run(_crowd(ws, viewers, 300)))
        wall = time.perf_counter() - t0
        p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
        return {"replicas": n_replicas, "viewers": viewers, "median_s": round(statistics.median(times), 2),
                "p95_s": round(p95, 2), "max_s": round(times[-1], 2), "wall_s": round(wall, 2),
                "rss_mb": [round(_rss_mb(p.pid)) for p in procs]}
    finally:
        if balancer is not None:
            stop(balancer)
        for proc in procs:
            stop(proc)
        if temp is not None:
            import shutil

            shutil.rmtree(temp, ignore_errors=True)


def city_store() -> Path:
    """The demo sheets imported as scripts/start.sh does (data/demo/received/import_demo.py), once."""
    import importlib.util

    from metrics.stored import sequence

    root = ROOT / "bench" / "out" / "city_store"
    if not sequence.FolderSequence(root).numbers():
        spec = importlib.util.spec_from_file_location("import_demo", ROOT / "data/demo/received/import_demo.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        assert module.import_demo(root) == 0
    return root


def load_part(servers: Servers, local: Path, viewers: int) -> dict:
    from metrics import site
    from metrics.access import Actor

    uri, _ = to_s3(local, f"city-{uuid.uuid4().hex[:6]}")
    site.set_setting(servers.db, Actor.cli_operator(), "anonymous_read", True)
    log_dir = ROOT / "bench" / "out"
    results = {}
    for n in (1, 2):
        r = load_run(uri, servers.env, n, viewers, log_dir)
        results[n] = r
        print(f"  {viewers} viewers, {n} replica(s): median {r['median_s']:.2f} s, p95 {r['p95_s']:.2f} s, "
              f"max {r['max_s']:.2f} s (all done in {r['wall_s']:.1f} s); RSS per replica {r['rss_mb']} MB")
    print(f"  2 replicas / 1: median x{results[2]['median_s'] / results[1]['median_s']:.2f}, "
          f"p95 x{results[2]['p95_s'] / results[1]['p95_s']:.2f}  ({os.cpu_count()} cores on this machine)")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["store", "load"], action="append")
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--ind", type=int, default=300)
    parser.add_argument("--viewers", type=int, default=50)
    parser.add_argument("--overview-child")
    args = parser.parse_args(argv)
    if args.overview_child:
        overview_child(args.overview_child)
        return 0
    (ROOT / "bench" / "out").mkdir(parents=True, exist_ok=True)
    province = city = None
    if not args.only or "store" in args.only:     # the local stores first, before METRICS_DB is set
        from bench_dashboard import province_store

        t0 = time.perf_counter()
        province = province_store(args.units, args.ind)
        built = time.perf_counter() - t0
    if not args.only or "load" in args.only:
        city = city_store()
    servers = Servers()
    try:
        if province is not None:
            store_part(servers, province, built)
        if city is not None:
            load_part(servers, city, args.viewers)
    finally:
        servers.close()
    import resource

    print(f"benchmark's own peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB; "
          f"children's peak {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:,.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
