"""The trafficking network: deals between suspects and outside contacts, written as QQ chat
exports (UTF-8) and Alipay bills (GBK CSV), plus the network truth.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from . import ids
from .persons import contact_email, contact_mobile
from .plan import HOLDERS
from .sources import OTHER_FIELDS, SUBJECT_FIELDS
from .textdoc import TextDoc
from .truth import Truth

#: outside contacts: key -> (QQ nickname, source they sell)
OUTSIDERS = {"bankin": ("银行内部资源", "bank"), "ajie": ("定位-阿杰", "location"),
             "wuliu": ("物流小哥", "ecommerce"), "dianxin": ("电信内部", "telecom"),
             "yiyuan": ("医院内部", "hospital")}

#: (seller, buyer, source, price) in time order
DEALS = [
    ("li", "zheng", "insurer", 100), ("li", "chen", "insurer", 300), ("bankin", "zheng", "bank", 990),
    ("ajie", "zheng", "location", 3200), ("wuliu", "zheng", "ecommerce", 110), ("dianxin", "zheng", "telecom", 800),
    ("zheng", "chen", "credit", 1010), ("zheng", "chen", "bank", 970), ("zheng", "chen", "telecom", 600),
    ("zheng", "wang", "ecommerce", 100), ("zheng", "wang", "carowner", 120), ("zheng", "wang", "location", 500),
    ("zhao", "zhang", "hotel", 2000), ("yiyuan", "zhang", "hospital", 1500), ("zheng", "zhang", "bank", 1530),
    ("zhang", "sun", "hotel", 1200), ("zhang", "sun", "hospital", 900), ("zhang", "sun", "location", 700),
]
DATA_WORDS = {"insurer": "保险客户", "hotel": "开房记录", "bank": "银行大户", "telecom": "通话详单",
              "hospital": "医院患者", "ecommerce": "网购订单", "location": "定位轨迹", "credit": "征信",
              "carowner": "车主"}
SAMPLE_FIELDS = {
    "insurer": ("name", "id_number", "mobile", "address"), "hotel": ("name", "id_number", "hotel_name", "checkin_time"),
    "bank": ("name", "id_number", "card_no", "balance"), "telecom": ("caller", "callee", "start_time", "duration_s"),
    "hospital": ("name", "id_number", "phone", "hospital", "diagnosis"), "ecommerce": ("receiver", "mobile", "address", "item"),
    "location": ("mobile", "time", "lon", "lat"), "credit": ("name", "id_number", "credit_score", "overdue_amount"),
    "carowner": ("name", "mobile", "plate", "address"),
}


class Actor:
    """A party of the network: QQ number and nickname, Alipay account (mobile or e-mail)."""

    def __init__(self, seed: int, key: str, k: int, nick: str):
        r = ids.rng_for(seed, "actor", key)
        self.key, self.nick = key, nick
        self.qq = str(r.randrange(10 ** r.choice((4, 5, 6, 7, 8, 9)), 10**10))
        self.mobile = contact_mobile(seed, k)
        self.email = contact_email(seed, k, key)
        self.alipay = self.mobile if k % 2 else self.email
        self.holder = key in HOLDERS


def actors(seed: int) -> dict[str, Actor]:
    keys = list(HOLDERS) + list(OUTSIDERS)
    nick = {**{h: v[2] for h, v in HOLDERS.items()}, **{o: v[0] for o, v in OUTSIDERS.items()}}
    return {k: Actor(seed, k, n, nick[k]) for n, k in enumerate(keys)}


def network_truth(acts: dict[str, Actor]) -> dict:
    flows = set()
    for seller, buyer, _, _ in DEALS:
        flows.add((acts[seller].qq, acts[buyer].qq, "data"))
        flows.add((acts[buyer].qq, acts[seller].qq, "money"))
    return {"actors": {a.qq: {"holder": a.key, "role": HOLDERS[a.key][0], "group": HOLDERS[a.key][1]}
                       for a in acts.values() if a.holder},
            "flows": [{"from": f, "to": t, "kind": k} for f, t, k in sorted(flows)]}


def _sample_lines(doc: TextDoc, source: str, samples: list) -> str:
    lines = []
    for person, row in samples:
        subject, others, cells = [], [], []
        for fld in SAMPLE_FIELDS[source]:
            v = row.get(fld, "")
            cells.append(v)
            if fld in SUBJECT_FIELDS and v:
                subject.append((SUBJECT_FIELDS[fld], v, v))
            elif fld in OTHER_FIELDS and v:
                others.append((OTHER_FIELDS[fld], v, v))
        doc.record(person, source, subject, others)
        lines.append(" ".join(cells))
    return "\n".join(lines)


def write_chats(seed: int, truth: Truth, evidence: Path, acts: dict[str, Actor], samples: dict) -> None:
    """One QQ export per holder: a conversation per counterparty, a message block per deal."""
    t0 = dt.datetime(2016, 3, 1, 9, 0, 0)
    when = {n: t0 + dt.timedelta(days=3 * n, hours=n % 7) for n in range(len(DEALS))}
    for h in HOLDERS:
        doc = TextDoc(truth, evidence, f"{h}/phone/QQ/消息记录.txt")
        doc.add("消息记录（此消息记录为文本格式，不支持重新导入）\n\n")
        partners = []
        for seller, buyer, _, _ in DEALS:
            other = buyer if seller == h else seller if buyer == h else None
            if other and other not in partners:
                partners.append(other)
        for other in partners:
            doc.add("=" * 64 + "\n消息分组:我的好友\n" + "=" * 64 + f"\n消息对象:{acts[other].nick}\n" + "=" * 64 + "\n\n")
            for n, (seller, buyer, source, price) in enumerate(DEALS):
                if {seller, buyer} == {h, other}:
                    _deal(doc, seed, n, when[n], acts[seller], acts[buyer], source, price,
                          samples[source][(n * 3) % max(1, len(samples[source]) - 4):][:4])
        doc.save()


def _deal(doc: TextDoc, seed: int, n: int, t: dt.datetime, s: Actor, b: Actor, source: str, price: int, rows) -> None:
    r = ids.rng_for(seed, "deal", n)
    word = DATA_WORDS[source]

    def msg(who: Actor, text: str):
        nonlocal t
        t += dt.timedelta(seconds=r.randrange(40, 500))
        doc.add(f"{t:%Y-%m-%d %H:%M:%S} {who.nick}({who.qq})\n{text}\n\n")

    msg(s, f"{word}数据要吗，一手的")
    msg(b, "什么地区的，多少条")
    msg(s, f"浙江的，{r.randrange(2, 40)}千多条，打包{price}元")
    msg(b, "先发几条样本看看")
    msg(s, "样本：\n" + _sample_lines(doc, source, rows))
    msg(b, "行")
    msg(s, f"[文件] {word}_{t:%m%d}.zip ({r.randrange(20, 900)}KB)")
    pay = doc.id("cn_mobile" if s.alipay.isdigit() else "email", s.alipay)
    msg(s, f"钱转我支付宝：{pay}")
    msg(b, f"已转{price}，查收")
    msg(s, "收到，合作愉快")


NOISE = [("滴滴出行", "快车", "支出"), ("中国移动", "话费充值", "支出"), ("天猫超市", "生活用品", "支出"),
         ("余额宝", "收益发放", "收入"), ("美团外卖", "外卖订单", "支出")]


def write_bills(seed: int, truth: Truth, evidence: Path, acts: dict[str, Actor]) -> None:
    """One Alipay bill per holder (GBK, CRLF): deal payments, noise and masked transfers."""
    for h in HOLDERS:
        me = acts[h]
        r = ids.rng_for(seed, "bill", h)
        doc = TextDoc(truth, evidence, f"{h}/phone/支付宝/alipay_record_20160520.csv")
        rows = []
        for n, (seller, buyer, _, price) in enumerate(DEALS):
            if h in (seller, buyer):
                other = acts[buyer if h == seller else seller]
                t = dt.datetime(2016, 3, 1, 10) + dt.timedelta(days=3 * n, minutes=r.randrange(60, 600))
                acct = doc.id("cn_mobile" if other.alipay.isdigit() else "email", other.alipay)
                rows.append((t, other.nick, acct, f"{price:.2f}", "收入" if h == seller else "支出", "数据款" if r.random() < 0.5 else ""))
        for _ in range(r.randrange(6, 12)):
            t = dt.datetime(2016, 1, 1) + dt.timedelta(seconds=r.randrange(140 * 86400))
            who, note, io = r.choice(NOISE)
            rows.append((t, who, "", f"{r.uniform(10, 300):.2f}", io, note))
        for _ in range(2):
            t = dt.datetime(2016, 1, 1) + dt.timedelta(seconds=r.randrange(140 * 86400))
            masked = doc.neg("masked_mobile", ids.mask_mobile(r.choice(ids.MOBILE_PREFIXES) + f"{r.randrange(10**8):08d}"))
            rows.append((t, "*" + r.choice("芳军强丽"), masked, f"{r.uniform(100, 3000):.2f}", "支出", "转账"))
        rows.sort()
        acct = doc.id("email", me.email)
        doc.add(f"#支付宝交易记录明细查询\n#账号:[{acct}]\n#起始日期:[2016-01-01 00:00:00]    终止日期:[2016-05-20 00:00:00]\n"
                "#---------------------------------交易记录明细列表------------------------------------\n"
                "交易号,付款时间,交易对方,对方账号,金额（元）,收/支,备注\n")
        for t, who, acct, amount, io, note in rows:
            doc.add(f"{t:%Y%m%d}2100100{r.randrange(10**13):013d},{t:%Y-%m-%d %H:%M:%S},{who},{acct},{amount},{io},{note}\n")
        doc.add("#------------------------------------------------------------------------------------\n"
                f"#共{len(rows)}笔记录\n")
        doc.save(encoding="gbk", newline="\r\n")
