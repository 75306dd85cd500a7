"""Chinese personal names in free text: a run of Han characters is taken as a name only when it
follows a name label (姓名：, 收货人) or opens with a common surname, and holds no label word
(联系电话, 余额, 收货人 …).

Table columns get their names from their role (detect/roles.py); this is for lines of text,
where any 2–4 Han characters before an identifier could be a label, a word or a name.
"""

from __future__ import annotations

import re

from ..ingest.formats.header import CN_LABEL_WORDS
from .roles import HEADER_RULES

# Common single-character surnames (simplified), roughly the 400 most frequent.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞"
    "左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕"
    "屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧"
    "闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥"
    "南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支"
    "卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印"
    "逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
    "洪赖凤贝习钮荀糜隗宓郗韶鄂籍莘贡逄璩濮寿郦宦庾暨殳蔚夔厍訾乜蒯竺桓邴"
)
# ... and their traditional forms where they differ (Big5 and Hong Kong / Taiwan data).
SURNAMES |= frozenset(
    "張劉陳楊黃趙吳孫馬羅鄭謝韓馮鄧蕭葉蔣蘇呂盧鍾鐘譚陸範賈韋鄒閆閻賀顧龔萬錢嚴湯溫齊喬龐顏聶莊魯"
    "嶽關蘭寧紀畢單塗駱藍遊靳鮑華饒陽時農繆簡車項連蘆麥婁竇黨費衛應閔鄔邊師欒榮鞏遲鄺談荊樂鬱儲"
    "勞諶藺樓盤滿聞厲區闞權強帥樸蓋練豐國計晉門雲來闕烏鮮諸戰銀賓陰堯許賴鳳貝習鈕郟酈壽厙歐"
)
COMPOUND_SURNAMES = frozenset((
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "轩辕", "令狐", "端木", "独孤", "南宫", "西门", "百里", "呼延", "申屠", "太史", "万俟",
    "歐陽", "司馬", "東方", "長孫", "軒轅", "獨孤", "南宮", "西門", "萬俟",
))
# Words of column headers and labels: a run holding one is a label, not a name.
_LABEL_WORDS = sorted({w for _, words in HEADER_RULES for w in words if not w.isascii()} | set(CN_LABEL_WORDS) | {
    "联系", "样本", "数据", "资料", "信息", "记录", "银行", "支付", "转账", "收款", "付款", "价格", "多少",
    "一手", "打包", "文件", "全部", "已经", "可以", "没有", "什么", "这个", "那个",
}, key=len, reverse=True)
_LABEL = re.compile("|".join(map(re.escape, _LABEL_WORDS)))


# Where a name stands on a line: after its label (姓名：张三, 收货人 李四), taken whatever its
# surname; else 2-4 Han characters alone at the start of a line (any line of a text) or right
# before an identifier, separated by a delimiter, taken when they read as a name.
LABELLED_NAME_RE = re.compile(
    r"(?:姓名|名字|户名|收货人|收件人|联系人|持卡人|开户人|车主|患者|旅客|住客)\s*[:：]?\s*"
    r"([\u4e00-\u9fff]{2,4})(?![\u4e00-\u9fff])")
LINE_START_NAME_RE = re.compile(r"^\s*([\u4e00-\u9fff]{2,4})(?=[\s,，;；|\t\-]|$)")
NAME_RE = re.compile(r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]{2,4})(?=[\s,，;；|:：\t\-]*$)")


def is_label(run: str) -> bool:
    """True when a Han run holds a header or label word."""
    return _LABEL.search(run) is not None


def is_person_name(run: str) -> bool:
    """True when a 2–4 character Han run reads as a personal name."""
    return (run[:2] in COMPOUND_SURNAMES or run[0] in SURNAMES) and not is_label(run)


def line_name(prefix: str) -> str | None:
    """The name on a line whose text up to its first person identifier is `prefix`: after a name
    label, else at the line's start, else right before the identifier; None when none reads as a name."""
    if (m := LABELLED_NAME_RE.search(prefix)) and not is_label(m.group(1)):
        return m.group(1)
    for m in (LINE_START_NAME_RE.match(prefix), NAME_RE.search(prefix)):
        if m and is_person_name(m.group(1)):
            return m.group(1)
    return None
