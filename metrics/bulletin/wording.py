"""Sentences a secretary would write, from numbers: counts and shares, changes on the previous
period, rank movements, lists of names ("无" when empty).  Pure functions; every sentence of the
bulletin is made here so that its wording is tested in one place.
"""

from __future__ import annotations

from collections.abc import Sequence

from metrics.bulletin.numbers import missing, percent, plain

CN_DIGITS = "零一二三四五六七八九"
SEP = "、"
NONE = "无"


def chinese_number(n: int) -> str:
    """1..99 as written in headings: 一, 十, 十二, 二十三."""
    if not 0 < n < 100:
        raise ValueError(f"heading numbers run from 1 to 99, not {n}")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CN_DIGITS[tens] + "十")
    return head + (CN_DIGITS[ones] if ones else "")


def heading(n: int, title: str) -> str:
    return f"{chinese_number(n)}、{title}"


def subheading(n: int, title: str) -> str:
    return f"（{chinese_number(n)}）{title}"


def share(part: int, whole: int) -> str:
    """part / whole as a percentage with one decimal; '—' when there is no whole."""
    return percent(part / whole) if whole else "—"


def count_change(now: int, prev: int | None, unit: str = "项") -> str:
    """较上期减少2项 / 较上期增加1项 / 与上期持平; '' when there is no previous figure."""
    if prev is None or missing(prev):
        return ""
    diff = int(now) - int(prev)
    if diff > 0:
        return f"较上期增加{diff}{unit}"
    if diff < 0:
        return f"较上期减少{-diff}{unit}"
    return "与上期持平"


def rank_change(change: int | None) -> str:
    """A rank change (previous − current) as a clause: 较上期上升2位 / 较上期下降1位 / 与上期持平."""
    if change is None or missing(change):
        return ""
    c = int(change)
    if c > 0:
        return f"较上期上升{c}位"
    if c < 0:
        return f"较上期下降{-c}位"
    return "与上期持平"


def names(items: Sequence[str], limit: int | None = None, unit: str = "个") -> str:
    """甲、乙、丙 — '无' when empty; past ``limit`` the first ones and '等N个'."""
    items = [str(i) for i in items]
    if not items:
        return NONE
    if limit is not None and len(items) > limit:
        return SEP.join(items[:limit]) + f"等{len(items)}{unit}"
    return SEP.join(items)


def sentence(*clauses: str) -> str:
    """Clauses joined with '，', empty ones dropped, ended with '。'."""
    body = "，".join(c for c in clauses if c)
    return body + "。" if body and not body.endswith("。") else body


def standing(subject: str, total: int, on_track: int, red: int, red_prev: int | None, *,
             noun: str = "项指标", missing_: int = 0, no_target: int = 0) -> str:
    """全市50项指标中，达到序时进度的38项，占76.0%；红灯4项，较上期减少2项。"""
    if total == 0:
        return f"{subject}本期没有应报{noun.lstrip('项')}。"
    head = f"{subject}{total}{noun}中，达到序时进度的{on_track}项，占{share(on_track, total)}"
    reds = f"红灯{red}项" if red else "无红灯"
    change = count_change(red, red_prev)
    tail = [f"{reds}，{change}" if change else reds]
    if missing_:
        tail.append(f"未报送{missing_}项")
    if no_target:
        tail.append(f"未下达目标{no_target}项")
    return head + "；" + "；".join(tail) + "。"


def place(rank: int | None, rank_of: int | None) -> str:
    """第3位 (of 14) — '未排名' without a rank."""
    if rank is None or missing(rank):
        return "未排名"
    return f"第{int(rank)}位"


def rank_sentence(subject: str, what: str, rank: int | None, rank_of: int | None, change: int | None,
                  among: str) -> str:
    """衡阳县综合得分在县市组7个单位中排第4位，较上期上升1位。"""
    if rank is None or missing(rank):
        return f"{subject}{what}本期未排名。"
    return sentence(f"{subject}{what}在{among}{int(rank_of)}个单位中排{place(rank, rank_of)}", rank_change(change))


def movement(name: str, change: int, rank: int) -> str:
    """社会消费品零售总额增速（上升5位至第1位）."""
    word = "上升" if change > 0 else "下降"
    return f"{name}（{word}{abs(int(change))}位至第{int(rank)}位）"


def province_sentence(city: str, n_prefectures: int, ranks: list[dict], top: int = 3) -> str:
    """The city's 全省排名: how many indicators in the top three, how many moved up and down.

    ``ranks``: one dict per indicator with name, rank, rank_of, change (previous − current, or None).
    """
    if not ranks:
        return f"本期没有{city}的全省排名数据。"
    up = [r for r in ranks if not missing(r["change"]) and r["change"] > 0]
    down = [r for r in ranks if not missing(r["change"]) and r["change"] < 0]
    same = [r for r in ranks if not missing(r["change"]) and r["change"] == 0]
    best = [r for r in ranks if r["rank"] <= top]
    first = f"在全省{n_prefectures}个市州中，{city}参与排名的{len(ranks)}项指标"
    listed = names([f"{r['name']}第{int(r['rank'])}位" for r in best])
    tops = f"排名前{chinese_number(top)}的{len(best)}项（{listed}）" if best else f"无排名前{chinese_number(top)}的指标"
    moves = f"较上期进位{len(up)}项、退位{len(down)}项、持平{len(same)}项"
    return sentence(first + "中，" + tops, moves)


def gains_and_losses(ranks: list[dict]) -> str:
    """进位：甲（上升2位至第3位）；退位：乙（下降1位至第8位）。"""
    up = sorted((r for r in ranks if not missing(r["change"]) and r["change"] > 0), key=lambda r: -r["change"])
    down = sorted((r for r in ranks if not missing(r["change"]) and r["change"] < 0), key=lambda r: r["change"])
    gains = names([movement(r["name"], r["change"], r["rank"]) for r in up])
    losses = names([movement(r["name"], r["change"], r["rank"]) for r in down])
    return f"进位指标：{gains}；退位指标：{losses}。"


def movers_sentence(up: list[tuple[str, int]], down: list[tuple[str, int]]) -> str:
    """与上期相比，综合得分名次上升的有甲（上升2位）…；下降的有…。"""
    ups = names([f"{n}（上升{c}位）" for n, c in up])
    downs = names([f"{n}（下降{-c}位）" for n, c in down])
    return f"与上期相比，综合得分名次上升的有：{ups}；名次下降的有：{downs}。"


def gap_phrase(kind: str, direction: str, completion: float | None, expected: float | None,
               actual_text: str, target_text: str) -> str:
    """How far one figure is from where it should be, in the words of a 通报.

    amount, higher is better: 完成52.1%，差22.9个百分点 (below 序时进度); otherwise the figure and its target.
    """
    if kind == "amount" and direction == "higher" and not missing(completion) and not missing(expected):
        behind = 100 * (float(expected) - float(completion))
        return f"完成{percent(completion)}，差{plain(behind, 1)}个百分点"
    return f"{actual_text}（目标{target_text}）"
