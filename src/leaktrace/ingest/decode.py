"""Text decoding: per-document encoding detection and streamed, offset-exact text blocks.

Undecodable bytes are decoded by the ``leaktrace-byteesc`` error handler to one
private-use character each (U+F700 + byte), so every character still maps back
to an exact byte offset (see `detect.text.byte_offsets`) and the text stays valid Unicode.
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache
from typing import IO, Iterator

import numpy as np
import pyarrow as pa

from .units import TextBlock

SAMPLE_SIZE = 64 << 10
SPLIT_WINDOW = 64 << 10
ESC_BASE = 0xF700

_CJK_CODECS = {"gb18030", "gbk", "gb2312", "big5", "big5hkscs", "cp950", "cp936",
               "shift_jis", "cp932", "euc_jp", "euc_kr", "cp949", "johab", "hz",
               "iso2022_jp", "iso2022_kr", "euc_jis_2004", "shift_jis_2004"}
# UTF-32 first: its little-endian mark begins with UTF-16's.
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32-le-bom"),
         (codecs.BOM_UTF32_BE, "utf-32-be-bom"), (codecs.BOM_UTF16_LE, "utf-16-le-bom"),
         (codecs.BOM_UTF16_BE, "utf-16-be-bom"))
_BOM_CODECS = {"utf-8-sig": ("utf-8", 3), "utf-16-le-bom": ("utf-16-le", 2), "utf-16-be-bom": ("utf-16-be", 2),
               "utf-32-le-bom": ("utf-32-le", 4), "utf-32-be-bom": ("utf-32-be", 4)}


def _byteesc(err: UnicodeDecodeError) -> tuple[str, int]:
    bad = err.object[err.start:err.end]
    return "".join(chr(ESC_BASE + b) for b in bad), err.end


codecs.register_error("leaktrace-byteesc", _byteesc)
ERRORS = "leaktrace-byteesc"


# --------------------------------------------------------------------------- names

def normalize(encoding: str) -> str:
    """Python's canonical codec name (`GBK` -> `gbk`, `UTF8` -> `utf-8`)."""
    return codecs.lookup(encoding).name


def codec_of(encoding: str) -> str:
    """The codec that decodes the bytes after the BOM (`utf-8-sig` -> `utf-8`)."""
    return _BOM_CODECS[encoding][0] if encoding in _BOM_CODECS else encoding


def bom_length(encoding: str) -> int:
    """Length of the byte-order mark implied by a detected encoding name."""
    return _BOM_CODECS[encoding][1] if encoding in _BOM_CODECS else 0


def utf8_text(data: bytes, codec: str) -> bytes:
    """`data` decoded as `codec` (undecodable bytes escaped as the readers do) and encoded in UTF-8;
    valid UTF-8 is returned as it is, without the round trip."""
    if codec == "utf-8" and valid_utf8(data):
        return data
    return data.decode(codec, ERRORS).encode("utf-8")


def valid_utf8(data: bytes) -> bool:
    """Strict UTF-8 (no surrogates), checked by Arrow without making a str."""
    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64))
    try:
        pa.LargeStringArray.from_buffers(1, offsets, pa.py_buffer(data)).validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def unit_size(codec: str) -> int:
    """Bytes per code unit: 2 for UTF-16, 4 for UTF-32, else 1."""
    return 2 if codec.startswith("utf-16") else 4 if codec.startswith("utf-32") else 1


def is_multibyte_legacy(codec: str) -> bool:
    """True for CJK double-byte codecs, whose trail bytes overlap ASCII."""
    return normalize(codec) in _CJK_CODECS


# --------------------------------------------------------------------------- detection

def detect_encoding(stream: IO[bytes], size: int | None = None) -> str:
    """Detect a document's encoding from samples of its bytes; the stream is rewound.

    Returns `utf-8`, `utf-8-sig`, `utf-16-le`/`utf-16-be` and `utf-32-le`/`utf-32-be` (no BOM),
    `utf-16-le-bom`/`utf-16-be-bom`/`utf-32-le-bom`/`utf-32-be-bom`, an ISO-2022 codec (7-bit
    text with its escape sequences), `euc_jp`/`cp932` (Japanese), `euc_kr`/`cp949`/`johab`
    (Korean), `gb18030`, `big5` or another codec name from charset-normalizer. Pure ASCII heads
    are re-checked further in.
    """
    stream.seek(0)
    head = stream.read(SAMPLE_SIZE)
    samples = [head]
    if head.isascii() and (size is None or size > SAMPLE_SIZE):
        samples += _later_samples(stream, size)
    stream.seek(0)
    return detect_bytes(head, samples[1:])


