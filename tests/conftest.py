"""Shared fixtures: the bundled corpus and fresh stores."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
SHARED = REPO.parent / "shared"


# What every bundled report is: federation, doc type, fiscal year, period start and end (checked by hand).
CORPUS_META = {
    "001": (
        "Samordningsförbundet Botkyrka Huddinge Salem",
        "verksamhetsplan",
        2018,
        "2018-01-01",
        "2018-12-31",
    ),
    "002": (
        "Samordningsförbundet Botkyrka Huddinge Salem",
        "arsredovisning",
        2018,
        "2018-01-01",
        "2018-12-31",
    ),
    "003": ("Samordningsförbundet Östra Södertörn", "arsredovisning", 2016, "2016-01-01", "2016-12-31"),
    "004": (
        "Samordningsförbundet Mölndal Partille Härryda Lerum Alingsås",
        "delarsrapport",
        2016,
        "2016-01-01",
        "2016-08-31",
    ),
    # written for the layout sweep in other federations' style (corpus/authored/, with their gold)
    "005": ("Samordningsförbundet Hälsingekusten", "arsredovisning", 2021, "2021-01-01", "2021-12-31"),
    "006": ("Samordningsförbundet Klarälvdalen", "verksamhetsplan", 2023, "2023-01-01", "2023-12-31"),
    "007": ("Samordningsförbundet Östra Smålandskusten", "delarsrapport", 2022, "2022-01-01", "2022-08-31"),
}


@pytest.fixture(scope="session")
def corpus_meta() -> dict[str, tuple]:
    return CORPUS_META


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def corpus_texts() -> dict[str, Path]:
    """The bundled reports by their three-digit number: {'001': Path, ...}."""
    return {p.name[:3]: p for p in sorted(CORPUS.glob("[0-9][0-9][0-9]_*.txt"))}


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "finsam.db"


# Reports of one invented federation written for `finsam diff` and `finsam series` (tests/normalized/data/
# vindeladalen/): the 2017 and 2018 årsredovisningar, whose 2017 columns disagree on one figure (the 2017
# report printed Övriga externa kostnader as 410 000, its total and the 2018 report say 401 000), and the
# 2018 verksamhetsplan in tkr, whose budget the 2018 årsredovisning's budget column revises (50 000 kr
# moved from Finansierade insatser to Personalkostnader).
VINDELADALEN = REPO / "tests" / "normalized" / "data" / "vindeladalen"


@pytest.fixture(scope="session")
def vindeladalen_texts() -> dict[str, Path]:
    """{'ar2017': Path, 'ar2018': Path, 'vp2018': Path}"""
    return {
        "ar2017": VINDELADALEN / "vindeladalen_arsredovisning_2017.txt",
        "ar2018": VINDELADALEN / "vindeladalen_arsredovisning_2018.txt",
        "vp2018": VINDELADALEN / "vindeladalen_verksamhetsplan_2018.txt",
    }


@pytest.fixture(scope="session")
def analyst_db(tmp_path_factory, corpus_texts, corpus_dir, vindeladalen_texts) -> Path:
    """A store of the bundled corpus and the Vindelådalen reports, ingested by the real pipeline once a
    session; open it read-only (`Store(path, create=False, readonly=True)`)."""
    from finsam.pipeline import IngestOptions, ingest

    path = tmp_path_factory.mktemp("analyst") / "finsam.db"
    authored = sorted((corpus_dir / "authored").glob("[0-9][0-9][0-9]_*.txt"))
    files = [*corpus_texts.values(), *authored, *vindeladalen_texts.values()]
    outcomes = ingest(files, path, IngestOptions(jobs=2))
    assert [o.status for o in outcomes] == ["ingested"] * len(files), outcomes
    return path
