"""Chat-log messages are communication content: a chat export whose messages paste a leaked chat
log counts the log's speakers as `communication_content`, and nothing else changes category."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from leaktrace.detect.messages import message_fields
from leaktrace.synth.ids import make_id
from eval_helpers import cli

SPEAKERS = {"张伟": "13800138001", "李娜": "13900139002", "王磊": "13700137003"}
SAMPLE_ID = make_id("330102", dt.date(1957, 1, 29), 475)   # a pasted sample row: no message

CHAT = f"""消息记录（此消息记录为文本格式，不支持重新导入）

================================================================
消息对象:买家
================================================================

2016-03-10 23:44:46 卖家(1788808637)
聊天记录要吗，微信的，一百一条

2016-03-10 23:47:59 买家(403671)
有样本吗

2016-03-10 23:52:13 卖家(1788808637)
样本：
[2016-03-01 10:02] 张伟({SPEAKERS['张伟']})：明天老地方见
[2016-03-01 10:03] 李娜({SPEAKERS['李娜']})：好的，几点
[2016-03-01 10:05] 张伟({SPEAKERS['张伟']})：八点
2016-03-02 09:00:01 王磊({SPEAKERS['王磊']}): 钱已经转了
还有别的：
王芳 {SAMPLE_ID} 杭州市西湖区文三路1号

2016-03-10 23:56:56 买家(403671)
我的电话 13600136004，打给我
"""


@pytest.fixture(scope="module")
def case(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("chat")
    qq = root / "evidence" / "zheng" / "phone" / "QQ"
    qq.mkdir(parents=True)
    (qq / "消息记录.txt").write_text(CHAT, "utf-8")
    subscribers = root / "subscribers.csv"
    subscribers.write_text("name,id_number,mobile,address\n" + "".join(
        f"{name},,{mobile},杭州市\n" for name, mobile in SPEAKERS.items()) + f"王芳,{SAMPLE_ID},,杭州市\n", "utf-8")
    cli("scan", str(root / "evidence"), "--case", str(root / "case"))
    cli("refs", "add", "subscribers", str(subscribers), "--case", str(root / "case"))
    return root / "case"


def counts(case: Path, profile: str) -> dict:
    return json.loads(cli("count", "--case", str(case), "--json", "--profile", profile).stdout)["holders"]["zheng"]


def test_pasted_chat_log_lines_count_as_communication_content(case):
    zheng = counts(case, "cn-pi-2017")
    assert zheng["records"]["communication_content"] == 3      # three speakers, four messages
    assert zheng["records"]["other"] == 1                      # the pasted sample row keeps its source's
    assert sum(zheng["records"].values()) == 4 and zheng["persons"] == 4   # the buyer's own number: no source


def test_under_gdpr_they_are_communications(case):
    assert counts(case, "gdpr-art33")["records"] == {
        "location": 0, "communications": 3, "financial": 0, "health": 0, "identity": 1}


@pytest.mark.parametrize("line,speaker,said", [
    ("[2016-03-01 10:02] 张伟(13800138001)：明天老地方见", "13800138001", "明天老地方见"),
    ("10:05 13900139002: 好的", "13900139002", "好的"),
    ("【2016年3月1日 10:02】李娜（+86 139 0013 9002）：收到\r", "+86", "收到"),
    ("10:07 zhang.wei@example.com: see you", "zhang.wei", "see you"),
    ("2016-03-10 23:44:46 张伟(13800138001)", "13800138001", None),  # a speaker line with no message on it
    ("武鑫平 13800138001 杭州", "13800138001", None),  # a sample row: no time
    ("电话：13800138001：张三", "13800138001", None),  # a label: no time
    ("2016-03-01 10:02 13800138001: 500", "13800138001", None),  # no letter said
    ("10:08 138-0013-8001 地址：杭州市", "138-", None),  # a label after the number, not a colon
])
def test_which_lines_are_messages(line, speaker, said):
    fields = message_fields([line[:line.index(speaker)]], [line]).to_pylist()[0]
    assert (json.loads(fields)["message"] if fields else None) == said
