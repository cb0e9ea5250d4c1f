"""Table rules in page images: found where they are drawn, painted out without the glyphs they touch, the page
turned straight by their skew; a page without rules is left alone (no Tesseract here, except the cache tests,
which stub it)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from parsers.rules import find_rules

DPI = 200
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
ROWS = [
    ("Belopp i kr.", "2016", "2015"),
    ("Medlemsavgifter", "18 064 870", "18 000 000"),
    ("Bidrag", "2 812 659", "3 225 186"),
    ("Kostnader", "-19 794 180", "-23 942 009"),
    ("Summa", "1 083 349", "-2 716 823"),
]
XS = [100, 700, 1000, 1300]  # column rules, pixels
Y0, ROW_H = 200, 46  # first row rule and row pitch, pixels
YS = [Y0 + k * ROW_H for k in range(len(ROWS) + 1)]


def _font(size: int = 26):
    return ImageFont.truetype(str(FONT), size) if FONT.exists() else ImageFont.load_default()


def _page(grid: bool = True, text: bool = True, size=(1400, 600), rule: int = 2) -> Image.Image:
    """A small page at 200 dpi: a table of ROWS, with its grid drawn (rule px thick) or not."""
    img = Image.new("L", size, 255)
    draw = ImageDraw.Draw(img)
    if text:
        font = _font()
        for r, row in enumerate(ROWS):
            y = YS[r] + 9
            draw.text((XS[0] + 10, y), row[0], fill=0, font=font)
            for c, cell in enumerate(row[1:], 1):
                right = XS[c + 1] - 12
                draw.text((right - draw.textlength(cell, font=font), y), cell, fill=0, font=font)
    if grid:
        for y in YS:
            draw.line([(XS[0], y), (XS[-1], y)], fill=0, width=rule)
        for x in XS:
            draw.line([(x, YS[0]), (x, YS[-1])], fill=0, width=rule)
    return img


def _dark(img) -> np.ndarray:
    return np.asarray(img) < 128


def test_rules_are_found_at_their_positions():
    ruled = find_rules(_page(), DPI)
    horizontal = [r for r in ruled.rules if r.orientation == "h"]
    vertical = [r for r in ruled.rules if r.orientation == "v"]
    assert len(horizontal) == len(YS) and len(vertical) == len(XS)
    k = 72 / DPI
    for rule, y in zip(sorted(horizontal, key=lambda r: r.y0), YS, strict=True):
        assert rule.y0 == pytest.approx(y * k, abs=1) and rule.y1 == pytest.approx(y * k, abs=1)
        assert rule.x0 == pytest.approx(XS[0] * k, abs=2) and rule.x1 == pytest.approx(XS[-1] * k, abs=2)
        assert 0 < rule.width <= 2
    for rule, x in zip(sorted(vertical, key=lambda r: r.x0), XS, strict=True):
        assert rule.x0 == pytest.approx(x * k, abs=1)
        assert rule.y0 == pytest.approx(YS[0] * k, abs=2) and rule.y1 == pytest.approx(YS[-1] * k, abs=2)
    assert ruled.rotation == 0


def test_rules_are_painted_out_and_the_glyphs_kept():
    page, text_only = _page(), _page(grid=False)
    cleaned = find_rules(page, DPI).clean(page)
    dark, glyphs = _dark(cleaned), _dark(text_only)
    near_glyphs = glyphs.copy()
    for axis in (0, 1):
        near_glyphs |= np.roll(glyphs, 1, axis) | np.roll(glyphs, -1, axis)
    assert (dark & ~near_glyphs).sum() < 20  # no rule left
    assert (dark & glyphs).sum() >= 0.98 * glyphs.sum()  # the glyphs are whole


def test_a_glyph_crossing_a_rule_keeps_its_stroke():
    img = _page(text=False)
    draw = ImageDraw.Draw(img)
    draw.rectangle([400, YS[2] - 12, 403, YS[2] + 12], fill=0)  # a descender through a rule
    draw.rectangle([800, YS[3] - 10, 820, YS[3] - 1], fill=0)  # a glyph sitting on a rule
    cleaned = np.asarray(find_rules(img, DPI).clean(img))
    assert (cleaned[YS[2] - 12 : YS[2] + 13, 400:404] < 128).all()
    assert (cleaned[YS[3] - 10 : YS[3] - 2, 800:821] < 128).all()
    assert (cleaned[YS[3] - 1 : YS[3] + 2, 600:780] > 200).all()  # the rule beside it is gone


def test_a_skewed_scan_is_turned_straight():
    page = _page().rotate(0.8, resample=Image.Resampling.BICUBIC, fillcolor=255)
    ruled = find_rules(page, DPI)
    assert ruled.rotation == pytest.approx(-0.8, abs=0.1)
    straight = find_rules(_page(), DPI)
    for orientation in "hv":
        got = sorted(
            (r.y0, r.x0) if orientation == "h" else (r.x0, r.y0)
            for r in ruled.rules
            if r.orientation == orientation
        )
        want = sorted(
            (r.y0, r.x0) if orientation == "h" else (r.x0, r.y0)
            for r in straight.rules
            if r.orientation == orientation
        )
        assert len(got) == len(want)
        assert np.abs(np.subtract(got, want)).max() < 1.5  # points, in the turned frame
    assert all(abs(r.y1 - r.y0) < 0.5 for r in ruled.rules if r.orientation == "h")
    cleaned = find_rules(_page(grid=False).rotate(0.8, fillcolor=255), DPI)
    assert cleaned.rules == []
    assert ruled.version != straight.version  # the turn is part of the OCR cache key


def test_the_column_rules_of_a_table_one_row_high():
    img = Image.new("L", (1400, 300), 255)
    draw = ImageDraw.Draw(img)
    for y in (100, 146):
        draw.line([(100, y), (1300, y)], fill=0, width=2)
    for x in XS:
        draw.line([(x, 100), (x, 146)], fill=0, width=2)
    draw.text((110, 109), "Likvida medel", fill=0, font=_font())
    ruled = find_rules(img, DPI)
    assert len([r for r in ruled.rules if r.orientation == "v"]) == len(XS)


def test_text_filled_areas_and_blank_pages_have_no_rules():
    img = Image.new("L", (1400, 900), 255)
    draw = ImageDraw.Draw(img)
    serif = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf")
    font = ImageFont.truetype(str(serif), 40) if serif.exists() else _font(40)
    for k in range(6):
        draw.text((60, 60 + 70 * k), "Samordningsförbundet minimum mmmm lllll ||||| ———", fill=0, font=font)
    draw.rectangle([100, 600, 700, 700], fill=0)  # a filled block (a logo, a photo)
    draw.text((60, 760), "_" * 40, fill=40, font=_font())  # an underscore run is a rule; a short one not
    assert [r for r in find_rules(img, DPI).rules if r.y0 < 740 * 72 / DPI] == []
    blank = Image.new("L", (1654, 2339), 250)
    assert find_rules(blank, DPI).rules == []


def test_a_page_without_rules_goes_to_tesseract_with_its_shading_made_white(monkeypatch, tmp_path):
    import parsers.ocr as ocr

    page = _page(grid=False)
    seen = []
    monkeypatch.setattr(ocr, "run_tesseract", lambda img, *a, **k: seen.append(img.tobytes()) or [])
    result = ocr.ocr_page(page, 1, DPI, cache_dir=tmp_path)
    assert result.rules == [] and seen == [ocr.flatten_background(page).tobytes()]
    # Tesseract's read is cached under the flattening's version (a read of the page as it was is not taken for
    # it), the read with its figures read again beside it; the next time neither runs Tesseract
    key = ocr._cache_key(page, "swe", 6, ocr.FLATTEN_VERSION)
    assert key != ocr._cache_key(page, "swe", 6, "") and (tmp_path / key[:2] / f"{key}.json").exists()
    assert len(list(tmp_path.rglob("*.json"))) == 2
    ocr.ocr_page(page, 1, DPI, cache_dir=tmp_path)
    assert len(seen) == 1


def test_a_ruled_page_never_gets_the_cached_read_of_its_unprocessed_image(monkeypatch, tmp_path):
    import json

    import parsers.ocr as ocr

    page = _page()
    key = ocr._cache_key(page, "swe", 6)  # what an older finsam cached for the raw page
    (tmp_path / key[:2]).mkdir(parents=True)
    (tmp_path / key[:2] / f"{key}.json").write_text(json.dumps([["|RAW|", 0, 0, 10, 10, 90.0]]))
    images = []

    def tesseract(img, lang, psm, config=""):
        images.append(np.asarray(img))
        return [["CLEAN", 120, 215, 60, 20, 95.0]] if len(images) == 1 else []

    monkeypatch.setattr(ocr, "run_tesseract", tesseract)
    result = ocr.ocr_page(page, 1, DPI, cache_dir=tmp_path)
    assert result.rules and result.text == "CLEAN"
    assert (images[0][YS[1] - 1 : YS[1] + 2, 300:600] > 200).all()  # Tesseract saw the page without rules
    calls = len(images)
    assert ocr.ocr_page(page, 1, DPI, cache_dir=tmp_path).text == "CLEAN"  # and the next time, its cache
    assert len(images) == calls


def test_a_lone_dash_is_known_by_its_shape():
    from parsers.marks import dash_in as _dash

    cell = np.zeros((40, 180), bool)
    cell[19:22, 150:160] = True  # a hyphen right-aligned in its cell
    cell[5, 20] = True  # a speck of dust
    word = _dash(cell, (0, 0, 180, 40), text_height=20)
    assert word is not None and word[0] == "-" and word[1:5] == [150, 19, 10, 3]
    dot = np.zeros((40, 180), bool)
    dot[30:33, 150:153] = True
    assert _dash(dot, (0, 0, 180, 40), text_height=20) is None
    seven = np.zeros((40, 180), bool)
    seven[10:12, 150:160] = True
    seven[10:30, 157:159] = True
    assert _dash(seven, (0, 0, 180, 40), text_height=20) is None


def test_detection_is_cheap():
    import time

    page = Image.new("L", (1654, 2339), 250)
    page.paste(_page(), (100, 300))
    page.paste(_page(grid=False), (100, 1200))
    find_rules(page, DPI)
    start = time.process_time()  # CPU time: other processes on a busy machine do not count
    for _ in range(3):
        find_rules(page, DPI)
    assert (time.process_time() - start) / 3 < 0.3  # ~0.05 s


def test_a_dash_misread_on_a_ruled_page_reads_as_a_dash():
    from parsers.marks import DASH_CONFIDENCE, dashes_by_shape

    dark = np.zeros((100, 400), bool)
    dark[50:53, 100:110] = True  # a dash Tesseract read as "="
    dark[50:53, 300:312] = True  # a dash read as one, faintly
    dark[20:40, 200:212] = True  # a letter
    words = [["=", 100, 49, 10, 5, 32.0], ["–", 300, 50, 12, 3, 20.0], ["å", 200, 20, 12, 20, 40.0]]
    words += [["Summa", 20, 40, 60, 20, 96.0]] * 3
    out = dashes_by_shape(words, dark)
    assert out[0] == ["-", 100, 50, 10, 3, DASH_CONFIDENCE]
    assert out[1][0] == "–" and out[1][5] == DASH_CONFIDENCE
    assert out[2:] == words[2:]


def test_on_a_page_without_rules_only_a_bar_after_a_label_is_a_dash():
    """Without rules to bound a table's cells, a bar alone on its line (a footer's ornament Tesseract read as
    "SE") stays as read; after a label ("Avskrivningar", read "= ma") it is the figure for nothing."""
    from parsers.marks import DASH_CONFIDENCE, dashes_by_shape

    dark = np.zeros((300, 900), bool)
    dark[50:53, 700:712] = True  # a dash in a row, after its label
    dark[250:253, 400:412] = True  # a bar alone at the foot of the page
    words = [
        ["Avskrivningar", 80, 42, 200, 20, 95.0],
        ["ma", 700, 48, 12, 6, 0.0],
        ["SE", 400, 249, 12, 4, 10.0],
    ]
    words += [["Summa", 20, 140, 60, 20, 96.0]] * 3  # the page's text, for its type size
    out = dashes_by_shape(words, dark, alone=False)
    assert out[1] == ["-", 700, 50, 12, 3, DASH_CONFIDENCE]
    assert out[2] == words[2]
    assert dashes_by_shape(words, dark)[2][0] == "-"  # on a ruled page, a cell's bar wherever it stands


def _code_signature(source: str) -> str:
    """A digest of Python source without its docstrings and comments: what the code does, not how it is told."""
    import ast
    import hashlib

    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            node.body = body[1:] or [ast.Pass()]
    return hashlib.sha256(ast.dump(tree).encode()).hexdigest()[:16]


# The code each hand-set version of the OCR's clean step names. Tesseract's reads are cached by these versions
# (they are costly: ~3 s a page), so they are bumped by hand; this test fails when the code changes and its
# version does not. Then bump the version (the cache would serve reads of the old painting) and record here the
# signature the failure prints.
CLEAN_STEP_CODE = {"rules-1": "9d08758bd3e44a11", "flat-1": "dae5df51356df554"}


def test_the_cache_versions_of_the_clean_step_change_with_its_code():
    import inspect
    from pathlib import Path

    from parsers import ocr, rules

    painted = _code_signature(Path(rules.__file__).read_text(encoding="utf-8"))
    assert CLEAN_STEP_CODE.get(rules.VERSION) == painted, (
        f"parsers/rules.py changed: bump rules.VERSION and record {rules.VERSION!r}: {painted!r}"
    )
    flattened = _code_signature(inspect.getsource(ocr.flatten_background).strip())
    assert CLEAN_STEP_CODE.get(ocr.FLATTEN_VERSION) == flattened, (
        f"ocr.flatten_background changed: bump ocr.FLATTEN_VERSION and record {ocr.FLATTEN_VERSION!r}: {flattened!r}"
    )
