import hashlib
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from factories import write_catalog  # noqa: E402

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


def tree_digest(root: Path) -> dict[str, str]:
    """Every file under root with its SHA-256: "byte-identical" made checkable."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}
