"""Goal reading: goal lists and goal sentences in prose.

Lists (verksamhetsplan): numbered or bulleted items under a heading about mål, or after a sentence about mål
ending in ':' ("Målet är att insatserna … bidrar till att:"). Prose (delårsrapport, årsredovisning): "X har
som mål att … till 100 personer", a goal clause belonging to the insats it names or that heads it.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from extractor.goal_layout import Heading, Layout
from extractor.targets import GOAL_WORD, Target, cue_offsets, find_targets, goal_cues
from finsam.model import Goal
from finsam.text import fold_ocr, fold_word, split_sentences

# A paragraph under a goal heading states a goal in at least this many words (a wrapped contents line
# "AV INDIVIDINRIKTADE" under "4.2 MÅL FÖR FINANSIERING" states none).
MIN_GOAL_WORDS = 4


# A modal verb makes a target phrase right before it a goal ("90 personer av 100 ska …").
MODALS = {"ska", "skall", "bör", "skulle"}


def insats_name(heading: Heading | None) -> str | None:
    if heading is None:
        return None
    text = re.sub(r"(?i)^bilaga\s+\d+\s*[:.–-]?\s*", "", heading.text)
    text = re.sub(r"(?i)^(?:övergripande\s+)?mål\s+(?:för|med)\s+", "", text).strip()
    text = re.sub(r"\s*\.{3,}.*$", "", text)
    return text[:1].upper() + text[1:] if text else heading.text


def _section_of(heading: Heading | None) -> str | None:
    return heading.number if heading and heading.number else (heading.text if heading else None)


def goals_from_lists(layout: Layout) -> list[Goal]:
    """Numbered or bulleted goals under a goal heading, or after a sentence about mål ending in ':'."""
    goals = []
    sections_with_items = {id(b.goal_section) for b in layout.blocks if b.kind == "item" and b.goal_section}
    sections_with_children = set()
    for b in layout.blocks:
        if b.goal_section and b.section is not b.goal_section:
            sections_with_children.add(id(b.goal_section))
    for block in layout.blocks:
        intro_is_goal = bool(block.intro and block.intro.rstrip().endswith(":") and goal_cues(block.intro))
        in_goal_section = (
            block.goal_section is not None
            and block.section is block.goal_section
            and (
                block.intro is None
                or block.intro.rstrip().endswith(":")
                or bool(goal_cues(block.intro))
                or _has_goal_word(block.intro)
            )
        )
        if block.kind == "item" and (in_goal_section or intro_is_goal):
            under = (
                block.goal_section if in_goal_section and block.goal_section.names_something else block.insats
            )
            goal = _goal_from_text(block.text, under, block.page)
            goal.section = _section_of(block.goal_section or block.section) if under is None else goal.section
            goals.append(goal)
        elif (
            block.kind == "paragraph"
            and block.goal_section is not None
            and block.section is block.goal_section
            and id(block.goal_section) not in sections_with_items
            and id(block.goal_section) not in sections_with_children
        ):
            siblings = [b for b in layout.blocks if b.section is block.goal_section and b.kind == "paragraph"]
            sentences = split_sentences(block.text)
            under = (
                block.goal_section
                if block.goal_section.names_something
                else block.insats or block.goal_section
            )
            if len(siblings) == 1 and len(sentences) == 1:
                if len(block.text.split()) >= MIN_GOAL_WORDS or find_targets(block.text):
                    goals.append(_goal_from_text(block.text, under, block.page))
            else:
                # in a section about mål, a sentence that speaks of mål or sets a target is a goal
                for sentence in sentences:
                    if goal_cues(sentence) & {"goal_is", "has_goal"} or find_targets(sentence):
                        goals.append(_goal_from_text(sentence, under, block.page))
    return goals


def _has_goal_word(text: str) -> bool:
    return any(re.fullmatch(GOAL_WORD, fold_word(w)) for w in re.findall(r"\w+", text))


def _goal_from_text(text: str, under: Heading | None, page: int) -> Goal:
    targets = find_targets(text)
    first = targets[0] if targets else None
    return Goal(
        insats=insats_name(under),
        goal=text.strip(),
        target_value=first.value if first else None,
        target_unit=first.unit if first else None,
        page=page,
        section=_section_of(under),
    )


_CONJUNCTION = re.compile(r"\s(?:och|samt)\s|;\s|,?\s(?:medan|men|medans)\s")


def goals_from_prose(layout: Layout) -> list[Goal]:
    """Goal sentences with a target: 'Utökat AKTIV har som mål att … erbjuda metoden till 100 personer'.

    A clause that names one of the report's insatser before its target is about that insats ("För
    Hälsoväxling bedöms målet om minst 110 deltagare …, medan IPS Östra Smålandskusten inte bedöms nå målet
    om minst 40 deltagare"), wherever it stands."""
    goals = []
    names = _insats_names(layout)
    for block in layout.blocks:
        if block.kind != "paragraph":
            continue
        sentences = split_sentences(block.text)
        for k, sentence in enumerate(sentences):
            targets = find_targets(sentence)
            if not targets:
                continue
            cues = cue_offsets(sentence)
            clauses = _clauses(sentence, targets)
            found = []
            for c_start, c_end in clauses:
                clause = sentence[c_start:c_end].strip(" ,;.")
                inside = [t for t in targets if c_start <= t.start < c_end]
                if not inside:
                    continue
                has_cue = any(c_start <= at < c_end for at, _ in cues)
                first_clause = (c_start, c_end) == clauses[0]
                inherits = (
                    not first_clause and clause.startswith("att ") and any(at < c_start for at, _ in cues)
                )
                modal = _modal_near(clause, inside[0].start - c_start, inside[0].end - c_start)
                sentence_cue = first_clause and any(at < c_end for at, _ in cues)
                if not (has_cue or inherits or modal or sentence_cue):
                    continue
                # the target is the figure after the cue ("… 212 deltagare, lägre än målet på 300 deltagare");
                # a figure of the same unit before it is what was reached
                cue_at = min((at for at, _ in cues if c_start <= at < c_end), default=None)
                after = [t for t in inside if cue_at is not None and t.start > cue_at]
                target = after[0] if after else inside[0]
                before = [t for t in inside if t.start < target.start and t.unit == target.unit]
                found.append(
                    Goal(
                        insats=_named_insats(clause, target.start - c_start, names)
                        or _subject_insats(sentence, block.insats),
                        goal=clause,
                        target_value=target.value,
                        target_unit=target.unit,
                        result=sentence[before[0].start : before[0].end] if before else None,
                        result_value=before[0].value if before else None,
                        page=block.page,
                        section=_section_of(block.section),
                    )
                )
            if found and k + 1 < len(sentences):
                result = sentences[k + 1]
                result_targets = find_targets(result)
                if result_targets and not goal_cues(result) and found[-1].result is None:
                    last = found[-1]
                    same = [t for t in result_targets if t.unit == last.target_unit]
                    if same:
                        last.result = result.rstrip(".")
                        last.result_value = same[0].value
            goals.extend(found)
    return goals


