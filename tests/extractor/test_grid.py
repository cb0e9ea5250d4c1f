"""The grid reader of tables of text cells, each step on its own input: extractor.grid_header (the header
band), extractor.grid_separators (columns through the gutters) and extractor.grid (body and rows)."""

from __future__ import annotations

from extractor.goal_columns import GOAL_HEADER_SPEC
from extractor.grid import read_grid
from extractor.grid_header import find_header, words_of
from extractor.grid_separators import line_cells, separators, space_width
from finsam.model import Cell, Line, Word

CHAR = 5.0  # points a character, a space included


def cell(text: str, x0: float, top: float) -> Cell:
    """A cell of a text layer: its words one after another from x0."""
    words, x = [], x0
    for w in text.split():
        words.append(Word(w, x, x + CHAR * len(w), top, top + 10.0))
        x += CHAR * (len(w) + 1)
    return Cell(text, x0, words[-1].x1, words)


def line(top: float, *cells: tuple[str, float]) -> Line:
    return Line(page=1, index=int(top), cells=[cell(t, x, top) for t, x in cells], top=top, bottom=top + 10.0)


def not_furniture(_line: Line) -> bool:
    return False


def ocr_line(top: float, *cells: tuple[str, float], box=lambda text, top: (top, top + 8.0)) -> Line:
    """A line as OCR boxes it: each word's top and bottom from `box(word, top)`, as its ink reaches."""
    out = []
    for text, x0 in cells:
        words, x = [], x0
        for w in text.split():
            words.append(Word(w, x, x + CHAR * len(w), *box(w, top), conf=93.0))
            x += CHAR * (len(w) + 1)
        out.append(Cell(text, x0, words[-1].x1, words))
    return Line(
        1,
        int(top),
        out,
        top=min(w.top for c in out for w in c.words),
        bottom=max(w.bottom for c in out for w in c.words),
    )


def test_a_header_cell_wrapped_below_its_line_is_joined():
    lines = [
        line(100, ("Insats", 40), ("Mål", 200), ("Målupp-", 400)),
        line(111, ("fyllelse", 400)),
        line(130, ("Steget", 40), ("Minst 30 % till arbete", 200), ("Uppfyllt", 400)),
    ]
    columns, start, end, goal_columns = find_header(lines, 0, GOAL_HEADER_SPEC)
    assert [c.header for c in columns] == ["Insats", "Mål", "Måluppfyllelse"]
    assert (start, end) == (0, 2)
    assert (goal_columns.insats, goal_columns.goal, goal_columns.fulfilment) == (0, 1, 2)


def test_a_caption_above_is_no_header_line():
    lines = [
        line(80, ("Tabell 3. Mål och resultat för insatserna 2021", 40)),
        line(100, ("Mål", 40), ("Resultat", 300)),
    ]
    _, start, _, _ = find_header(lines, 1, GOAL_HEADER_SPEC)
    assert start == 1


def test_cells_run_together_are_split_at_the_gutter():
    header = line(100, ("Mål", 40), ("Resultat", 300))
    columns, *_ = find_header([header], 0, GOAL_HEADER_SPEC)
    # the cell splitter ran a long goal and its result together: one cell, a wider gap between them
    body = [
        Line(1, 1, [Cell("Minst 35 % av de avslutade 31 %", 40, 300, [
            Word("Minst", 40, 65, 120, 130), Word("35", 70, 80, 120, 130), Word("%", 85, 90, 120, 130),
            Word("av", 95, 105, 120, 130), Word("de", 110, 120, 120, 130),
            Word("avslutade", 125, 170, 120, 130), Word("31", 290, 300, 120, 130),
            Word("%", 305, 310, 120, 130),
        ])], 120, 130),
        line(135, ("till arbete", 40), ("45 %", 300)),
    ]  # fmt: skip
    seps = separators(columns, [words_of(ln) for ln in body], space_width(body))
    assert len(seps) == 1 and 170 < seps[0] < 290
    assert line_cells(body[0], seps) == ["Minst 35 % av de avslutade", "31 %"]


