"""Document metadata: which samordningsförbund wrote the report, what kind of report it is, which year and
period it covers, and who the members are.

Reads the whole text of a ParsedDocument and tolerates English-model OCR damage ('Samordningsférbundet',
'Arsredovisning', 'Mélndal'): words are compared in a folded form (case, diacritics and the usual OCR
confusions removed) and place names are repaired against the list of Swedish kommuner, regioner and other
geographic words in `finsam/data/places.json` (extractor.places). The title area (the first lines of the
document, extractor.tokens) weighs more than the rest, because an årsredovisning talks about its
verksamhetsplan and vice versa. The members are read by extractor.members.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from dataclasses import dataclass

from extractor.members import find_members, members_from_name
from extractor.places import match_place
from extractor.tokens import Token, document_text, title_line_limit, tokenize
from finsam.model import DocumentMeta, ParsedDocument
from finsam.reference import MONTHS
from finsam.text import fold_ocr, same_word

# The report kinds, each with the folded stems that name it. Order matters only for ties.
DOC_TYPE_STEMS: dict[str, tuple[str, ...]] = {
    "arsredovisning": ("arsredovisning", "arsbokslut"),
    "verksamhetsplan": ("verksamhetsplan",),
    "delarsrapport": (
        "delarsrapport",
        "delarsbokslut",
        "tertialrapport",
        "halvarsrapport",
        "delarsredovisning",
    ),
}


# Sections only a report with closed accounts has (årsredovisning, and a delårsrapport).
ACCOUNT_SECTIONS = ("forvaltningsberattelse", "resultatrakning", "balansrakning", "revisionsberattelse")


# Words before a report name that make it a reference to another document, not the document itself
# ("i verksamhetsplanen för 2018 betonas …", "avvikelser från verksamhetsplanen"). '[' is OCR for 'I'.
REFERENCE_WORDS = {
    "i",
    "[",
    "|",
    "enligt",
    "fran",
    "av",
    "till",
    "mot",
    "om",
    "med",
    "inom",
    "for",
    "kommande",
    "nasta",
}


# Partial-year periods named by their part: the last month of a cumulative period from January.
PERIOD_PARTS = {
    ("tertial", 1): 4, ("tertial", 2): 8, ("tertial", 3): 12,
    ("kvartal", 1): 3, ("kvartal", 2): 6, ("kvartal", 3): 9, ("kvartal", 4): 12,
    ("halvar", 1): 6, ("halvaret", 1): 6, ("delar", 1): 4, ("delar", 2): 8,
}  # fmt: skip


ORDINALS = {"forsta": 1, "andra": 2, "tredje": 3, "fjarde": 4}


# Capitalised words that begin sentences or headings rather than continue a federation's name.
NOT_NAME_WORDS = {
    "under", "det", "den", "de", "detta", "dessa", "som", "vi", "i", "och", "har", "ar", "for", "forbundet",
    "samordningsforbundet", "styrelsen", "kansliet", "ordforande", "bilaga", "sida", "budget", "mal",
    "resultat", "verksamhetsplan", "arsredovisning", "delarsrapport", "finansiell", "samordning", "mellan",
    "lagen", "lag", "nationella", "nns", "esf", "sus", "mia", "dnr", "tkr", "kr", "not", "vid", "enligt",
    "arbetsformedlingen", "forsakringskassan", "region", "regionen", "landstinget", "kommun", "kommunerna",
    # what a running header prints after the name
    "organisationsnummer", "org", "orgnr", "org.nr", "verksamhetsberattelse", "delarsbokslut", "diarienummer",
    "telefon", "tel", "adress", "box", "e-post", "www", "hemsida", "datum", "version", "sammantraesdatum",
}  # fmt: skip


# ---------------------------------------------------------------------------------------------- federation


FEDERATION_STEM = "samordningsforbund"
# words of a place's name that never end one ("Östra Södertörn", "Norra Bohuslän"), folded
QUALIFIERS = frozenset(
    {"norra", "sodra", "ostra", "vastra", "mellersta", "nordostra", "nordvastra", "sydostra", "sydvastra"}
    | {"ovre", "nedre", "stora", "lilla", "inre", "yttre"}
)


def _federation_form(folded: str) -> str | None:
    """'samordningsforbundet' -> 'definite', '…ets' -> 'genitive', '…' -> 'indefinite'; plurals and
    other words -> None. Tolerates OCR damage in the stem."""
    if not folded.startswith("samordn"):
        return None
    for suffix, form in (
        ("ets", "genitive"),
        ("et", "definite"),
        ("en", None),
        ("ens", None),
        ("", "indefinite"),
    ):
        if folded.endswith(FEDERATION_STEM[-3:] + suffix) or (suffix and folded.endswith(suffix)):
            stem = folded[: len(folded) - len(suffix)] if suffix else folded
            if same_word(stem, FEDERATION_STEM):
                return form
    return None


@dataclass
class NameCandidate:
    words: list[str]  # the name's words, repaired ("Östra", "Södertörn")
    prefix: str  # "Samordningsförbundet", "Finsam" or "" when the name precedes "samordningsförbund"
    line: int

    @property
    def key(self) -> tuple[str, ...]:
        return (fold_ocr(self.prefix),) + tuple(fold_ocr(w) for w in self.words if w not in {",", "och"})

    def display(self) -> str:
        words = [w for w in self.words if w not in {",", "och"}]
        if self.prefix == "":
            return " ".join(words) + " samordningsförbund"
        return " ".join([self.prefix, *words])


def _name_word(token: Token, heading: bool) -> str | None:
    """The repaired spelling of a word that can be part of a federation's name, else None."""
    if not token.is_word or not token.text[0].isupper():
        return None
    folded = token.folded.strip("-")
    if folded in NOT_NAME_WORDS:
        return None
    place = match_place(token.text)
    if place:
        return place.name
    bare = token.text.strip("-")
    if bare.isupper() and 2 <= len(bare) <= 6:  # an acronym: "MPHLA", "RAR"
        return bare
    if heading:  # on a line of its own the whole line is the name ("Samordningsförbundet Consensus")
        return bare if not bare.isupper() else bare.capitalize()
    return None


