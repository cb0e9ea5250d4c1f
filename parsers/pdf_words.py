"""The words of a PDF page's text layer read through pdfium, as pdfplumber's ``extract_words`` reads them.

pdfplumber parses a page's content stream in Python (pdfminer): some 50 ms a page, most of a text-layer
report's ingest. pdfium reads the same characters in C, about ten times faster, and this module makes words
of them by pdfplumber's own rule, so that everything after reads the same words:

- each character's box as pdfminer draws it: along its advance, and from the baseline less the font's
  descent (its descriptor's, `font_descents`) up by the type size (the font size scaled by the text's
  matrix) (a line's words share one top and bottom whatever their
  letters: "Mål" stands as high as "Mal", not as high as its ring);
- characters in reading order: each run of upright (or turned) characters of the content stream clustered
  into lines by their top (by their left edge, turned), left to right within a line (top to bottom,
  turned), as pdfplumber orders them with ``use_text_flow=False``;
- a word ends at a blank character (a space in the text, not one pdfium inserts where it guesses a gap),
  and where the next character starts more than ``x_tolerance`` right of the previous one's end or left of
  its start, or its top is more than ``y_tolerance`` off the previous one's;
- ligatures expanded ("ﬁ" -> "fi"), as pdfplumber expands them, and a hyphen that ends a line read as one.
"""

from __future__ import annotations

import ctypes
import itertools
import math

from finsam.model import Word

# what pdfplumber reads for a character pdfium gives as another: ligatures expanded, and the hyphen that
# ends a line, which pdfium gives as 0x02
READS = {"\x02": "-", "ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}
# points: a space pdfium generated between two characters this close is the text's own (a wider gap splits
# the word by the tolerance anyway)
GENERATED_SPACE = 1.5
UPRIGHT = 0.0175  # a character turned less than this (a degree, as a slope) is upright


def page_words(
    page, x_tolerance: float, y_tolerance: float, descents: dict[str, float] | None = None
) -> list[Word]:
    """The words of a pypdfium2 page's text layer, in pdfplumber's reading order. `descents`: the
    document's fonts' descents as their descriptors give them (`font_descents`)."""
    words: list[Word] = []
    for upright, run in itertools.groupby(_chars(page, descents or {}), key=lambda c: c[5]):
        chars = list(run)
        line_key, along = (3, 1) if upright else (1, 3)
        for line in _clusters(chars, line_key, y_tolerance if upright else x_tolerance):
            line.sort(key=lambda c: c[along])
            words.extend(_words(line, upright, x_tolerance, y_tolerance))
    return words


# a character: (text, x0, x1, top, bottom, upright), in points from the page's top left
Char = tuple[str, float, float, float, float, bool]


def font_descents(data: bytes) -> dict[str, float]:
    """Each font's descent as a share of its size, as pdfminer takes it: its descriptor's /Descent (0 where
    there is none, as LibreOffice writes them), by the font's name without its subset tag. pdfium makes one
    up where the descriptor says 0, which would set the words of such a font lower than pdfplumber does.
    Read from the pages' font resources only, not their content: a few milliseconds a document."""
    import io

    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    out: dict[str, float] = {}
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        for page in PDFPage.create_pages(document):
            fonts = resolve1((page.resources or {}).get("Font")) or {}
            for ref in fonts.values() if isinstance(fonts, dict) else ():
                font = resolve1(ref)
                if not isinstance(font, dict):
                    continue
                described = font
                if "DescendantFonts" in font:  # a composite font: its descendant has the descriptor
                    descendants = resolve1(font["DescendantFonts"])
                    described = resolve1(descendants[0]) if descendants else font
                descriptor = (
                    resolve1(described.get("FontDescriptor")) if isinstance(described, dict) else None
                )
                name = getattr(resolve1(font.get("BaseFont")), "name", None)
                if isinstance(descriptor, dict) and name and str(font.get("Subtype")) != "/'Type3'":
                    descent = resolve1(descriptor.get("Descent", 0))
                    if isinstance(descent, int | float):
                        out.setdefault(name.split("+", 1)[-1], -abs(float(descent)) / 1000)
    except Exception:  # noqa: BLE001 - a descent is a refinement; pdfium's own serves without it
        return out
    return out


def _chars(page, descents: dict[str, float]) -> list[Char]:
    """The page's characters in the order of its content stream (pdfium's own guessed spaces left out)."""
    import pypdfium2.raw as pdfium_c

    height = page.get_height()
    textpage = page.get_textpage()
    raw = textpage.raw
    rect = pdfium_c.FS_RECTF()
    matrix = pdfium_c.FS_MATRIX()
    x, y = ctypes.c_double(), ctypes.c_double()
    descent = ctypes.c_float()
    sizes: dict[tuple, tuple[float, float]] = {}  # by text object, font size and scale
    out: list[Char] = []
    try:
        n = textpage.count_chars()
        i = 0
        while i < n:
            code = pdfium_c.FPDFText_GetUnicode(raw, i)
            step = 1
            if 0xD800 <= code < 0xDC00 and i + 1 < n:  # beyond the BMP: two UTF-16 halves
                low = pdfium_c.FPDFText_GetUnicode(raw, i + 1)
                code, step = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00), 2
            if not code or 0xD800 <= code < 0xE000:
                i += step
                continue
            if pdfium_c.FPDFText_IsGenerated(raw, i) == 1:
                # a space or line break pdfium put in: where it guessed a gap, or in place of a space the
                # text has (Chromium's). Kept as a blank only where it stands after a character on its line
                # and a gap narrower than the tolerance follows
                if code == 0x20 and out and i + 1 < n:
                    pdfium_c.FPDFText_GetCharOrigin(raw, i + 1, x, y)
                    prev = out[-1]
                    if 0 <= x.value - prev[2] <= GENERATED_SPACE:
                        out.append((" ", prev[2], x.value, prev[3], prev[4], prev[5]))
                i += step
                continue
            text = READS.get(chr(code), chr(code))
            # the loose box: along the advance (its foot follows a descender, so the baseline is the origin's)
            pdfium_c.FPDFText_GetLooseCharBox(raw, i, rect)
            pdfium_c.FPDFText_GetCharOrigin(raw, i, x, y)
            pdfium_c.FPDFText_GetMatrix(raw, i, matrix)
            # a matrix that turns the text makes it no upright character
            upright = abs(matrix.b) < UPRIGHT * abs(matrix.a) and abs(matrix.c) < UPRIGHT * abs(matrix.d)
            obj = pdfium_c.FPDFText_GetTextObject(raw, i)
            key = (ctypes.cast(obj, ctypes.c_void_p).value, pdfium_c.FPDFText_GetFontSize(raw, i), matrix.d)
            if key not in sizes:
                sizes[key] = _size_and_descent(
                    obj, key[1] * math.hypot(matrix.c, matrix.d), descent, descents
                )
            size, below = sizes[key]
            bottom = height - y.value - below
            # pdfminer starts a character at its origin: a capital's loose box may reach left of it
            x0 = x.value
            out.append((text, x0, max(rect.right, x0), bottom - size, bottom, upright))
            i += step
    finally:
        textpage.close()
    return out


