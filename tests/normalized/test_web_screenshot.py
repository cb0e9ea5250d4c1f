"""The browser check of `finsam serve` (normalized.web.screenshot) as the README runs it: a store of the
corpus served, its findings page and its chart loaded by Debian's headless Chromium, the screenshots and
the DOM checked; and each way a page can fail to render (no chart drawn, a point missing, findings out of
order, a blank screenshot), a missing browser and a store that cannot be served, each one line."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from finsam import headless
from finsam.errors import PageNotRenderedError
from finsam.pipeline import IngestOptions, ingest
from normalized.web import screenshot
from normalized.web.screenshot import (
    BrowserSettings,
    chart_rendered,
    findings_rendered,
    parse_dom,
    screenshot_shows,
)

needs_browser = pytest.mark.skipif(
    headless.find() is None or importlib.util.find_spec("datasette") is None,
    reason="no chromium on PATH, or the web extra is missing",
)


@pytest.fixture(scope="module")
def store(tmp_path_factory, corpus_texts) -> Path:
    """003 (Östra Södertörn, årsredovisning 2016): its real inconsistent totals, and its members'
    contributions for 2015 and 2016 for the chart."""
    path = tmp_path_factory.mktemp("shot") / "finsam.db"
    outcomes = ingest([corpus_texts["003"]], path, IngestOptions(jobs=1))
    assert [o.status for o in outcomes] == ["ingested"], outcomes
    return path


def drawn_share(png: Path) -> float:
    """The share of the image's pixels that are not its commonest colour."""
    with Image.open(png) as image:
        pixels = image.convert("RGB")
        total = image.width * image.height
    return 1 - max(pixels.getcolors(total))[0] / total


@needs_browser
def test_the_findings_page_and_the_chart_render_in_chromium(store, tmp_path):
    out = tmp_path / "shots"
    result = subprocess.run(
        [sys.executable, "-m", "normalized.web.screenshot", "--db", str(store), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"findings: {out / 'findings.png'} — 7 findings shown (6 errors, 1 warning)")
    assert lines[1].startswith(
        f"chart: {out / 'chart.png'} — chart of member_contributions_total for "
        "Samordningsförbundet Östra Södertörn: 3 points"
    )
    assert "http://127.0.0.1:" in lines[0]

    for name in ("findings", "chart"):
        with Image.open(out / f"{name}.png") as image:
            assert image.format == "PNG" and image.size == (1920, 1080)
        assert drawn_share(out / f"{name}.png") > 0.05  # text, tables, the chart: not a blank page

    findings = parse_dom((out / "findings.html").read_text(encoding="utf-8"))
    first = findings.find("table", cls="rows-and-columns").find("tbody").find("tr")
    cells = {td.attrs["class"].removeprefix("col-"): td.text() for td in first.find_all("td")}
    assert (cells["severity"], cells["rule"], cells["row"]) == (
        "error",
        "note_tie_out",
        "Verksamhetens kostnader",
    )
    assert (cells["stated"], cells["expected"]) == ("-19794180.0", "-19799284.0")
    assert cells["page"] == "1" and findings.find("a", title="the text of page 1") is not None

    chart = parse_dom((out / "chart.html").read_text(encoding="utf-8")).find(id="chart-series")
    points = {p.attrs["aria-label"] for p in chart.find_all(aria_roledescription="point")}
    assert points == {
        f"year: {year}; amount: {amount}; federation: Samordningsförbundet Östra Södertörn; column: {role}"
        for year, amount, role in [
            (2015, 18000000, "actual"),
            (2016, 18064870, "actual"),
            (2016, 18064870, "budget"),
        ]
    }


CHART = """<html><body><h1>A series, year by year</h1>
<div id="chart-series" class="dashboard-card-chart">{svg}</div>
<div id="chart-figures"><table><thead><tr><th>year</th></tr></thead>
<tbody><tr><td>2015</td></tr><tr><td>2016</td></tr></tbody></table></div></body></html>"""
POINT = '<path aria-roledescription="point" aria-label="year: {}" d="M0,0"/>'


def test_a_chart_whose_scripts_did_not_run_is_one_line():
    with pytest.raises(PageNotRenderedError, match=r"^the chart was not drawn: no SVG in #chart-series"):
        chart_rendered(parse_dom(CHART.format(svg="")))


def test_a_chart_with_a_point_missing_is_one_line():
    drawn = CHART.format(svg=f"<svg><g>{POINT.format(2015)}{POINT.format(2016)}</g></svg>")
    assert chart_rendered(parse_dom(drawn)).endswith(": 2 points, as many as its table lists")
    with pytest.raises(PageNotRenderedError, match=r"^the chart drew 1 points for the 2 figures listed$"):
        chart_rendered(parse_dom(CHART.format(svg=f"<svg><g>{POINT.format(2015)}</g></svg>")))


def findings_page(*severities: str) -> str:
    rows = "".join(f'<tr><td class="col-severity">{s}</td></tr>' for s in severities)
    header = "".join(f"<th>{c}</th>" for c in ("severity", "stated", "expected", "difference"))
    return f'<h1>Inconsistent totals</h1><table class="rows-and-columns"><tr>{header}</tr>{rows}</table>'


def test_findings_are_checked_errors_first():
    assert findings_rendered(parse_dom(findings_page("error", "error", "warning", "info"))) == (
        "4 findings shown (2 errors, 1 warning, 1 note), errors first"
    )
    with pytest.raises(PageNotRenderedError, match=r"^the findings are not in severity order: warning error"):
        findings_rendered(parse_dom(findings_page("warning", "error")))
    assert findings_rendered(parse_dom("<h1>Inconsistent totals</h1><p>0 results</p>")) == (
        "no inconsistent totals in the store"
    )
    with pytest.raises(PageNotRenderedError, match=r"^no table of findings on the page$"):
        findings_rendered(parse_dom("<h1>Inconsistent totals</h1><p>Error 500</p>"))


def test_a_blank_screenshot_is_one_line(tmp_path):
    settings = BrowserSettings(width=200, height=100)
    blank = tmp_path / "blank.png"
    Image.new("RGB", (200, 100), "white").save(blank)
    with pytest.raises(PageNotRenderedError, match=r"blank\.png: blank \(0\.0% of it differs"):
        screenshot_shows(blank, settings)
    page = Image.new("RGB", (200, 100), "white")
    page.paste((30, 90, 140), (0, 0, 200, 20))  # a header bar
    page.save(tmp_path / "page.png")
    assert screenshot_shows(tmp_path / "page.png", settings) == "200×100, 20% drawn"
    with pytest.raises(PageNotRenderedError, match=r"200×100, not the window's 1920×1080"):
        screenshot_shows(tmp_path / "page.png", BrowserSettings())


def test_without_a_browser_it_says_what_to_install(store, tmp_path, monkeypatch):
    monkeypatch.setattr(headless, "find", lambda: None)
    result = CliRunner().invoke(screenshot.main, ["--db", str(store), "--out", str(tmp_path / "shots")])
    assert result.exit_code == 3
    assert result.output.strip() == (
        "screenshot: error: no chromium, chromium-browser, google-chrome, google-chrome-stable on PATH: "
        "install Debian's chromium (apt-get install chromium)"
    )
    assert not (tmp_path / "shots").exists()


@needs_browser
def test_a_file_that_is_no_store_is_one_line(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_text("not a store")
    result = CliRunner().invoke(screenshot.main, ["--db", str(junk), "--out", str(tmp_path / "shots")])
    assert result.exit_code == 2
    assert (
        result.output.strip() == f"screenshot: error: {junk}: not an SQLite database, so not a finsam store"
    )
