import hashlib
import os
import sys
from pathlib import Path

# The demo generator's xlsx bytes do not depend on lxml being installed (see data/demo/generate.py).
os.environ.setdefault("OPENPYXL_LXML", "False")

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from db_fixtures import db_url, pg_database, sqlite_template  # noqa: E402, F401
from factories import write_catalog  # noqa: E402
from replica_servers import s3_server, s3_store  # noqa: E402, F401

from metrics.store import Store  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "real"


@pytest.fixture
def store(tmp_path) -> Store:
    """A store holding the small test catalog."""
    from metrics.importer import import_file

    s = Store(tmp_path / "store")
    import_file(write_catalog(tmp_path / "catalog.xlsx"), s)
    return s


@pytest.fixture(params=["cell rows", "arrow columns"])
def both_xlsx_readers(request, monkeypatch):
    """Run a test on both xlsx read paths: calamine rows, and fastexcel columns (used for big sheets)."""
    if request.param == "arrow columns":
        monkeypatch.setenv("METRICS_COLUMNAR_MIN_BYTES", "0")
    return request.param


def tree_digest(root: Path) -> dict[str, str]:
    """Every file under root with its SHA-256: "byte-identical" made checkable."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


DEMO = ROOT / "data" / "demo"


def demo_files() -> list[Path]:
    return sorted(p for p in DEMO.iterdir() if p.suffix in (".xlsx", ".xls", ".csv"))


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory) -> Store:
    """Every demo sheet imported once through the CLI, as scripts/start.sh does (with received dates)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("demo_received", DEMO / "received" / "import_demo.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    root = tmp_path_factory.mktemp("demo") / "store"
    assert module.import_demo(root) == 0   # every sheet with the day it arrived (data/demo/received/dates.csv)
    return Store(root)


DEMO_EVENTS = DEMO / "events" / "2021_加扣分事项.xlsx"


@pytest.fixture(scope="session")
def demo_events(demo_store) -> Store:
    """The demo store with the demo's 2021 加扣分事项 imported into its database (as scripts/start.sh does)."""
    from metrics.cli import main

    assert main(["import", str(DEMO_EVENTS), "--store", str(demo_store.root)]) == 0
    return demo_store


def load_generator():
    """data/demo/generate.py as a module (it is a script, not a package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("demo_generate", DEMO / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["demo_generate"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(autouse=True)
def _no_outside_database(monkeypatch):
    """A developer's own METRICS_DB never leaks into a test (tests pass their database explicitly)."""
    monkeypatch.delenv("METRICS_DB", raising=False)
