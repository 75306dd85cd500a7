"""Crawled web pages: sale offers for personal data among forum noise, plus the monitor truth."""
from __future__ import annotations

from html import escape
from pathlib import Path

from . import ids

OFFER_WORDS = {  # phrase -> category
    "行踪轨迹": "whereabouts", "实时定位": "whereabouts", "聊天记录查询": "communication_content",
    "征信报告": "credit", "银行大户资料": "property", "存款资产信息": "property",
    "酒店住宿记录": "accommodation", "开房记录": "accommodation", "通话详单": "communication_records",
    "医院患者信息": "health", "孕妇数据": "health", "快递单数据": "transaction", "网购买家数据": "transaction",
    "车主资料": "other", "保险客户": "other", "学生家长": "other", "股民资料": "other",
}
CITIES = "温州 杭州 宁波 上海 南京 武汉 全国".split()
SITES = "温州生活论坛 站长交流社区 数据资源论坛 百姓分类网 推广营销论坛 温州58同城".split()
NOISE = [
    ("棋牌游戏 提现秒到账", "官方直营，信誉第一，注册即送彩金！<br>\n客服QQ：{qq}"),
    ("个人信息被泄露了怎么办？", "经常接到推销电话，可以向当地公安机关报案，注意保护身份证、快递单等信息。"),
    ("转让iPhone 6s 64G 自用机", "九成新，无拆修，同城面交。联系微信：{wx}"),
    ("招聘客服专员 若干名", "五险一金，周末双休，有意者请投递简历。"),
    ("隐私政策", "我们重视您的个人信息保护，不会向第三方出售您的数据。"),
    ("零点调研 行业数据分析报告定制服务", "提供市场调研、问卷统计、行业报告，合法合规。联系QQ：{qq}"),
]


def _handles(r) -> list[tuple[str, str]]:
    """(as written, normalised) contact handles of one offer."""
    out = []
    for _ in range(r.choice((1, 1, 2, 3))):
        k = r.randrange(4)
        if k == 0:
            qq = str(r.randrange(10**5, 10**10))
            out.append((f"{r.choice(['QQ', '企鹅', '联系QQ'])}：{qq}", qq))
        elif k == 1:
            wx = "wxid_" + "".join(r.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(14))
            out.append((f"{r.choice(['微信', 'V信', '加微信'])} {wx}", wx))
        elif k == 2:
            wx = r.choice(["data", "vip", "shop", "boss"]) + f"-{r.randrange(100, 9999)}"
            out.append((f"微信：{wx.upper() if r.random() < 0.3 else wx}", wx))
        else:
            tg = r.choice(["DataFresh", "cn_leaks", "dbshop", "Info_King"]) + str(r.randrange(10, 99))
            out.append((f"Telegram: @{tg}", tg.lower()))
    return out


def _page(title: str, site: str, author: str, body: str) -> str:
    return (f"<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>{escape(title)} - {site}</title>\n"
            f"</head>\n<body>\n<div id=\"hd\"><div class=\"logo\">{site}</div></div>\n<div id=\"ct\">\n<h1>{escape(title)}</h1>\n"
            f"<div class=\"post\"><div class=\"author\">{author}</div><div class=\"content\">{body}</div></div>\n</div>\n"
            f"<div id=\"ft\"><p>Copyright &copy; 2012-2016 {site} 版权所有</p></div>\n</body>\n</html>\n")


def write_pages(seed: int, out: Path, pages: int = 200, offers: int = 40) -> dict:
    """Write ``pages`` pages (``offers`` of them sale offers); returns monitor truth."""
    out.mkdir(parents=True, exist_ok=True)
    r = ids.rng_for(seed, "web")
    offer_at = set(r.sample(range(1, pages + 1), offers))
    truth = {}
    for n in range(1, pages + 1):
        site = r.choice(SITES)
        if n in offer_at:
            words = r.sample(list(OFFER_WORDS), r.choice((1, 1, 2, 3)))
            city = r.choice(CITIES)
            handles = _handles(r)
            lines = [f"{w}：{city}{r.choice(['全市', '地区'])} {r.choice(['价格私聊', f'{r.randrange(1, 30)}万条{r.randrange(5, 60)}00元'])}"
                     for w in words]
            body = "<br>\n".join(["数据每天更新，准确率95%以上。"] + lines + [h for h, _ in handles] + ["非诚勿扰，先款后货。"])
            title = f"{r.choice(['出售', '低价出', '批发'])}{city}{'、'.join(words)} 一手资源"
            truth[f"page_{n:03d}.html"] = {"offer": True, "handles": sorted({h for _, h in handles}),
                                           "categories": sorted({OFFER_WORDS[w] for w in words})}
        else:
            title, text = r.choice(NOISE)
            qq, wx = str(r.randrange(10**5, 10**10)), f"boss-{r.randrange(100, 999)}"
            body = text.format(qq=qq, wx=wx)
            hs = sorted(h for h, tag in ((qq, "{qq}"), (wx, "{wx}")) if tag in text)
            truth[f"page_{n:03d}.html"] = {"offer": False, "handles": hs, "categories": []}
        (out / f"page_{n:03d}.html").write_text(_page(title, site, f"用户{r.randrange(100, 999)}", body), encoding="utf-8")
    return truth
