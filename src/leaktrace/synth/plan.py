"""The case plan: holders, their leaked datasets and the archives that wrap them, per variant.

Paths are logical evidence paths (``holder/device/...``; archive members after ``!``).
"""
from __future__ import annotations

from dataclasses import dataclass

from .datasets import Part, Spec, cols

#: holder -> (role, group, QQ nickname, own handle used for e-mail)
HOLDERS = {
    "li": ("source", "A", "木子", "li"),
    "zheng": ("broker", "A", "老郑", "zheng"),
    "chen": ("buyer", "A", "小陈", "chen"),
    "wang": ("buyer", "A", "王总", "wang"),
    "zhao": ("source", "B", "赵经理", "zhao"),
    "zhang": ("broker", "B", "张三疯", "zhang"),
    "sun": ("buyer", "B", "孙经理", "sun"),
}


@dataclass
class Container:
    """An archive at logical ``path`` of ``kind`` whose members are [(member name, logical path)]."""

    path: str
    kind: str
    members: list


INS_CN = cols("姓名=name", "身份证号=id_number", "手机号=mobile", "邮箱=email", "地址=address", "保单号=policy_no")
HOTEL_CN = cols("姓名=name", "证件号码=id_number", "入住时间=checkin_time", "离店时间=checkout_time", "酒店=hotel_name", "房号=room_no")
BANK_CN = cols("户名=name", "证件号码=id_number", "银行卡号=card_no", "余额=balance", "开户网点=branch")
CREDIT_CN = cols("姓名=name", "身份证=id_number", "信用分=credit_score", "逾期金额=overdue_amount", "贷款笔数=loan_count")
HOSP_CN = cols("姓名=name", "身份证号=id_number", "电话=phone", "医院=hospital", "诊断=diagnosis", "就诊日期=visit_date")
ECOM_CN = cols("收货人=receiver", "手机=mobile", "收货地址=address", "商品=item", "金额=amount", "订单号=order_no")
CAR_CN = cols("车主=name", "手机=mobile", "车牌=plate", "车架号=vin", "地址=address")
LOC_CN = cols("手机号=mobile", "时间=time", "经度=lon", "纬度=lat")
CALL_CN = cols("主叫=caller", "被叫=callee", "开始时间=start_time", "时长=duration_s", "基站=cell_id")


def _p(sources, columns, rate, name="Sheet1"):
    return Part(tuple(sources.split("+")), columns, rate, name)


