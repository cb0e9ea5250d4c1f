"""Reference data every stage may read: Swedish place names and month names, each loaded once.

The place list (`finsam/data/places.json`: kommuner with their official member names, regioner, state
members and other geographic words) serves the metadata reader (federation names, members), the OCR
repair's lexicon (a place name is no misspelling) and the vocabulary (a member contribution's kommun, by
`kommun_slugs`, and its region, by `region_names`). It lives here, beside the shared model, so no stage reaches into another's data.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from finsam.text import fold_label, slug

DATA_DIR = Path(__file__).resolve().parent / "data"
PLACES = DATA_DIR / "places.json"

# Swedish month names and their abbreviations, folded (no diacritics), as report headers and periods print
# them ("Jan-aug", "januari–augusti", "sept"): name -> month number.
MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "mars": 3, "mar": 3, "april": 4, "apr": 4, "maj": 5,
    "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augusti": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip


@lru_cache(maxsize=1)
def places() -> dict:
    """The place list, read once a process (raises OSError or ValueError when the file is missing or bad)."""
    return json.loads(PLACES.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def kommun_slugs() -> dict[str, str]:
    """Each kommun's name, folded as row labels are (`fold_label`), and its genitive ('Salems') -> the slug of
    its name ('salem'); empty when the place list cannot be read."""
    names: list[str] = []
    try:
        names = [k["name"] for k in places().get("kommuner", [])]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    out: dict[str, str] = {}
    for name in names:
        out[fold_label(name)] = slug(name)
        if not name.endswith("s"):
            out[fold_label(name + "s")] = slug(name)
    return out


def _genitive(name: str) -> str:
    return name if name.endswith(("s", "x", "z")) else name + "s"


@lru_cache(maxsize=1)
def region_names() -> dict[str, str]:
    """Every way a report names a region, folded as row labels are (`fold_label`) -> the region's name: its
    name and aliases in the place list, and the forms made from its core name that reports print ('Region
    Halland', 'Region Örebro län', 'Region Jönköpings län', 'Landstinget Dalarna', 'Landstinget i Kalmar
    län', 'Örebro läns landsting'), an alias in the definite form also without it ('VG-region' beside
    'VG-regionen'). Empty when the place list cannot be read."""
    try:
        regions = [(r["name"], r["core"], r.get("aliases", [])) for r in places().get("regioner", [])]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    out: dict[str, str] = {}
    for name, core, aliases in regions:
        of = _genitive(core)
        forms = [name, *aliases, f"Region {core}", f"Region {core} län", f"Region {of} län"]
        forms += [f"Landstinget {core}", f"Landstinget i {core}", f"Landstinget i {core} län"]
        forms += [
            f"Landstinget i {of} län",
            f"{of} läns landsting",
            f"{core} läns landsting",
            f"{of} landsting",
        ]
        forms += [f[: -len("en")] for f in forms if f.endswith("regionen")]
        for form in forms:
            out.setdefault(fold_label(form), name)
    return out
