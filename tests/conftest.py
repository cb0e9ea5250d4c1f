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