def _follow_name(tokens: list[Token], i: int, heading_lines: set[int]) -> list[str]:
    """The name words after tokens[i] (the word 'Samordningsförbundet' or 'Finsam')."""
    words: list[str] = []
    j = i + 1
    anchor_line = tokens[i].line
    while j < len(tokens) and len(words) < 8:
        tok = tokens[j]
        if tok.line - anchor_line > 1 or tokens[j - 1].line not in (tok.line, tok.line - 1):
            break  # a blank line ends the name
        if tok.line != anchor_line and tok.line not in heading_lines and anchor_line not in heading_lines:
            # a name continued on the next line of running prose: only place names carry it on
            if not match_place(tok.text):
                break
        heading = tok.line in heading_lines
        if tok.text == "i" and j + 1 < len(tokens) and match_place(tokens[j + 1].text):
            words.append("i")  # "Samordningsförbundet i Kalmar län", "RAR i Sörmland"
            j += 1
            continue
        if j + 1 < len(tokens) and tokens[j + 1].line == tok.line and tok.text[:1].isupper():
            two = match_place(f"{tok.text} {tokens[j + 1].text}", ("kommun",))
            if two and " " in two.name:  # "Upplands Väsby", "Östra Göinge"
                words.append(two.name)
                j += 2
                continue
        if words and tok.text in {",", "och"} and j + 1 < len(tokens):
            nxt = tokens[j + 1]
            if nxt.is_word and nxt.text[0].isupper() and match_place(nxt.text):
                words.append(tok.text)
                j += 1
                continue
            break
        if words and tok.folded == "lan" and match_place(words[-1]):
            words.append("län")
            j += 1
            continue
        word = _name_word(tok, heading)
        if word is None:
            break
        if (
            words
            and not heading
            and not match_place(tok.text)
            and any(match_place(w) for w in words if w not in {",", "och", "i"})
        ):
            break  # after a place name only places continue a name ("… Salem Org.nr" stops at "Org")
        words.append(word)
        j += 1
    while words and words[-1] in {",", "och", "i"}:
        words.pop()
    if words and words[0] == "i" and all(w in {"i", ",", "och"} for w in words):
        return []
    return words


def _heading_lines(text: str) -> set[int]:
    """Lines that are short enough to be a title or heading (at most five words)."""
    return {n for n, line in enumerate(text.split("\n")) if 0 < len(line.split()) <= 5}


