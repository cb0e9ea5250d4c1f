"""Table reading, step 0: the thresholds every step of the table reader uses, in one dataclass.

Each field carries its default and a line saying what it bounds; `SETTINGS` is the instance the pipeline
reads with, and `extract_tables(doc, settings=...)` takes another for experiments.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class TableSettings:
    """Tunable thresholds of the table finder, in one place."""

    title_lookback: int = 9  # non-blank lines to search above a table for its caption
    title_max_words: int = 14  # a caption longer than this is prose (unless it is the line just above)
    caption_max_words: int = 40  # the line right above a table may be a long caption without a full stop
    heading_lookback: int = 16  # ... and when only prose is near, a short heading this far up names it
    heading_max_words: int = 6
    footer_min_pages: float = 0.5  # share of pages a top/bottom line must repeat on to be a running header
    footer_min_repeats: int = 3  # a short non-heading line repeated this often in one-page text is a footer
    continuation_gap: int = 6  # blank/footer lines allowed between a table and its continuation
    note_max: int = 40  # a Not reference is a small integer
    label_indent: float = 120.0  # PDF/OCR: a line starting this far right of the margin has no label cell
    flat_min_rows: int = 3  # flattened lines ending in the same number of figures that make a table
    fragment_gap: float = 3.0  # OCR: figure fragments closer than this many characters are one figure
    text_fragment_gap: float = 1.0  # PDF text layer: the same, where a thousands space is under a character
    speck_confidence: float = 40.0  # OCR: a short non-figure cell read with less confidence is a speck
    low_confidence: float = 60.0  # OCR: a figure read with less word confidence than this is uncertain
    column_tolerance: float = 18.0  # PDF/OCR: right edges of figures this close (points) are one column
    max_header_lines: int = 8  # a header wrapped in narrow columns runs over this many lines at most
    max_label_tail_lines: int = 3  # lines a wrapped label of a table's last row may run on below it
    wrap_gap_ratio: float = 0.5  # PDF/OCR: a row line closer than this share of the usual gap between rows
    # of figures to the line below is one cell with it (a wrapped label)
    text_wrap_margin: float = 1.0  # PDF text layer: so is one closer by this many points than any two rows
    # of figures are: a text layer's line boxes are its font's, so the lines of one cell stand as close as
    # the font sets them, and only the cells' padding sets rows further apart
    wrap_pitch_margin: float = 1.5  # OCR: so is one whose baseline steps this many points less than rows'


SETTINGS = TableSettings()
