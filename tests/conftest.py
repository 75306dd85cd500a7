"""Shared fixtures: small evidence trees built at test time; the dev case scanned once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

EVAL_DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev"


@pytest.fixture
def evidence(tmp_path: Path) -> Path:
    root = tmp_path / "evidence"
    root.mkdir()
    return root


@pytest.fixture(scope="session")
def dev_case(tmp_path_factory):
    """The shared dev evidence scanned once, findings exported, references registered:
    (work folder, case, findings file). Tests may add to the case but not remove from it."""
    from eval_helpers import EVAL_DEV, SCORER, register_references, scan_and_export

    if not SCORER.exists():
        pytest.skip("shared/eval is not beside the repository")
    work = tmp_path_factory.mktemp("dev")
    case, findings = scan_and_export(EVAL_DEV, work)
    register_references(EVAL_DEV, case)
    return work, case, findings