def clean_specs() -> list[Spec]:
    """Datasets shaped like the dev case."""
    return [
        # li: insurer insider (group A source)
        Spec("li/laptop/D盘/工作/客户导出_20160301.csv", "csv", [_p("insurer", INS_CN, 0.20)],
             {"encoding": "utf-8-sig"}, invalid=6, dup=0.003),
        Spec("li/laptop/D盘/工作/客户导出_20160308.xlsx", "xlsx", [_p("insurer", INS_CN[:5], 0.12, "客户")], invalid=3),
        Spec("li/usb/backup/crm_customer.sql", "mysql",
             [_p("insurer", cols("xm=name", "sfzh=id_number", "sjh=mobile", "email=email", "dz=address", "bdh=policy_no"), 0.17, "t_customer")]),
        Spec("li/usb/客户资料.zip!客户资料/温州分公司.csv", "csv", [_p("insurer", INS_CN[:4], 0.045)]),
        Spec("li/usb/客户资料.zip!客户资料/杭州分公司.txt", "txt",
             [_p("insurer", cols("n=name", "i=id_number", "m=mobile"), 0.04)], {"sep": "\t"}),
        # zhao: hotel insider (group B source)
        Spec("zhao/laptop/酒店数据/入住记录_2016Q1.csv", "csv", [_p("hotel", HOTEL_CN, 0.40)], invalid=5, dup=0.003),
        Spec("zhao/laptop/酒店数据/入住记录_2015.xlsx", "xlsx", [_p("hotel", HOTEL_CN[:5], 0.25, "入住")]),
        Spec("zhao/laptop/酒店数据/guest_export.jsonl", "jsonl",
             [_p("hotel", cols("name=name", "idcard=id_number", "checkin=checkin_time", "checkout=checkout_time", "hotel=hotel_name", "room=room_no"), 0.28)]),
        # zheng: group A broker
        Spec("zheng/laptop/数据/保险客户_备份.txt", "txt", [_p("insurer", cols("n=name", "i=id_number", "m=mobile"), 0.08)],
             {"sep": "----"}, invalid=4),
        Spec("zheng/laptop/数据/保险客户_精选.xlsx", "xlsx",
             [_p("insurer+carowner", cols("姓名=name", "身份证=id_number", "手机=mobile", "车牌=plate", "地址=address"), 0.2, "客户")]),
        Spec("zheng/laptop/数据/征信.sql", "mysql",
             [_p("credit", cols("name=name", "id_no=id_number", "score=credit_score", "overdue_amt=overdue_amount", "loan_cnt=loan_count"), 0.13, "credit_report")]),
        Spec("zheng/laptop/数据/银行客户.txt", "txt", [_p("bank", cols("n=name", "i=id_number", "c=card_no", "b=balance", "br=branch"), 0.11)],
             {"sep": "\t"}, invalid=3),
        Spec("zheng/laptop/数据/银行征信合并.csv", "csv",
             [_p("bank+credit", cols("姓名=name", "身份证号=id_number", "银行卡号=card_no", "余额=balance", "信用分=credit_score", "逾期金额=overdue_amount"), 0.12)]),
        Spec("zheng/usb/定位/轨迹_0320.jsonl", "jsonl",
             [_p("location", cols("phone=mobile", "ts=time:epoch", "lng=lon", "lat=lat"), 0.35)]),
        Spec("zheng/usb/打包/精准客源.zip!电商订单.csv", "csv", [_p("ecommerce", ECOM_CN, 0.30)]),
        Spec("zheng/usb/打包/精准客源.zip!车主.xlsx", "xlsx", [_p("carowner+insurer", CAR_CN, 0.25, "车主")]),
        Spec("zheng/usb/话单/通话详单.txt", "txt",
             [_p("telecom", cols("a=caller", "b=callee", "t=start_time:ts14", "d=duration_s", "c=cell_id"), 0.35)],
             {"sep": "|", "preamble": "#主叫|被叫|开始时间|时长|基站\n"}),
        # zhang: group B broker
        Spec("zhang/laptop/资源/开房记录.csv", "csv", [_p("hotel", HOTEL_CN, 0.30)], invalid=4),
        Spec("zhang/laptop/资源/开房记录_补充.txt", "txt",
             [_p("hotel", cols("n=name", "i=id_number", "h=hotel_name", "t=checkin_time"), 0.2)], {"sep": ","}),
        Spec("zhang/laptop/资源/医院患者.xlsx", "xlsx", [_p("hospital", HOSP_CN, 0.45, "患者")]),
        Spec("zhang/laptop/资源/定位数据.csv", "csv", [_p("location", LOC_CN, 0.2)]),
        Spec("zhang/laptop/资源/银行大户.csv", "csv", [_p("bank", BANK_CN, 0.08)], {"encoding": "utf-8-sig"}),
        # chen: group A buyer
        Spec("chen/laptop/资料/保险.csv", "csv", [_p("insurer", INS_CN[:3] + INS_CN[4:5], 0.05)]),
        Spec("chen/laptop/资料/征信.csv", "csv", [_p("credit", CREDIT_CN, 0.13)]),
        Spec("chen/laptop/资料/话单.jsonl", "jsonl",
             [_p("telecom", cols("caller=caller", "callee=callee", "start=start_time", "dur=duration_s", "cell=cell_id"), 0.15)]),
        Spec("chen/laptop/资料/银行卡.xlsx", "xlsx", [_p("bank", BANK_CN, 0.11, "银行卡")]),
        # wang: group A buyer
        Spec("wang/laptop/营销/号码.txt", "txt", [_p("ecommerce", cols("m=mobile"), 0.06)]),
        Spec("wang/laptop/营销/客户名单.xlsx", "xlsx",
             [_p("insurer+carowner", cols("姓名=name", "手机=mobile", "地址=address"), 0.08, "名单")]),
        Spec("wang/laptop/营销/精准客源.zip!电商订单.csv", "csv", [_p("ecommerce", ECOM_CN[:5], 0.1)]),
        Spec("wang/laptop/营销/精准客源.zip!车主.csv", "csv", [_p("carowner+insurer", CAR_CN[:3] + CAR_CN[4:], 0.1)]),
        # sun: group B buyer
        Spec("sun/laptop/催收/开房.csv", "csv", [_p("hotel", HOTEL_CN[:5], 0.15)]),
        Spec("sun/laptop/催收/医院.txt", "txt", [_p("hospital", cols("n=name", "i=id_number", "p=phone", "h=hospital", "d=visit_date"), 0.15)]),
        Spec("sun/laptop/催收/定位.xlsx", "xlsx", [_p("location", LOC_CN, 0.1, "定位")]),
    ]


