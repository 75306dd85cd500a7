"""Lines of a chat log: a time, a speaker named by a person identifier, a colon and what was said
(`[2016-03-01 10:02] 张伟(13800138000)：明天老地方见`, `10:05 13900139000: 好的`).

Such a line is itself someone's communication content; its record keeps what was said as the
`message` field, which a profile's rules can place (`communication_content` under cn-pi-2017).
A time is required before the speaker, so a sample row pasted into a chat (`张伟 138… 杭州市…`)
or a label (`电话：138…`) is not a message, and a message must hold a letter or a Han character.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# The text of a line before its speaker's identifier (RE2, run by Arrow over every line record):
# an optional bracket and date, a time of day, an optional bracket, an optional name and an
# opening bracket (`[2016-03-01 10:02] 张伟(`, `10:05 `).
SPEAKER_PREFIX = (r"^\s*[\[【(（]?\s*(?:\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?\s*)?\d{1,2}:\d{2}(?::\d{2})?\s*"
                  r"[\]】)）]?\s*(?:[^\s\d:：,，;；|()（）\[\]【】<>]{1,20}\s*)?[(（<\[【]?\s*(?:\+?86[-\s]?)?$")
# From the identifier on: the identifier (digits, maybe grouped by spaces or dashes, or a token
# without spaces: an e-mail), an optional closing bracket, a colon and what was said.
_SAID = re.compile(r"(?:\+?\d[\d -]*\d|[^\s:：)）>\]】]+)\s*[)）>\]】]?\s*[:：]\s*(.*[^\W\d_].*?)\s*$")


def message_fields(prefixes: list[str], lines: list[str]) -> pa.Array:
    """Per line, the JSON fields `{"message": what was said}` when the line is a chat-log message
    spoken by its first person identifier (which starts at `len(prefixes[i])`), else null."""
    spoken = pc.match_substring_regex(pa.array(prefixes, pa.string()), SPEAKER_PREFIX)
    fields: list[str | None] = [None] * len(lines)
    for i in np.flatnonzero(spoken.to_numpy(zero_copy_only=False)).tolist():
        if m := _SAID.match(lines[i], len(prefixes[i])):
            fields[i] = json.dumps({"message": m.group(1)}, ensure_ascii=False)
    return pa.array(fields, pa.string())
