"""Column roles: what a table column holds, from its header or from a sample of its values."""

from __future__ import annotations

import re

from stdnum import luhn

# Header words (lower-case, Chinese and English) -> role. The first rule that matches wins,
# so more specific words come first.
HEADER_RULES: list[tuple[str, tuple[str, ...]]] = [
    ("device", ("imei", "meid", "imsi", "esn", "串号", "设备号", "设备识别码", "终端号", "终端标识")),
    ("callee", ("被叫", "对方号码", "callee", "called", "to_number", "b_number")),
    ("caller", ("主叫", "本机号码", "caller", "calling", "from_number", "a_number")),
    ("counterparty", ("交易对方", "对方账号", "对方", "counterparty", "payee", "payer")),
    ("cn_id", ("身份证", "证件号", "证件号码", "公民身份", "id_number", "id no", "idno", "id_no", "id card",
               "idcard", "id_card", "sfz", "identity")),
    ("card", ("卡号", "银行卡", "账号", "card", "account_no", "acct")),
    ("email", ("邮箱", "电子邮件", "email", "e-mail", "mail")),
    ("mobile", ("手机", "电话", "联系方式", "联系电话", "号码", "mobile", "phone", "tel", "cell_phone", "msisdn")),
    ("address", ("地址", "住址", "收货地址", "address", "addr")),
    ("plate", ("车牌", "号牌", "plate")),
    ("vin", ("车架号", "vin")),
    ("checkin", ("入住", "checkin", "check_in", "check-in")),
    ("checkout", ("退房", "离店", "checkout", "check_out", "check-out")),
    ("hotel", ("酒店", "宾馆", "旅馆", "hotel")),
    ("room", ("房间", "房号", "room")),
    ("diagnosis", ("诊断", "病情", "疾病", "diagnosis", "disease")),
    ("hospital", ("医院", "科室", "hospital", "clinic")),
    ("visit", ("就诊", "visit")),
    ("duration", ("时长", "通话时长", "duration")),
    ("cell", ("基站", "小区", "cell_id", "cell", "lac")),
    ("lon", ("经度", "lon", "lng", "longitude")),
    ("lat", ("纬度", "lat", "latitude")),
    ("credit_score", ("信用分", "征信", "评分", "credit", "score")),
    ("overdue", ("逾期", "overdue")),
    ("loan", ("贷款", "借款", "loan")),
    ("balance", ("余额", "存款", "资产", "balance", "deposit")),
    ("branch", ("开户行", "网点", "支行", "branch", "bank")),
    ("name", ("姓名", "名字", "客户名", "收货人", "收件人", "户名", "车主", "患者", "name", "receiver", "customer")),
    ("policy", ("保单", "保险", "policy", "insurance")),
    ("order", ("订单", "单号", "order")),
    ("item", ("商品", "货品", "品名", "item", "goods", "product")),
    ("amount", ("金额", "价格", "消费", "amount", "price", "total")),
    ("time", ("时间", "日期", "time", "date", "datetime", "timestamp")),
    ("qq", ("qq",)),
    ("wechat", ("微信", "wechat", "wxid")),
]

# Roles whose identifiers belong to someone other than the record's subject.
NON_SUBJECT_ROLES = frozenset({"callee", "counterparty"})
# Columns of device numbers (IMEI, IMSI): their 15 digits pass for first-generation resident IDs
# one time in several, but nothing in them identifies a person, so nothing is taken from them.
DEVICE_ROLES = frozenset({"device"})

# Identifier type found in a column's values -> role.
TYPE_ROLES = {"cn_id": "cn_id", "cn_mobile": "mobile", "bank_card": "card", "email": "email"}

_AMOUNT = re.compile(r"^-?\d{1,12}\.\d{1,4}$")
_INTEGER = re.compile(r"^\d{1,12}$")
_TIME = re.compile(r"^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}")
_HAN_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
_ADDRESS = re.compile(r"[省市区县镇村路街号室]")


def _rule_regex(words: tuple[str, ...]) -> re.Pattern:
    """Chinese words match anywhere; Latin words only as whole words (`tel` is not in `hotel`)."""
    parts = [re.escape(w) if not w.isascii() else rf"(?<![a-z]){re.escape(w)}(?![a-z])" for w in words]
    return re.compile("|".join(parts))


_RULES = [(role, _rule_regex(words)) for role, words in HEADER_RULES]


def header_role(header: str) -> str | None:
    """The role a header names, or None when it says nothing (`col3`, `field_2`)."""
    h = header.strip().lower()
    for role, rx in _RULES:
        if h and rx.search(h):
            return role
    return None


def value_role(sample: list[str], type_shares: dict[str, float]) -> str | None:
    """The role of a column from its values: device numbers, identifier types, then value shapes."""
    values = [v.strip() for v in sample if v and v.strip()]
    if len(values) >= 5 and sum(map(_imei_like, values)) >= 0.9 * len(values):
        return "device"   # 15 Luhn-valid digits: IMEIs (a column of old resident IDs: one in ten)
    if type_shares:
        t, share = max(type_shares.items(), key=lambda kv: kv[1])
        if share >= 0.5 and t in TYPE_ROLES:
            return TYPE_ROLES[t]
    if not values:
        return None
    if all(_INTEGER.match(v) for v in values) and _consecutive([int(v) for v in values]):
        return "seq"  # a row number or auto-increment key
    for role, rx, kind in (("time", _TIME, "match"), ("name", _HAN_NAME, "match"),
                           ("amount", _AMOUNT, "match"), ("address", _ADDRESS, "search")):
        hits = sum(1 for v in values if (rx.match(v) if kind == "match" else rx.search(v) and len(v) > 6))
        if hits / len(values) >= 0.8:
            return role
    return None


def _imei_like(value: str) -> bool:
    """15 ASCII digits whose last is their Luhn check digit."""
    return len(value) == 15 and value.isascii() and value.isdigit() and luhn.is_valid(value)


def _consecutive(numbers: list[int]) -> bool:
    return len(numbers) > 1 and all(b - a == 1 for a, b in zip(numbers, numbers[1:]))
