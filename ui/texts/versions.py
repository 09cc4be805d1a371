"""Strings of the store's version list (数据 page)."""

ZH = {"ver.kind.figures": "数据", "ver.kind.catalog": "目录", "ver.received": "收到日期"}
EN = {"ver.kind.figures": "figures", "ver.kind.catalog": "catalog", "ver.received": "Received"}
