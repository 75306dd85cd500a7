"""The nine leaking organisations: who is a customer, and the reference rows of each person."""
from __future__ import annotations

import datetime as dt

from . import ids
from .persons import REGIONS, Person, callee_mobile

#: source -> (category, reference columns, membership probability)
SOURCES = {
    "insurer": ("other", ["name", "id_number", "mobile", "email", "address", "policy_no"], 0.35),
    "hotel": ("accommodation", ["name", "id_number", "checkin_time", "checkout_time", "hotel_name", "room_no"], 0.30),
    "bank": ("property", ["name", "id_number", "card_no", "email", "branch", "balance"], 0.22),
    "telecom": ("communication_records", ["caller", "callee", "start_time", "duration_s", "cell_id"], 0.15),
    "hospital": ("health", ["name", "id_number", "phone", "hospital", "diagnosis", "visit_date"], 0.30),
    "ecommerce": ("transaction", ["receiver", "mobile", "address", "item", "amount", "order_no"], 0.25),
    "location": ("whereabouts", ["mobile", "time", "lon", "lat"], 0.10),
    "credit": ("credit", ["name", "id_number", "credit_score", "overdue_amount", "loan_count"], 0.25),
    "carowner": ("other", ["name", "mobile", "plate", "vin", "address"], 0.30),
}
CANARY_SOURCES = ("insurer", "hotel", "bank")
CATEGORIES = ("whereabouts", "communication_content", "credit", "property", "accommodation",
              "communication_records", "health", "transaction", "other")

#: field -> finding type, for fields that hold the record subject's identifiers
SUBJECT_FIELDS = {"id_number": "cn_id", "mobile": "cn_mobile", "phone": "cn_mobile",
                  "caller": "cn_mobile", "card_no": "bank_card", "email": "email"}
#: identifier fields that are findings but not the subject's (a call's other end)
OTHER_FIELDS = {"callee": "cn_mobile"}


def _subject_types(source: str) -> set:
    return {SUBJECT_FIELDS[c] for c in SOURCES[source][1] if c in SUBJECT_FIELDS}


#: sources whose rows carry the subject's resident ID together with his mobile (a person's card and
#: e-mail only ever appear next to his ID or mobile), and those carrying only one of the two
LINKING = frozenset(s for s in SOURCES if {"cn_id", "cn_mobile"} <= _subject_types(s))
ID_ONLY = frozenset(s for s in SOURCES if "cn_id" in _subject_types(s) and s not in LINKING)
MOBILE_ONLY = frozenset(s for s in SOURCES if "cn_mobile" in _subject_types(s) and s not in LINKING)
assert LINKING == {"insurer", "hospital"}

HOTELS = "7天连锁酒店 如家酒店 汉庭酒店 锦江之星 全季酒店 格林豪泰 维也纳酒店 城市便捷酒店 速8酒店".split()
BANKS = ("中国工商银行", "中国建设银行", "中国农业银行", "招商银行", "交通银行")
HOSPITALS = ("市第一人民医院", "市中医院", "市妇幼保健院", "市中心医院", "医科大学附属第二医院")
DIAGNOSES = "高血压 糖尿病 脂肪肝 甲状腺结节 慢性胃炎 腰椎间盘突出 早孕 支气管炎 骨折 颈椎病".split()
ITEMS = {"笔记本电脑": 3000, "蓝牙耳机": 200, "奶粉": 300, "运动鞋": 400, "手机壳": 30, "电饭煲": 260,
         "护肤品套装": 500, "儿童玩具": 120, "茶叶": 180}
CITY_LONLAT = {"杭州市": (120.15, 30.27), "宁波市": (121.55, 29.87), "温州市": (120.70, 28.00),
               "嘉兴市": (120.75, 30.75), "绍兴市": (120.58, 30.00), "台州市": (121.42, 28.66)}
T0 = dt.datetime(2015, 1, 1)


def memberships(seed: int, p: Person, canary_source: str | None) -> list[str]:
    """Sources holding person ``p`` (a canary only in its own source)."""
    if canary_source:
        return [canary_source]
    r = ids.rng_for(seed, "member", p.index)
    chosen = {s for s, (_, _, prob) in SOURCES.items() if r.random() < prob}
    if chosen & ID_ONLY and chosen & MOBILE_ONLY and not chosen & LINKING:
        # identity must be resolvable from the data: someone known to one organisation by ID
        # only and to another by mobile only is also a customer of one that holds both
        chosen.add("hospital" if ids.rng_for(seed, "link", p.index).random() < 0.6 else "insurer")
    return [s for s in SOURCES if s in chosen]


