"""Header-row and title-row detection shared by delimited text and spreadsheets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

Row = Sequence[str | None]

MAX_TITLE_ROWS = 10
# Chinese words of column labels (also what keeps a label from being read as a person's name).
CN_LABEL_WORDS = ("姓名", "名字", "身份", "证件", "手机", "电话", "号码", "邮箱", "地址", "住址", "卡号", "账号",
                  "帐号", "日期", "时间", "性别", "年龄", "生日", "备注", "金额", "余额", "类型", "单位", "公司",
                  "职业", "编号", "序号", "客户", "用户")
_LABEL_WORDS = re.compile(
    r"(?i)^(?:#?\s*)(?:name|id|no|number|phone|mobile|tel|email|e-mail|mail|addr|address|"
    r"card|account|date|time|city|gender|sex|age|birth|user|qq|wechat|remark|note|type|"
    r"amount|balance|score)\b|" + "|".join(CN_LABEL_WORDS))


@dataclass
class Layout:
    """Where the table starts: `title` rows (joined), then an optional header row."""

    title_rows: int
    has_header: bool
    title: str


def _filled(row: Row) -> list[str]:
    return [c.strip() for c in row if c is not None and str(c).strip()]


def digit_heavy(cell: str) -> bool:
    """At least 3 digits making up at least half of the cell."""
    digits = sum(ch.isdigit() for ch in cell)
    return digits >= 3 and digits * 2 >= len(cell)


def _title_rows(rows: Sequence[Row]) -> int:
    """Leading rows with at most one non-empty cell above rows with several."""
    width = max((len(_filled(r)) for r in rows[: MAX_TITLE_ROWS + 20]), default=0)
    if width < 2:
        return 0
    n = 0
    while n < min(len(rows), MAX_TITLE_ROWS) and len(_filled(rows[n])) <= 1:
        n += 1
    return n if n < len(rows) else 0


def looks_like_header(first: Row, body: Sequence[Row]) -> bool:
    """Whether `first` is a row of labels for the value rows in `body`."""
    cells = _filled(first)
    if not cells or any(digit_heavy(c) or "@" in c for c in cells):
        return False
    if len(set(cells)) < len(cells):
        return False
    if any(_LABEL_WORDS.search(c) for c in cells):
        return True
    if not body:
        return True
    for j, head in enumerate(first):
        column = [r[j] for r in body if j < len(r) and r[j] not in (None, "")]
        if column and sum(digit_heavy(str(v)) for v in column) * 2 >= len(column):
            return True
    labels = set(cells)
    return not any(str(v).strip() in labels for r in body for v in r if v)


def detect_layout(rows: Sequence[Row]) -> Layout:
    """Title rows and header presence from the first rows of a table."""
    n = _title_rows(rows)
    title = "\n".join(" ".join(_filled(r)) for r in rows[:n] if _filled(r))
    rest = rows[n:]
    if not rest:
        return Layout(n, False, title)
    return Layout(n, looks_like_header(rest[0], rest[1:50]), title)


def column_names(header: Row | None, width: int) -> list[str]:
    """Clean, unique column names; generated `colN` where the header has none."""
    names: list[str] = []
    seen: set[str] = set()
    header = list(header or [])
    for j in range(width):
        raw = header[j] if j < len(header) else None
        name = str(raw).strip().lstrip("\ufeff#").strip() if raw is not None else ""
        name = name or f"col{j + 1}"
        unique, k = name, 2
        while unique in seen:
            unique, k = f"{name}_{k}", k + 1
        seen.add(unique)
        names.append(unique)
    return names


def widen(columns: list[str], width: int) -> list[str]:
    """`columns` extended with generated names up to `width`."""
    if width <= len(columns):
        return columns
    return column_names(columns, width)
