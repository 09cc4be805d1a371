"""Real servers on loopback for the replica tests: an S3 server (moto in server mode), free ports,
and the environment a replica needs (store on S3, versions in PostgreSQL).

The S3 server is moto's own ``moto_server`` from requirements-dev.txt (``scripts/test.sh`` installs
it); it speaks the S3 protocol over HTTP like MinIO does in ``deploy/``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 30.0, proc: subprocess.Popen | None = None) -> None:
    end, last = time.monotonic() + timeout, ""
    while time.monotonic() < end:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{url}: the server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status < 500:
                    return
        except OSError as exc:
            last = f"{exc}: {exc.read()[:300]!r}" if hasattr(exc, "read") else str(exc)
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer in {timeout:.0f} s ({last})")


def stop(proc: subprocess.Popen) -> None:
    """End one process this suite started (by its own id)."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """moto's S3 server on a free loopback port; yields its endpoint URL."""
    exe = BIN / "moto_server"
    if not exe.exists():
        pytest.fail("moto_server is missing: run scripts/test.sh (installs requirements-dev.txt)")
    port = free_port()
    with open(tmp_path_factory.mktemp("moto") / "moto.log", "wb") as log:
        proc = subprocess.Popen([str(exe), "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_http(f"http://127.0.0.1:{port}/", proc=proc)
            yield f"http://127.0.0.1:{port}"
        finally:
            stop(proc)


def s3_env(endpoint: str) -> dict[str, str]:
    return {"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "metrics-test", "AWS_SECRET_ACCESS_KEY": "metrics-test",
            "AWS_REGION": "us-east-1"}


@pytest.fixture
def s3_store(s3_server, pg_database, monkeypatch) -> str:
    """A new ``s3://`` store address whose versions are committed in the test PostgreSQL; the
    environment (S3 endpoint and keys, METRICS_DB) set as a replica would have it."""
    for key, value in s3_env(s3_server).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("METRICS_DB", pg_database)
    return f"s3://metrics-test/{uuid.uuid4().hex[:12]}"


def child_env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("METRICS_", "AWS_"))}
    env.update(extra)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (extra.get("PYTHONPATH"), str(REPO)) if p)
    return env


def start_streamlit(port: int, env: dict[str, str], log: Path) -> subprocess.Popen:
    """One dashboard replica: ``streamlit run server.py`` on a loopback port (caller stops it)."""
    cmd = [sys.executable, "-m", "streamlit", "run", "server.py", "--server.port", str(port), "--server.headless",
           "true", "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none"]
    with open(log, "wb") as fh:
        return subprocess.Popen(cmd, cwd=REPO, env=child_env(env), stdout=fh, stderr=subprocess.STDOUT)


def start_nginx(servers: list[str], port: int) -> tuple[subprocess.Popen, Path]:
    """Debian's nginx on the configuration rendered from deploy/nginx.conf.template."""
    import importlib.util
    import tempfile

    nginx = next((p for p in ("/usr/sbin/nginx", "/usr/bin/nginx") if Path(p).exists()), None)
    if nginx is None:
        pytest.fail("nginx is missing: run scripts/test.sh (installs Debian's nginx)")
    spec = importlib.util.spec_from_file_location("render_nginx", REPO / "deploy" / "render_nginx.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    temp = Path(tempfile.mkdtemp(prefix="metrics-nginx-"))
    temp.chmod(0o777)                # nginx's workers (nobody) write their temporary files here
    conf = temp / "nginx.conf"
    conf.write_text(module.render(servers, f"127.0.0.1:{port}", str(temp)), encoding="utf-8")
    proc = subprocess.Popen([nginx, "-c", str(conf), "-p", str(temp), "-g", "daemon off;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    return proc, temp
