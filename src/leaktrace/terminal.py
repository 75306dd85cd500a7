"""Evidence text made safe for a terminal: control characters shown as escapes, Rich markup
taken literally. File names and reasons come from the suspects' files; `[bold red]x[/]` or
`\\x1b[2J` in a name must print as written, never style, clear or move the screen."""

from __future__ import annotations

from rich.markup import escape

# C0 and C1 controls, DEL, bidirectional overrides and isolates, lone surrogates (undecodable bytes).
_UNSAFE = [*range(0x00, 0x20), *range(0x7F, 0xA0), 0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F),
           *range(0x2066, 0x206A), *range(0xD800, 0xE000)]
_ESCAPES = {c: (f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}") for c in _UNSAFE}
_LINES = {c: e for c, e in _ESCAPES.items() if c != 0x0A}


def visible(s: object) -> str:
    """`s` as text with every control, bidi or undecodable character written as a `\\xNN`/`\\uNNNN` escape."""
    return str(s).translate(_ESCAPES)


def visible_lines(s: str) -> str:
    """`visible(s)` keeping line breaks: for lines of data (CSV, JSON Lines) shown on a terminal."""
    return s.translate(_LINES)


def literal(s: object) -> str:
    """`visible(s)` escaped for Rich markup: prints exactly as it reads."""
    return escape(visible(s))


def shown(s: object, reveal: bool = False) -> str:
    """Case text (a path, reason, holder) for a Rich console: identifiers in it masked unless
    `reveal`, printed literally."""
    from .mask import redact

    text = "" if s is None else str(s)
    return literal(text if reveal else redact(text))