def clean_containers() -> list[Container]:
    return [
        Container("li/usb/客户资料.zip", "zip", [("客户资料/温州分公司.csv", "li/usb/客户资料.zip!客户资料/温州分公司.csv"),
                                                ("客户资料/杭州分公司.txt", "li/usb/客户资料.zip!客户资料/杭州分公司.txt")]),
        Container("zheng/usb/打包/精准客源.zip", "zip", [("电商订单.csv", "zheng/usb/打包/精准客源.zip!电商订单.csv"),
                                                   ("车主.xlsx", "zheng/usb/打包/精准客源.zip!车主.xlsx")]),
        Container("wang/laptop/营销/精准客源.zip", "zip", [("电商订单.csv", "wang/laptop/营销/精准客源.zip!电商订单.csv"),
                                                    ("车主.csv", "wang/laptop/营销/精准客源.zip!车主.csv")]),
    ]


NEST_ZIP = "zheng/usb/打包/全国数据.zip"
TGZ = "zhang/usb/备份/hotel_2016.tar.gz"
ENC_COPY = "zhang/laptop/资源/nasty/医院_gb18030.csv"


def nasty_specs() -> list[Spec]:
    """Extra datasets covering every encoding, spelling, format and container of the nasty variant."""
    ins3 = cols("姓名=name", "身份证号=id_number", "手机号=mobile")
    n = "nasty"
    specs = [
        # encodings
        Spec(f"zhang/laptop/资源/{n}/车主_gb18030.txt", "txt", [_p("carowner", CAR_CN, 0.01)], {"sep": " ", "encoding": "gb18030"}),
        Spec(ENC_COPY, "csv", [_p("hospital", HOSP_CN, 0.01)], {"encoding": "gb18030"}),
        Spec(f"chen/laptop/资料/{n}/征信_unicode.txt", "csv", [_p("credit", CREDIT_CN, 0.01)],
             {"encoding": "utf-16-le-bom", "delimiter": "\t", "newline": "\r\n"}),
        Spec(f"wang/laptop/营销/{n}/客户_be.txt", "txt", [_p("insurer", ins3, 0.005)], {"sep": ",", "encoding": "utf-16-be-bom"}),
        Spec(f"zhao/laptop/酒店数据/{n}/入住_导出.txt", "txt", [_p("hotel", HOTEL_CN[:3], 0.01)], {"sep": "\t", "encoding": "utf-16-le"}),
        Spec(f"zheng/laptop/数据/{n}/台湾客户_big5.txt", "txt", [_p("insurer", ins3, 0.005)], {"sep": " ", "encoding": "big5"}),
        # spellings
        Spec(f"zheng/laptop/数据/{n}/全角名单.txt", "txt",
             [_p("insurer", cols("n=name", "i=id_number:fw", "m=mobile:fw"), 0.005)], {"sep": "　"}),
        Spec(f"wang/laptop/营销/{n}/号码格式.csv", "csv", [_p("carowner", cols("姓名=name", "电话=mobile:mobile_mix", "车牌=plate"), 0.01)]),
        Spec(f"li/laptop/D盘/工作/{n}/老客户_15位.csv", "csv",
             [_p("insurer", cols("姓名=name", "身份证=id_number:id15", "手机=mobile"), 0.01)], invalid=1),
        Spec(f"zhao/laptop/酒店数据/{n}/小写x.csv", "csv", [_p("hotel", cols("name=name", "id=id_number:idx", "hotel=hotel_name"), 0.01)]),
        Spec(f"zhang/laptop/资源/{n}/银行卡_空格.txt", "txt",
             [_p("bank", cols("n=name", "c=card_no:card_space", "b=balance"), 0.01)], {"sep": "，"}),
        Spec(f"chen/laptop/资料/{n}/银行卡_横线.csv", "csv", [_p("bank", cols("户名=name", "卡号=card_no:card_dash", "身份证=id_number"), 0.01)]),
        # nested archives
        Spec(f"{NEST_ZIP}!说明/客户.csv", "csv", [_p("insurer", INS_CN[:4], 0.005)]),
        Spec(f"{NEST_ZIP}!内层.zip!车主/温州.csv", "csv", [_p("carowner", CAR_CN, 0.005)]),
        Spec(f"{NEST_ZIP}!征信.tar!征信/credit.csv", "csv", [_p("credit", cols("name=name", "id=id_number", "score=credit_score"), 0.005)]),
        Spec(f"{TGZ}!export/hotel.csv", "csv", [_p("hotel", HOTEL_CN, 0.008)]),
        Spec(f"zhang/usb/备份/{n}/patients.tgz!data/patients.jsonl", "jsonl",
             [_p("hospital", cols("name=name", "sfz=id_number", "tel=phone", "dx=diagnosis"), 0.005)], {"nest": {"patient": ["name", "sfz", "tel"]}}),
        Spec(f"li/usb/backup/{n}/crm_dump.sql.gz!crm_dump.sql", "pgcopy",
             [_p("insurer", cols("xm=name", "sfzh=id_number", "sjh=mobile", "email=email"), 0.01, "customer")]),
        Spec(f"zheng/usb/{n}/银行.csv.bz2!银行.csv", "csv", [_p("bank", BANK_CN, 0.008)], {"delimiter": ";"}),
        Spec(f"zheng/usb/{n}/定位.txt.xz!定位.txt", "csv", [_p("location", LOC_CN, 0.02)], {"delimiter": "|"}),
        Spec(f"zhang/usb/{n}/订单.7z!订单/orders.jsonl", "jsonl", [_p("ecommerce", cols("buyer=receiver", "tel=mobile", "addr=address", "order=order_no"), 0.01)],
             {"nest": {"buyer_info": ["buyer", "tel", "addr"]}}),
        # office, documents, databases
        Spec(f"zheng/laptop/数据/{n}/老客户.xls", "xls", [_p("insurer", ins3, 0.01, "客户"), _p("credit", CREDIT_CN, 0.01, "征信")]),
        Spec(f"zhang/laptop/资源/{n}/汇总.xlsx", "xlsx", [_p("hotel", HOTEL_CN[:4], 0.01, "开房"), _p("hospital", HOSP_CN[:3], 0.005, "医院")],
             {"titles": ["2016年3月 客户资料汇总（内部）", "导出人：张"]}),
        Spec(f"wang/laptop/营销/{n}/名单.ods", "ods", [_p("carowner", CAR_CN[:3], 0.01, "车主")]),
        Spec(f"chen/laptop/资料/{n}/customers.pdf", "pdf",
             [_p("bank", cols("Name=name:py", "ID=id_number", "Card=card_no", "Balance=balance"), 0.01)], {"title": "VIP bank customers"}),
        Spec(f"sun/laptop/催收/{n}/催收名单.docx", "docx",
             [_p("hospital", cols("n=name", "i=id_number", "p=phone", "h=hospital"), 0.005), _p("location", LOC_CN, 0.01)]),
        Spec(f"zheng/laptop/数据/{n}/客户库.db", "sqlite",
             [_p("insurer", cols("xm=name", "sfzh=id_number", "sjh=mobile", "yx=email"), 0.01, "kehu"),
              _p("bank", cols("xm=name", "sfzh=id_number", "kh=card_no"), 0.01, "yinhang")]),
        Spec(f"zhao/laptop/酒店数据/{n}/无表头.csv", "csv", [_p("hotel", HOTEL_CN, 0.01)], {"header": False}),
        Spec(f"sun/laptop/催收/{n}/名单_tab.tsv", "csv", [_p("hospital", HOSP_CN[:4], 0.01)], {"delimiter": "\t"}),
        Spec(f"chen/laptop/资料/{n}/征信.json", "json",
             [_p("credit", cols("name=name", "idcard=id_number", "score=credit_score", "overdue=overdue_amount"), 0.01)],
             {"nest": {"person": ["name", "idcard"], "report": ["score", "overdue"]}}),
        Spec(f"wang/laptop/营销/{n}/车主.jsonl", "jsonl", [_p("carowner", cols("name=name", "mobile=mobile", "plate=plate", "vin=vin"), 0.01)],
             {"nest": {"owner": ["name", "mobile"], "car": ["plate", "vin"]}}),
        Spec(f"zheng/laptop/数据/{n}/查询结果.html", "html", [_p("credit", CREDIT_CN, 0.01)], {"title": "征信查询结果"}),
        Spec(f"li/phone/{n}/通讯录.vcf", "vcf", [_p("insurer", cols("FN=name", "TEL=mobile", "EMAIL=email"), 0.005)]),
        Spec(f"sun/laptop/催收/{n}/mail.eml!att.csv", "csv", [_p("hospital", HOSP_CN[:3], 0.005)]),
    ]
    for spec in specs:
        spec.min_rows = 15
    return specs


