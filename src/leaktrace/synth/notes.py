"""Non-dataset evidence: notes, logs and ledgers full of hard negatives, suspects' own contact
lists, binaries, and (nasty variant) mail, empty, undecodable and unreadable items.
"""
from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from . import containers, ids
from .chats import SAMPLE_FIELDS, Actor, _sample_lines
from .plan import ENC_COPY
from .textdoc import TextDoc
from .truth import Truth
from .writers import XlsxWriter


def _binary(r: random.Random, evidence: Path, path: str, n: int, header: bytes = b"") -> None:
    """Bytes without any ASCII digit or letter (nothing a scanner could take for an identifier)."""
    p = evidence / path
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(header + bytes(r.randrange(128, 256) for _ in range(n)))


def _ts14(r) -> str:
    return f"{dt.datetime(2016, 1, 1) + dt.timedelta(seconds=r.randrange(150 * 86400)):%Y%m%d%H%M%S}"


def write_notes(seed: int, truth: Truth, evidence: Path, acts: dict[str, Actor]) -> None:
    r = ids.rng_for(seed, "notes")
    d = TextDoc(truth, evidence, "li/laptop/D盘/工作/快递单号.txt").add("快递单号登记（顺丰/中通）\n\n")
    for _ in range(12):
        d.add(f"{d.neg('order_no_bad_check', ids.order_number(r))}  寄件时间{d.neg('timestamp14', _ts14(r))}  已签收\n")
    d.save()
    d = TextDoc(truth, evidence, "li/laptop/D盘/工作/export_tool.py")
    d.add('#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n"""批量导出客户资料"""\nimport csv\nimport pymysql\n\n'
          'PHONE = r"1[3-9]\\d{9}"\n\n\ndef export(host, user, pwd, out="export.csv", batch=5000):\n'
          '    conn = pymysql.connect(host=host, user=user, password=pwd, db="crm", charset="utf8")\n'
          '    cur = conn.cursor()\n    cur.execute("SELECT xm, sfzh, sjh, dz FROM t_customer WHERE status = 1")\n'
          '    with open(out, "w", newline="", encoding="utf-8-sig") as f:\n        csv.writer(f).writerows(cur.fetchall())\n').save()
    d = TextDoc(truth, evidence, "wang/laptop/营销/发送日志.log")
    for _ in range(24):
        if r.random() < 0.4:
            m = d.neg("mobile_bad_prefix", ids.bad_mobile(r))
            d.add(f"2016-04-12 {r.randrange(8, 20):02d}:{r.randrange(60):02d}:{r.randrange(60):02d} 发送失败 号码{m} 非法号段\n")
        else:
            inner = r.choice(ids.MOBILE_PREFIXES) + f"{r.randrange(10**8):08d}"
            task = d.neg("mobile_embedded", f"{r.randrange(100, 999)}{inner}{r.randrange(100000, 999999)}")
            d.add(f"2016-04-12 {r.randrange(8, 20):02d}:{r.randrange(60):02d}:{r.randrange(60):02d} 发送成功 任务号{task}\n")
    d.save()
    d = TextDoc(truth, evidence, "zhao/laptop/工作日志.log")
    for _ in range(30):
        ms = d.neg("epoch_ms", str(1451606400000 + r.randrange(140 * 86400 * 1000)))
        k = r.randrange(4)
        if k == 0:
            d.add(f"[{ms}] WARN sms gateway rejected msisdn={d.neg('mobile_bad_prefix', ids.bad_mobile(r))}\n")
        elif k == 1:
            d.add(f"[{ms}] WARN verify failed idno={d.neg('id_bad_date', ids.bad_date_id(r, '330302'))} reason=birthdate\n")
        elif k == 2:
            d.add(f"[{ms}] INFO night audit batch={d.neg('timestamp14', _ts14(r))} ok\n")
        else:
            d.add(f"[{ms}] INFO room {r.randrange(2, 13)}{r.randrange(1, 30):02d} status=clean\n")
    d.save()
    d = TextDoc(truth, evidence, "zheng/laptop/数据/说明.txt")
    some_id = ids.make_id("330304", dt.date(1980, 3, 11), 443)
    d.add("数据说明\n格式：姓名----身份证----手机\n")
    d.add(f"打码示例：{d.neg('masked_id', ids.mask_id(some_id))} {d.neg('masked_mobile', '185****2650')} "
          f"{d.neg('masked_card', ids.mask_card('6222020000000003423'))}\n")
    d.add(f"客户反馈以下卡号无效：{d.neg('card_bad_luhn', ids.bad_card(r))}、{d.neg('card_bad_luhn', ids.bad_card(r))}\n")
    d.add(f"以下身份证校验不过，已剔除：{d.neg('id_bad_check', ids.bad_check_id(r, '330102'))}\n").save()
    d = TextDoc(truth, evidence, "chen/laptop/话术.txt")
    d.add(f"【话术一】\n您好，这里是XX银行信用卡中心，您的银行卡（{d.neg('masked_card', '6228 **** **** 9445')}）存在异常交易。\n"
          f"【话术二】\n您好，我是市公安局的，您的身份证（{d.neg('masked_id', '330304********4435')}）涉嫌一起洗钱案件。\n").save()
    d = TextDoc(truth, evidence, "sun/laptop/催收/催收话术.txt")
    d.add("先核实身份，再说欠款金额，语气强硬。\n联系人电话打不通就发短信。\n").save()
    d = TextDoc(truth, evidence, "zhang/laptop/买家登记.txt").add("买家登记（勿外传）\n\n")
    sun = acts["sun"]
    d.add(f"04-18  孙经理  QQ{sun.qq}  电话{d.id('cn_mobile', sun.mobile)}  开房记录+医院就诊数据\n")
    d.add(f"04-25  孙经理  QQ{sun.qq}  电话{d.id('cn_mobile', sun.mobile)}  定位轨迹数据\n").save()
    _customer_ledger(truth, evidence, acts)
    _binary(r, evidence, "li/laptop/桌面/截图1.png", 3000, b"\x89PNG\r\n\x1a\n")
    _binary(r, evidence, "zheng/laptop/截图/微信截图_20160401.png", 2000, b"\x89PNG\r\n\x1a\n")


