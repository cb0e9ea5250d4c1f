"""Shared fixtures: the bundled corpus and fresh stores."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
SHARED = REPO.parent / "shared"


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