def _size_and_descent(obj, size: float, descent, descents: dict[str, float]) -> tuple[float, float]:
    """A text's type size on the page (its font size scaled by the text's matrix: Chromium sets 14 points
    at 0.75) and its font's descent at that size (negative: below the baseline): the descriptor's, else
    pdfium's."""
    import pypdfium2.raw as pdfium_c

    font = pdfium_c.FPDFTextObj_GetFont(obj) if obj else None
    if not font:
        return size, -0.2 * size
    name = ctypes.create_string_buffer(256)
    if pdfium_c.FPDFFont_GetBaseFontName(font, name, 256):
        share = descents.get(name.value.decode("latin-1").split("+", 1)[-1])
        if share is not None:
            return size, share * size
    ok = pdfium_c.FPDFFont_GetDescent(font, ctypes.c_float(size), descent)
    return size, (descent.value if ok else -0.2 * size)


def _clusters(chars: list[Char], key: int, tolerance: float) -> list[list[Char]]:
    """pdfplumber's `cluster_objects`: the distinct values of `key` clustered (a value within `tolerance`
    of the one before it joins its cluster), and the characters in the order of their clusters."""
    values = sorted({c[key] for c in chars})
    index: dict[float, int] = {}
    n = -1
    last = None
    for v in values:
        if last is None or v > last + tolerance:
            n += 1
        index[v] = n
        last = v
    out: list[list[Char]] = [[] for _ in range(n + 1)]
    for c in chars:
        out[index[c[key]]].append(c)
    return [line for line in out if line]


def _words(chars: list[Char], upright: bool, x_tolerance: float, y_tolerance: float) -> list[Word]:
    """pdfplumber's `iter_chars_to_words`: a word ends at a blank and where the next character starts
    before the previous one (along the line) or more than the tolerance past its end, or stands off its
    line by more than the other tolerance."""
    start, end, across = (1, 2, 3) if upright else (3, 4, 1)
    along_tolerance, across_tolerance = (x_tolerance, y_tolerance) if upright else (y_tolerance, x_tolerance)
    words: list[Word] = []
    current: list[Char] = []

    def close() -> None:
        if current:
            words.append(
                Word(
                    "".join(c[0] for c in current),
                    min(c[1] for c in current),
                    max(c[2] for c in current),
                    min(c[3] for c in current),
                    max(c[4] for c in current),
                )
            )
            current.clear()

    for c in chars:
        if c[0].isspace():
            close()
            continue
        if current:
            prev = current[-1]
            if (
                c[start] < prev[start]
                or c[start] > prev[end] + along_tolerance
                or abs(c[across] - prev[across]) > across_tolerance
            ):
                close()
        current.append(c)
    close()
    return words