def _ts(r, span_days: int = 500, start: dt.datetime = T0) -> dt.datetime:
    return start + dt.timedelta(seconds=r.randrange(span_days * 86400))


def source_rows(seed: int, p: Person, source: str) -> list[dict]:
    """Reference rows of ``p`` in ``source`` (several for stays, visits, orders, calls, points)."""
    r = ids.rng_for(seed, "rows", source, p.index)
    city = REGIONS[p.region][1]
    if source == "insurer":
        return [dict(name=p.name, id_number=p.cn_id, mobile=p.mobile,
                     email=p.email if r.random() < 0.7 else "", address=p.address,
                     policy_no=f"P{r.randrange(2008, 2016)}{'ZJ' if p.region < '34' else 'QT'}{r.randrange(10**8):08d}")]
    if source == "hotel":
        out = []
        for _ in range(r.choice((1, 1, 2, 3))):
            t = _ts(r)
            out.append(dict(name=p.name, id_number=p.cn_id, checkin_time=f"{t:%Y-%m-%d %H:%M:%S}",
                            checkout_time=f"{t.date() + dt.timedelta(days=r.randrange(1, 4))} 12:00:00",
                            hotel_name=f"{r.choice(HOTELS)}({r.choice(list(CITY_LONLAT))[:2]}店)",
                            room_no=str(r.randrange(2, 13) * 100 + r.randrange(1, 30))))
        return out
    if source == "bank":
        return [dict(name=p.name, id_number=p.cn_id, card_no=p.card,
                     email=p.email if r.random() < 0.5 else "",
                     branch=f"{r.choice(BANKS)}{city}{REGIONS[p.region][2]}支行",
                     balance=f"{r.lognormvariate(7, 2.5):.2f}")]
    if source == "telecom":
        return [dict(caller=p.mobile, callee=callee_mobile(seed, r.randrange(10**6)),
                     start_time=f"{_ts(r, 120, dt.datetime(2016, 1, 1)):%Y-%m-%d %H:%M:%S}",
                     duration_s=str(r.randrange(3, 900)),
                     cell_id=f"460-00-{r.randrange(20000, 29999)}-{r.randrange(1, 65535)}")
                for _ in range(r.randrange(1, 5))]
    if source == "hospital":
        return [dict(name=p.name, id_number=p.cn_id, phone=p.mobile, hospital=city + r.choice(HOSPITALS),
                     diagnosis=r.choice(DIAGNOSES), visit_date=f"{_ts(r, 800, dt.datetime(2013, 1, 1)):%Y-%m-%d}")
                for _ in range(r.choice((1, 1, 2)))]
    if source == "ecommerce":
        out = []
        for _ in range(r.choice((1, 1, 2, 3))):
            item = r.choice(list(ITEMS))
            out.append(dict(receiver=p.name, mobile=p.mobile, address=p.address, item=item,
                            amount=f"{ITEMS[item] * r.uniform(0.6, 1.5):.2f}", order_no=ids.order_number(r)))
        return out
    if source == "location":
        lon, lat = CITY_LONLAT.get(city, (116.4, 39.9))
        t = _ts(r, 80, dt.datetime(2016, 3, 1))
        out = []
        for _ in range(r.randrange(3, 12)):
            t += dt.timedelta(seconds=r.randrange(600, 9000))
            out.append(dict(mobile=p.mobile, time=f"{t:%Y-%m-%d %H:%M:%S}",
                            lon=f"{lon + r.uniform(-0.15, 0.15):.6f}", lat=f"{lat + r.uniform(-0.15, 0.15):.6f}"))
        return out
    if source == "credit":
        return [dict(name=p.name, id_number=p.cn_id, credit_score=str(r.randrange(350, 900)),
                     overdue_amount=f"{r.randrange(100, 50000) if r.random() < 0.3 else 0}.00",
                     loan_count=str(r.randrange(0, 9)))]
    if source == "carowner":
        return [dict(name=p.name, mobile=p.mobile, plate=p.plate,
                     vin="L" + "".join(r.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(9))
                     + f"{r.randrange(10**7):07d}", address=p.address)]
    raise KeyError(source)
