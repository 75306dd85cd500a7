"""SQL dumps (mysqldump, pg_dump, SQLite .dump): rows of INSERT and COPY as tables.

Streamed statement by statement. `CREATE TABLE` gives column names; multi-row
`INSERT … VALUES (…),(…)` (MySQL backslash escapes, `''`, NULL) and
PostgreSQL `COPY … FROM stdin` blocks give rows; each table is one stream of
`TableBatch`es whose `first_row` is the 1-based record ordinal in that table.
Other statements that carry data (e.g. UPDATE, COMMENT ON) are yielded as `TextBlock`s
with `part="statement N"`, and comments before a statement as `part="comments before
statement N"`; their offsets are relative to that text.
"""

from __future__ import annotations

import io
import re
from typing import Iterator

from ..decode import ERRORS, bom_length, codec_of
from ..units import Document, ReadResult, TableBatch, TextBlock, Unit, Unreadable
from .common import BATCH_ROWS, document_encoding
from .header import column_names

CHUNK_CHARS = 1 << 20
MAX_STATEMENT_CHARS = 4 << 20   # mysqldump writes INSERTs of 1 MiB (--net-buffer-length)
PIECE_WINDOW = 64 << 10          # where an over-long statement's piece may end at a separator

_IDENT = r"(?:`[^`]+`|\"[^\"]+\"|\[[^\]]+\]|[\w$]+)"
_NAME = rf"({_IDENT}(?:\s*\.\s*{_IDENT})?)"
_SPECIAL = re.compile(r"[;'\"`]|--|/\*|#")
_STRINGS = {"'": re.compile(r"'(?:[^'\\]++|\\.|'')*+'", re.S),
            '"': re.compile(r'"(?:[^"\\]++|\\.|"")*+"', re.S),
            "`": re.compile(r"`[^`]*+`")}
# A run with no statement end or comment: plain characters and whole quoted strings, in one match.
_PLAIN = re.compile(r"""(?:[^;'"`#/-]++|/(?!\*)|-(?!-)|'(?:[^'\\]++|\\.|'')*+'|"(?:[^"\\]++|\\.|"")*+"|`[^`]*+`)*+""",
                    re.S)
_LEADING_COMMENTS = re.compile(r"^(?:\s+|--[^\n]*(?:\n|$)|#[^\n]*(?:\n|$)|/\*.*?\*/)*", re.S)
_INSERT = re.compile(
    rf"(?:INSERT|REPLACE)\s+(?:(?:LOW_PRIORITY|DELAYED|HIGH_PRIORITY|IGNORE)\s+)*"
    rf"(?:INTO\s+)?{_NAME}\s*(?:\(([^)]*)\))?\s*VALUES\s*", re.I | re.S)
_CREATE = re.compile(rf"CREATE\s+(?:TEMPORARY\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?{_NAME}\s*\(",
                     re.I | re.S)
_COPY = re.compile(rf"COPY\s+(?:ONLY\s+)?{_NAME}\s*(?:\(([^)]*)\))?\s+FROM\s+stdin", re.I | re.S)
_VALUE = re.compile(r"""\s*(?:'((?:[^'\\]++|\\.|'')*+)'|(\()|(\))|(,)|([^\s'(),]+))""", re.S)
_ITEM = r"(?:'(?:[^'\\]++|\\.|'')*+'|[^\s'(),]+)"   # one string or bare word, as `_VALUE` tokens
_SIMPLE_TUPLE = re.compile(rf"\s*\((\s*{_ITEM}(?:\s*,\s*{_ITEM})*)\s*\)", re.S)
_SIMPLE_RUN = re.compile(rf"(?:\s*\(\s*{_ITEM}(?:\s*,\s*{_ITEM})*\s*\)\s*,)*+", re.S)
# In a run of simple tuples: each value (quoted body or bare word) and whether its tuple ends after it.
_RUN_ITEM = re.compile(r"\s*(?:'((?:[^'\\]++|\\.|'')*+)'|([^\s'(),]+))\s*(\))?", re.S)
_QUIET = re.compile(r"(?i)(?:DROP|LOCK|UNLOCK|SET|USE|BEGIN|COMMIT|START|ALTER|PRAGMA|"
                    r"SELECT\s+pg_catalog|CREATE\s+(?:DATABASE|SCHEMA|INDEX|UNIQUE|SEQUENCE|"
                    r"FUNCTION|TRIGGER|VIEW|EXTENSION|TYPE)|GRANT|REVOKE|ANALYZE)\b")
