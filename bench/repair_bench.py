"""OCR repair benchmark, run on demand: `python bench/repair_bench.py [TEXT ...] [--pairs OCR CLEAN]`.

Without arguments it scores both kinds of input, each on a line of its own: the rendered corpus and the
bundled real OCR (tests/parsers/data/002_prose.*). Two kinds of input:
- clean texts (default: corpus 001, 003, 004): rendered with corpus.build, OCR'd with `tesseract -l eng` (an
  English model: the damage of corpus/002), repaired, and aligned word by word with the clean text;
- `--pairs OCR CLEAN`: a real English-model OCR and its hand-corrected twin, line for line and word for word
  (the same number of words on each line), repaired as one document.
It reports:
- damaged words restored: OCR words that differ from the clean word where it has å/ä/ö, and that the repair
  turned back into the clean word (target ≥ 98 %);
- correct words changed: OCR words equal to the clean word that the repair changed (target ≤ 0.2 %);
- words per second of the repair.
The report word counts the repair ranks readings with (parsers/data/domain_sv.tsv) are made from the corpus
reports, so by default each of them is repaired with counts made from the other reports only (`--lexicon loo`);
`--lexicon shipped` uses the shipped counts, `--lexicon general` none. Other texts are repaired with the
shipped counts (they are not in them). `--no-document` turns off learning from the document's own
unambiguous words (parsers.repair.learn_document). The English OCR is cached in /tmp/finsam-repair-bench, so
a second run takes seconds.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CACHE = Path("/tmp/finsam-repair-bench")
REAL_OCR = REPO / "tests" / "parsers" / "data" / "002_prose.ocr.txt"
REAL_CLEAN = REPO / "tests" / "parsers" / "data" / "002_prose.clean.txt"
SWEDISH = "åäöÅÄÖ"


def tokens(text: str) -> list[str]:
    return [t.strip(".,;:!?()\"'»«”“") for t in text.split()]


def damaged_only_at_swedish_letters(clean: str, ocr: str) -> bool:
    """The OCR word differs from the clean word only where the clean word has å, ä or ö (misread as
    anything: a, d, é, 6, 4 …), so the damage is exactly an English model's."""
    if len(clean) != len(ocr) or clean == ocr:
        return False
    return all(c == o or c in SWEDISH for c, o in zip(clean, ocr, strict=True))


@dataclass
class Score:
    damaged: int = 0
    restored: int = 0
    correct: int = 0
    changed: int = 0
    words: int = 0
    seconds: float = 0.0
    missed: list[tuple[str, str, str]] = field(default_factory=list)  # (clean, ocr, repaired)
    wrong: list[tuple[str, str]] = field(default_factory=list)  # (ocr, repaired) of correct words
    where: list[str] = field(default_factory=list)  # the clean words around each miss, then each change

    def add(self, clean: str, ocr: str, fixed: str, damaged: bool, around: str = "") -> None:
        if clean == ocr:
            self.correct += 1
            if fixed != ocr:
                self.changed += 1
                self.wrong.append((ocr, fixed))
                self.where.append(("changed", around))
        elif damaged:
            self.damaged += 1
            if fixed == clean:
                self.restored += 1
            else:
                self.missed.append((clean, ocr, fixed))
                self.where.append(("missed", around))

    def report(self, name: str) -> str:
        return (
            f"{name}: damaged words restored {self.restored}/{self.damaged} "
            f"({100 * self.restored / max(self.damaged, 1):.1f} %), correct words changed "
            f"{self.changed}/{self.correct} ({100 * self.changed / max(self.correct, 1):.2f} %), "
            f"{self.words / max(self.seconds, 1e-9):,.0f} words/s"
        )


def english_ocr(src: Path, max_pages: int, layout: str = "a") -> list[tuple[str, str]]:
    """(clean, English-model OCR) for each rendered page of a clean text, cached."""
    import pdfplumber
    import pypdfium2 as pdfium
    import pytesseract

    from corpus.build import render_text_pdf

    pdf = render_text_pdf(src.read_text(encoding="utf-8"), CACHE / f"{src.stem}.{layout}.pdf", layout)
    doc = pdfium.PdfDocument(str(pdf))
    pages = []
    with pdfplumber.open(pdf) as plumb:
        for i in range(min(max_pages, len(doc))):
            clean = plumb.pages[i].extract_text() or ""
            key = hashlib.sha256(f"{src.name}:{i}:{clean}".encode()).hexdigest()[:16]
            key += "" if layout == "a" else f".{layout}"
            cached = CACHE / f"{key}.eng.txt"
            if cached.exists():
                ocr = cached.read_text(encoding="utf-8")
            else:
                image = doc[i].render(scale=200 / 72).to_pil().convert("L")
                ocr = pytesseract.image_to_string(image, lang="eng")
                cached.write_text(ocr, encoding="utf-8")
            pages.append((clean, ocr))
    return pages


