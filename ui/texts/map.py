"""Words of the county map's legends (its colors say what they mean)."""

ZH = {
    "ov.map_composite_title": "综合得分（颜色越深得分越高，不表示红黄绿灯）",
    "ov.map_status_title": "颜色为该指标的状态（红黄绿灯）：",
    "ov.map_outside": "不在所选分组",
}

EN = {
    "ov.map_composite_title": "Composite score (darker = higher; not a traffic light)",
    "ov.map_status_title": "Colors show this indicator's status:",
    "ov.map_outside": "outside the chosen group",
}
