"""Texts of the upload box's extra lists (figures said "no figure", stray cells, header notes)."""

ZH = {
    "data.notes": "说明 {n} 条（未报的数值、表外零散单元格、表头注释）",
}
EN = {
    "data.notes": "{n} note(s) (figures marked as not reported, stray cells outside the table, header notes)",
}