def _customer_ledger(truth: Truth, evidence: Path, acts: dict[str, Actor]) -> None:
    """zheng's customer register (XLSX): buyers' QQ, phones, e-mails: findings, not records."""
    path = "zheng/laptop/客户登记.xlsx"
    doc = truth.doc(path, "zheng")
    w = XlsxWriter(evidence / path, [("客户", ["称呼", "QQ", "电话", "邮箱", "备注"])])
    for k in ("chen", "wang", "zhang"):
        a = acts[k]
        doc.find("cn_mobile", a.mobile)
        doc.find("email", a.email)
        w.add(0, [a.nick, a.qq, a.mobile, a.email, "老客户"])
    w.close()
    doc.close()


def write_nasty_extras(seed: int, truth: Truth, evidence: Path, acts: dict[str, Actor], samples: dict,
                       stage: Path, disk: dict) -> None:
    """Mail (EML body, MBOX), empty and undecodable files, encrypted and truncated zips."""
    r = ids.rng_for(seed, "nasty")
    # mail.eml: the e-mail itself is a document; its attachment was written as a dataset
    sun, zhang = acts["sun"], acts["zhang"]
    eml = "sun/laptop/催收/nasty/mail.eml"
    doc = truth.doc(eml, "sun")
    doc.find("email", zhang.email)
    doc.find("email", sun.email)
    att = disk[eml + "!att.csv"].read_bytes()
    (evidence / eml).write_bytes(containers.email_message(
        zhang.email, sun.email, "医院数据 样本", f"孙经理：\n附件是医院的数据，电话 {zhang.mobile} 有问题打我。\n",
        "Fri, 20 May 2016 09:30:00 +0800", "<20160520093000.1@localhost>", [("att.csv", att)]))
    doc.find("cn_mobile", zhang.mobile)
    doc.close()
    # mbox: two messages, the second with sample records pasted in the body (records)
    box = TextDoc(truth, evidence, "zheng/laptop/nasty/邮件备份.mbox")
    zheng, chen = acts["zheng"], acts["chen"]
    for a in (zheng, chen):
        box.id("email", a.email)
    m1 = containers.email_message(zheng.email, chen.email, "报价", "征信数据 1000 元一份，要的话回复。\n",
                                  "Sat, 02 Apr 2016 10:00:00 +0800", "<m1.20160402@localhost>")
    body = "样本如下：\n" + _sample_lines(box, "credit", samples["credit"][-3:]) + "\n"
    m2 = containers.email_message(zheng.email, chen.email, "样本", body, "Sat, 02 Apr 2016 11:00:00 +0800",
                                  "<m2.20160402@localhost>")
    box.add(containers.mbox([(zheng.email, m1), (zheng.email, m2)]).decode("utf-8"))
    box.save()
    # empty and undecodable files
    (evidence / "wang/laptop/营销/nasty").mkdir(parents=True, exist_ok=True)
    (evidence / "wang/laptop/营销/nasty/空文件.txt").write_bytes(b"")
    truth.doc("wang/laptop/营销/nasty/空文件.txt", "wang").close()
    _binary(r, evidence, "zheng/laptop/数据/nasty/data.bin", 4096)
    # unreadable: an encrypted zip holding a copy of a readable file, and a truncated zip
    copy = (evidence / ENC_COPY).read_bytes()
    containers.encrypted_zip(evidence / "zhang/usb/nasty/加密资料.zip", [("医院.csv", copy)], b"zhang888", b"leaktrace01")
    truth.add_unreadable("zhang/usb/nasty/加密资料.zip", "encrypted", ENC_COPY)
    tmp = stage / "trunc.csv"
    tmp.write_text("\n".join(" ".join(row.get(f, "") for f in SAMPLE_FIELDS["insurer"])
                             for _, row in samples["insurer"][:20]) + "\n", encoding="utf-8")
    containers.truncated_zip(evidence / "li/usb/nasty/损坏.zip", [("客户.txt", tmp)])
    truth.add_unreadable("li/usb/nasty/损坏.zip", "truncated", None)
