"""Words into lines and cells (parsers.layout), on word boxes shaped like a scanned table header."""

from finsam.model import Word
from parsers.layout import group_lines, reading_order


def word(text, x0, top, height=11.0):
    return Word(text, x0, x0 + 5.0 * len(text), top, top + height)


def test_a_two_line_header_cell_reads_top_to_bottom_when_a_centred_cell_joins_its_lines():
    # "Ung i Nynäs" is centred between the two header lines and chains them into one line;
    # "arbete" starts left of "Till" above it, so x alone would read "arbete Till"
    words = [
        word("Ung", 84, 403.5),
        word("i", 104, 403.5),
        word("Nynäs", 112, 403.5),
        word("Till", 325, 398),
        word("arbete", 319, 409),
        word("Till", 362, 398),
        word("studier", 360, 409),
    ]
    [line] = group_lines(words, 1)
    assert [c.text for c in line.cells] == ["Ung i Nynäs", "Till arbete", "Till studier"]


def test_words_of_one_band_keep_their_order_by_x_despite_a_slight_skew():
    # a rotated scan: each word a little lower than the last, all in one band
    words = [word("1", 300, 400.0), word("880", 310, 400.8), word("939", 334, 401.6)]
    assert [w.text for w in reading_order(words)] == ["1", "880", "939"]


def _line_of(texts_and_x0: list[tuple[str, float, float]], height: float = 7.0):
    return group_lines([Word(t, x, x + w, 684.0, 684.0 + height) for t, x, w in texts_and_x0], 1)[0]


def test_a_justified_line_of_prose_is_one_cell_though_a_space_is_wider_than_its_words_are_high():
    # "… genom att delta i": OCR boxed these x-height words 7 pt high, the justified spaces 3–6 pt wide
    words = [("närmat", 251, 33), ("sig", 288, 13), ("arbetsmarknaden", 305, 85), ("genom", 393, 33)]
    words += [("att", 430, 12), ("delta", 445, 18), ("i", 469, 5)]
    assert [c.text for c in _line_of(words).cells] == ["närmat sig arbetsmarknaden genom att delta i"]
    # a row of a table: its label's words close together, figures a column apart
    row = [("Kostnader", 80, 40), ("för", 123, 12), ("personal", 138, 35), ("och", 176, 14)]
    row += [("administration", 193, 60), ("1", 380, 4), ("234", 386, 14), ("5", 440, 4), ("678", 446, 14)]
    assert [c.text for c in _line_of(row).cells] == [
        "Kostnader för personal och administration",
        "1 234",
        "5 678",
    ]
    # a header line: its first cell's words a space apart, the columns further, unevenly
    header = [
        ("Nettokostnad", 74, 55),
        ("och", 132, 15),
        ("finansnetto", 150, 46),
        ("i", 199, 3),
        ("tkr", 205, 11),
    ]
    header += [("Utfall", 228, 25), ("jan-", 255, 17), ("Aktuell", 286, 32), ("Avvikelse", 344, 42)]
    header += [("Prognos", 402, 34), ("Aktuell", 459, 32)]
    cells = [c.text for c in _line_of(header, height=10.5).cells]
    assert cells == [
        "Nettokostnad och finansnetto i tkr",
        "Utfall jan-",
        "Aktuell",
        "Avvikelse",
        "Prognos",
        "Aktuell",
    ]


def test_digit_groups_of_a_scanned_figure_stay_one_cell_though_a_narrow_one_leaves_a_wider_gap():
    # a scan of "Eget kapital vid årets början | 2 060 065 | 1 143 770": the "1" is ink 4.3 pt wide, so the
    # gap after it (7.2 pt) is wider than a space on a line 9.4 pt high; figures a column apart stay apart
    def ocr(text, x0, x1):
        return Word(text, x0, x1, 663.84, 673.2, 96.0)

    row = [ocr("Eget", 69, 90), ocr("kapital", 94, 130), ocr("2", 375, 381), ocr("060", 386, 408)]
    row += [ocr("065", 413, 435), ocr("1", 478.8, 483.1), ocr("143", 490.3, 511), ocr("770", 516.6, 538)]
    row += [ocr("12", 560, 571), ocr("345", 582, 600)]  # a column apart, no figure's groups
    assert [c.text for c in group_lines(row, 1)[0].cells] == [
        "Eget kapital",
        "2 060 065",
        "1 143 770",
        "12",
        "345",
    ]
    # a text layer's boxes are the type's: the same gap there is a column's
    text_layer = [Word(w.text, w.x0, w.x1, w.top, w.bottom) for w in row[5:7]]
    assert [c.text for c in group_lines(text_layer, 1)[0].cells] == ["1", "143"]


def _scanned_line(*words: tuple[str, float, float]) -> list[Word]:
    """OCR words (text, x0, x1) on one line of 9 pt, read with confidence 92."""
    return [Word(text, x0, x1, 400.0, 409.0, 92.0) for text, x0, x1 in words]


def test_two_scanned_figures_a_speck_bridged_are_two_cells():
    # 004's resultaträkning on a chromium scan (seed 9536): "S:a Verksamhetsanknutna kostnader -10 345 000 —
    # -8 459 861", the two columns' figures joined by a rule's stub read "—"; a dash between words stays
    row = _scanned_line(("S:a", 60, 75), ("kostnader", 79, 120), ("-10", 380, 392), ("345", 395, 410))
    row += _scanned_line(
        ("000", 413, 428), ("—", 432, 440), ("-8", 443, 452), ("459", 455, 470), ("861", 473, 488)
    )
    cells = [c.text for c in group_lines(row, 1)[0].cells]
    assert cells == ["S:a kostnader", "-10 345 000", "-8 459 861"]
    words = _scanned_line(("Kassa", 60, 85), ("—", 89, 97), ("bank", 101, 122))
    assert [c.text for c in group_lines(words, 1)[0].cells] == ["Kassa — bank"]


def test_a_not_reference_a_dot_leader_ran_into_a_figure_is_two_words():
    # 003's resultaträkning on a writer scan (seed 9538): "Verksamhetens kostnader 4..-19 794 180 -23 942 009";
    # read as one word "4..-19" the figure lost its lead group, and its statement-to-note flag was missed
    row = _scanned_line(("Verksamhetens", 60, 120), ("kostnader", 124, 165), ("4..-19", 300, 330))
    row += _scanned_line(
        ("794", 333, 348), ("180", 351, 366), ("-23", 420, 432), ("942", 435, 450), ("009", 453, 468)
    )
    cells = group_lines(row, 1)[0].cells
    assert [c.text for c in cells] == ["Verksamhetens kostnader", "4", "-19 794 180", "-23 942 009"]
    assert cells[1].words[0].raw == "4..-19"
    # a text layer's word is what it prints
    assert [c.text for c in group_lines([Word("4..-19", 300, 330, 300, 309)], 1)[0].cells] == ["4..-19"]
