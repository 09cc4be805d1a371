"""Read a file in a worker process with a memory and time limit, so a reader crash is a refusal.

Calamine and xlrd are native or old code reading hostile bytes: whatever the checks before reading
miss (``limits``, ``xlsx_guard``) must still not take the server down. A small reader server
(``reader_server``, started once per process, single-threaded, with the readers imported) forks one
child per file; the child caps its own address space (``RLIMIT_AS``) and time before touching the
file and hands the grids back pickled. A fork costs a few milliseconds, not an interpreter start
(bench/bench_import.py measures the whole overhead). A child that dies (a Rust allocation failure
aborts it), runs out of memory or out of time becomes a WorkbookError naming the file and the limit.
"""

from __future__ import annotations

import dataclasses
import json
import os
import pickle
import select
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from metrics.sheets.grid import Grid, WorkbookError
from metrics.sheets.limits import ReadLimits, megabytes

_LOCK = threading.Lock()
_SERVER: subprocess.Popen | None = None
#: the peak resident memory (KiB) of the last isolated read's worker, for bench/bench_attacks.py
last_peak_kb: int = 0


def _server() -> subprocess.Popen:
    """The running reader server, started on first use (and again if it died)."""
    global _SERVER
    if _SERVER is not None and _SERVER.poll() is None:
        return _SERVER
    env = dict(os.environ)
    paths = [p for p in sys.path if p and Path(p).is_dir()]
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join([root, *paths])
    _SERVER = subprocess.Popen(
        [sys.executable, "-c", "from metrics.sheets.reader_server import main; main()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True, bufsize=1, close_fds=True)
    return _SERVER


def stop_server() -> None:
    """End the reader server (tests and scripts that want no process left behind)."""
    global _SERVER
    with _LOCK:
        if _SERVER is not None and _SERVER.poll() is None:
            _SERVER.kill()
            _SERVER.wait(5)
        _SERVER = None


def read_file_isolated(path: Path | str, display_name: str | None = None,
                       limits: ReadLimits | None = None) -> list[Grid]:
    """``workbook.read_file`` in a worker process under ``limits`` (memory, seconds)."""
    global last_peak_kb
    limits = limits or ReadLimits.from_env()
    if not limits.isolated:
        from metrics.sheets.workbook import read_file

        return read_file(path, display_name, limits)
    name = display_name or Path(path).name
    with tempfile.TemporaryDirectory(prefix="metrics-read-") as tmp, _LOCK:
        out = Path(tmp) / "grids.pickle"
        request = {"path": str(Path(path).resolve()), "name": display_name, "out": str(out),
                   "limits": dataclasses.asdict(limits)}
        server = _server()
        try:
            server.stdin.write(json.dumps(request, ensure_ascii=False) + "\n")
            server.stdin.flush()
            ready, _, _ = select.select([server.stdout], [], [], limits.seconds + 10)
            line = server.stdout.readline() if ready else ""
        except (BrokenPipeError, OSError):
            line = ""
        if not line:
            server.kill()
            raise WorkbookError(name, f"读取超过 {limits.seconds:g} 秒仍未完成，已中止（METRICS_READ_SECONDS）",
                                f"reading took longer than {limits.seconds:g} s and was stopped (METRICS_READ_SECONDS)")
        answer = json.loads(line)
        last_peak_kb = int(answer.get("maxrss_kb", 0))
        status = int(answer["status"])
        if not out.exists() or not out.stat().st_size:
            raise _died(name, status, limits)
        outcome, payload = pickle.loads(out.read_bytes())
    if outcome == "ok":
        return payload
    if outcome == "error":
        raise WorkbookError(*payload)
    if outcome == "memory":
        raise _memory(name, limits)
    payload = str(payload).replace(str(Path(path).resolve()), name).replace(str(path), name)
    raise WorkbookError(name, f"文件内容无法解析（{payload}），请在 Excel/WPS 中另存为 .xlsx 后再导入",
                        f"the file's content cannot be parsed ({payload}): save it as .xlsx in Excel/WPS and import again")


def _memory(name: str, limits: ReadLimits) -> WorkbookError:
    return WorkbookError(name, f"读取此文件需要超过 {megabytes(limits.memory_bytes)} 内存（METRICS_READ_MEMORY_MB），已拒绝；"
                               "文件可能已损坏或被构造为攻击",
                         f"reading this file needs more than {megabytes(limits.memory_bytes)} of memory "
                         "(METRICS_READ_MEMORY_MB): refused; the file may be damaged or built as an attack")


def _died(name: str, status: int, limits: ReadLimits) -> WorkbookError:
    """A worker that died without a word: out of memory (an abort on a failed allocation), out of time
    (SIGALRM) or a crash."""
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == 14:
        return WorkbookError(name, f"读取超过 {limits.seconds:g} 秒仍未完成，已中止（METRICS_READ_SECONDS）",
                             f"reading took longer than {limits.seconds:g} s and was stopped (METRICS_READ_SECONDS)")
    if os.WIFSIGNALED(status):
        signal_number = os.WTERMSIG(status)
        return WorkbookError(
            name, f"读取器在读取此文件时中止（信号 {signal_number}），多半是所需内存超过 {megabytes(limits.memory_bytes)}"
                  "（METRICS_READ_MEMORY_MB）；文件可能已损坏或被构造为攻击，已拒绝",
            f"the reader stopped on this file (signal {signal_number}), most likely needing more than "
            f"{megabytes(limits.memory_bytes)} of memory (METRICS_READ_MEMORY_MB); the file may be damaged or built "
            "as an attack: refused")
    code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else status
    return WorkbookError(name, f"读取器在读取此文件时退出（代码 {code}），已拒绝",
                         f"the reader exited on this file (code {code}): refused")
