"""What an uploaded document really is, read from its whole content: the first bytes prove nothing
(``%PDF-`` or a PNG signature followed by anything passes a signature check).

- **PDF**: the header, then from the end of the file the way a reader opens it — ``startxref`` and
  ``%%EOF``, the cross-reference section it points at (a classic table or a compressed cross-reference
  stream, PDF 1.5+), the trailer (or the stream's dictionary) naming the document catalogue
  (``/Root n g R``), and that object found where the cross-reference says it is (directly, or inside an
  object stream that is). Earlier sections (``/Prev``, incremental updates) are read too. No parser
  library: the standard library's ``zlib`` decodes the streams.
- **JPEG / PNG**: Pillow (installed with WeasyPrint) opens it as that format, checks it (PNG chunk
  checksums) and decodes every pixel; a picture of more than ``MAX_PIXELS`` is refused before decoding.
"""

import io
import re
import zlib

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_PIXELS = 40_000_000  # 40 megapixels: a phone photo or a scan is well under; beyond is not a document
IMAGE_FORMATS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG"}
MAX_SECTIONS = 32  # cross-reference sections followed through /Prev
MAX_XREF_BYTES = 16 * 1024 * 1024  # a decoded cross-reference stream of a 5 MB file is far smaller
TOO_MANY_PIXELS = "too many pixels"

_HEADER = re.compile(rb"%PDF-[12]\.\d")
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF")
_OBJECT = re.compile(rb"\s*(\d+)\s+(\d+)\s+obj\b")
_DICT_OPEN = re.compile(rb"\s*<<")
_STREAM = re.compile(rb"\s*stream\r?\n")
_XREF_TYPE = re.compile(rb"/Type\s*/XRef\b")
_FILTER = re.compile(rb"/Filter\s*\[?\s*/(\w+)\s*\]?")
_ARRAY = re.compile(rb"/(W|Index)\s*\[([\d\s]*)\]")


class Broken(ValueError):
    """The file is not the PDF it claims to be."""