def federation_candidates(text: str, tokens: list[Token] | None = None) -> list[NameCandidate]:
    tokens = tokens if tokens is not None else tokenize(text)
    headings = _heading_lines(text)
    found: list[NameCandidate] = []
    for i, tok in enumerate(tokens):
        if not tok.is_word:
            continue
        folded = tok.folded
        form = _federation_form(folded)
        if form in {"definite", "genitive"} and tok.text[0].isupper():
            words = _follow_name(tokens, i, headings)
            if words:
                found.append(NameCandidate(words, "Samordningsförbundet", tok.line))
        elif folded == "finsam":
            words = _follow_name(tokens, i, headings)
            if words:
                found.append(NameCandidate(words, "Finsam", tok.line))
        elif form == "indefinite" and tok.text[0].islower():
            # "Norra Västmanlands samordningsförbund": genitive place names before the word
            back: list[str] = []
            j = i - 1
            while j >= 0 and tokens[j].line == tok.line and len(back) < 4:
                place = match_place(tokens[j].text) if tokens[j].text[:1].isupper() else None
                if place is None:
                    break
                back.insert(0, tokens[j].text if fold_ocr(tokens[j].text).endswith("s") else place.name)
                j -= 1
            if back:
                found.append(NameCandidate(back, "", tok.line))
    return found


def choose_federation(
    candidates: list[NameCandidate], title_limit: int, member_kommuner: set[str] | None = None
) -> str | None:
    """The name the report uses for itself: the most frequent full form, with the title area weighing most.

    Shorter forms ("Samordningsförbundet Östra") that are a prefix of a longer one count for the longer.
    An annual report also names other federations (in tables of shared projects); a name made of the
    report's own member kommuner counts triple, one naming none of them a third.
    """
    if not candidates:
        return None
    scores: Counter = Counter()
    displays: dict[tuple, Counter] = {}
    for cand in candidates:
        weight = 5.0 if cand.line < title_limit else 1.0
        if member_kommuner:
            kommuner = {p.name for w in cand.words if (p := match_place(w, ("kommun",)))}
            if kommuner and kommuner <= member_kommuner:
                weight *= 3
            elif kommuner and not kommuner & member_kommuner:
                weight /= 3  # another federation's name; one that shares a member is ours, members half-read
        scores[cand.key] += weight
        displays.setdefault(cand.key, Counter())[cand.display()] += weight + (
            0.5 if "," not in cand.words else 0
        )
    for key in list(scores):
        longer = [o for o in scores if len(o) > len(key) and o[: len(key)] == key]
        if longer and key[-1] in QUALIFIERS:
            # "Samordningsförbundet Östra" names no place: a form cut short (a title OCR read in pieces),
            # all of whose weight goes to the forms that complete it
            whole = sum(scores[o] for o in longer)
            for other in longer:
                scores[other] += scores[key] * scores[other] / whole
            scores[key] = 0.0
            continue
        for other in longer:
            scores[other] += scores[key] * 0.5
    # a name with place words beats an acronym or a stray capitalised word of the same weight
    best = max(scores, key=lambda k: (scores[k], sum(bool(match_place(w)) for w in k[1:]), len(k)))
    return displays[best].most_common(1)[0][0]


# ---------------------------------------------------------------------------------------------- doc type


def _doc_type_of(folded: str) -> tuple[str, bool] | None:
    """The report kind a folded word names, and whether it is a plural ('arsredovisningar')."""
    for doc_type, stems in DOC_TYPE_STEMS.items():
        for stem in stems:
            head = folded[: len(stem)]
            if len(folded) >= len(stem) - 1 and (head == stem or same_word(head, stem)):
                rest = folded[len(stem) :]
                if rest in {"", "en", "ens", "s"}:
                    return doc_type, False
                if rest in {"ar", "arna", "er", "erna"}:
                    return doc_type, True
    return None


def doc_type_mentions(tokens: list[Token], title_limit: int) -> list[tuple[str, float, int]]:
    """(doc_type, weight, token index) for every word naming a report kind."""
    mentions = []
    for i, tok in enumerate(tokens):
        if not tok.is_word or len(tok.text) < 10:
            continue
        found = _doc_type_of(tok.folded)
        if not found:
            continue
        doc_type, plural = found
        if plural:
            continue
        before = tokens[i - 1].folded if i else ""
        weight = 0.2 if before in REFERENCE_WORDS else 1.0
        if tok.line < title_limit:
            weight = 5.0
        if doc_type == "delarsrapport":
            weight *= 3  # a report rarely names another kind's interim report
        mentions.append((doc_type, weight, i))
    return mentions


