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


@st.composite
def mutated(draw, name: str) -> bytes:
    """The seed `name` after 1-8 mutations: byte flips, boundary integers written over length
    fields, truncation, deletion, duplication, and splices of another seed's bytes."""
    data = bytearray(seeds()[name])
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["flip", "boundary", "truncate", "delete", "duplicate", "splice"]))
        at = draw(st.integers(0, len(data)))
        if op == "flip" and at < len(data):
            data[at] ^= draw(st.integers(1, 255))
        elif op == "boundary":
            width, order = draw(st.sampled_from([1, 2, 4, 8])), draw(st.sampled_from(["little", "big"]))
            value = draw(st.sampled_from(BOUNDARIES)) % (1 << 8 * width)
            data[at:at + width] = value.to_bytes(width, order)
        elif op == "truncate":
            del data[at:]
        elif op in ("delete", "duplicate"):
            end = draw(st.integers(at, min(len(data), at + 4096)))
            data[at:end] = b"" if op == "delete" else data[at:end] * 2
        elif op == "splice":
            other = seeds()[draw(st.sampled_from(sorted(seeds())))]
            start = draw(st.integers(0, len(other)))
            data[at:at] = other[start:start + draw(st.integers(1, 4096))]
    return bytes(data)