def check(extension: str, data: bytes) -> None:
    """Raise a ``ValidationError`` on the form's ``file`` field unless ``data`` is a whole file of the
    type its extension names."""
    label = extension.upper() if extension != "jpeg" else "JPG"
    if extension == "pdf":
        try:
            check_pdf(data)
        except (Broken, ValueError, IndexError, zlib.error):
            raise ValidationError({"file": _("Isi berkas bukan %(type)s yang sah.") % {"type": label}}) from None
        return
    reason = _image_problem(data, IMAGE_FORMATS[extension])
    if reason == TOO_MANY_PIXELS:
        raise ValidationError(
            {"file": _("Gambar terlalu besar: paling banyak %(n)s megapiksel.") % {"n": MAX_PIXELS // 1_000_000}}
        )
    if reason is not None:
        raise ValidationError({"file": _("Isi berkas bukan %(type)s yang sah.") % {"type": label}})


# ---------------------------------------------------------------------------------------------
# Images
# ---------------------------------------------------------------------------------------------
def _image_problem(data: bytes, image_format: str) -> str | None:
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != image_format:
                return f"{image.format} instead of {image_format}"
            if image.width * image.height > MAX_PIXELS:
                return TOO_MANY_PIXELS
            image.verify()  # structure and checksums; the image cannot be used after this
        with Image.open(io.BytesIO(data)) as image:
            if image_format == "JPEG":
                image.draft("RGB", (2048, 2048))  # decode at a reduced scale: every block is still read
            image.load()  # every pixel: a truncated or corrupt file raises here
    except (OSError, SyntaxError, ValueError, UnidentifiedImageError, Image.DecompressionBombError) as error:
        return f"{image_format}: {error}"
    return None


# ---------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------
def check_pdf(data: bytes) -> None:
    """Raise ``Broken`` unless the trailer of ``data`` leads to its document catalogue."""
    if not _HEADER.match(data):
        raise Broken("no %PDF- header")
    ends = list(_STARTXREF.finditer(data, max(0, len(data) - 1024)))
    if not ends or data[ends[-1].end() :].strip(b" \t\r\n\x00"):
        raise Broken("no startxref and %%EOF at the end")
    offset: int | None = int(ends[-1].group(1))
    entries: dict[int, tuple[str, int]] = {}
    root = None
    seen: set[int] = set()
    while offset is not None:
        if offset in seen or len(seen) >= MAX_SECTIONS:
            raise Broken("cross-reference sections loop")
        seen.add(offset)
        section, trailer = _xref_section(data, offset)
        hybrid = _integer(trailer, b"XRefStm")  # a table with a cross-reference stream beside it (PDF 1.5)
        if hybrid is not None:
            section = _xref_section(data, hybrid)[0] | section
        for number, entry in section.items():
            entries.setdefault(number, entry)  # the newest section wins
        root = root or _reference(trailer, b"Root")
        offset = _integer(trailer, b"Prev")
    if root is None:
        raise Broken("no /Root in the trailer")
    _find_object(data, entries, root)


def _xref_section(data: bytes, offset: int) -> tuple[dict[int, tuple[str, int]], bytes]:
    if offset >= len(data):
        raise Broken("startxref beyond the end")
    if data.startswith(b"xref", offset):
        return _xref_table(data, offset + len(b"xref"))
    header = _OBJECT.match(data, offset)
    if header is None:
        raise Broken("startxref points at nothing")
    return _xref_stream(data, header.end())


def _xref_table(data: bytes, position: int) -> tuple[dict[int, tuple[str, int]], bytes]:
    end = data.find(b"trailer", position)
    if end < 0:
        raise Broken("no trailer")
    tokens = data[position:end].split()
    entries: dict[int, tuple[str, int]] = {}
    index = 0
    while index < len(tokens):
        first, count = int(tokens[index]), int(tokens[index + 1])
        rows = tokens[index + 2 : index + 2 + 3 * count]
        if len(rows) != 3 * count:
            raise Broken("short cross-reference table")
        for row in range(count):
            offset, _generation, kind = rows[3 * row : 3 * row + 3]
            if kind == b"n":
                entries[first + row] = ("n", int(offset))
            elif kind != b"f":
                raise Broken("bad cross-reference entry")
        index += 2 + 3 * count
    trailer, _end = _dictionary(data, end + len(b"trailer"))
    return entries, trailer


def _xref_stream(data: bytes, position: int) -> tuple[dict[int, tuple[str, int]], bytes]:
    head, end = _dictionary(data, position)
    if not _XREF_TYPE.search(head):
        raise Broken("startxref points at an object that is not a cross-reference stream")
    raw = _stream_bytes(data, head, end)
    decoded = _decode(raw, head)
    widths = [int(w) for w in _array(head, b"W")]
    size = _integer(head, b"Size")
    if len(widths) != 3 or size is None:
        raise Broken("cross-reference stream without /W or /Size")
    ranges = [int(n) for n in _array(head, b"Index")] or [0, size]
    row_length = sum(widths)
    entries: dict[int, tuple[str, int]] = {}
    cursor = 0
    for first, count in zip(ranges[::2], ranges[1::2], strict=True):
        for number in range(first, first + count):
            row = decoded[cursor : cursor + row_length]
            if len(row) != row_length:
                raise Broken("short cross-reference stream")
            cursor += row_length
            fields, start = [], 0
            for width in widths:
                fields.append(int.from_bytes(row[start : start + width], "big") if width else None)
                start += width
            kind = 1 if fields[0] is None else fields[0]
            if kind == 1:
                entries[number] = ("n", fields[1] or 0)
            elif kind == 2:
                entries[number] = ("in", fields[1] or 0)  # inside object stream number fields[1]
    return entries, head


def _stream_bytes(data: bytes, head: bytes, end: int) -> bytes:
    start = _STREAM.match(data, end)
    if start is None:
        raise Broken("no stream after the dictionary")
    length = _integer(head, b"Length")  # None when it is an indirect reference
    if length is not None:
        raw = data[start.end() : start.end() + length]
        if not re.match(rb"\s*endstream", data[start.end() + len(raw) : start.end() + len(raw) + 16]):
            raise Broken("stream length does not end at endstream")
        return raw
    stop = data.find(b"endstream", start.end())
    if stop < 0:
        raise Broken("no endstream")
    return data[start.end() : stop]


def _decode(raw: bytes, head: bytes) -> bytes:
    filters = _FILTER.findall(head)
    if filters and filters != [b"FlateDecode"]:
        raise Broken("cross-reference stream with an unusual filter")
    if filters:
        inflater = zlib.decompressobj()
        raw = inflater.decompress(raw, MAX_XREF_BYTES)
        if not inflater.eof:
            raise Broken("cut or oversized cross-reference stream")
    predictor = _integer(head, b"Predictor") or 1
    if predictor >= 10:
        return _undo_png_predictor(raw, _integer(head, b"Columns") or 1)
    if predictor != 1:
        raise Broken("unusual predictor")
    return raw


def _undo_png_predictor(raw: bytes, columns: int) -> bytes:
    """PNG row filters (PDF 32000-1 §7.4.4.4), one byte per pixel as in cross-reference streams."""
    out, previous = bytearray(), bytearray(columns)
    for start in range(0, len(raw), columns + 1):
        kind, row = raw[start], bytearray(raw[start + 1 : start + 1 + columns])
        if len(row) != columns or kind > 4:
            raise Broken("bad predictor row")
        for i in range(columns):
            left = row[i - 1] if i else 0
            up, up_left = previous[i], (previous[i - 1] if i else 0)
            if kind == 1:
                row[i] = (row[i] + left) & 0xFF
            elif kind == 2:
                row[i] = (row[i] + up) & 0xFF
            elif kind == 3:
                row[i] = (row[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                guess = left + up - up_left
                near = min((abs(guess - left), 0, left), (abs(guess - up), 1, up), (abs(guess - up_left), 2, up_left))
                row[i] = (row[i] + near[2]) & 0xFF
        out += row
        previous = row
    return bytes(out)


def _find_object(data: bytes, entries: dict[int, tuple[str, int]], number: int) -> None:
    """The object ``number`` is where the cross-reference says: at its offset, or in an object stream
    that is itself at its offset."""
    kind, where = entries.get(number, ("", 0))
    if kind == "in":
        number = where
        kind, where = entries.get(number, ("", 0))
    if kind != "n":
        raise Broken("the catalogue is not in the cross-reference")
    header = _OBJECT.match(data, where)
    if header is None or int(header.group(1)) != number:
        raise Broken("the catalogue is not where the cross-reference says")


def _dictionary(data: bytes, position: int) -> tuple[bytes, int]:
    """The ``<< … >>`` starting at ``position`` (whitespace first), nested ones included, and its end."""
    opening = _DICT_OPEN.match(data, position)
    if opening is None:
        raise Broken("no dictionary")
    depth, cursor = 1, opening.end()
    while depth:
        close = data.find(b">>", cursor)
        if close < 0:
            raise Broken("unterminated dictionary")
        inner = data.find(b"<<", cursor, close)
        if inner >= 0:
            depth, cursor = depth + 1, inner + 2
        else:
            depth, cursor = depth - 1, close + 2
    return data[opening.end() - 2 : cursor], cursor


def _reference(dictionary: bytes, key: bytes) -> int | None:
    match = re.search(rb"/" + key + rb"\s+(\d+)\s+\d+\s+R", dictionary)
    return int(match.group(1)) if match else None


def _integer(dictionary: bytes, key: bytes) -> int | None:
    match = re.search(rb"/" + key + rb"\s+(\d+)(?!\d)(?!\s+\d+\s+R)", dictionary)
    return int(match.group(1)) if match else None


def _array(dictionary: bytes, key: bytes) -> list[bytes]:
    for name, values in _ARRAY.findall(dictionary):
        if name == key:
            return values.split()
    return []
