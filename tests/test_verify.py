"""`python -m metrics verify`: a flipped byte, a truncated Parquet file, a missing file, a tampered
checkpoint are each named by version and file; an import into a damaged store is refused, pointing at verify."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from factories import write_catalog, write_xlsx

from metrics.cli import main
from metrics.importer import import_file
from metrics.messages import ImportRefused
from metrics.store import Store
from metrics.stored.verify import last_result, verify


def _store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "store")
    import_file(write_catalog(tmp_path / "catalog.xlsx"), s)
    import_file(write_xlsx(tmp_path / "a.xlsx", [["2021Q3", "珠晖区", "GDP", 100, None, 80, None],
                                                  ["2021Q3", "衡阳县", "GDP", 90, None, 70, None]]), s)
    import_file(write_xlsx(tmp_path / "b.xlsx", [["2021Q3", "珠晖区", "GDP", None, None, 85, "修正"]]), s)
    return s


def _run(store: Store, capsys, *extra: str) -> tuple[int, str]:
    code = main(["verify", "--store", str(store.root), *extra])
    return code, capsys.readouterr().out


def test_good_store_passes_and_result_is_kept(tmp_path, capsys) -> None:
    s = _store(tmp_path)
    code, out = _run(s, capsys)
    assert code == 0, out
    assert "数据库完好：3 个版本" in out
    kept = last_result(s.root)
    assert kept["ok"] is True and kept["versions"] == 3 and kept["latest"] == 3 and kept["findings"] == []
    # every new version records every file's hash
    files = s.manifest(2)["files"]
    assert set(files) == {"figures.parquet", "original/a.xlsx"}


def test_flipped_byte_names_version_and_file(tmp_path, capsys) -> None:
    s = _store(tmp_path)
    path = s.root / "versions" / "000002" / "original" / "a.xlsx"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    code, out = _run(s, capsys, "--lang", "en")
    assert code == 1
    assert "version 2 · original/a.xlsx: SHA-256 differs from the manifest" in out
    assert last_result(s.root)["ok"] is False


def test_truncated_parquet_is_caught_and_import_refused_pointing_at_verify(tmp_path, capsys) -> None:
    s = _store(tmp_path)
    path = s.root / "versions" / "000003" / "figures.parquet"
    path.write_bytes(path.read_bytes()[:40])
    code, out = _run(s, capsys)
    assert code == 1
    assert "版本 3 · figures.parquet：SHA-256 与清单不符" in out
    # an import into the damaged store is a refusal that names the damage and the command, not a traceback
    from metrics import store as store_mod
    store_mod._cached_part.cache_clear()
    store_mod._VIEW_CACHE.clear()
    more = write_xlsx(tmp_path / "c.xlsx", [["2021Q3", "衡南县", "GDP", 50, None, 40, None]])
    with pytest.raises(ImportRefused) as refused:
        import_file(more, s)
    text = refused.value.render("zh")
    assert "版本 3 的文件 figures.parquet 无法读取" in text and "python -m metrics verify" in text
    assert s.latest_version() == 3
    code = main(["import", str(more), "--store", str(s.root)])
    out = capsys.readouterr().out
    assert code == 1 and "python -m metrics verify" in out


def test_truncated_parquet_without_recorded_hash_is_unreadable(tmp_path, capsys) -> None:
    s = _store(tmp_path)
    manifest = s.root / "versions" / "000003" / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    del data["files"]                 # as a version written before hashes were recorded
    manifest.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    path = s.root / "versions" / "000003" / "figures.parquet"
    path.write_bytes(path.read_bytes()[:-30])
    code, out = _run(s, capsys, "--lang", "en")
    assert code == 1 and "version 3 · figures.parquet: unreadable" in out


def test_missing_file_and_broken_chain(tmp_path, capsys) -> None:
    s = _store(tmp_path)
    (s.root / "versions" / "000001" / "indicators.parquet").unlink()
    code, out = _run(s, capsys, "--lang", "en")
    assert code == 1 and "version 1 · indicators.parquet: file missing" in out
    (s.root / "versions" / "000002").rename(s.root / "versions" / "000009")
    report = verify(s.root)
    assert any(f.problem == "chain" and f.version == 9 for f in report.findings)


def test_tampered_checkpoint_is_caught(tmp_path, capsys, monkeypatch) -> None:
    s = _store(tmp_path)
    assert s.write_checkpoint() == 3
    assert _run(s, capsys)[0] == 0
    assert last_result(s.root)["checkpoints"] == 1
    cp = s.root / "checkpoints" / "000003"
    # a checkpoint rewritten with a different figure (its recorded hash updated too): only the rebuild shows it
    import hashlib

    import pyarrow.compute as pc
    import pyarrow.parquet as pq
    table = pq.read_table(cp / "view.parquet")
    actual = table.column("actual")
    table = table.set_column(table.column_names.index("actual"), "actual", pc.add(actual, 1.0))
    pq.write_table(table, cp / "view.parquet")
    info = json.loads((cp / "checkpoint.json").read_text())
    data = (cp / "view.parquet").read_bytes()
    info.update(sha256=hashlib.sha256(data).hexdigest(), bytes=len(data))
    (cp / "checkpoint.json").write_text(json.dumps(info))
    code, out = _run(s, capsys, "--lang", "en")
    assert code == 1 and "checkpoint 3 · checkpoints/000003/view.parquet: checkpoint differs from a rebuild" in out
    # a flipped byte in it is a hash mismatch
    data = bytearray((cp / "view.parquet").read_bytes())
    data[100] ^= 0xFF
    (cp / "view.parquet").write_bytes(bytes(data))
    code, out = _run(s, capsys, "--lang", "en")
    assert code == 1 and "checkpoint 3 · checkpoints/000003/view.parquet: SHA-256 differs" in out


def test_data_page_shows_the_last_verification(demo_store, tmp_path, capsys) -> None:
    import shutil

    from tests.conftest_ui import assert_clean, open_app
    from ui.i18n import EN, ZH

    root = tmp_path / "store"
    shutil.copytree(demo_store.root, root, ignore=shutil.ignore_patterns("verify.json"))
    at = open_app(root, "pages/data.py")
    assert_clean(at)
    assert any(c.value.startswith("尚未校验") for c in at.caption)
    assert main(["verify", "--store", str(root)]) == 0
    at = open_app(root, "pages/data.py")
    n = Store(root).latest_version()
    assert any(f"数据库完好，{n} 个版本" in s.value for s in at.success)
    path = root / "versions" / "000002" / "figures.parquet"
    path.write_bytes(path.read_bytes()[:50])
    assert main(["verify", "--store", str(root)]) == 1
    capsys.readouterr()
    at = open_app(root, "pages/data.py")
    errors = [e.value for e in at.error]
    assert any("发现 1 个问题" in e and "版本 2 · figures.parquet：SHA-256 与清单不符" in e for e in errors), errors
    assert ZH["verify.title"] and EN["verify.title"]