_DATA_CHAR = re.compile(r"[0-9@]")   # text without a digit or `@` holds no identifier worth a block
_NOT_COLUMNS = {"PRIMARY", "KEY", "UNIQUE", "INDEX", "CONSTRAINT", "FOREIGN", "CHECK",
                "FULLTEXT", "SPATIAL", "EXCLUDE", "LIKE", "PERIOD"}
_MYSQL_ESC = {"0": "\0", "n": "\n", "r": "\r", "t": "\t", "b": "\b", "Z": "\x1a"}
_COPY_ESC = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


def read(doc: Document, result: ReadResult) -> Iterator[Unit]:
    """Tables of the dump as `TableBatch`es, statement by statement."""
    with doc.open() as fh:
        encoding = document_encoding(doc, fh)
        result.encoding = encoding
        fh.seek(bom_length(encoding))
        stream = io.TextIOWrapper(fh, encoding=codec_of(encoding), errors=ERRORS, newline="")
        yield from _Dump(_Scanner(stream), result).units()
        result.text_bytes = doc.size


def ident(raw: str) -> str:
    """An identifier without quotes; schema-qualified names keep their dot."""
    parts = re.findall(_IDENT, raw)
    return ".".join(p.strip('`"[]') for p in parts)


def column_list(raw: str | None) -> list[str]:
    """Names of a `(a, b, c)` column list."""
    return [ident(c) for c in raw.split(",")] if raw and raw.strip() else []


class _Scanner:
    """Splits a text stream into SQL statements, skipping quoted text and comments."""

    def __init__(self, stream: io.TextIOBase):
        self.stream = stream
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.cut = False    # the last statement returned was cut at `MAX_STATEMENT_CHARS`, not ended

    def _more(self) -> int:
        """Append the next chunk, dropping consumed text; the shift in positions, -1 at EOF."""
        chunk = "" if self.eof else self.stream.read(CHUNK_CHARS)
        if not chunk:
            self.eof = True
            return -1
        shift = self.pos
        self.buf = self.buf[shift:] + chunk
        self.pos = 0
        return shift

    def statement(self) -> str | None:
        """The next statement without its `;` (the remainder at EOF), or None at the end.

        A statement longer than `MAX_STATEMENT_CHARS` is returned in pieces of about that size,
        each with `cut` set; the piece that ends it has `cut` clear. Memory and time stay linear
        in the input whatever it holds (no `;`, a string or comment that never closes).
        """
        self.cut = False
        i = self.pos
        while True:
            m = _SPECIAL.search(self.buf, _PLAIN.match(self.buf, i).end())
            if m is None:   # rescan only a last `-` or `/`, which may open a comment with the next chunk
                resume = max(len(self.buf) - 1, i) if self.buf[-1:] in ("-", "/") else len(self.buf)
            else:
                tok, start = m.group(), m.start()
                if tok == ";":
                    stmt = self.buf[self.pos:start]
                    self.pos = start + 1
                    return stmt
                end = self._skip(tok, start)
                if end >= 0:
                    i = end
                    continue
                resume = start
            if len(self.buf) - self.pos >= MAX_STATEMENT_CHARS:
                return self._piece()
            shift = self._more()
            if shift < 0:
                return self._tail()
            i = resume - shift

    def _piece(self) -> str:
        """The buffered text of an over-long statement up to its last separator (`,`, `)`, white
        space, so that no value is cut in two), consumed; scanning goes on after it afresh."""
        end = 1 + max(self.buf.rfind(c, max(self.pos, len(self.buf) - PIECE_WINDOW)) for c in ",) \n\t")
        end = end if end > self.pos else len(self.buf)
        piece, self.pos, self.cut = self.buf[self.pos:end], end, True
        return piece

    def _skip(self, tok: str, start: int) -> int:
        """End of the string or comment opened by `tok` at `start`; -1 if not in the buffer."""
        if tok in _STRINGS:
            m = _STRINGS[tok].match(self.buf, start)
            return m.end() if m else -1
        closer = "*/" if tok == "/*" else "\n"
        end = self.buf.find(closer, start + len(tok))
        return end + len(closer) if end >= 0 else -1

    def _tail(self) -> str | None:
        rest = self.buf[self.pos:]
        self.buf, self.pos = "", 0
        return rest if rest.strip() else None

    def lines_until_terminator(self) -> Iterator[str]:
        """Data lines of a COPY block, up to the `\\.` line."""
        nl = self.buf.find("\n", self.pos)
        while nl < 0 and self._more() >= 0:
            nl = self.buf.find("\n", self.pos)
        self.pos = nl + 1 if nl >= 0 else len(self.buf)
        while True:
            nl = self.buf.find("\n", self.pos)
            if nl < 0 and len(self.buf) - self.pos >= MAX_STATEMENT_CHARS:   # an over-long line: as it is
                yield self._piece()
                continue
            if nl < 0:
                if self._more() >= 0:
                    continue
                line, self.pos = self.buf[self.pos:], len(self.buf)
                if line.strip() and line.rstrip("\r") != "\\.":
                    yield line
                return
            line = self.buf[self.pos:nl].rstrip("\r")
            self.pos = nl + 1
            if line == "\\.":
                return
            yield line


