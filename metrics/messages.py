"""Every located error, warning and note, worded in Chinese (default) and English.

A clerk must be able to act on a message alone: it names the file, sheet, Excel row and column,
the bad value and what was expected.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MESSAGES: dict[str, tuple[str, str]] = {
    # reading
    "unreadable": ("无法读取文件：{detail}", "cannot read the file: {detail}"),
    "unknown_kind": ("无法识别的表格：找不到表头（期间/单位/指标…），也不是目录或报表格式",
                     "unrecognised sheet: no header (期间/单位/指标 …), not a catalog or a report"),
    "no_rows": ("没有任何数据行", "no data rows"),
    "missing_column": ("缺少必需的列“{column}”", "required column “{column}” is missing"),
    "duplicate_column": ("列“{column}”出现了两次", "column “{column}” appears twice"),
    "no_catalog": ("尚未导入指标目录，请先导入目录工作簿（含“单位”“指标”两张表）",
                   "no catalog yet: import the catalog workbook (sheets 单位 and 指标) first"),
    # values
    "bad_period": ("期间“{value}”：{reason}", "period “{value}”: {reason}"),
    "period_title_sheet_conflict": ("标题期间“{value}”（{period}）与工作表名“{sheet}”（{sheet_period}）不一致",
                                    "the title's period “{value}” ({period}) disagrees with the sheet name “{sheet}” "
                                    "({sheet_period})"),
    "period_conflict": ("期间“{value}”与 --period {period} 不一致", "period “{value}” disagrees with --period {period}"),
    "excel_error": ("单元格是 Excel 错误值“{value}”，不是数值：请在 Excel/WPS 中修正公式或填入数值后再导入",
                    "the cell holds the Excel error value “{value}”, not a number: fix the formula or type the "
                    "figure in Excel/WPS and import again"),
    "formula_no_value": ("公式“{value}”没有计算结果（文件由程序生成、未在 Excel 中保存）：请在 Excel/WPS 中打开并保存后再导入",
                         "the formula “{value}” has no computed result (written by a program, never saved by "
                         "Excel): 请在 Excel/WPS 中打开并保存后再导入 (open and save it in Excel/WPS, then import)"),
    "number_not_finite": ("“{value}”不是有限的数值（无穷大或 NaN），不能作为数值导入",
                          "“{value}” is not a finite number (infinity or NaN) and cannot be a figure"),
    "number_too_large": ("“{value}”超出数值上限（绝对值不能超过 1e15），请检查是否误填",
                         "“{value}” is beyond the largest figure allowed (1e15 in absolute value): a typo?"),
    "level_word_not_growth": ("“{value}”（持平）只能用于增速或比率列，总量、目标值和节点目标须填数值",
                              "“{value}” (level) only means 0 in a growth or rate column; amounts, targets and "
                              "milestones need a number"),
    "bad_number": ("“{value}”不是数值（应为数字，如 1234.5、85.3%，或留空/“—”表示未报）",
                   "“{value}” is not a number (expected e.g. 1234.5, 85.3%, or blank/“—” for not reported)"),
    "unknown_unit": ("“{value}”：未知单位{hint}", "“{value}”: unknown unit{hint}"),
    "ambiguous_unit": ("“{value}”：有多个同名单位（{options}），请写编码或“县/乡镇”形式",
                       "“{value}”: several units have this name ({options}); write the code or the 县/乡镇 form"),
    "unknown_indicator": ("“{value}”：未知指标{hint}", "“{value}”: unknown indicator{hint}"),
    "negative_target": ("总量指标“{indicator}”的目标值不能为负数：{value}",
                        "amount indicator “{indicator}” cannot have a negative target: {value}"),
    "milestone_on_rate": ("比率指标“{indicator}”不能设节点目标（只有总量指标可以）",
                          "rate indicator “{indicator}” cannot have a milestone (amount indicators only)"),
    "milestone_not_positive": ("节点目标必须大于 0：{value}", "a milestone must be > 0: {value}"),
    "type_not_applicable": ("指标“{indicator}”不适用于{type}“{unit}”（适用：{applies}）",
                            "indicator “{indicator}” does not apply to {type} “{unit}” (applies to: {applies})"),
    "duplicate_row": ("同一文件中“{unit}”的“{indicator}”（{period}）出现两次，另见第 {other} 行",
                      "“{unit}” / “{indicator}” ({period}) appears twice in this file; see also row {other}"),
    "measure_mismatch": ("计量单位“{source}”无法换算为目录中“{indicator}”的“{target}”",
                         "measure “{source}” cannot be converted to “{target}” of “{indicator}” in the catalog"),
    "percent_on_non_percent": ("“{value}”带百分号，但指标“{indicator}”的计量单位是“{measure}”",
                               "“{value}” has a percent sign but “{indicator}” is measured in “{measure}”"),
    # catalog
    "duplicate_code": ("编码“{value}”重复，另见第 {other} 行", "code “{value}” is used twice; see also row {other}"),
    "unknown_type": ("类型“{value}”无效，应为：{expected}", "type “{value}” is invalid; expected one of: {expected}"),
    "bad_choice": ("“{value}”无效，应为：{expected}", "“{value}” is invalid; expected one of: {expected}"),
    "bad_weight": ("权重必须为正数：{value}", "the weight must be positive: {value}"),
    "unknown_parent": ("上级单位“{value}”不存在{hint}", "parent unit “{value}” does not exist{hint}"),
    "no_applies_to": ("指标没有适用的单位类型", "the indicator applies to no unit type"),
    "name_clash": ("名称或别名“{value}”同时指向“{first}”和“{second}”",
                   "name or alias “{value}” points at both “{first}” and “{second}”"),
    "ratio_on_rate": ("比率指标不能按“完成率”计分（应为“排名”）", "a rate indicator cannot be scored by 完成率 (use 排名)"),
    "empty_required": ("“{column}”不能为空", "“{column}” cannot be blank"),
    # warnings and notes
    "completion_differs": ("表中完成率 {sheet_value} 与 完成值/目标值 = {computed} 相差超过 0.1 个百分点",
                           "the sheet's completion {sheet_value} differs from actual/target = {computed} by more than 0.1 pp"),
    "rank_differs": ("{unit} · {indicator}：表中排名 {sheet_value}，重新计算为 {computed}",
                     "{unit} · {indicator}: the sheet's rank is {sheet_value}, recomputed {computed}"),
    "total_differs": ("合计行 {sheet_value} 与各单位之和 {computed} 不一致",
                      "the total row {sheet_value} differs from the units' sum {computed}"),
    "ignored_column": ("列“{value}”未识别，已忽略", "column “{value}” not recognised, ignored"),
    "growth_not_in_catalog": ("目录中没有指标“{value}”，该增速列已忽略",
                              "the catalog has no indicator “{value}”; this growth column is ignored"),
    "skipped_sheet": ("工作表已跳过：{reason}", "sheet skipped: {reason}"),
    "nothing_to_import": ("没有可导入的表格：每张工作表都已跳过（原因见下）",
                          "nothing to import: every sheet was skipped (reasons below)"),
    # the statistics bureau's card (月报卡)
    "card_no_year": ("期间“{value}”没有年份，工作簿其他表格也没有写年份，请用 --period 指定（如 --period 2025Q3）",
                     "period “{value}” names no year and no other sheet of the workbook does; give --period (e.g. --period 2025Q3)"),
    "card_period_differs": ("本表期间为 {period}，与工作簿多数表格（{main}）不同，按本表期间导入",
                            "this table's period is {period}, unlike most tables of the workbook ({main}); imported under its own period"),
    "card_column_not_in_catalog": ("目录中没有指标“{indicator}”，该列已忽略",
                                   "the catalog has no indicator “{indicator}”; this column is ignored"),
    "card_rank_differs": ("{unit} · {indicator}：表中排名 {sheet_value}，重新计算为 {computed}"
                          "（按 {basis} 列“{basis_header}”，保留4位小数）",
                          "{unit} · {indicator}: the sheet's rank is {sheet_value}, recomputed {computed} "
                          "(from column {basis}, “{basis_header}”, 4 decimals)"),
    "card_rank_not_checked": ("排名无法复核：表中没有增速列，总量指标又缺少目标值",
                              "rank not checked: no growth column, and an amount indicator ranks on completion, which needs targets"),
    "period_year_unusual": ("{reason}", "{reason}"),
    "far_cell_in_column": ("远离表格的单元格“{value}”位于数据列中（与表格之间隔了上千个空行/空列），会被当作一行数据："
                           "请删除它或把它移到表格里",
                           "a cell “{value}” far from the table (thousands of empty rows/columns away) stands in a data "
                           "column and would be read as a row: delete it or move it into the table"),
    "far_cell_ignored": ("远离表格的零散单元格“{value}”不在任何表格中，已忽略",
                         "the stray cell “{value}” far from the table is in no table; ignored"),
    "single_period_ignored": ("列“{value}”是单期数值，本表已有年初至今的累计列，按累计列导入，此列已忽略",
                              "column “{value}” holds the single period; the table has a year-to-date column, which "
                              "is imported: this column is ignored"),
    "header_note_kept": ("表头注释“{value}”已记为该列数值的备注", "the header's note “{value}” is kept as its figures' note"),
    "row_not_in_catalog": ("行“{value}”不是目录中的指标，已跳过", "row “{value}” is not a catalog indicator; skipped"),
    "no_figure_kept_stored": ("“{value}”表示本期没有数值，已有数值 {stored} 保留不变",
                              "“{value}” says there is no figure; the stored figure {stored} is kept"),
    "check_skipped": ("无法复核：{reason}", "check skipped: {reason}"),
    "no_figure_word": ("“{value}”：{indicator}本期没有数值，按未报处理（已记为备注；不会覆盖已有数值）",
                       "“{value}”: no figure for {indicator} this time, taken as not reported (kept as the note; "
                       "a stored figure is kept)"),
    "total_row_skipped": ("合计行“{value}”不是单位，已跳过", "total row “{value}” is not a unit; skipped"),
}

LEVELS = ("error", "warning", "note")


def register(messages: dict[str, tuple[str, str]]) -> None:
    """Add a feature's own messages (ledger workbooks, accounts …) beside these; a key used twice is a
    programming error, caught when the feature module is imported."""
    clash = set(MESSAGES) & set(messages)
    if clash:
        raise RuntimeError(f"message keys defined twice: {sorted(clash)}")
    MESSAGES.update(messages)


def _location(lang: str, file: str, sheet: str | None, row: int | None, column: str | None,
              header: str | None) -> str:
    parts: list[str] = []
    if lang == "en":
        parts.append(file)
        if sheet:
            parts.append(f"sheet {sheet}")
        if row is not None:
            parts.append(f"row {row}")
        if column:
            parts.append(f"column {column}" + (f" ({header})" if header else ""))
        return ", ".join(parts)
    parts.append(f"文件 {file}")
    if sheet:
        parts.append(f"工作表 {sheet}")
    if row is not None:
        parts.append(f"第 {row} 行")
    if column:
        parts.append(f"{column} 列" + (f"（{header}）" if header else ""))
    return "，".join(parts)


@dataclass(frozen=True)
class Problem:
    """One finding about one place in one file."""

    level: str
    key: str
    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: object = None
    params: dict = field(default_factory=dict)
    header: str | None = None

    def text(self, lang: str = "zh") -> str:
        template = MESSAGES[self.key][1 if lang == "en" else 0]
        params = {k: (v[1 if lang == "en" else 0] if isinstance(v, tuple) else v) for k, v in self.params.items()}
        return template.format(value=_show(self.value), **params)

    def render(self, lang: str = "zh") -> str:
        sep = ": " if lang == "en" else "："
        return _location(lang, self.file, self.sheet, self.row, self.column, self.header) + sep + self.text(lang)

    def to_dict(self, lang: str = "zh") -> dict:
        return {"level": self.level, "key": self.key, "file": self.file, "sheet": self.sheet, "row": self.row,
                "column": self.column, "header": self.header, "value": _show(self.value), "message": self.text(lang)}


def _show(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class ImportRefused(Exception):
    """The whole file is refused; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems

    def render(self, lang: str = "zh") -> str:
        return "\n".join(p.render(lang) for p in self.problems)
