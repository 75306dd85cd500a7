"""Synthetic persons: person ``i`` of a case is a pure function of ``(seed, i)``.

Index ranges: ``0..persons-1`` ordinary persons, ``persons..persons+44`` canaries,
:data:`CONTACT_BASE`+k suspects and outside contacts, :data:`CALLEE_BASE`+k callee numbers,
:data:`FAKE_BASE`+k invented subjects of invalid rows (their identifiers are never valid).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from stdnum import luhn

from . import ids

CONTACT_BASE = 40_000_000
CALLEE_BASE = 50_000_000
FAKE_BASE = 60_000_000

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
MALE = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林峰成建国文博志振洋东锋昊"
FEMALE = "芳娜敏静丽艳娟霞秀玲桂英红梅琳燕萍雪慧莉婷倩颖琴蕾璐欣怡佳雨晨彤瑶露娇萱"
PINYIN = dict(zip(
    SURNAMES + MALE + FEMALE,
    ("wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin gao luo zheng liang "
     "xie song tang xu han feng deng cao peng zeng xiao tian dong pan yuan cai jiang yu yu du ye cheng "
     "su wei lv ding ren shen yao lu jiang cui zhong tan lu wang fan jin shi liao jia xia wei fu fang "
     "bai zou meng xiong qin qiu jiang yin xue yan duan lei hou long shi tao li he gu mao hao gong shao "
     "wan qian yan qin wu dai mo kong xiang tang "
     "wei qiang lei jun yong jie tao bin chao ming gang ping hui peng hua fei xin bo yu hao kai jian "
     "jun fan shuai xu ning long lin feng cheng jian guo wen bo zhi zhen yang dong feng hao "
     "fang na min jing li yan juan xia xiu ling gui ying hong mei lin yan ping xue hui li ting qian "
     "ying qin lei lu xin yi jia yu chen tong yao lu jiao xuan").split()))

#: region code -> (province, city, district); Zhejiang first and weighted up.
REGIONS = {
    "330102": ("浙江省", "杭州市", "上城区"), "330105": ("浙江省", "杭州市", "拱墅区"),
    "330106": ("浙江省", "杭州市", "西湖区"), "330108": ("浙江省", "杭州市", "滨江区"),
    "330110": ("浙江省", "杭州市", "余杭区"), "330203": ("浙江省", "宁波市", "海曙区"),
    "330212": ("浙江省", "宁波市", "鄞州区"), "330302": ("浙江省", "温州市", "鹿城区"),
    "330303": ("浙江省", "温州市", "龙湾区"), "330304": ("浙江省", "温州市", "瓯海区"),
    "330324": ("浙江省", "温州市", "永嘉县"), "330381": ("浙江省", "温州市", "瑞安市"),
    "330382": ("浙江省", "温州市", "乐清市"), "330402": ("浙江省", "嘉兴市", "南湖区"),
    "330602": ("浙江省", "绍兴市", "越城区"), "331002": ("浙江省", "台州市", "椒江区"),
    "110105": ("北京市", "北京市", "朝阳区"), "110108": ("北京市", "北京市", "海淀区"),
    "310104": ("上海市", "上海市", "徐汇区"), "310112": ("上海市", "上海市", "闵行区"),
    "320106": ("江苏省", "南京市", "鼓楼区"), "340104": ("安徽省", "合肥市", "蜀山区"),
    "350203": ("福建省", "厦门市", "思明区"), "360102": ("江西省", "南昌市", "东湖区"),
    "410105": ("河南省", "郑州市", "金水区"), "430104": ("湖南省", "长沙市", "岳麓区"),
    "440106": ("广东省", "广州市", "天河区"), "440304": ("广东省", "深圳市", "福田区"),
}
ZJ = [k for k in REGIONS if k.startswith("33")]
OTHER = [k for k in REGIONS if not k.startswith("33")]
ROADS = "人民路 解放路 文化路 学院路 中山路 environ 新华路 环城路 幸福路 车站大道 江滨路 府前街 公园路 建设路".replace(" environ", "").split()
ESTATES = "绿城桂花园 东方家园 翡翠苑 御景园 滨江花苑 幸福里 阳光小区 金色家园 锦绣华庭".split()
MAIL_DOMAINS = ("qq.com", "163.com", "126.com", "sina.com", "gmail.com", "139.com")
PLATE_CODES = {"杭州市": "浙A", "宁波市": "浙B", "温州市": "浙C", "嘉兴市": "浙F", "绍兴市": "浙D",
               "台州市": "浙J"}


@dataclass(frozen=True)
class Person:
    """One synthetic person; identifiers are canonical (normalised) strings."""

    index: int
    name: str
    pinyin: tuple
    male: bool
    cn_id: str
    mobile: str
    card: str
    email: str
    region: str
    address: str
    plate: str

    @property
    def born_19(self) -> bool:
        return self.cn_id[6:8] == "19"


def mobile_of(seed: int, i: int) -> str:
    r = ids.rng_for(seed, "mob", i)
    return r.choice(ids.MOBILE_PREFIXES) + f"{ids.perm(i, 10**8, seed, 1):08d}"


def email_of(seed: int, i: int, py: tuple) -> str:
    r = ids.rng_for(seed, "mail", i)
    n = ids.perm(i, 10**8, seed, 2)
    style = r.randrange(4)
    if style == 0:
        return f"{n + 100000000 if n < 10**7 else n}@qq.com"
    sur, given = py[0], "".join(py[1:])
    dom = r.choice(MAIL_DOMAINS[1:])
    if style == 1:
        return f"{sur}{given}{n}@{dom}"
    if style == 2:
        return f"{given}.{sur}{n}@{dom}"
    return f"{sur[0]}{given}{n}@{dom}"


def card_of(seed: int, i: int) -> str:
    r = ids.rng_for(seed, "card", i)
    bin_, n = r.choice(ids.CARD_BINS)
    acct = f"{ids.perm(i, 10**9, seed, 3):09d}"
    body = bin_ + "".join(r.choice("0123456789") for _ in range(n - 16)) + acct
    return body + luhn.calc_check_digit(body)


def make_name(r, male: bool) -> tuple[str, tuple]:
    pool = MALE if male else FEMALE
    chars = r.choice(SURNAMES) + "".join(r.choice(pool) for _ in range(r.choice((1, 2, 2))))
    return chars, tuple(PINYIN[c] for c in chars)


def make_address(r, region: str) -> str:
    prov, city, dist = REGIONS[region]
    head = (prov if prov != city else "") + city + dist
    addr = f"{head}{r.choice(ROADS)}{r.randrange(1, 400)}号"
    if r.random() < 0.6:
        addr += f"{r.choice(ESTATES)}{r.randrange(1, 30)}幢{r.randrange(1, 5)}单元{r.randrange(1, 19)}0{r.randrange(1, 4)}室"
    return addr


def make_person(seed: int, i: int) -> Person:
    """Person ``i`` of the case ``seed`` (identifiers unique over all indices)."""
    r = ids.rng_for(seed, "person", i)
    slot = ids.perm(i % ids.ID_SLOTS, ids.ID_SLOTS, seed, 4)
    birth = ids.FIRST_DAY + dt.timedelta(days=slot // 1000)
    seq = slot % 1000
    male = seq % 2 == 1
    region = r.choice(ZJ) if r.random() < 0.8 else r.choice(OTHER)
    name, py = make_name(r, male)
    city = REGIONS[region][1]
    plate = PLATE_CODES.get(city, "浙C") + "".join(r.choice("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(5))
    return Person(
        index=i, name=name, pinyin=py, male=male, cn_id=ids.make_id(region, birth, seq),
        mobile=mobile_of(seed, i), card=card_of(seed, i), email=email_of(seed, i, py),
        region=region, address=make_address(r, region), plate=plate,
    )


def contact_mobile(seed: int, k: int) -> str:
    """Mobile of suspect/outside contact ``k`` (never a person's)."""
    return mobile_of(seed, CONTACT_BASE + k)


def contact_email(seed: int, k: int, handle: str) -> str:
    n = ids.perm(CONTACT_BASE + k, 10**8, seed, 2)
    return f"{handle}{n}@{('163.com', 'qq.com', '126.com')[k % 3]}"


def callee_mobile(seed: int, k: int) -> str:
    return mobile_of(seed, CALLEE_BASE + k)
