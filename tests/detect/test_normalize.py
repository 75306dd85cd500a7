"""Folding for matching keeps every character where it was."""

from __future__ import annotations

import random

import pytest

from leaktrace.detect.normalize import _FOLD, fold, for_matching


def _one_by_one(text: str) -> str:
    return "".join(chr(_FOLD.get(ord(c), ord(c))) for c in text)


@pytest.mark.parametrize("text", [
    "１３８　００１３８　０００，张三",
    "手机：１３８－００１３－８０００😀 邮箱ａｂｃ＠ｑｑ．ｃｏｍ 𠀀 ×××",
    "lone \ud83d surrogate １３８",                 # not valid UTF-16: folded by code point
    "\ud83d\ude00 two lone halves １",               # must stay two characters
    "plain ascii 13800138000",
])
def test_fold_maps_each_character_alone(text):
    folded = fold(text)
    assert folded == _one_by_one(text)
    assert len(folded) == len(text)


def test_fold_random_mixtures():
    rng = random.Random(7)
    pools = [(0x20, 0x7E), (0xFF00, 0xFF60), (0x1F600, 0x1F64F), (0x4E00, 0x9FFF), (0x2000, 0x2015), (0x3000, 0x3000)]
    for _ in range(200):
        text = "".join(chr(rng.randint(*rng.choice(pools))) for _ in range(60))
        assert fold(text) == _one_by_one(text)


def test_escapes_read_in_place():
    text = 'a\\u624b\\u673a13800138000\\n13900139000'
    out = for_matching(text)
    assert len(out) == len(text)
    assert out.split() == ["a手", "机", "13800138000", "13900139000"]
