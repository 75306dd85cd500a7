"""Detection and counting on the shared dev case, scored by the shared scorer."""

from __future__ import annotations

import json

import pytest

from eval_helpers import EVAL_DEV, SCORER, cli, score

pytestmark = pytest.mark.skipif(not SCORER.exists(), reason="shared/eval is not beside the repository")


def test_findings_precision_and_recall_per_type(dev_case):
    _, _, findings = dev_case
    result = score("findings", EVAL_DEV / "truth", findings)
    for t, m in result["types"].items():
        assert m["precision"] >= 0.995 and m["recall"] >= 0.995, (t, m)


def test_counts_match_truth_exactly(dev_case):
    work, case, _ = dev_case
    out = work / "count.json"
    out.write_text(cli("count", "--case", str(case), "--json").stdout)
    result = score("count", EVAL_DEV / "truth", out)
    assert result["summary"]["max_rel_error"] == 0, result["summary"]
    counts = json.loads(out.read_text())
    zheng = counts["holders"]["zheng"]
    assert zheng["seized_rows"] >= sum(zheng["records"].values())  # seized -> counted shown
    assert zheng["assessment"]["level"] == "especially_serious"