def test_rows_end_at_a_gap_wider_than_the_wrapped_lines():
    lines = [
        line(100, ("Insats", 40), ("Mål", 200), ("Resultat", 400)),
        line(125, ("Steget", 40), ("Minst 30 % till", 200), ("32 %", 400)),
        line(136, ("arbete", 200)),
        line(161, ("Vidare", 40), ("Ca 50 deltagare", 200), ("48", 400)),
        line(172, ("(Jobbspåret)", 40)),
    ]
    header = find_header(lines, 0, GOAL_HEADER_SPEC)
    grid = read_grid(lines, header, not_furniture, header[3].key)
    assert [r.cells for r in grid.rows] == [
        ["Steget", "Minst 30 % till arbete", "32 %"],
        ["Vidare (Jobbspåret)", "Ca 50 deltagare", "48"],
    ]
    assert grid.end == len(lines)


def test_scanned_rows_are_told_from_wrapped_lines_by_the_pitch_of_their_baselines():
    from extractor.grid import _row_pitch

    # a scan's baselines: the lines of one cell a leading (about 12.6 points) apart, give or take a point of
    # OCR boxes; rows 3 points of padding further apart; groups of rows set further apart still
    leading = [12.5, 13.0, 12.2, 13.3, 11.9, 12.6, 13.7, 12.4]
    rows = [15.1, 15.9, 14.4, 16.1]
    groups = [23.8, 23.0]
    split = _row_pitch(leading + rows + groups)
    assert max(leading) < split < min(rows)
    # a browser pads its cells less: rows under two points further apart than the lines of a cell
    tight = _row_pitch([9.7, 9.4, 10.1, 9.7, 9.4, 11.2, 12.2, 11.2, 19.4, 20.5])
    assert 10.1 < tight < 11.2
    # one pitch only (a row a line, or a cell's lines only): no split, rows are told otherwise
    assert _row_pitch(leading) == float("inf")
    assert _row_pitch(rows) == float("inf")


def test_a_line_of_ocr_specks_inside_a_cell_neither_ends_the_table_nor_joins_it():
    from finsam.model import Cell, Line, Word

    def ocr_line(top: float, *cells: tuple[str, float], height: float = 10.0) -> Line:
        out = []
        for text, x0 in cells:
            words, x = [], x0
            for w in text.split():
                words.append(Word(w, x, x + CHAR * len(w), top, top + height, conf=93.0))
                x += CHAR * (len(w) + 1)
            out.append(Cell(text, x0, words[-1].x1, words))
        return Line(page=1, index=int(top), cells=out, top=top, bottom=top + height)

    lines = [
        ocr_line(100, ("Insats", 40), ("Mål", 200), ("Resultat", 400)),
        ocr_line(125, ("Steget", 40), ("Minst 30 % till", 200), ("32 %", 400)),
        ocr_line(136.5, (";", 390), height=0.8),  # a speck read as a mark, a point high
        ocr_line(138, ("arbete", 200)),
        ocr_line(162, ("Vidare", 40), ("Ca 50 deltagare", 200), ("48", 400)),
    ]
    header = find_header(lines, 0, GOAL_HEADER_SPEC)
    grid = read_grid(lines, header, not_furniture, header[3].key)
    assert [r.cells for r in grid.rows] == [
        ["Steget", "Minst 30 % till arbete", "32 %"],
        ["Vidare", "Ca 50 deltagare", "48"],
    ]


