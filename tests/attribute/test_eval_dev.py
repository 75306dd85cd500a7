"""Attribution on the shared dev case, scored by the shared scorer."""

from __future__ import annotations

import json

import pytest

from eval_helpers import EVAL_DEV, SCORER, cli, score

pytestmark = pytest.mark.skipif(not SCORER.exists(), reason="shared/eval is not beside the repository")


def test_dev_attribution_top1(dev_case):
    work, case, _ = dev_case
    cli("canary", "add", str(EVAL_DEV / "canaries.csv"), "--case", str(case))
    out = work / "attr.json"
    out.write_text(cli("attribute", "--case", str(case), "--json").stdout)
    result = score("attribute", EVAL_DEV / "truth", out)
    assert result["top1_accuracy"] >= 0.95 and result["canary_top1_accuracy"] == 1.0, result
    data = json.loads(out.read_text())
    assert any(l["kind"] == "subset" for l in data["lineage"])
    assert all("#" not in f["path"] for f in data["files"])
