"""Every label of the HTML report in Chinese and English, in one table."""

from __future__ import annotations

LANGS = ("zh", "en")

LABELS: dict[str, tuple[str, str]] = {  # key: (zh, en)
    "title": ("个人信息案件证据报告", "Personal information case report"),
    "generated": ("生成时间", "Generated"),
    "case": ("案件", "Case"),
    "toc": ("目录", "Contents"),
    "summary": ("案件概况", "Case summary"),
    "holders": ("持有人", "Holders"),
    "files": ("文件", "Files"),
    "members": ("压缩包成员", "Archive members"),
    "bytes": ("字节", "Bytes"),
    "findings": ("识别出的标识符", "Identifiers found"),
    "records": ("记录（条）", "Records"),
    "persons": ("自然人（去重）", "Distinct persons"),
    "references": ("参照数据库", "Reference databases"),
    "canaries": ("诱饵记录", "Canary persons"),
    "profile": ("法律规则", "Legal profile"),
    "counts": ("按持有人统计", "Counts per holder"),
    "holder": ("持有人", "Holder"),
    "category": ("信息类别", "Category"),
    "tier": ("类别层级", "Tier"),
    "threshold": ("入罪标准", "Threshold"),
    "level": ("达到情节", "Level met"),
    "level_none": ("未达标准", "none"),
    "mixed_basis": ("（多类别折算）", " (categories in proportion)"),
    "proportional_sum": ("折算比例之和", "Proportional sum"),
    "insider": ("内部人员（标准减半）", "Insider (halved thresholds)"),
    "steps": ("从扣押到计数", "From seized to counted"),
    "seized_rows": ("扣押数据行", "Seized rows"),
    "invalid": ("无效行", "Invalid rows"),
    "duplicate_rows": ("重复行", "Duplicate rows"),
    "exact_duplicate_rows": ("其中完全相同的行", "of which exact copies"),
    "counted_records": ("计数记录", "Counted records"),
    "charts": ("图表", "Charts"),
    "chart_categories": ("各持有人按类别的记录数", "Records by category per holder"),
    "chart_sources": ("各来源的记录行数", "Record rows by source"),
    "chart_overlap": ("持有人之间共同的自然人", "Persons shared between holders"),
    "source": ("来源", "Source"),
    "source_unknown": ("来源不明", "unknown source"),
    "rows": ("行数", "Rows"),
    "attribution": ("数据来源认定", "Attribution of leaked documents"),
    "document": ("文件", "Document"),
    "keyed": ("含标识符记录", "Keyed records"),
    "candidates": ("候选来源：得分（占比，包含度，诱饵）", "Candidates: score (share, containment, canaries)"),
    "explanation": ("说明", "Why"),
    "no_attribution": ("未运行来源认定或没有可认定的文件。", "No attribution: no document with keyed records."),
    "lineage": ("数据传递关系", "Lineage between holders"),
    "from": ("来自", "From"),
    "to": ("流向", "To"),
    "link": ("关系", "Link"),
    "containment": ("包含度", "Containment"),
    "direction": ("方向依据", "Direction"),
    "no_lineage": ("各持有人之间没有发现相同的数据集。", "No dataset is shared between holders."),
    "samples": ("脱敏样例记录", "Masked sample records"),
    "locator": ("位置", "Location"),
    "name": ("姓名", "Name"),
    "identifiers": ("标识符", "Identifiers"),
    "manifest": ("证据清单", "Evidence manifest"),
    "path": ("路径", "Path"),
    "size": ("大小", "Size"),
    "format": ("格式", "Format"),
    "status": ("状态", "Status"),
    "reason": ("原因", "Reason"),
    "problems": ("未能完整读取的项目", "Items not fully read"),
    "no_problems": ("所有项目均已完整读取。", "Every item was read completely."),
    "methodology": ("方法说明", "Methodology"),
    "identifier_rules": ("标识符规则与校验", "Identifier rules and validation"),
    "type": ("类型", "Type"),
    "distinct": ("不同值", "Distinct values"),
    "rule": ("规则", "Rule"),
    "dedup": ("去重", "De-duplication"),
    "dedup_text": (
        "同一记录（或参照数据库同一行）上的标识符属于同一自然人；共享身份证号的记录为同一自然人，"
        "共享手机号、银行卡号或电子邮箱的记录须姓名相容（相同，或脱敏姓名与之相符）才视为同一自然人；"
        "同一持有人处，同一自然人同一类别只计一条记录。",
        "Identifiers on one record (or one reference row) belong to one person; records sharing a resident ID "
        "are the same person, records sharing a mobile, bank card or e-mail only when their names are "
        "compatible (equal, or a masked name that fits). Within one holder, one record per person per "
        "category is counted."),
    "counting_policy": ("计数规则", "Counting policy"),
    "counting_text": (
        "与参照数据库匹配的行计数；至少 {min_unknown} 条有效行且均不匹配任何来源的数据表视为来源不明的泄露数据集，其行也计数。"
        "无效行（仅含无效标识符）在泄露数据集中计为无效行（记录占行数至少 {density:.0%}，且至少 {share:.0%} 的有效行匹配来源）。"
        "聊天、账单、台账中不匹配任何来源的标识符（嫌疑人自身的联系方式等）及已脱敏的值不计数。",
        "Rows matched to a reference count; rows of a table of at least {min_unknown} valid rows none of which "
        "match any source (a leak of unknown origin) count too. Rows whose only identifiers are invalid count as "
        "invalid in leaked datasets (records fill at least {density:.0%} of the rows and at least {share:.0%} of "
        "the valid rows are matched). Identifiers in chats, bills and ledgers that match no source (the suspects' "
        "own contact data) and masked values are not counted."),
    "assessment_text": (
        "每一类别单独与标准比较（情节特别严重为标准的 {factor} 倍，内部人员为 {insider} 倍）；单一类别未达标准时，"
        "按各类别数量与标准之比求和折算。本报告陈述事实与标准的对比，定性由法院判断。",
        "Each category alone against its threshold (x{factor} for the higher level, x{insider} for insiders); "
        "where no category meets a level alone, the sum of count / threshold. The report states facts against "
        "thresholds; the judgement is the court's."),
    "software": ("软件版本", "Software version"),
    "evidence_roots": ("证据根目录", "Evidence roots"),
    "profile_version": ("规则版本", "Profile version"),
    "masking": ("脱敏", "Masking"),
    "masking_text": (
        "报告中的标识符均已脱敏（如 330304********123X、138****8000、张*）；路径和说明中形似标识符的字符串也已脱敏。",
        "Every identifier in this report is masked (330304********123X, 138****8000, 张*); identifier-like "
        "strings in paths and explanations are masked too."),
    "sha256": ("SHA-256", "SHA-256"),
    "none": ("无", "none"),
    "total": ("合计", "Total"),
    "serious": ("情节严重", "serious"),
    "especially_serious": ("情节特别严重", "especially serious"),
    "done": ("完成", "done"),
    "partial": ("部分读取", "partly read"),
    "failed": ("失败", "failed"),
    "skipped": ("跳过", "skipped"),
}


def other(lang: str) -> str:
    """The secondary language of a report whose primary language is `lang`."""
    return "en" if lang == "zh" else "zh"


def text(key: str, lang: str) -> str:
    """The label `key` in `lang` (falls back to the key itself)."""
    pair = LABELS.get(key)
    return pair[LANGS.index(lang)] if pair else key
