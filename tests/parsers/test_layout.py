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
