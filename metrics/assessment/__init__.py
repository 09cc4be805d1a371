"""年度考核: the year's result as the scheme decides it (domain.md "Annual assessment").

    events.py     one 加扣分事项 (加分, 扣分, 一票否决, 降档) and the checks it must pass (pure)
    models.py     its tables: the event and its append-only revisions (SQL)
    service.py    import, entry, correction, withdrawal (audited writes) and the events as of a moment
    workbook.py   the events workbook reader: 单位 | 年度 | 类型 | 事项 | 分值 | 依据 | 日期
    rules.py      the year's caps and grade boundaries per unit type (scheme section [assessment])
    result.py     final score, rank, grade with the 优秀 quota, distance to the next grade (pure)
    annual.py     the result from the store and the database, as of a version or a moment
    whatif.py     "if a unit closes its red indicators, its final becomes …", by the engine
    report.py     the ``report --level assessment`` table and its safe CSV/JSON/xlsx forms

The bulletin's 表彰/通报批评 lists take their grades from :func:`graded_table` (pure).
"""

from metrics.assessment.result import GRADES, RESULT_COLUMNS, graded_table

__all__ = ["GRADES", "RESULT_COLUMNS", "graded_table"]
