"""Metadata: the document as one text and its tokens (words, figures, punctuation with their line numbers),
and where its title area ends.

The text leaves page furniture out (a running header naming the federation is no title) and joins words
split over a line end; every metadata reader works on these tokens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from finsam.model import ParsedDocument
from finsam.text import fold_ocr

# How many non-empty lines count as the title area (cover page, heading block before the contents).
TITLE_LINES = 12


@dataclass
class Token:
    text: str
    start: int
    line: int  # 0-based line number in the document text

    @property
    def folded(self) -> str:
        return fold_ocr(self.text)

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalpha()


_TOKEN = re.compile(r"[^\W\d_][\w\-]*|\d+(?:[.,:]\d+)*|[^\w\s]")


_HYPHEN_BREAK = re.compile(r"(?<=[^\W\d_])-\n(?=[a-zåäöé])")


def document_text(doc: ParsedDocument) -> str:
    """The document as one text without its page furniture (a running header naming the federation is
    not the title), words split over a line end ('Samordnings-\\nforbundet') joined again."""
    from extractor.furniture import text_without_furniture

    return _HYPHEN_BREAK.sub("", text_without_furniture(doc).replace("\r", ""))


def tokenize(text: str) -> list[Token]:
    tokens = []
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    line = 0
    for m in _TOKEN.finditer(text):
        while line + 1 < len(line_starts) and line_starts[line + 1] <= m.start():
            line += 1
        tokens.append(Token(m.group(), m.start(), line))
    return tokens


def title_line_limit(text: str) -> int:
    """The line number where the title area ends: after TITLE_LINES non-empty lines or at a contents list."""
    seen = 0
    for number, line in enumerate(text.split("\n")):
        stripped = line.strip()
        if not stripped:
            continue
        if re.match(r"(?i)inneh[aå]ll", fold_ocr(stripped)) or re.search(r"\.{4,}", stripped):
            return number
        seen += 1
        if seen >= TITLE_LINES:
            return number + 1
    return len(text.split("\n"))