def test_a_speck_taller_than_the_letters_beside_it_leaves_its_line_in_the_table():
    # OCR read a speck before the indikator cell as "=", its box half again as tall as the letters: the line's
    # box no longer says what type it is set in, its words' do
    def box(word: str, top: float) -> tuple[float, float]:
        tall = word == "="
        return top - 3 * tall, top + 8.0 + 3 * tall

    lines = [
        ocr_line(100, ("Mål", 40), ("Indikator", 250), ("Målvärde 2023", 400), box=box),
        ocr_line(
            115,
            ("Fler deltagare når arbete", 40),
            ("Andel av de avslutade", 250),
            ("Minst 40 %", 400),
            box=box,
        ),
        ocr_line(
            140, ("Förbundets insatser når fler", 40), ("= Antal deltagare", 245), ("ca 350", 400), box=box
        ),
        ocr_line(165, ("Unga blir inte kvar", 40), ("Andel av de unga", 250), ("Högst 10 %", 400), box=box),
    ]
    header = find_header(lines, 0, GOAL_HEADER_SPEC)
    grid = read_grid(lines, header, not_furniture, header[3].key)
    assert [r.cells[-1] for r in grid.rows] == ["Minst 40 %", "ca 350", "Högst 10 %"]


def test_a_word_boxed_with_a_speck_below_it_leaves_its_line_in_the_table():
    # a LibreOffice scan: "samverkansforum" boxed 12 pt high on a line of 7 pt words (a speck below it); the
    # line's type is still the table's, so the last two goals stay in it
    def box(word: str, top: float) -> tuple[float, float]:
        return top, top + (12.0 if word == "samverkansforum" else 7.0)

    lines = [
        ocr_line(100, ("Mål", 40), ("Indikator", 250), ("Målvärde 2023", 400), box=box),
        ocr_line(
            115,
            ("Fler deltagare når arbete", 40),
            ("Andel av de avslutade", 250),
            ("Minst 40 %", 400),
            box=box,
        ),
        ocr_line(
            140,
            ("Den strukturella samverkan utvecklas", 40),
            ("samverkansforum", 250),
            ("ca 300", 400),
            box=box,
        ),
        ocr_line(
            165,
            ("IPS bedrivs med god metodtrohet", 40),
            ("Poäng vid granskning", 250),
            ("Minst 100", 400),
            box=box,
        ),
    ]
    header = find_header(lines, 0, GOAL_HEADER_SPEC)
    grid = read_grid(lines, header, not_furniture, header[3].key)
    assert [r.cells[-1] for r in grid.rows] == ["Minst 40 %", "ca 300", "Minst 100"]


def test_a_scanned_line_with_descenders_is_of_the_same_type_as_a_header_of_capitals():
    # "Mål | Indikator | Målvärde 2023" boxed 6.5 pt (capitals, no descenders) over rows whose second lines
    # reach lower ("möjligheter", "Högst 5 procentenheter": 10.6 pt): measured from the baseline they are one size
    def box(word: str, top: float) -> tuple[float, float]:
        return top, top + (10.6 if any(ch in "gjpqy" for ch in word) else 6.5)

    lines = [
        ocr_line(100, ("Mål", 40), ("Indikator", 250), ("Målvärde 2023", 400), box=box),
        ocr_line(
            115,
            ("Fler deltagare når arbete", 40),
            ("Andel av de avslutade", 250),
            ("Minst 40 %", 400),
            box=box,
        ),
        ocr_line(
            135, ("Insatserna ger kvinnor och män samma", 40), ("Skillnad mellan kvinnor", 250), box=box
        ),
        ocr_line(
            144, ("möjligheter", 40), ("avslutade till arbete", 250), ("Högst 5 procentenheter", 400), box=box
        ),
        ocr_line(
            165,
            ("IPS bedrivs med god metodtrohet", 40),
            ("Poäng vid granskning", 250),
            ("Minst 100", 400),
            box=box,
        ),
    ]
    header = find_header(lines, 0, GOAL_HEADER_SPEC)
    grid = read_grid(lines, header, not_furniture, header[3].key)
    assert [r.cells[-1] for r in grid.rows] == ["Minst 40 %", "Högst 5 procentenheter", "Minst 100"]