def detect_doc_type(text: str, tokens: list[Token], title_limit: int) -> str | None:
    scores: Counter = Counter()
    for doc_type, weight, _ in doc_type_mentions(tokens, title_limit):
        scores[doc_type] += weight
    folded_words = {t.folded for t in tokens if t.is_word}
    sections = sum(
        any(same_word(w[: len(s)], s) for w in folded_words if len(w) >= len(s)) for s in ACCOUNT_SECTIONS
    )
    if scores and sections:
        # closed accounts: an årsredovisning unless the report says it is an interim one
        scores["arsredovisning"] += 0.5 * sections
    if partial_period(text) and scores.get("delarsrapport"):
        scores["delarsrapport"] += 2
    if not scores:
        return None
    return max(DOC_TYPE_STEMS, key=lambda k: scores.get(k, 0.0))


# ---------------------------------------------------------------------------------------------- years


_YEAR = re.compile(r"(?<![\d:/\-])(19[89]\d|20[0-4]\d)(?![\d:])")


def detect_fiscal_year(text: str, tokens: list[Token], title_limit: int, doc_type: str | None) -> int | None:
    """The year the report is about: a year next to the report's own name (title area first), else the
    most frequent year in the text."""
    votes: Counter = Counter()
    for kind, weight, i in doc_type_mentions(tokens, title_limit):
        if kind != doc_type:
            continue
        line_start = text.rfind("\n", 0, tokens[i].start) + 1
        line_end = text.find("\n", tokens[i].start)
        line = text[tokens[i].start : line_end if line_end >= 0 else len(text)]
        years = [int(m.group(1)) for m in _YEAR.finditer(line[:120])]
        if not years and tokens[i].line < title_limit:
            years = [int(m.group(1)) for m in _YEAR.finditer(text[line_start : line_start + 200])]
        if years:
            votes[years[0]] += weight
    if votes:
        return votes.most_common(1)[0][0]
    title = "\n".join(text.split("\n")[:title_limit])
    years = Counter(int(m.group(1)) for m in _YEAR.finditer(title))
    if years:
        return years.most_common(1)[0][0]
    years = Counter(int(m.group(1)) for m in _YEAR.finditer(text))
    return years.most_common(1)[0][0] if years else None


# ---------------------------------------------------------------------------------------------- period


_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))


_UNTIL = r"(?:till\s+och\s+med|t\.?\s?o\.?\s?m\.?|till|[-–—])"


PERIOD_PATTERNS = {
    # 2016-01-01 - 2016-08-31
    "iso_range": re.compile(
        r"(\d{4})-(\d{2})-(\d{2})\s*(?:[-–—]|till|t\.?o\.?m\.?)\s*(\d{4})-(\d{2})-(\d{2})"
    ),
    # (1) januari till och med (31) augusti 2016, jan-aug 2016, jan–aug
    "month_range": re.compile(
        rf"(?i)(?<![\w])(?:\d{{1,2}}\s+)?({_MONTH})\.?\s*{_UNTIL}\s*(?:\d{{1,2}}\s+)?({_MONTH})\.?(?:\s+(\d{{4}}))?(?![\w])"
    ),
    # per (den) 31 augusti 2016
    "per_day_month": re.compile(rf"(?i)\bper\s+(?:den\s+)?(\d{{1,2}})\s+({_MONTH})(?:\s+(\d{{4}}))?\b"),
    # per 2016-08-31, t.o.m. 2016-08-31
    "per_iso": re.compile(
        r"(?i)(?:\bper|t\.?\s?o\.?\s?m\.?|till och med)\s+(?:den\s+)?(\d{4})-(\d{2})-(\d{2})"
    ),
    # tertial 2, kvartal 3, delår 2
    "part_number": re.compile(r"(?i)\b(tertial|kvartal|halvår|delår)\s*(\d)\b"),
    # andra tertialet, första halvåret
    "ordinal_part": re.compile(r"(?i)\b(första|andra|tredje|fjärde)\s+(tertial|kvartal|halvår)(?:et)?\b"),
}