def _later_samples(stream: IO[bytes], size: int | None) -> list[bytes]:
    """Windows at 1/3, 2/3 and the end of the stream, resynchronised after a newline."""
    if size is None:
        size = stream.seek(0, 2)
    out = []
    for pos in (size // 3, 2 * size // 3, max(size - SAMPLE_SIZE, 0)):
        if pos < SAMPLE_SIZE:
            continue
        stream.seek(pos)
        chunk = stream.read(SAMPLE_SIZE)
        nl = chunk.find(b"\n")
        if nl >= 0:
            out.append(chunk[nl + 1:])
    return out


def detect_bytes(head: bytes, more: list[bytes] = ()) -> str:
    """Detect the encoding of `head` (the document's first bytes) plus later samples."""
    return _detect(head, tuple(more)) if more else _detect_head(head)


@lru_cache(maxsize=4)
def _detect_head(head: bytes) -> str:
    """`_detect` of a head alone, remembered: the sniffer and then the reader of a small
    document ask about the same bytes."""
    return _detect(head, ())


def _detect(head: bytes, more: tuple[bytes, ...]) -> str:
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    wide = _utf32_without_bom(head) or _utf16_without_bom(head)
    if wide:
        return wide
    sample = b"\n".join([head, *more])
    if sample.isascii():
        return _iso2022(sample) or "utf-8"
    if decodes(sample, "utf-8"):
        return "utf-8"
    return _detect_legacy(sample)


def _utf32_without_bom(head: bytes) -> str:
    """`utf-32-le`/`utf-32-be` when every 4-byte unit is a code point, 95 % of them printable (not
    C0 or C1 controls but tab and line ends: numbers stored as 32-bit integers are not), and the
    text decodes."""
    sample = head[: len(head) & ~3]
    n = len(sample) // 4
    if n < 2 or sample.count(0) < 2 * n:   # UTF-32 text is at least half NULs
        return ""
    for codec, dtype in (("utf-32-le", "<u4"), ("utf-32-be", ">u4")):
        units = np.frombuffer(sample, dtype=dtype)
        printable = ((units >= 0x20) & (units < 0x7F)) | (units >= 0xA0) | np.isin(units, (9, 10, 13))
        if units.max() < 0x110000 and 20 * np.count_nonzero(printable) >= 19 * n and decodes(sample, codec):
            return codec
    return ""


def _utf16_without_bom(head: bytes) -> str:
    """`utf-16-le`/`utf-16-be` when NULs sit on one parity of mostly-ASCII text."""
    sample = head[: len(head) & ~1]
    half = len(sample) // 2
    if len(sample) < 4 or sample.count(0) <= 0.3 * half:   # too few NULs for either parity
        return ""
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return ""


# 7-bit ISO-2022 text announces its character sets by escape sequences.
_ISO2022 = ((b"\x1b$)C", "iso2022_kr"), (b"\x1b$B", "iso2022_jp"), (b"\x1b$@", "iso2022_jp"),
            (b"\x1b$(D", "iso2022_jp_1"))


def _iso2022(sample: bytes) -> str:
    """The ISO-2022 codec whose escape sequence opens a character set in 7-bit `sample`, if it decodes."""
    if b"\x1b" not in sample:
        return ""
    return next((codec for esc, codec in _ISO2022 if esc in sample and decodes(sample, codec)), "")


@lru_cache(maxsize=4)
def decodes(data: bytes, codec: str) -> bool:
    """True when `data` decodes strictly (a truncated last character is allowed).

    Remembered: the encoding detector and the binary test ask about the same head.
    """
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        pass
    else:
        _last_decoded[:] = [data, codec, text]
        return True
    try:  # again, allowing the last character to be cut off
        codecs.getincrementaldecoder(codec)().decode(data, final=False)
        return True
    except UnicodeDecodeError:
        return False


# The last text `decodes` read whole: a small document's reader decodes the same bytes again.
_last_decoded: list = [b"", "", ""]


def _decode(data: bytes, codec: str) -> str:
    """`data` decoded (undecodable bytes escaped), taken from `decodes` when it just read the same bytes."""
    last, last_codec, text = _last_decoded
    if codec == last_codec and data == last:
        return text
    return data.decode(codec, ERRORS)


def _gb2312_share(data: bytes) -> float:
    """Share of GB18030 double-byte characters that lie in the GB2312 (common) area."""
    text = data.decode("gb18030", "ignore")
    wide = [c for c in text if ord(c) > 0x7F]
    if not wide:
        return 0.0
    common = sum(1 for c in wide if _in_gb2312(c))
    return common / len(wide)


def _in_gb2312(char: str) -> bool:
    try:
        b = char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(b) == 2


def _cjk_share(text: str) -> float:
    """Share of CJK ideographs among the non-ASCII characters of `text`."""
    wide = [c for c in text if ord(c) > 0x7F]
    if not wide:
        return 0.0
    return sum(1 for c in wide if "\u3000" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef") / len(wide)


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_KANA = re.compile(r"[\u3040-\u30ff]")                # hiragana and (full-width) katakana
_HANGUL = re.compile(r"[\uac00-\ud7a3]")              # Hangul syllables
_JAPANESE = ("euc_jp", "cp932")
_KOREAN = ("euc_kr", "cp949", "johab")
MIN_KANA = 0.15          # Japanese prose: 30-80 % of its non-ASCII characters are kana; Chinese: none
MIN_HANGUL = 0.6         # Korean prose: nearly all of them are Hangul syllables
MIN_COMMON_KOREAN = 0.15  # ... and 25-40 % are its 26 commonest; in Chinese read as Korean, under 5 %
MAX_COMMON_CHINESE = 0.1  # Chinese: 15-50 % are its 100 commonest characters; Japanese or Korean read as GB18030: under 8 %


def _share(text: str, chars: re.Pattern) -> float:
    """Share of the non-ASCII characters of `text` that `chars` matches."""
    wide = len(_NON_ASCII.findall(text))
    return len(chars.findall(text)) / wide if wide else 0.0


@lru_cache(maxsize=None)
def _common(language: str) -> re.Pattern:
    """The commonest characters of `language`, from charset-normalizer's frequency tables."""
    from charset_normalizer.constant import FREQUENCIES

    return re.compile("[" + re.escape("".join(FREQUENCIES[language])) + "]")


def _japanese_or_korean(sample: bytes) -> str:
    """`euc_jp`/`cp932` for Japanese text, `euc_kr`/`cp949`/`johab` for Korean, "" for anything else.

    Their double-byte ranges overlap GB18030's (EUC-KR Hangul are GB2312 ideographs byte for
    byte), so bytes that decode are not enough: the text must read as the language, by its
    kana, or by its Hangul and commonest syllables, and not as Chinese by its commonest
    characters. A sample that does not decode strictly in a codec is not taken for it.
    """
    if decodes(sample, "gb18030") and _share(_strict(sample, "gb18030"), _common("Chinese")) >= MAX_COMMON_CHINESE:
        return ""
    for codec in _JAPANESE:
        if decodes(sample, codec) and _share(_strict(sample, codec), _KANA) >= MIN_KANA:
            return codec
    for codec in _KOREAN:
        if decodes(sample, codec):
            text = _strict(sample, codec)
            if _share(text, _HANGUL) >= MIN_HANGUL and _share(text, _common("Korean")) >= MIN_COMMON_KOREAN:
                return codec
    return ""


def _strict(data: bytes, codec: str) -> str:
    """`data` (which `decodes` in `codec`) decoded, a last character cut off by the sample dropped."""
    return codecs.getincrementaldecoder(codec)().decode(data, final=False)


def _detect_legacy(sample: bytes) -> str:
    """Non-UTF encodings: Japanese or Korean when the text reads so, GB18030 when it fits
    common simplified text, else Big5 or a guess."""
    east = _japanese_or_korean(sample)
    if east:
        return east
    gb_ok = decodes(sample, "gb18030")
    if gb_ok and _gb2312_share(sample) >= 0.9:
        return "gb18030"
    guess = _charset_normalizer_guess(sample)
    if guess and normalize(guess) in ("big5", "cp950", "big5hkscs") and decodes(sample, "big5"):
        return "big5"
    if not guess and decodes(sample, "big5") and not gb_ok:
        return "big5"
    if gb_ok and (not guess or normalize(guess) in _CJK_CODECS):
        text = sample.decode("gb18030", "ignore")
        if _cjk_share(text) >= 0.5:
            return "gb18030"
    if guess:
        return normalize(guess)
    return "gb18030" if gb_ok else "utf-8"


def _charset_normalizer_guess(sample: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    return best.encoding if best is not None else ""


# --------------------------------------------------------------------------- blocks

def text_blocks(stream: IO[bytes], encoding: str, block_size: int = 4 << 20,
                part: str = "") -> Iterator[TextBlock]:
    """Stream `stream` as decoded `TextBlock`s with exact byte offsets and line numbers.

    `encoding` is a name from `detect_encoding` (a BOM is skipped). Blocks end
    after the last line break in the block; a block without one ends after a
    separator byte (`, ; tab " '`, and `|` where it cannot be a trail byte)
    within its last 64 KiB, else at any character boundary. Memory is bounded
    by `block_size`.
    """
    codec = codec_of(encoding)
    unit = unit_size(codec)
    stream.seek(0)
    offset = len(stream.read(bom_length(encoding)))
    block_size = max(block_size, 16)
    line = 1
    carry = b""
    while True:
        want = block_size - len(carry)
        data = stream.read(want)
        buf = carry + data
        eof = len(data) < want
        if not buf:
            return
        cut = len(buf) if eof else _cut(buf, codec, unit)
        text = _decode(buf[:cut], codec)
        yield TextBlock(text=text, byte_offset=offset, encoding=codec, line=line, part=part)
        line += text.count("\n")
        offset += cut
        carry = buf[cut:]


def _cut(buf: bytes, codec: str, unit: int) -> int:
    """Where to end a block taken from the front of `buf` (never 0, never mid-character)."""
    if unit > 1:
        cut = _rfind_aligned(buf, "\n".encode(codec), 0)
        if cut < 0:
            seps = [c.encode(codec) for c in _separators(codec)]
            cut = max(_rfind_aligned(buf, s, len(buf) - SPLIT_WINDOW) for s in seps)
    else:
        cut = buf.rfind(b"\n") + 1 or -1
        if cut < 0:
            start = max(len(buf) - SPLIT_WINDOW, 0)
            cut = max(buf.rfind(c.encode("ascii"), start) for c in _separators(codec)) + 1 or -1
    if cut <= 0:
        cut = _char_boundary(buf, codec)
    return cut if cut > 0 else len(buf)


def _separators(codec: str) -> str:
    """Bytes that end a block safely: never inside a character nor an identifier."""
    return ",;\t\"'" if is_multibyte_legacy(codec) else ",;\t\"'|"


def _rfind_aligned(buf: bytes, unit: bytes, start: int) -> int:
    """End offset of the last occurrence of the code unit `unit` aligned on its width, at or after `start`."""
    end = len(buf)
    start = max(start, 0)
    while True:
        pos = buf.rfind(unit, start, end)
        if pos < 0:
            return -1
        if pos % len(unit) == 0:
            return pos + len(unit)
        end = pos + len(unit) - 1


def _char_boundary(buf: bytes, codec: str) -> int:
    """Length of the longest prefix of `buf` that ends on a character boundary."""
    decoder = codecs.getincrementaldecoder(codec)(ERRORS)
    decoder.decode(buf, final=False)
    pending = decoder.getstate()[0]
    return len(buf) - len(pending)


def decode_bytes(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode a small in-memory document; returns (text, detected encoding)."""
    encoding = encoding or detect_bytes(data[:SAMPLE_SIZE])
    body = data[bom_length(encoding):]
    return body.decode(codec_of(encoding), ERRORS), encoding