def test_a_line_whose_only_word_without_descenders_took_in_a_speck_keeps_its_type_height():
    # "Hälsoskolan" boxed 11.9 pt (a speck under it) beside "deltagare" and "Uppfyllt", 9 pt with descenders:
    # no word without descenders reaches below those that have them, so the baseline is theirs
    from extractor.grid import _type_height

    words = [
        Word("Hälsoskolan", 40, 95, 189.7, 201.6, conf=91.0),
        Word("deltagare", 250, 295, 191.2, 200.2, conf=96.0),
        Word("Uppfyllt", 400, 440, 191.2, 199.8, conf=90.0),
    ]
    line = Line(1, 0, [Cell(w.text, w.x0, w.x1, [w]) for w in words], top=189.7, bottom=201.6)
    assert 6.0 < _type_height(line, ocr=True) < 8.5  # not the 11.9 of the speck's box
    # a word hardly made out, boxed with ink below it ("de" at confidence 22 in 005's goal table on a writer
    # scan, seed 9538): its 15.8 pt say nothing of the line's type, which ended the table there
    words = [
        Word("de", 120, 130, 413.6, 429.4, conf=22.0),
        Word("ska", 134, 150, 422.9, 429.4, conf=96.0),
        Word("gå", 154, 166, 422.9, 429.4, conf=96.0),
    ]
    line = Line(1, 0, [Cell("de ska gå", 120, 166, words)], top=413.6, bottom=429.4)
    assert _type_height(line, ocr=True) < 8.0


def test_text_input_rows_are_tab_fields_and_a_blank_key_cell_goes_on_with_the_row_above():
    from extractor.grid import read_tab_rows

    def tabbed(n: int, *fields: str) -> Line:
        return Line(page=1, index=n, cells=[Cell(f, 0.0, 0.0, []) for f in fields], top=n, bottom=n)

    lines = [
        tabbed(0, "Insats", "Mål", "Resultat"),
        tabbed(1, "Pilotutbildningar", "Minst 30 deltagare", "28"),
        tabbed(2, "(Skolpiloter)", "50 % till arbete", ""),
        tabbed(3, "", "", "41 %"),
        tabbed(4, "Jobbspåret", "Ca 20 deltagare", "22"),
        tabbed(5, "Slut på tabellen."),
    ]
    rows, end = read_tab_rows(lines, 0, 0, set(), names_wrap=True)
    assert rows == [
        (["Pilotutbildningar (Skolpiloter)", "Minst 30 deltagare 50 % till arbete", "28 41 %"], 1),
        (["Jobbspåret", "Ca 20 deltagare", "22"], 1),
    ]
    assert end == 5  # the one-cell line ends the table
    # keys that are no names that wrap: "(Skolpiloter)", with a cell of its own beside it, starts a row
    rows, _ = read_tab_rows(lines, 0, 0, set())
    assert [r[0] for r, _ in rows] == ["Pilotutbildningar", "(Skolpiloter)", "Jobbspåret"]


def test_header_words_run_together_under_two_wrapped_header_cells_are_two_columns():
    # LibreOffice, a narrow column: "Resultat" and "Måluppfyll" (broken without a hyphen) above, and under
    # them, run together as one cell, "2021" and "else", the rest of "Måluppfyllelse"
    lines = [
        line(100.0, ("Resultat Måluppfyll", 300.0)),
        line(112.0, ("Insats", 10.0), ("Mål", 150.0), ("2021 else", 320.0)),
    ]
    columns, start, end, verdict = find_header(lines, 1, GOAL_HEADER_SPEC)
    assert [c.header for c in columns] == ["Insats", "Mål", "Resultat 2021", "Måluppfyllelse"]
    assert (start, end) == (0, 2)
    assert (verdict.result, verdict.fulfilment) == (2, 3)


def test_a_main_line_cell_is_cut_only_where_a_gap_stands_under_the_gap_above():
    from extractor.grid_header import split_under, units_of

    above = units_of(
        line(100.0, ("Resultat", 300.0), ("Måluppfyllelse", 345.0)), GOAL_HEADER_SPEC.starts_column
    )
    # "2021 else": its gap (340-345) stands under the gap between the cells above (340-345): two cells
    cut = split_under(units_of(line(112.0, ("2021 else", 320.0)), GOAL_HEADER_SPEC.starts_column), above)
    assert [u.text for u in cut] == ["2021", "else"]
    # "Utfall 2021" from 290: its gap (320-325) stands under "Resultat": one cell
    kept = split_under(units_of(line(112.0, ("Utfall 2021", 290.0)), GOAL_HEADER_SPEC.starts_column), above)
    assert [u.text for u in kept] == ["Utfall 2021"]