def _month(word: str) -> int | None:
    return MONTHS.get(fold_ocr(word).rstrip("."))


def partial_period(text: str) -> tuple[int, int, int | None] | None:
    """The most often stated part-year period from January: (start month, end month, year or None)."""
    votes: Counter = Counter()
    for kind, pattern in PERIOD_PATTERNS.items():
        for m in pattern.finditer(text):
            if kind == "iso_range":
                y1, m1, _, y2, m2, d2 = (int(g) for g in m.groups())
                if y1 == y2 and m1 == 1 and m2 < 12 and d2 >= 28:
                    votes[(1, m2, y1)] += 2
            elif kind == "month_range":
                a, b = _month(m.group(1)), _month(m.group(2))
                if a == 1 and b and b < 12:
                    votes[(1, b, int(m.group(3)) if m.group(3) else None)] += 1
            elif kind == "per_day_month":
                b = _month(m.group(2))
                if b and b < 12 and int(m.group(1)) >= 28:
                    votes[(1, b, int(m.group(3)) if m.group(3) else None)] += 1
            elif kind == "per_iso":
                y, b, d = (int(g) for g in m.groups())
                if b < 12 and d >= 28:
                    votes[(1, b, y)] += 1
            else:
                if kind == "part_number":
                    part, number = m.group(1), int(m.group(2))
                else:
                    part, number = m.group(2), ORDINALS.get(fold_ocr(m.group(1)), 0)
                end = PERIOD_PARTS.get((fold_ocr(part), number))
                if end and end < 12:
                    votes[(1, end, None)] += 1
    if not votes:
        return None
    # merge year-less votes into the dated ones with the same months
    merged: Counter = Counter()
    for (start, end, _year), count in votes.items():
        merged[(start, end)] += count
    (start, end), _ = merged.most_common(1)[0]
    years = Counter({y: c for (s, e, y), c in votes.items() if (s, e) == (start, end) and y})
    return start, end, years.most_common(1)[0][0] if years else None


def detect_period(text: str, doc_type: str | None, year: int | None) -> tuple[str | None, str | None]:
    if doc_type == "delarsrapport":
        found = partial_period(text)
        if found:
            start, end, stated_year = found
            y = year or stated_year
            if y:
                return f"{y}-{start:02d}-01", f"{y}-{end:02d}-{calendar.monthrange(y, end)[1]:02d}"
    if year is None:
        return None, None
    return f"{year}-01-01", f"{year}-12-31"


# ---------------------------------------------------------------------------------------------- API


def extract_metadata(doc: ParsedDocument) -> DocumentMeta:
    """Federation, report kind, fiscal year, period and members of one parsed report."""
    text = document_text(doc)
    tokens = tokenize(text)
    limit = title_line_limit(text)
    members = find_members(text)
    member_kommuner = {p.name for m in members if (p := match_place(m.split()[0], ("kommun",)))}
    federation = choose_federation(federation_candidates(text, tokens), limit, member_kommuner)
    doc_type = detect_doc_type(text, tokens, limit)
    year = detect_fiscal_year(text, tokens, limit, doc_type)
    start, end = detect_period(text, doc_type, year)
    if len(members) < 2 and federation:
        members = members_from_name(federation, text)
    return DocumentMeta(
        federation=federation,
        doc_type=doc_type,
        fiscal_year=year,
        period_start=start,
        period_end=end,
        members=members,
    )


def is_federation_report(doc: ParsedDocument) -> tuple[bool, str]:
    """Whether the document is a samordningsförbund (Finsam) report, and why not when it is not."""
    text = document_text(doc)
    tokens = tokenize(text)
    mentions = sum(
        1 for t in tokens if t.is_word and (_federation_form(t.folded) is not None or t.folded == "finsam")
    )
    finansiell = len(re.findall(r"finansiell\w*\s+samordning", fold_ocr(text)))
    if mentions + finansiell >= 2:
        return True, f"names a samordningsförbund {mentions} times"
    if mentions + finansiell == 1 and doc_type_mentions(tokens, title_line_limit(text)):
        return True, "names a samordningsförbund and a report kind"
    return False, "not a samordningsförbund report: no samordningsförbund or Finsam named in the text"
