"""Words of presenter mode's extra slides (the status matrix continued)."""

ZH = {
    "pres.slide.matrix": "指标状态一览（续{n}）",
}

EN = {
    "pres.slide.matrix": "Indicator status (continued, {n})",
}
