"""`finsam diff` and `finsam series` end to end through the CLI on a store of the corpus and the Vindelådalen
reports: the formats parse, and a question the store cannot answer is one line and exit status 2."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from finsam.cli import cli


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def db(analyst_db) -> str:
    return str(analyst_db)


def test_diff_in_each_format(db):
    text = run("diff", "--db", db, "--federation", "Vindelådalen", "--from", "2017", "--to", "2018")
    assert text.exit_code == 0, text.output
    assert text.output.startswith("Samordningsförbundet Vindelådalen: 2017 → 2018\n")
    assert "3 conflicts between documents" in text.output
    data = json.loads(
        run(
            "diff", "--db", db, "--federation", "vindel", "--from", "2017", "--to", "2018", "--format", "json"
        ).output
    )
    assert (
        data["summary"]["conflicts"] == 3
        and data["federation"]["name"] == "Samordningsförbundet Vindelådalen"
    )
    result = run(
        "diff", "--db", db, "--federation", "vindel", "--from", "2017", "--to", "2018", "--format", "csv"
    )
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows and {r["chosen"] for r in rows} == {"0", "1"}
    assert sum(r["chosen"] == "1" for r in rows) == sum(
        bool(x["from"]) + bool(x["to"]) for x in data["lines"]
    )
    conflicted = {
        (r["year"], r["key"], r["role"]) for r in rows if r["conflict"] != "" and r["chosen"] == "1"
    }
    assert ("2017", "costs_other", "actual") in conflicted


def test_series_in_each_format(db):
    text = run(
        "series", "--db", db, "--canonical", "member_contribution_state", "--from", "2016", "--to", "2018"
    )
    assert text.exit_code == 0, text.output
    assert "Samordningsförbundet Vindelådalen\n  2016" in text.output
    assert "Samordningsförbundet Hälsingekusten" not in text.output  # 2020-2021: out of the years
    data = json.loads(run("series", "--db", db, "--member", "staten", "--format", "json").output)
    assert data["key"] == "member_contribution_state" and data["member"]["name"] == "staten"
    rows = list(
        csv.DictReader(
            io.StringIO(
                run(
                    "series",
                    "--db",
                    db,
                    "--canonical",
                    "costs_other",
                    "--federation",
                    "vindel",
                    "--format",
                    "csv",
                ).output
            )
        )
    )
    assert [(r["year"], r["chosen"], r["disagrees"]) for r in rows] == [
        ("2016", "1", "0"),
        ("2017", "1", "0"),
        ("2017", "0", "1"),
        ("2018", "1", "0"),
    ]


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["diff", "--federation", "östra", "--from", "2016", "--to", "2017"],
            "'östra' could be several federations: ",
        ),
        (
            ["diff", "--federation", "Göteborg", "--from", "2016", "--to", "2017"],
            "no federation 'Göteborg' in the store",
        ),
        (["series", "--member", "kommun"], "'kommun' could be several members: "),
        (["series", "--canonical", "medlemsavgifter"], "no canonical key 'medlemsavgifter'"),
        (
            ["series", "--canonical", "result", "--federation", "vindel", "--federation", "nowhere"],
            "no federation 'nowhere'",
        ),
    ],
)
def test_a_question_the_store_cannot_answer_is_one_line(db, args, message):
    result = CliRunner().invoke(cli, [*args, "--db", db])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("finsam: error: ") and message in lines[0], result.output


def test_series_needs_a_key_or_a_member(db):
    result = CliRunner().invoke(cli, ["series", "--db", db])
    assert result.exit_code == 2 and "give --canonical KEY or --member NAME" in result.output


def test_a_diff_of_years_without_figures_says_so(db):
    result = CliRunner().invoke(
        cli, ["diff", "--db", db, "--federation", "vindel", "--from", "2001", "--to", "2002"]
    )
    assert result.exit_code == 0
    assert "No figures for 2001 or 2002." in result.output
