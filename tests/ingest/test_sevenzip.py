"""7z: a damaged, unsupported or oversized folder fails its own members, not the archive."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import py7zr
from test_containers import doc_of, read_all

from leaktrace.ingest.containers import Limits, members

ONE, TWO, THREE = b"1" * 3000, b"2" * 3000, b"3" * 3000


def two_folders(path: Path, first=py7zr.FILTER_DEFLATE) -> Path:
    """A 7z of two folders: one.txt and two.txt in one (`first` method), three.txt stored in the
    other; headers plain (not compressed), so tests can find and patch them."""
    buf = io.BytesIO()
    with py7zr.SevenZipFile(buf, "w", filters=[{"id": first}]) as z:
        z.set_encoded_header_mode(False)
        z.writestr(ONE, "one.txt")
        z.writestr(TWO, "two.txt")
    buf.seek(0)
    with py7zr.SevenZipFile(buf, "a", filters=[{"id": py7zr.FILTER_COPY}]) as z:
        z.set_encoded_header_mode(False)
        z.writestr(THREE, "three.txt")
    path.write_bytes(buf.getvalue())
    return path


def patch_header(path: Path, old: bytes, new: bytes) -> None:
    """Replace bytes in the (plain) end header and fix the start header's CRCs."""
    data = bytearray(path.read_bytes())
    offset, size = struct.unpack_from("<QQ", data, 12)
    start = 32 + offset
    header = bytes(data[start:start + size])
    assert header.count(old) == 1
    data[start:start + size] = header.replace(old, new)
    struct.pack_into("<I", data, 28, zlib.crc32(data[start:start + size]))
    struct.pack_into("<I", data, 8, zlib.crc32(data[12:32]))
    path.write_bytes(bytes(data))


def test_two_folders_read(tmp_path):
    got = read_all(members(doc_of(two_folders(tmp_path / "a.7z")), "7z"))
    assert got == {"h/a.7z!one.txt": ONE, "h/a.7z!two.txt": TWO, "h/a.7z!three.txt": THREE}


def test_unsupported_method_fails_its_folder_only(tmp_path):
    path = two_folders(tmp_path / "a.7z")
    patch_header(path, b"\x04\x01\x08", b"\x04\x01\x7f")    # deflate -> an unknown method id
    got = read_all(members(doc_of(path), "7z"))
    assert got["h/a.7z!three.txt"] == THREE
    assert got["FAILED:one.txt"].startswith(b"compression method not supported")
    assert got["FAILED:two.txt"].startswith(b"not read: an earlier member of its solid block failed")
    assert len(got) == 3


def test_damaged_data_fails_its_folder_only(tmp_path):
    path = two_folders(tmp_path / "a.7z")
    data = bytearray(path.read_bytes())
    data[32:40] = b"\xff" * 8                                  # the deflate stream's first bytes
    path.write_bytes(bytes(data))
    got = read_all(members(doc_of(path), "7z"))
    assert got["h/a.7z!three.txt"] == THREE
    assert got["FAILED:one.txt"].startswith(b"damaged member")
    assert got["FAILED:two.txt"].startswith(b"not read: an earlier member of its solid block failed")


def test_crc_mismatch_fails_that_member_and_the_next_is_read(tmp_path):
    path = two_folders(tmp_path / "a.7z", first=py7zr.FILTER_COPY)
    data = path.read_bytes()
    at = data.index(ONE)
    path.write_bytes(data[:at] + b"X" + data[at + 1:])          # one.txt's first stored byte
    got = read_all(members(doc_of(path), "7z"))
    assert got == {"FAILED:one.txt": b"damaged member: CRC mismatch", "h/a.7z!two.txt": TWO,
                   "h/a.7z!three.txt": THREE}


def test_member_over_a_limit_fails_its_folder_and_the_next_folder_is_read(tmp_path):
    path = two_folders(tmp_path / "a.7z")
    got = read_all(members(doc_of(path), "7z", Limits(max_member_bytes=2000)))
    assert got["FAILED:one.txt"].startswith(b"expanded size over 2000 bytes")
    assert got["FAILED:two.txt"].startswith(b"not read: an earlier member of its solid block failed")
    assert got["FAILED:three.txt"].startswith(b"expanded size over 2000 bytes")


def test_same_name_twice_gives_both_members(tmp_path):
    path = tmp_path / "dup.7z"
    with py7zr.SevenZipFile(path, "w") as z:
        z.writestr(b"first", "a.txt")
        z.writestr(b"second", "a.txt")
    contents = []
    for item in members(doc_of(path), "7z"):
        with item.open() as f:
            contents.append(f.read())
    assert contents == [b"first", b"second"]


def test_a_header_that_parses_but_does_not_hold_together_fails_the_archive(tmp_path):
    """41 pack streams declared for 2: py7zr reads the header without its folders (found by fuzzing;
    the AttributeError escaped the scanner)."""
    path = two_folders(tmp_path / "a.7z")
    patch_header(path, b"\x01\x04\x06\x00\x02\x09", b"\x01\x04\x06\x00\x29\x09")
    got = read_all(members(doc_of(path), "7z"))
    assert list(got) == ["FAILED:"]
    assert got["FAILED:"].startswith(b"damaged 7z, members after those read are lost: AttributeError")
