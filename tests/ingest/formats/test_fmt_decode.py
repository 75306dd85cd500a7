"""Encoding detection, streamed text blocks and character-to-byte mapping."""

import codecs
import io

import pytest

from leaktrace.detect.text import byte_offsets
from leaktrace.ingest.decode import codec_of, detect_bytes, detect_encoding, text_blocks


def char_to_byte(block, index: int) -> int:
    """Byte offset in the document of one character of a block (the detector's mapping)."""
    return int(byte_offsets(block, [index])[0])

SIMPLIFIED = ("客户名单 2016年3月\n姓名,身份证号,手机号,地址\n"
              "张三,330302199012290241,13800138000,浙江省温州市鹿城区娄桥路297号翡翠苑24幢4单元1803室\n"
              "李四,中国建设银行温州市瑞安市城西支行,我们今天去医院看病了\n") * 3
TRADITIONAL = ("客戶名單 2016年3月\n姓名,身份證號,手機號,地址\n"
               "張三,330302199012290241,13800138000,浙江省溫州市鹿城區婁橋路297號翡翠苑24幢4單元1803室\n"
               "李四,中國建設銀行溫州市瑞安市城西支行,我們今天去醫院看病了\n") * 3
JAPANESE = ("顧客名簿 2016年3月\n氏名,電話番号,住所\n山田太郎,13800138000,東京都新宿区西新宿二丁目8番1号\n"
            "これは日本語のテキストです。私たちは今日病院に行きました。\n") * 3
KOREAN = ("고객 명단 2016년 3월\n이름,전화번호,주소\n김철수,13800138000,서울특별시 중구 세종대로 110\n"
          "이것은 한국어 텍스트입니다. 우리는 오늘 병원에 갔습니다.\n") * 3
# Chinese without its commonest characters (compound surnames and given names only)
NAMES = "欧阳娜娜,诸葛亮,司马懿,慕容复,端木蓉,上官婉儿,东方朔,皇甫嵩\n" * 3


@pytest.mark.parametrize("text,codec,expected", [
    (SIMPLIFIED, "utf-8", "utf-8"),
    (SIMPLIFIED, "utf-8-sig", "utf-8-sig"),
    (SIMPLIFIED, "gbk", "gb18030"),
    (SIMPLIFIED, "gb2312", "gb18030"),
    ("䶮𠀀𪚥 " + SIMPLIFIED, "gb18030", "gb18030"),
    (TRADITIONAL, "big5", "big5"),
    (SIMPLIFIED, "utf-16-le", "utf-16-le"),
    (SIMPLIFIED, "utf-16-be", "utf-16-be"),
    (SIMPLIFIED, "utf-32-le", "utf-32-le"),
    (SIMPLIFIED, "utf-32-be", "utf-32-be"),
    ("😀 𠀀 " + SIMPLIFIED, "utf-32-le", "utf-32-le"),
    ("张三李四王五赵六钱七孙八周九吴十郑一王二\n" * 10, "utf-32-be", "utf-32-be"),
    (NAMES, "gbk", "gb18030"),
    (NAMES, "utf-16-le", "utf-16-le"),
    (JAPANESE, "euc_jp", "euc_jp"),
    (JAPANESE, "shift_jis", "cp932"),
    (JAPANESE, "cp932", "cp932"),
    (JAPANESE, "iso2022_jp", "iso2022_jp"),
    (KOREAN, "euc_kr", "euc_kr"),
    ("똠방각하 " + KOREAN, "cp949", "cp949"),   # a syllable EUC-KR lacks
    (KOREAN, "johab", "johab"),
    (KOREAN, "iso2022_kr", "iso2022_kr"),
])
def test_detect(text, codec, expected):
    assert detect_bytes(text.encode(codec)) == expected


@pytest.mark.parametrize("bom,codec,expected", [
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le-bom"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be-bom"),
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le-bom"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32-be-bom"),
])
def test_detect_bom(bom, codec, expected):
    assert detect_bytes(bom + SIMPLIFIED.encode(codec)) == expected