class _Dump:
    """Turns statements into units, keeping per-table columns and row counters."""

    def __init__(self, scanner: _Scanner, result: ReadResult):
        self.scanner = scanner
        self.result = result
        self.columns: dict[str, list[str]] = {}
        self.pending: dict[str, list[list[str | None]]] = {}
        self.next_row: dict[str, int] = {}
        self.backslash = True
        self.count = 0

    def units(self) -> Iterator[Unit]:
        long = False    # in a statement over `MAX_STATEMENT_CHARS`
        while (stmt := self.scanner.statement()) is not None:
            if long or self.scanner.cut:
                yield from self._long_statement(stmt, long)
                long = self.scanner.cut
                continue
            self.count += 1
            lead = _LEADING_COMMENTS.match(stmt).end()
            if lead and _DATA_CHAR.search(stmt, 0, lead):   # a comment may name who exported what
                yield TextBlock(text=stmt[:lead], byte_offset=0, encoding="utf-8",
                                part=f"comments before statement {self.count}")
            if stmt := stmt[lead:]:
                yield from self._statement(stmt)
        for table in list(self.pending):
            yield from self._flush(table)

    def _long_statement(self, piece: str, more: bool) -> Iterator[Unit]:
        """A piece of a statement over `MAX_STATEMENT_CHARS` (`more`: not its first), as text."""
        if not more:
            self.count += 1
            yield Unreadable(f"statement {self.count}: over {MAX_STATEMENT_CHARS} characters without a `;`; "
                             "read as text, not as rows")
        if piece.strip():
            yield TextBlock(text=piece, byte_offset=0, encoding="utf-8", part=f"statement {self.count}")

    def _statement(self, stmt: str) -> Iterator[Unit]:
        if m := _INSERT.match(stmt):
            yield from self._insert(m, stmt)
        elif m := _CREATE.match(stmt):
            self.columns[ident(m.group(1))] = _create_columns(stmt[m.end():])
        elif m := _COPY.match(stmt):
            yield from self._copy(ident(m.group(1)), column_list(m.group(2)))
        elif re.match(r"(?i)SET\s+standard_conforming_strings\s*=\s*'?on", stmt):
            self.backslash = False
        elif not _QUIET.match(stmt) and _DATA_CHAR.search(stmt):
            yield TextBlock(text=stmt, byte_offset=0, encoding="utf-8",
                            part=f"statement {self.count}")

    def _insert(self, m: re.Match, stmt: str) -> Iterator[Unit]:
        table = ident(m.group(1))
        cols = column_list(m.group(2))
        if cols and table not in self.columns:
            self.columns[table] = cols
        try:
            for row in _tuples(stmt, m.end(), self.backslash):
                yield from self._add(table, row, cols)
        except ValueError as exc:
            yield Unreadable(f"statement {self.count} (INSERT INTO {table}): {exc}")

    def _copy(self, table: str, cols: list[str]) -> Iterator[Unit]:
        if cols:
            self.columns.setdefault(table, cols)
        for line in self.scanner.lines_until_terminator():
            yield from self._add(table, [_copy_field(f) for f in line.split("\t")], cols)

    def _add(self, table: str, row: list[str | None], cols: list[str]) -> Iterator[Unit]:
        rows = self.pending.setdefault(table, [])
        if rows and cols and cols != self._columns(table, len(row)):
            yield from self._flush(table)
            rows = self.pending.setdefault(table, [])
        if not rows and cols:
            self.columns[table] = cols
        rows.append(row)
        if len(rows) >= BATCH_ROWS:
            yield from self._flush(table)

    def _columns(self, table: str, width: int) -> list[str]:
        return column_names(self.columns.get(table), max(width, len(self.columns.get(table, []))))

    def _flush(self, table: str) -> Iterator[TableBatch]:
        rows = self.pending.pop(table, [])
        if not rows:
            return
        if table not in self.next_row:
            self.next_row[table] = 1
            self.result.tables += 1
        first = self.next_row[table]
        width = max(map(len, rows))
        yield TableBatch(table=table, columns=self._columns(table, width), rows=rows,
                         first_row=first, has_header=table in self.columns)
        self.next_row[table] = first + len(rows)
        self.result.rows += len(rows)


