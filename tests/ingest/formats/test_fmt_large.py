"""A ~200 MB single-line file streams in bounded memory and keeps identifiers whole."""

import time

import psutil

from leaktrace.ingest.decode import text_blocks

CELL = "张三丰,330302199012290241,13800138000,zhang.san@example.com;"


def test_single_line_200mb_bounded_memory(tmp_path):
    path = tmp_path / "one_line.csv"
    chunk = (CELL * 20_000).encode("utf-8")
    with open(path, "wb") as fh:
        written = 0
        while written < 200 << 20:
            fh.write(chunk)
            written += len(chunk)
    proc = psutil.Process()
    before = proc.memory_info().rss
    peak = before
    started = time.monotonic()
    blocks = total = 0
    with open(path, "rb") as fh:
        for block in text_blocks(fh, "utf-8"):
            blocks += 1
            total += len(block.text.encode("utf-8"))
            assert block.text.endswith((",", ";"))
            if blocks % 8 == 0:
                peak = max(peak, proc.memory_info().rss)
    assert total == written and blocks >= 40
    assert peak - before < 100 << 20
    assert time.monotonic() - started < 20
