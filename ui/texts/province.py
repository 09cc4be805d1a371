"""Strings of the 全省排名 page: the city's place among the province's 市州."""

ZH = {
    "prov.col.rank": "全省位次",
    "prov.col.standing": "位次区间",
    "prov.standing.top": "前列",
    "prov.standing.middle": "中游",
    "prov.standing.bottom": "后列",
    "prov.standing_legend": "颜色表示全省位次区间：蓝色为前三分之一，灰色为中间三分之一，橙色为后三分之一（不是红黄绿灯）。",
}

EN = {
    "prov.col.rank": "Place in province",
    "prov.col.standing": "Standing",
    "prov.standing.top": "top third",
    "prov.standing.middle": "middle third",
    "prov.standing.bottom": "bottom third",
    "prov.standing_legend": "Colors show the standing among the province's prefectures: blue top third, grey middle "
                            "third, orange bottom third (not traffic lights).",
}
