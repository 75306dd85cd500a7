"""Fixtures for format-reader tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def write(tmp_path):
    """write(name, data: bytes | str, encoding='utf-8') -> Path."""
    def _write(name: str, data, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
        return path
    return _write