def _create_columns(body: str) -> list[str]:
    """Column names from the inside of `CREATE TABLE name ( … )`."""
    names, depth, item = [], 0, []
    for m in _VALUE.finditer(body):
        quoted, opening, closing, comma, bare = m.groups()
        if opening:
            depth += 1
        elif closing:
            if depth == 0:
                break
            depth -= 1
        elif comma and depth == 0:
            names.append(item)
            item = []
        elif bare and depth == 0:
            item.append(bare)
    names.append(item)
    return [ident(i[0]) for i in names
            if i and i[0].strip('`"').upper() not in _NOT_COLUMNS]


def _tuples(stmt: str, pos: int, backslash: bool) -> Iterator[list[str | None]]:
    """Rows of `VALUES (…),(…)` starting at `pos`: the run of simple tuples (one string or bare word
    per value) there, found by one match and split by one more, then from the first other tuple
    on token by token (`_tokenized_tuples`)."""
    end = _SIMPLE_RUN.match(stmt, pos).end()        # simple tuples, each with its comma
    if last := _SIMPLE_TUPLE.match(stmt, end):      # and one more without
        end = last.end()
    row: list[str | None] = []
    for q, b, close in _RUN_ITEM.findall(stmt, pos, end):
        row.append((None if b == "NULL" else b) if b else
                   unescape(q, backslash) if "\\" in q or "''" in q else q)
        if close:
            yield row
            row = []
    yield from _tokenized_tuples(stmt, end, backslash)


def _tokenized_tuples(stmt: str, pos: int, backslash: bool) -> Iterator[list[str | None]]:
    """Rows of `VALUES (…),(…)` starting at `pos`, token by token."""
    depth, row, parts = 0, [], []
    for m in _VALUE.finditer(stmt, pos):
        quoted, opening, closing, comma, bare = m.groups()
        if opening:
            depth += 1
            if depth == 1:
                row, parts = [], []
            else:
                parts.append(("raw", "("))
        elif closing:
            depth -= 1
            if depth == 0:
                row.append(_value(parts, backslash))
                yield row
            elif depth < 0:
                raise ValueError("unbalanced parenthesis")
            else:
                parts.append(("raw", ")"))
        elif comma:
            if depth == 1:
                row.append(_value(parts, backslash))
                parts = []
            elif depth > 1:
                parts.append(("raw", ","))
        elif quoted is not None:
            parts.append(("str", quoted))
        elif bare and depth >= 1:
            parts.append(("raw", bare))
    if depth:
        raise ValueError("unterminated VALUES tuple")


def _value(parts: list[tuple[str, str]], backslash: bool) -> str | None:
    """A value from its tokens: NULL, the (unescaped) string, or the raw text."""
    strings = [v for kind, v in parts if kind == "str"]
    if len(parts) == 1 and parts[0] == ("raw", "NULL") or not parts:
        return None
    if strings and len(parts) <= 2:
        return unescape(strings[-1], backslash)
    return "".join(v if kind == "raw" else unescape(v, backslash) for kind, v in parts)


def unescape(s: str, backslash: bool = True) -> str:
    """Body of a quoted SQL string: `''` -> `'`, and MySQL backslash escapes."""
    if backslash and "\\" in s:
        s = re.sub(r"\\(.)|''", lambda m: _MYSQL_ESC.get(m.group(1), m.group(1))
                   if m.group(1) is not None else "'", s, flags=re.S)
        return s
    return s.replace("''", "'")


def _copy_field(field: str) -> str | None:
    """A COPY text-format field: `\\N` is NULL, backslash escapes decoded."""
    if field == "\\N":
        return None
    if "\\" not in field:
        return field
    return re.sub(r"\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)", _copy_escape, field)


def _copy_escape(m: re.Match) -> str:
    code = m.group(1)
    if code[0] == "x" and len(code) > 1:
        return chr(int(code[1:], 16))
    if code.isdigit():
        return chr(int(code, 8))
    return _COPY_ESC.get(code, code)
