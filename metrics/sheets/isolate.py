"""Read a file in a worker process with a memory and time limit, so a reader crash is a refusal.

Calamine and xlrd are native or old code reading hostile bytes: whatever the checks before reading
miss (``limits``, ``xlsx_guard``) must still not take the server down. The read runs in a child of a
``forkserver`` (started once, with the readers preloaded, so each read costs a fork, not an
interpreter start: see bench/bench_import.py); the child caps its own address space with
``RLIMIT_AS`` before touching the file. The grids come back pickled over a pipe. A child that dies
(a Rust allocation failure aborts it), runs out of memory or out of time becomes a WorkbookError
naming the file and the limit.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import resource
import threading
from multiprocessing.connection import Connection
from pathlib import Path

from metrics.sheets.grid import Grid, WorkbookError
from metrics.sheets.limits import ReadLimits, megabytes

_CONTEXT = None
_LOCK = threading.Lock()


def _context():
    """The forkserver context, created once; the readers are imported in the server before any fork."""
    global _CONTEXT
    with _LOCK:
        if _CONTEXT is None:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(["metrics.sheets.workbook"])
            _CONTEXT = ctx
        return _CONTEXT


def _address_space() -> int:
    """This process's virtual size in bytes (the floor the memory budget is added to)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _child(path: str, display_name: str | None, limits: ReadLimits, conn: Connection) -> None:
    limit = _address_space() + limits.memory_bytes
    with contextlib.suppress(ValueError, OSError):  # a platform without RLIMIT_AS still reads
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from metrics.sheets.workbook import read_file

    try:
        result: object = ("ok", read_file(path, display_name, limits))
    except WorkbookError as err:
        result = ("error", (err.file, err.message_zh, err.message_en))
    except MemoryError:
        result = ("memory", None)
    except Exception as exc:  # a reader bug on a hostile file is a refusal, not a traceback
        result = ("crash", f"{type(exc).__name__}: {exc}")
    try:
        conn.send_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    except MemoryError:
        conn.send_bytes(pickle.dumps(("memory", None)))
    finally:
        conn.close()


def read_file_isolated(path: Path | str, display_name: str | None = None,
                       limits: ReadLimits | None = None) -> list[Grid]:
    """``workbook.read_file`` in a worker process under ``limits`` (memory, seconds)."""
    limits = limits or ReadLimits.from_env()
    if not limits.isolated:
        from metrics.sheets.workbook import read_file

        return read_file(path, display_name, limits)
    name = Path(display_name or str(path)).name if display_name else Path(path).name
    name = name.replace("\\", "/").rsplit("/", 1)[-1] or name
    ctx = _context()
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(str(path), display_name, limits, send), daemon=True)
    proc.start()
    send.close()
    try:
        if not receive.poll(limits.seconds):
            raise WorkbookError(name, f"读取超过 {limits.seconds:g} 秒仍未完成，已中止（METRICS_READ_SECONDS）",
                                f"reading took longer than {limits.seconds:g} s and was stopped (METRICS_READ_SECONDS)")
        try:
            status, payload = pickle.loads(receive.recv_bytes())
        except (EOFError, OSError):
            proc.join(5)
            raise _died(name, proc.exitcode, limits) from None
    finally:
        receive.close()
        if proc.is_alive():
            proc.kill()
        proc.join(5)
    if status == "ok":
        return payload
    if status == "error":
        raise WorkbookError(*payload)
    if status == "memory":
        raise _memory(name, limits)
    raise WorkbookError(name, f"文件内容无法解析（{payload}），请在 Excel/WPS 中另存为 .xlsx 后再导入",
                        f"the file's content cannot be parsed ({payload}): save it as .xlsx in Excel/WPS and import again")


def _memory(name: str, limits: ReadLimits) -> WorkbookError:
    return WorkbookError(name, f"读取此文件需要超过 {megabytes(limits.memory_bytes)} 内存（METRICS_READ_MEMORY_MB），已拒绝；"
                               "文件可能已损坏或被构造为攻击",
                         f"reading this file needs more than {megabytes(limits.memory_bytes)} of memory "
                         "(METRICS_READ_MEMORY_MB): refused; the file may be damaged or built as an attack")


def _died(name: str, exitcode: int | None, limits: ReadLimits) -> WorkbookError:
    """A worker that died without a word: out of memory (an abort on a failed allocation) or a crash."""
    if exitcode is not None and exitcode < 0:
        return WorkbookError(
            name, f"读取器在读取此文件时中止（信号 {-exitcode}），多半是所需内存超过 {megabytes(limits.memory_bytes)}"
                  "（METRICS_READ_MEMORY_MB）；文件可能已损坏或被构造为攻击，已拒绝",
            f"the reader stopped on this file (signal {-exitcode}), most likely needing more than "
            f"{megabytes(limits.memory_bytes)} of memory (METRICS_READ_MEMORY_MB); the file may be damaged or built "
            "as an attack: refused")
    return WorkbookError(name, f"读取器在读取此文件时退出（代码 {exitcode}），已拒绝",
                         f"the reader exited on this file (code {exitcode}): refused")
