"""The reading worker's server: a small single-threaded process that forks one child per file.

Started once by ``isolate`` (``python -c "from metrics.sheets.reader_server import main; main()"``),
it imports the readers, then reads requests, one JSON line each, on stdin:
``{"path": …, "name": …, "limits": {…}, "out": …}``. For each it forks a child that caps its own
address space (``RLIMIT_AS``) and time (``alarm``), reads the file and writes the pickled outcome to
``out``; the server waits for the child and answers one JSON line on stdout:
``{"status": <wait status>, "maxrss_kb": <the child's peak resident memory>}``.

Forking here, not in the dashboard's process, keeps the fork away from Streamlit's threads and the
child small; the server never reads a file itself, so a reader crash costs only that child.
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import resource
import signal
import sys

from metrics.sheets.grid import WorkbookError
from metrics.sheets.limits import ReadLimits
from metrics.sheets.workbook import read_file


def _address_space() -> int:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _preload() -> None:
    """Import what a read may import lazily, so each child starts with it in memory."""
    import defusedxml.ElementTree  # noqa: F401
    import fastexcel  # noqa: F401
    import msoffcrypto  # noqa: F401
    import olefile  # noqa: F401
    import xlrd  # noqa: F401


def _child(request: dict) -> None:
    limits = ReadLimits(**request["limits"])
    limit = _address_space() + limits.memory_bytes
    with contextlib.suppress(ValueError, OSError):  # a platform without RLIMIT_AS still reads
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    signal.alarm(max(1, int(limits.seconds + 0.999)))
    try:
        outcome: object = ("ok", read_file(request["path"], request["name"], limits))
    except WorkbookError as err:
        outcome = ("error", (err.file, err.message_zh, err.message_en))
    except MemoryError:
        outcome = ("memory", None)
    except RecursionError as exc:
        outcome = ("crash", f"RecursionError: {exc}")
    except Exception as exc:  # a reader bug on a hostile file is a refusal, not a traceback
        outcome = ("crash", f"{type(exc).__name__}: {exc}")
    try:
        data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        data = pickle.dumps(("memory", None))
    with open(request["out"], "wb") as fh:
        fh.write(data)


def serve(lines, answer) -> None:
    for line in lines:
        try:
            request = json.loads(line)
        except ValueError:
            continue
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                _child(request)
            except BaseException:
                code = 70
            finally:
                os._exit(code)
        _, status, usage = os.wait4(pid, 0)
        answer(json.dumps({"status": status, "maxrss_kb": usage.ru_maxrss}))


def main() -> None:
    _preload()
    out = sys.stdout

    def answer(text: str) -> None:
        out.write(text + "\n")
        out.flush()

    serve(sys.stdin, answer)


if __name__ == "__main__":
    main()