def test_a_word_starting_where_a_wrapped_header_cell_above_starts_begins_its_column():
    # LibreOffice (writer seed 9033, 005): "Måluppfyllelse" broken without a hyphen, "Måluppfyllels" on the
    # line above, and its "e" run into the cell "Resultat 2021" beside it; the "e" starts where the cell
    # above starts, as a left-aligned column's header lines do
    words = [Word("Resultat", 364.0, 404.0, 112.0, 122.0), Word("2021", 407.0, 427.0, 112.0, 122.0),
             Word("e", 455.0, 460.0, 112.0, 122.0)]  # fmt: skip
    main = line(112.0, ("Insats", 10.0), ("Mål", 268.0))
    main.cells.append(Cell("Resultat 2021 e", 364.0, 460.0, words))
    lines = [line(100.0, ("Måluppfyllels", 455.0)), main]
    columns, start, end, verdict = find_header(lines, 1, GOAL_HEADER_SPEC)
    assert [c.header for c in columns] == ["Insats", "Mål", "Resultat 2021", "Måluppfyllelse"]
    assert (verdict.result, verdict.fulfilment) == (2, 3)
    # a word that starts off the cell above (a centred header) is no cut: "Utfall 2021" stays whole
    from extractor.grid_header import split_under, units_of

    above = units_of(line(100.0, ("Andel", 300.0)), GOAL_HEADER_SPEC.starts_column)
    kept = split_under(units_of(line(112.0, ("Utfall 2021", 280.0)), GOAL_HEADER_SPEC.starts_column), above)
    assert [u.text for u in kept] == ["Utfall 2021"]


def test_two_rows_the_gaps_did_not_part_are_split_at_the_later_entry():
    # 005's goal table on a chromium scan (seed 9537): rows set to the middle, so "Ca 150 deltagare" stands
    # above "Unga Framåt | under året | 138 deltagare"; the gaps parted none of these rows
    from extractor.grid import _split_entries

    cells = {
        0: ["Steget Vidare", "Ca 90 deltagare", "97 deltagare", "Uppfyllt"],
        1: ["", "under året", "", ""],
        2: ["Steget Vidare", "Minst 35 % av de", "31 %", "Delvis uppfyllt"],
        3: ["", "avslutade", "", ""],
        4: ["", "deltagarna ska gå", "", ""],
        5: ["", "Ca 150 deltagare", "", ""],
        6: ["Unga Framåt", "under året", "138 deltagare", "Delvis uppfyllt"],
    }
    assert _split_entries(list(cells), cells, 0) == [[0, 1], [2, 3, 4], [5, 6]]
    # two rows' lines of their own, one under the other
    rows = {
        0: ["Hälsoskolan", "Ca 120 deltagare", "128 deltagare", "Uppfyllt"],
        1: ["Hälsoskolan", "Minst 75 % av", "82 %", "Uppfyllt"],
        2: ["", "deltagarna ska", "", ""],
    }
    assert _split_entries(list(rows), rows, 0) == [[0], [1, 2]]
    # a name wrapped over two lines is one entry, and so is a row without a second entry
    wrapped = {0: ["IPS Östra", "Minst 25", "22", "Ej uppfyllt"], 1: ["Smålandskusten", "deltagare", "", ""]}
    assert _split_entries(list(wrapped), wrapped, 0) == [[0, 1]]
    single = {0: ["Resursrådet", "300 deltagare", "192", "Delvis"], 1: ["", "får en insats", "", ""]}
    assert _split_entries(list(single), single, 0) == [[0, 1]]
