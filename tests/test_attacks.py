"""Hostile and broken files: each refused with a message naming the file (or read within bounds), the
store unchanged, the server process alive. Times and memory are measured by bench/bench_attacks.py."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from attack_files import ATTACKS, LONG_ROWS, SHEET_HEAD, SHEET_TAIL, encrypted, package
from conftest import tree_digest

from metrics.importer import import_file
from metrics.messages import ImportRefused
from metrics.sheets import isolate
from metrics.sheets.limits import ReadLimits
from metrics.sheets.workbook import WorkbookError, read_file


@pytest.mark.parametrize("name", list(ATTACKS))
def test_attack_is_refused_or_read_within_bounds(name: str, store, tmp_path: Path) -> None:
    build, expected = ATTACKS[name]
    folder = tmp_path / "attack"
    folder.mkdir()
    path = build(folder)
    before = tree_digest(store.root)
    if expected == "refused":
        with pytest.raises(ImportRefused) as refused:
            import_file(path, store)
        [problem] = refused.value.problems
        assert problem.file == path.name
        text = problem.render("zh")
        assert text.startswith(f"文件 {path.name}") and str(tmp_path) not in text
        assert tree_digest(store.root) == before
    else:
        summary = import_file(path, store)
        assert summary.rows == 1 and summary.version is not None
    assert isolate._SERVER is None or isolate._SERVER.poll() is None   # the reader server survived


def test_stray_cell_is_listed_as_a_note(store, tmp_path: Path) -> None:
    path = ATTACKS["stray cell at XFD1048576"][0](tmp_path)
    summary = import_file(path, store)
    notes = [p for p in summary.problems if p.key == "far_cell_ignored"]
    assert [(p.row, p.column) for p in notes] == [(1048576, "XFD")]


def test_stray_cell_in_a_figure_column_is_refused_at_its_cell(store, tmp_path: Path) -> None:
    path = ATTACKS["stray cell in a figure column"][0](tmp_path)
    with pytest.raises(ImportRefused) as refused:
        import_file(path, store)
    [problem] = refused.value.problems
    assert (problem.key, problem.row, problem.column) == ("far_cell_in_column", 1048576, "D")


def test_a_reader_over_its_memory_limit_is_a_refusal(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    for r in range(1, 30_001):
        wb.active.append([f"单位{r}", r * 1.5, "说明文字" * 5])
    path = tmp_path / "大表.xlsx"
    wb.save(path)
    with pytest.raises(WorkbookError) as err:
        isolate.read_file_isolated(path, limits=ReadLimits(memory_bytes=8 << 20))
    assert "METRICS_READ_MEMORY_MB" in err.value.message_zh and err.value.file == "大表.xlsx"
    assert len(isolate.read_file_isolated(path)[0].rows) == 30_000      # the next read works again


def test_default_encryption_opens_like_excel(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["期间", "单位", "指标", "完成值"])
    wb.active.append(["2021Q3", "衡阳县", "地区生产总值", 12.5])
    path = tmp_path / "只读加密.xlsx"
    wb.save(path)
    encrypted(path, "VelvetSweatshop")
    assert path.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    [grid] = read_file(path)
    assert grid.rows == [["期间", "单位", "指标", "完成值"], ["2021Q3", "衡阳县", "地区生产总值", 12.5]]


def test_caps_are_configurable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = package(tmp_path / "小.xlsx", SHEET_HEAD + LONG_ROWS + SHEET_TAIL)
    monkeypatch.setenv("METRICS_MAX_FILE_MB", "0.001")
    with pytest.raises(WorkbookError) as err:
        read_file(path)
    assert "METRICS_MAX_FILE_MB" in err.value.message_en
    monkeypatch.delenv("METRICS_MAX_FILE_MB")
    monkeypatch.setenv("METRICS_MAX_CELLS", "3")
    assert ReadLimits.from_env().max_cells == 3
    with pytest.raises(WorkbookError, match="METRICS_MAX_CELLS"):
        read_file(path)
