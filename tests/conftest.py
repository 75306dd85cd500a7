"""Shared fixtures: small evidence trees built at test time."""

from __future__ import annotations

from pathlib import Path

import pytest

EVAL_DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev"


@pytest.fixture
def evidence(tmp_path: Path) -> Path:
    root = tmp_path / "evidence"
    root.mkdir()
    return root