def test_detect_ascii_head_then_gbk():
    data = b"id,phone\n" + b"1,13800138000\n" * 20000 + "张三,13800138000\n".encode("gbk")
    assert detect_encoding(io.BytesIO(data), len(data)) == "gb18030"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "big5",
                                      "utf-16-le", "utf-16-be", "utf-16-le-bom", "utf-16-be-bom",
                                      "utf-32-le", "utf-32-be", "utf-32-le-bom", "utf-32-be-bom",
                                      "euc_jp", "cp932", "euc_kr", "cp949"])
def test_blocks_offsets_and_lines(encoding):
    text = {"big5": TRADITIONAL, "euc_jp": JAPANESE, "cp932": JAPANESE, "euc_kr": KOREAN,
            "cp949": KOREAN}.get(encoding, SIMPLIFIED)
    codec = codec_of(encoding)
    bom = {"utf-8-sig": codecs.BOM_UTF8, "utf-16-le-bom": codecs.BOM_UTF16_LE,
           "utf-16-be-bom": codecs.BOM_UTF16_BE, "utf-32-le-bom": codecs.BOM_UTF32_LE,
           "utf-32-be-bom": codecs.BOM_UTF32_BE}.get(encoding, b"")
    data = bom + (text * 20).encode(codec)
    blocks = list(text_blocks(io.BytesIO(data), encoding, block_size=300))
    assert len(blocks) > 5
    assert "".join(b.text for b in blocks) == text * 20
    for b in blocks:
        assert b.text.endswith("\n")                     # lines never split
        start = b.byte_offset
        assert data[start:].startswith(b.text[:5].encode(codec))
        assert b.line == (text * 20)[: sum(len(x.text) for x in blocks[:blocks.index(b)])].count("\n") + 1
        i = b.text.find("13800138000")
        if i >= 0:
            off = char_to_byte(b, i)
            assert data[off:off + len("13800138000".encode(codec))] == "13800138000".encode(codec)


def test_char_to_byte_with_escaped_bytes():
    data = "abc张三\xff".encode("utf-8")[:-2] + b"\xff\xfe" + "李四13800138000".encode("utf-8")
    block = next(text_blocks(io.BytesIO(data), "utf-8"))
    i = block.text.index("13800138000")
    assert data[char_to_byte(block, i):char_to_byte(block, i) + 11] == b"13800138000"
    assert char_to_byte(block, block.text.index("李")) == data.index("李".encode())
    ascii_block = next(text_blocks(io.BytesIO(b"x,13800138000"), "utf-8"))
    assert char_to_byte(ascii_block, 2) == 2
    wide = "é张😀\ufeff 13800138000".encode("utf-8") + b"\xed\xa0\x80" + "13900139000".encode()  # 2-4 bytes, bad
    block = next(text_blocks(io.BytesIO(wide), "utf-8"))
    for number in ("13800138000", "13900139000"):
        assert char_to_byte(block, block.text.index(number)) == wide.index(number.encode())


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "big5", "utf-16-le"])
def test_single_line_split_at_separator(encoding):
    cell = "张三,13800138000,330302199012290241;" if encoding != "big5" else "張三,13800138000,330302199012290241;"
    data = (cell * 3000).encode(encoding)
    blocks = list(text_blocks(io.BytesIO(data), encoding, block_size=4096))
    assert len(blocks) > 5
    for b in blocks:
        assert b.text[-1] in ",;"
        assert "13800138000" not in b.text[-11:-1] or b.text.endswith("13800138000,")
    assert "".join(b.text for b in blocks) == cell * 3000


def test_no_separator_falls_back_to_char_boundary():
    data = ("张" * 100_000).encode("gb18030")
    blocks = list(text_blocks(io.BytesIO(data), "gb18030", block_size=1001))
    assert "".join(b.text for b in blocks) == "张" * 100_000
    assert all(b.byte_offset % 2 == 0 for b in blocks)
