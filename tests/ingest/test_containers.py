"""Archives: members with forensic paths, damaged and hostile archives handled with a reason."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import tarfile
import zipfile
from pathlib import Path

import py7zr
import pytest

from leaktrace.ingest.containers import Failed, Limits, members
from leaktrace.ingest.units import Document


def doc_of(path: Path) -> Document:
    return Document(path=f"h/{path.name}", name=path.name, size=path.stat().st_size,
                    open=lambda: open(path, "rb"))


def read_all(items) -> dict[str, bytes]:
    out = {}
    for it in items:
        if isinstance(it, Failed):
            out[f"FAILED:{it.name}"] = it.reason.encode()
        else:
            with it.open() as f:
                out[it.path] = f.read()
    return out


def make_zip(path: Path, files: dict[str, bytes], **kw) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, **kw) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return path


def test_zip_members_and_nested_paths(tmp_path):
    inner = make_zip(tmp_path / "inner.zip", {"c.csv": b"a,b\n1,2\n"})
    outer = make_zip(tmp_path / "a.zip", {"data/b.csv": b"x\n", "inner.zip": inner.read_bytes()})
    got = read_all(members(doc_of(outer), "zip"))
    assert got == {"h/a.zip!data/b.csv": b"x\n", "h/a.zip!inner.zip": inner.read_bytes()}
    nested = [m for m in members(doc_of(outer), "zip") if m.path.endswith("inner.zip")][0]
    assert nested.depth == 1
    assert read_all(members(nested, "zip")) == {"h/a.zip!inner.zip!c.csv": b"a,b\n1,2\n"}


def test_gbk_member_names_without_utf8_flag(tmp_path):
    # Windows tools store GBK names without the UTF-8 flag; zipfile then reads them as cp437.
    gbk = "客户.csv".encode("gbk")
    placeholder = b"x" * len(gbk)
    path = make_zip(tmp_path / "g.zip", {placeholder.decode(): b"1"})
    path.write_bytes(path.read_bytes().replace(placeholder, gbk))
    assert list(read_all(members(doc_of(path), "zip"))) == ["h/g.zip!客户.csv"]


def test_traversal_and_absolute_names_are_labels_only(tmp_path):
    path = make_zip(tmp_path / "evil.zip", {"../../x.csv": b"1", "/etc/passwd": b"2", "..\\..\\w.txt": b"3"})
    before = set(tmp_path.parent.rglob("*"))
    got = read_all(members(doc_of(path), "zip"))
    assert set(got) == {"h/evil.zip!../../x.csv", "h/evil.zip!etc/passwd", "h/evil.zip!../../w.txt"}
    assert set(tmp_path.parent.rglob("*")) == before  # nothing written anywhere


def test_encrypted_member_reported_others_read(tmp_path):
    path = make_zip(tmp_path / "e.zip", {"ok.txt": b"fine", "secret.csv": b"x"})
    raw = bytearray(path.read_bytes())
    # set the encryption flag on secret.csv in its local header and central directory entry
    for sig in (b"PK\x03\x04", b"PK\x01\x02"):
        pos = 0
        while (pos := raw.find(sig, pos)) >= 0:
            name_at = pos + (30 if sig == b"PK\x03\x04" else 46)
            if raw[name_at:name_at + 10] == b"secret.csv":
                flag_at = pos + (6 if sig == b"PK\x03\x04" else 8)
                raw[flag_at] |= 1
            pos += 4
    path.write_bytes(bytes(raw))
    got = read_all(members(doc_of(path), "zip"))
    assert got["h/e.zip!ok.txt"] == b"fine"
    assert b"encrypted" in got["FAILED:secret.csv"]


def test_truncated_zip_recovers_complete_members(tmp_path):
    path = make_zip(tmp_path / "t.zip", {"a.csv": b"1" * 1000, "b.csv": b"2" * 5000})
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) - 60])  # central directory cut off
    got = read_all(members(doc_of(path), "zip"))
    assert any(k.startswith("FAILED:") and b"damaged zip" in v for k, v in got.items())
    assert got["h/t.zip!a.csv"] == b"1" * 1000
    assert got["h/t.zip!b.csv"] == b"2" * 5000


def test_zip_bomb_stopped_by_ratio(tmp_path):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("zeros.bin", "w") as f:
            for _ in range(200):
                f.write(b"\0" * (1 << 20))
    limits = Limits(max_ratio=100, ratio_floor=1 << 20)
    got = read_all(members(doc_of(path), "zip", limits))
    assert list(got) == ["FAILED:zeros.bin"]
    assert b"ratio" in got["FAILED:zeros.bin"]


def test_tar_variants_and_links(tmp_path):
    src = tmp_path / "src"
    (src / "dir").mkdir(parents=True)
    (src / "dir" / "file.csv").write_bytes(b"id\n1\n")
    (src / "link").symlink_to("/etc/passwd")
    for mode, name in (("w", "x.tar"), ("w:gz", "x.tar.gz"), ("w:gz", "x.tgz"), ("w:bz2", "x.tar.bz2"), ("w:xz", "x.tar.xz")):
        path = tmp_path / name
        with tarfile.open(path, mode) as t:
            t.add(src / "dir", arcname="dir")
            t.add(src / "link", arcname="link")
        fmt = {"w": "tar", "w:gz": "gzip", "w:bz2": "bzip2", "w:xz": "xz"}[mode]
        got = read_all(members(doc_of(path), fmt))
        assert got[f"h/{name}!dir/file.csv"] == b"id\n1\n", name
        assert b"link" in got["FAILED:link"]


@pytest.mark.parametrize("fmt,suffix,compress", [
    ("gzip", ".gz", gzip.compress), ("bzip2", ".bz2", bz2.compress), ("xz", ".xz", lzma.compress)])
def test_single_file_compression(tmp_path, fmt, suffix, compress):
    path = tmp_path / f"dump.sql{suffix}"
    path.write_bytes(compress(b"INSERT INTO t VALUES (1);\n"))
    got = read_all(members(doc_of(path), fmt))
    assert got == {f"h/dump.sql{suffix}!dump.sql": b"INSERT INTO t VALUES (1);\n"}


def test_corrupt_gzip_reason(tmp_path):
    path = tmp_path / "bad.gz"
    path.write_bytes(gzip.compress(b"x" * 10000)[:30])
    got = read_all(members(doc_of(path), "gzip"))
    assert list(got) == ["FAILED:"] and b"damaged" in got["FAILED:"]


def test_7z_members_and_encrypted(tmp_path):
    path = tmp_path / "a.7z"
    with py7zr.SevenZipFile(path, "w") as z:
        z.writestr(b'{"a": 1}\n', "dir/file.jsonl")
        z.writestr(b"hello", "b.txt")
    got = read_all(members(doc_of(path), "7z"))
    assert got == {"h/a.7z!dir/file.jsonl": b'{"a": 1}\n', "h/a.7z!b.txt": b"hello"}
    enc = tmp_path / "e.7z"
    with py7zr.SevenZipFile(enc, "w", password="pw", header_encryption=True) as z:
        z.writestr(b"secret", "s.txt")
    got = read_all(members(doc_of(enc), "7z"))
    assert list(got) == ["FAILED:"]
