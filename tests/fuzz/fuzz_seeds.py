"""Seeds for fuzzing: one small valid file of every format the scanner reads, built at test time
with the synthetic case's writers and packers, and the mutations applied to them."""

from __future__ import annotations

import tempfile
from functools import lru_cache
from pathlib import Path

from hypothesis import strategies as st

from leaktrace.synth.containers import email_message, pack
from leaktrace.synth.writers import WRITERS

COLUMNS = ["name", "id_number", "mobile", "email"]
ROWS = [["Zhang San", "11010519491231002X", "13800138000", "zhang.san@example.com"],
        ["Li Si", "33030419851006304X", "15572422383", "li.si@example.org"],
        ["Wang Wu", "", "+86 139 1234 5678", ""]]
VCARD = ["FN", "TEL", "EMAIL"]

#: seed file name -> (writer format, the sniffed format the scanner records for it)
TABLES = {"people.csv": ("csv", "csv"), "people.xlsx": ("xlsx", "xlsx"), "people.xls": ("xls", "xls"),
          "people.ods": ("ods", "ods"), "people.docx": ("docx", "docx"), "people.pdf": ("pdf", "pdf"),
          "people.html": ("html", "html"), "people.json": ("json", "json"), "people.jsonl": ("jsonl", "jsonl"),
          "people.sql": ("mysql", "sql"), "people.db": ("sqlite", "sqlite"), "people.vcf": ("vcf", "vcf")}
#: archive seed name -> (pack kind, members taken from TABLES)
ARCHIVES = {"bundle.zip": ("zip", ["people.csv", "people.xlsx"]), "bundle.tar.gz": ("tar.gz", ["people.jsonl", "people.db"]),
            "people.csv.gz": ("gz", ["people.csv"]), "people.json.bz2": ("bz2", ["people.json"]),
            "people.sql.xz": ("xz", ["people.sql"]), "bundle.7z": ("7z", ["people.csv", "people.vcf"])}
FORMATS = {**{name: fmt for name, (_, fmt) in TABLES.items()}, "mail.eml": "eml",
           "bundle.zip": "zip", "bundle.tar.gz": "gzip", "people.csv.gz": "gzip", "people.json.bz2": "bzip2",
           "people.sql.xz": "xz", "bundle.7z": "7z"}


@lru_cache(maxsize=None)
def seeds() -> dict[str, bytes]:
    """Every seed file's name and bytes."""
    with tempfile.TemporaryDirectory(prefix="leaktrace-seeds-") as tmp:
        out = {}
        for name, (kind, _) in TABLES.items():
            path = Path(tmp) / name
            vcf = kind == "vcf"
            writer = WRITERS[kind](path, [("people", VCARD if vcf else COLUMNS)])
            for row in ROWS:
                writer.add(0, [row[0], row[2], row[3]] if vcf else row)
            writer.close()
            out[name] = path.read_bytes()
        for name, (kind, names) in ARCHIVES.items():
            pack(kind, Path(tmp) / name, [(n, Path(tmp) / n) for n in names])
            out[name] = (Path(tmp) / name).read_bytes()
    out["mail.eml"] = email_message("a@example.com", "b@example.org", "list", "call 13800138000\n",
                                    "Fri, 20 May 2016 09:30:00 +0800", "<1@example.com>",
                                    [("people.csv", out["people.csv"])])
    return out


BOUNDARIES = [0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF, 2**63 - 1, 2**64 - 1]


def mutations(names: list[str]) -> st.SearchStrategy[list[tuple]]:
    """1-8 mutations, each (operation, position, size or value, spliced seed): byte flips, boundary
    integers written over length fields, truncation, deletion, duplication, and splices of another
    seed's bytes. Positions are fractions of the length, so a failing example reads as a recipe."""
    at = st.floats(0, 1)
    op = st.one_of(
        st.tuples(st.just("flip"), at, st.integers(1, 255)),
        st.tuples(st.just("boundary"), at, st.sampled_from(BOUNDARIES), st.sampled_from([1, 2, 4, 8]),
                  st.sampled_from(["little", "big"])),
        st.tuples(st.just("truncate"), at),
        st.tuples(st.sampled_from(["delete", "duplicate"]), at, st.integers(1, 4096)),
        st.tuples(st.just("splice"), at, st.integers(1, 4096), st.sampled_from(names), at),
    )
    return st.lists(op, min_size=1, max_size=8)


def mutate(data: bytes, ops: list[tuple]) -> bytes:
    """`data` after the mutations `ops` (from `mutations`)."""
    out = bytearray(data)
    for kind, where, *args in ops:
        at = int(where * len(out))
        if kind == "flip" and at < len(out):
            out[at] ^= args[0]
        elif kind == "boundary":
            value, width, order = args
            out[at:at + width] = (value % (1 << 8 * width)).to_bytes(width, order)
        elif kind == "truncate":
            del out[at:]
        elif kind in ("delete", "duplicate"):
            out[at:at + args[0]] = b"" if kind == "delete" else out[at:at + args[0]] * 2
        elif kind == "splice":
            size, name, start = args
            other = seeds()[name]
            begin = int(start * len(other))
            out[at:at] = other[begin:begin + size]
    return bytes(out)
