"""The evidence file a scan is reading, noted in the case so that a dead scan's resume knows it.

The note (`inflight.json`: path and attempt) is rewritten in place, in one write
padded with spaces over the last (so a reader never sees it empty), before each
evidence file and removed when the batch holding it is committed. A note left
behind names the file the previous process was reading when it ended (a native
crash, memory exhausted, kill -9): the resumed scan reads it again only inside the
worker process, and a second death on it records it as failed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path


class Inflight:
    """The in-flight note of one case."""

    def __init__(self, path: Path):
        self.path = path
        self._fd: int | None = None
        self._length = 0

    def died_on(self) -> dict[str, int]:
        """{path: attempts} of the file a previous scan was reading when it ended; {} if none."""
        try:
            note = json.loads(self.path.read_text("utf-8"))
            return {str(note["path"]): int(note["attempt"])}
        except (OSError, ValueError, KeyError, TypeError):
            return {}

    def start(self, path: str, attempt: int) -> None:
        """Note that `path` is being read (the `attempt`-th time)."""
        if self._fd is None:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            self._length = 0
        data = json.dumps({"path": path, "attempt": attempt}, ensure_ascii=False).encode("utf-8")
        self._length = max(self._length, len(data))
        os.pwrite(self._fd, data.ljust(self._length), 0)   # one write, padded over the last: never torn

    def clear(self) -> None:
        """Everything noted so far is committed."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        self.path.unlink(missing_ok=True)
