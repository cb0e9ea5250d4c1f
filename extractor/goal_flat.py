"""Goal reading: goal tables after OCR or a converter has run their columns together into plain lines.

A flattened header ("Insats Mål Resultat") starts them; each row is an insats name followed by its goal and
result statements, goal before result in reading order, and a fulfilment grade at the line's end.
"""

from __future__ import annotations

import re

from extractor.goal_layout import NUMBERED, document_lines, is_heading
from extractor.goal_tables import insats_above
from extractor.targets import FULFILMENT_GRADES, GOAL_WORD, Target, find_targets
from finsam.model import Goal, ParsedDocument
from finsam.text import fold_word

# Words in a column-header line of a goal table whose columns OCR has run together ("Insats Mål",
# "Övergripande mål för verksamheten Resultat 2018").
FLAT_HEADER_WORDS = ("insats", "resultat", "utfall")


# Lines that end such a table: the next table or a caption.
FLAT_TABLE_END = ("sammanfattning", "sammanstallning", "tabell", "diagram", "kalla")


# A flattened table ends after this many lines without a target.
FLAT_GAP_LINES = 12


def _flat_header(text: str) -> bool:
    """A goal table's column headers run together on one line: a mål word and a column word after it,
    not a heading like 'Mål och resultat'."""
    words = [fold_word(w) for w in re.findall(r"[^\W\d_]+", text)]
    if not 2 <= len(words) <= 12:
        return False
    if any(not re.fullmatch(r"(?:19|20)\d\d", n) for n in re.findall(r"\d+", text)):
        return False  # a figure other than a year: a sentence ("Målet … var att 300 personer …"), no header
    goal_at = next((i for i, w in enumerate(words) if re.fullmatch(GOAL_WORD, w)), None)
    if goal_at is None:
        return False
    if "insats" in words[:goal_at]:
        return True
    later = [i for i, w in enumerate(words) if w in FLAT_HEADER_WORDS and i > goal_at]
    return bool(later) and words[later[0] - 1] != "och"


def goals_from_flattened_lines(doc: ParsedDocument, taken: set[int] | None = None) -> list[Goal]:
    """Goal tables whose columns OCR has run together into plain lines (no cells).

    In reading order a row's goal comes before its result: on one line, the first target phrase is the
    goal and the next of the same unit its result; a target standing after other text on its line is in
    the result column, as is one followed by last year's figure in brackets ("33 % (11 %)") or standing
    after a 'Resultat' line. A line that starts with a name before its first target starts a new insats.
    """
    lines = document_lines(doc)
    goals: list[Goal] = []
    n = 0
    while n < len(lines):
        text = lines[n].text.strip()
        if len(lines[n].cells) != 1 or id(lines[n]) in (taken or ()) or not _flat_header(text):
            n += 1
            continue
        title = text
        # the header names the goals' area ("Övergripande mål för finansierade … Resultat 2018"); a bare
        # header ("Mål Resultat Resultat") stands under the insats it belongs to
        insats: str | None = _header_insats(title) if _names_area(title) else insats_above(lines, n)
        trailing_results = "resultat" in fold_word(title)
        in_results = False
        open_goals: list[Goal] = []
        quiet = 0
        n += 1
        while n < len(lines) and quiet < FLAT_GAP_LINES:
            line = lines[n]
            text = line.text.strip()
            if len(line.cells) > 1 or _flat_header(text) or NUMBERED.match(text) and is_heading(text, None):
                break
            if fold_word(text.split(" ")[0]) in FLAT_TABLE_END if text else False:
                break
            n += 1
            if not text:
                continue
            if fold_word(text).rstrip(":") in {"resultat", "utfall"}:
                in_results = True
                continue
            targets = find_targets(text)
            name = _row_name(text, targets)
            if name:
                insats, in_results, open_goals = name, False, []
            if not targets:
                quiet += 1
                continue
            quiet = 0
            grade = _grade_at_end(text)
            for k, target in enumerate(targets):
                lead = text[: target.start].strip(" |")
                after = text[target.end :]
                is_result = (
                    in_results
                    or re.match(r"\s*\(\s*\d", after) is not None
                    or "(" in text[target.start : target.end]
                    or (k == 0 and lead != "" and lead != name and not lead.startswith("("))
                    or (k > 0 and any(t.unit == target.unit for t in targets[:k]))
                )
                statement = _statement_text(text, targets, k)
                if is_result:
                    goal = next((g for g in open_goals if g.target_unit == target.unit), None)
                    if goal is None:
                        continue
                    open_goals.remove(goal)
                    goal.result, goal.result_value = statement, target.value
                    goal.fulfilment = goal.fulfilment or grade
                else:
                    goal = Goal(insats=insats or _header_insats(title), goal=statement, target_value=target.value,
                                target_unit=target.unit, fulfilment=grade, page=line.page, section=title)  # fmt: skip
                    goals.append(goal)
                    open_goals.append(goal)
                    bare = re.match(r"^[^\d]*?(\d+)(?:\s+\d+)*\s*$", after)
                    if trailing_results and k == len(targets) - 1 and bare:
                        # "80 nya deltagare 97 96": the result columns hold bare figures (2018, 2017)
                        open_goals.remove(goal)
                        goal.result, goal.result_value = bare.group(1), float(bare.group(1))
    return goals


def _names_area(title: str) -> bool:
    """A flattened header with words of its own before the column words (not just 'Insats Mål')."""
    words = [fold_word(w) for w in re.findall(r"[^\W\d_]+", title)]
    own = [w for w in words if w not in FLAT_HEADER_WORDS and not re.fullmatch(GOAL_WORD, w)]
    return len(own) >= 2


def _row_name(text: str, targets: list[Target]) -> str | None:
    """The insats a flattened row starts with: capitalised words before its first target, or a short line of
    its own ('Mojliggorarna')."""
    head = text[: targets[0].start] if targets else text
    head = head.strip(" |")
    words = head.split()
    if not words or len(words) > 3 or not words[0][:1].isupper() or words[0][0] in "(-" or len(head) < 3:
        return None
    if not targets and (len(words) > 2 or head.endswith((".", ",", "-"))):
        return None
    if fold_word(words[0]) in {"totalt", "summa", "resultat", "mal", "insats", "malet", "malen"}:
        return None
    joiners = {"i", "och", "for", "med", "av", "pa"}
    if not all(w[0].isupper() or w[0] in "(&" or fold_word(w) in joiners for w in words):
        return None  # words of a sentence ("Frukostmöten hade …"), not a name
    return head


def _grade_at_end(text: str) -> str | None:
    folded = fold_word(text).replace(" ", "")
    for grade in FULFILMENT_GRADES:
        if fold_word(grade).replace(" ", "") in folded[-20:]:
            return grade
    return None


def _statement_text(text: str, targets: list[Target], k: int) -> str:
    end = targets[k + 1].start if k + 1 < len(targets) else len(text)
    return text[targets[k].start : end].strip(" .|")


def _header_insats(title: str) -> str:
    """A flattened header line as an insats name: its words before the column words."""
    words = title.split()
    cut = next((i for i, w in enumerate(words) if fold_word(w) in FLAT_HEADER_WORDS), len(words))
    return " ".join(words[:cut]) or title