def _insats_names(layout: Layout) -> list[str]:
    """The insatser a report has headings for (not generic ones, not headings about goals), longest first."""
    names = {
        b.insats.text
        for b in layout.blocks
        if b.insats is not None and not b.insats.number and 4 <= len(b.insats.text) <= 60
    }
    return sorted(names, key=len, reverse=True)


FUZZY_NAME = (
    8  # characters: a name this long is known in a clause though a scan read one letter of it otherwise
)


def _named_insats(clause: str, before: int, names: list[str]) -> str | None:
    """The insats a clause names last before its target (at offset `before`), as its heading spells it; a
    long name also where the heading or the clause was read with one letter otherwise ("IPS Östra
    Smaålandskusten" over "… medan IPS Östra Smålandskusten inte bedöms nå målet")."""
    head = clause[:before]
    best: tuple[int, int, str] | None = None
    for name in names:
        ends = [m.end() for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", head)]
        if not ends and len(name) >= FUZZY_NAME:
            found = fuzz.partial_ratio_alignment(name, head)
            if found is not None and found.score >= 100.0 * (1 - 1.5 / len(name)):
                ends = [found.dest_end]
        for end in ends:
            key = (end, len(name), name)  # the last named; of two ending alike, the longer name
            if best is None or key > best:
                best = key
    return best[2] if best else None


# "Målet med MIA-projektet är …", "Utökat AKTIV har som mål …": the sentence names whose goal it is.
_GOAL_OF = re.compile(
    r"(?i)^(?:det\s+)?(?:övergripande\s+)?\w*mål(?:et|sättningen)\s+(?:med|för)\s+(.+?)\s+(?:är|var)\b"
)


_HAS_GOAL = re.compile(
    r"^((?:[A-ZÅÄÖ][\w\-]*)(?:\s+(?:i\s+)?[A-ZÅÄÖ0-9][\w\-]*)*)\s+(?:har|hade)\s+(?:som\s+)?(?:mål|målsättning)"
)


def _subject_insats(sentence: str, heading: Heading | None) -> str | None:
    """The insats a goal sentence is about: its own subject when that is a proper name the heading above
    does not already give ('MIA-projektet' under 'Ordförande har ordet'), else the heading."""
    under = insats_name(heading)
    m = _GOAL_OF.match(sentence) or _HAS_GOAL.match(sentence)
    if not m:
        return under
    subject = m.group(1).strip()
    named = any(c.isupper() for c in subject[1:]) or len(subject.split()) > 1
    if not named or len(subject) > 60:
        return under
    if under and (fold_ocr(subject) in fold_ocr(under) or fold_ocr(under) in fold_ocr(subject)):
        return under
    return subject


def _clauses(sentence: str, targets: list[Target]) -> list[tuple[int, int]]:
    """Split a sentence before each later target at the last 'och'/'samt'/';' since the previous target."""
    cuts = []
    for prev, target in zip(targets, targets[1:], strict=False):
        joins = [m for m in _CONJUNCTION.finditer(sentence, prev.end, target.start)]
        if joins:
            cuts.append(joins[-1].start())
    bounds = [0, *cuts, len(sentence)]
    out = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        m = _CONJUNCTION.match(sentence, a)
        out.append((m.end() if m and a else a, b))
    return out


def _modal_near(clause: str, start: int, end: int) -> bool:
    """A modal verb within a few words after the target ("90 personer … ska") or before it
    ("andelen … ska vara minst 35 %")."""
    after = clause[end:].split()[:6]
    before = clause[:start].split()[-4:]
    return any(w.casefold().strip(",.") in MODALS for w in after + before)
