"""Attribution on the shared dev case, scored by the shared scorer."""

from __future__ import annotations

import json

import pytest

from eval_helpers import EVAL_DEV, SCORER, cli, register_references, score

pytestmark = pytest.mark.skipif(not SCORER.exists(), reason="shared/eval is not beside the repository")


def test_dev_attribution_top1(tmp_path):
    case = tmp_path / "case"
    cli("scan", str(EVAL_DEV / "evidence"), "--case", str(case))
    register_references(EVAL_DEV, case)
    cli("canary", "add", str(EVAL_DEV / "canaries.csv"), "--case", str(case))
    out = tmp_path / "attr.json"
    out.write_text(cli("attribute", "--case", str(case), "--json").stdout)
    result = score("attribute", EVAL_DEV / "truth", out)
    assert result["top1_accuracy"] >= 0.95 and result["canary_top1_accuracy"] == 1.0, result
    data = json.loads(out.read_text())
    assert any(l["kind"] == "subset" for l in data["lineage"])
    assert all("#" not in f["path"] for f in data["files"])
