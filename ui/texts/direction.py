"""Strings that mark lower-is-better (逆向) indicators wherever they appear."""

ZH = {
    "dir.lower_caption": "↓ 逆向指标：越低越好",
    "dir.lower_help": "↓ 表示逆向指标，越低越好。完成率 = 完成值 ÷ 目标值（低于序时目标为好）；红黄绿灯按方案以"
                      "“目标值 × 序时进度 ÷ 完成值”判定，颜色表示状态，不表示数值大小。",
}

EN = {
    "dir.lower_caption": "↓ lower is better",
    "dir.lower_help": "↓ marks a lower-is-better indicator. Completion = actual ÷ target (below the expected share is "
                      "good); the status follows the scheme's target × expected progress ÷ actual; colors show the "
                      "status, not the size of the number.",
}
