"""云督查: the 挂账销号 ledger, the key-task list (目标任务分解清单) and the dispatch meeting (调度会).

Modules: ``models`` (SQL tables), ``states`` (the state machine), ``dates`` (逾期 and feedback due,
derived, never stored), ``codes``, ``evidence`` (content-addressed files), ``ledger`` (every write on
an item), ``watch`` (indicator watch, 未挂账红灯), ``todo`` (待办 per account), ``problem_list`` (the
问题清单 workbook), ``tasks`` and ``task_sheet`` (the key-task list), ``meetings``, ``agenda`` and
``minutes`` (the dispatch meeting and its .docx).
"""