def nasty_containers() -> list[Container]:
    n = "nasty"
    inner = f"{NEST_ZIP}!内层.zip"
    tar = f"{NEST_ZIP}!征信.tar"
    return [
        Container(inner, "zip", [("车主/温州.csv", f"{inner}!车主/温州.csv")]),
        Container(tar, "tar", [("征信/credit.csv", f"{tar}!征信/credit.csv")]),
        Container(NEST_ZIP, "zip", [("说明/客户.csv", f"{NEST_ZIP}!说明/客户.csv"), ("内层.zip", inner), ("征信.tar", tar)]),
        Container(TGZ, "tar.gz", [("export/hotel.csv", f"{TGZ}!export/hotel.csv")]),
        Container(f"zhang/usb/备份/{n}/patients.tgz", "tgz", [("data/patients.jsonl", f"zhang/usb/备份/{n}/patients.tgz!data/patients.jsonl")]),
        Container(f"li/usb/backup/{n}/crm_dump.sql.gz", "gz", [("crm_dump.sql", f"li/usb/backup/{n}/crm_dump.sql.gz!crm_dump.sql")]),
        Container(f"zheng/usb/{n}/银行.csv.bz2", "bz2", [("银行.csv", f"zheng/usb/{n}/银行.csv.bz2!银行.csv")]),
        Container(f"zheng/usb/{n}/定位.txt.xz", "xz", [("定位.txt", f"zheng/usb/{n}/定位.txt.xz!定位.txt")]),
        Container(f"zhang/usb/{n}/订单.7z", "7z", [("订单/orders.jsonl", f"zhang/usb/{n}/订单.7z!订单/orders.jsonl")]),
    ]