def repair_document(pages: list[str], lexicon, use_document: bool, score: Score) -> list[str]:
    """Repair a document's pages as finsam does: damage judged on the whole, its own words learnt first."""
    from parsers.quality import assess_text
    from parsers.repair import MANGLED, SETTINGS, learn_document, repair_text

    _ = lexicon.index  # built once per lexicon (once per process in finsam), not per document: not timed
    start = time.perf_counter()
    whole = "\n".join(pages)
    settings = MANGLED if assess_text(whole).mangled else SETTINGS
    if settings is MANGLED and use_document:
        lexicon = learn_document(whole, settings, lexicon)
    fixed = [repair_text(page, settings, lexicon).text for page in pages]
    score.seconds += time.perf_counter() - start
    score.words += sum(len(p.split()) for p in pages)
    return fixed


def score_rendered(pages: list[tuple[str, str]], fixed: list[str], score: Score) -> None:
    for (clean, ocr), repaired in zip(pages, fixed, strict=True):
        ocr_tokens, fixed_tokens, clean_tokens = tokens(ocr), tokens(repaired), tokens(clean)
        matcher = difflib.SequenceMatcher(None, clean_tokens, ocr_tokens, autojunk=False)
        for op, a0, a1, b0, b1 in matcher.get_opcodes():
            if op not in ("equal", "replace") or a1 - a0 != b1 - b0:
                continue
            for k, (c, o, f) in enumerate(
                zip(clean_tokens[a0:a1], ocr_tokens[b0:b1], fixed_tokens[b0:b1], strict=True), a0
            ):
                around = " ".join(clean_tokens[max(k - 3, 0) : k + 4])
                score.add(c, o, f, damaged_only_at_swedish_letters(c, o), around)


def score_pairs(ocr_path: Path, clean_path: Path, lexicon, use_document: bool, score: Score) -> None:
    ocr_lines = ocr_path.read_text(encoding="utf-8").split("\n")
    clean_lines = clean_path.read_text(encoding="utf-8").split("\n")
    if len(ocr_lines) != len(clean_lines):
        sys.exit(f"{ocr_path} and {clean_path} differ in their number of lines")
    (fixed,) = repair_document(["\n".join(ocr_lines)], lexicon, use_document, score)
    for k, (o_line, c_line, f_line) in enumerate(zip(ocr_lines, clean_lines, fixed.split("\n"), strict=True)):
        o_tok, c_tok, f_tok = tokens(o_line), tokens(c_line), tokens(f_line)
        if not (len(o_tok) == len(c_tok) == len(f_tok)):
            sys.exit(f"line {k + 1}: the texts differ in their number of words")
        for c, o, f in zip(c_tok, o_tok, f_tok, strict=True):
            score.add(c, o, f, any(ch in SWEDISH for ch in c), c_line.strip())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "texts", nargs="*", type=Path, help="clean texts to render (default: corpus 001, 003, 004)"
    )
    ap.add_argument("--pairs", nargs=2, type=Path, metavar=("OCR", "CLEAN"), help="a real OCR and its twin")
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument(
        "--layout", choices=("a", "b"), default="a", help="corpus.build layout (font, size, margins)"
    )
    ap.add_argument("--dump", type=Path, help="write every miss and change, one per line, to this file")
    ap.add_argument("--lexicon", choices=("loo", "shipped", "general"), default="loo")
    ap.add_argument("--no-document", action="store_true", help="do not learn from the document's own words")
    args = ap.parse_args()
    sys.path.insert(0, str(REPO))
    from parsers.lexicon import build_lexicon, count_report_words, default_lexicon

    CACHE.mkdir(exist_ok=True)
    corpus = sorted((REPO / "corpus").glob("00[134]_*.txt"))
    use_document = not args.no_document
    pairs = args.pairs
    if not pairs and not args.texts:
        pairs = (REAL_OCR, REAL_CLEAN)  # the bundled real OCR and its hand-made twin, besides the renders
    if pairs:
        real = Score()
        lexicon = build_lexicon({}) if args.lexicon == "general" else default_lexicon()
        score_pairs(*pairs, lexicon, use_document, real)
        print(real.report(f"real OCR ({pairs[0].name})"))
        if args.pairs and not args.texts:
            write_dump(args.dump, real)
            return
    score = Score()
    for src in args.texts or corpus:
        if args.lexicon == "general":
            lexicon = build_lexicon({})
        elif args.lexicon == "loo" and src.resolve() in corpus:
            others = (p.read_text(encoding="utf-8") for p in corpus if p != src.resolve())
            lexicon = build_lexicon(count_report_words(others))
        else:
            lexicon = default_lexicon()
        pages = english_ocr(src, args.pages, args.layout)
        fixed = repair_document([ocr for _, ocr in pages], lexicon, use_document, score)
        score_rendered(pages, fixed, score)
    which = "rendered, English OCR" + (" (leave one report out)" if args.lexicon == "loo" else "")
    print(score.report(which if not args.texts else f"rendered, English OCR ({len(args.texts)} texts)"))
    write_dump(args.dump, score)


def write_dump(path: Path | None, score: Score) -> None:
    """Every miss and change, one per line, with the clean words around it."""
    if not path:
        return
    missed = (w for kind, w in score.where if kind == "missed")
    changed = (w for kind, w in score.where if kind == "changed")
    lines = [f"missed\t{c}\t{o}\t{f}\t{w}" for (c, o, f), w in zip(score.missed, missed, strict=True)]
    lines += [f"changed\t{o}\t{f}\t\t{w}" for (o, f), w in zip(score.wrong, changed, strict=True)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
