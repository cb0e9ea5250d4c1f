"""A real browser's look at `finsam serve`: the store served on a free loopback port, its findings page (the
canned query Inconsistent totals, errors first) and its chart (the series dashboard) loaded by headless
Chromium, each saved as a PNG with the DOM the browser left, and checked that it rendered: the page
answered 200, its DOM holds what the page is made of (the findings table in severity order; the chart's SVG
with a point for every figure its table lists), the screenshot is the window's size and not blank. A page
that did not render is one line and exit status 1.

    python -m normalized.web.screenshot --db finsam.db --out shots/

The chart is drawn by Vega from data it fetches after the page has loaded: Chromium's --dump-dom and
--screenshot alone take the page before that, so the browser runs on virtual time (--virtual-time-budget)
until the page's scripts and fetches are done.
"""

from __future__ import annotations

import re
import select
import signal
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import click
from PIL import Image

from finsam import headless
from finsam.errors import FinsamError, MissingDependencyError, PageNotRenderedError
from finsam.model import SEVERITIES
from normalized.web.server import prepare_store, require_web_extra

PROG = "screenshot"
SEVERITY_NAMES = {"info": "note"}  # as finsam check counts them


@dataclass(frozen=True)
class BrowserSettings:
    """How the pages are loaded: the window (the screenshot's size), the virtual time the page's scripts
    get, how long a load and the server's start may take, and when a screenshot counts as blank."""

    width: int = 1920  # the findings table's figures and message beside its labels
    height: int = 1080
    # virtual: an idle page advances it at once, so a load takes 3–5 s; Chromium given 0 never returns
    virtual_time_ms: int = 10_000
    load_timeout_s: float = 60.0
    start_timeout_s: float = 60.0
    blank_share: float = 0.99  # blank: one colour covers more than this share of the pixels


# --- the DOM as the browser left it -----------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    """An element of the dumped DOM: its tag, attributes and children (elements and text)."""

    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    def iter(self) -> Iterator[Element]:
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[Element]:
        """The elements under this one (and itself) with the tag, the class among theirs and the attributes
        (`aria_roledescription` for aria-roledescription) given."""
        wanted = {name.replace("_", "-"): value for name, value in attrs.items()}
        return [
            e
            for e in self.iter()
            if (tag is None or e.tag == tag)
            and (cls is None or cls in e.attrs.get("class", "").split())
            and all(e.attrs.get(name) == value for name, value in wanted.items())
        ]

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Element | None:
        found = self.find_all(tag, cls, **attrs)
        return found[0] if found else None

    def text(self) -> str:
        parts = (c if isinstance(c, str) else c.text() for c in self.children)
        return " ".join(" ".join(parts).split())


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.open = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.open[-1].children.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs):  # <path … /> in SVG
        self.open[-1].children.append(Element(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag):
        for depth in range(len(self.open) - 1, 0, -1):  # close up to the element this ends
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data):
        self.open[-1].children.append(data)


def parse_dom(html: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


# --- what each page must show -----------------------------------------------------------------------------


def findings_rendered(dom: Element) -> str:
    """The findings page: Datasette's table of the query's rows, with the figures' columns, the rows in
    severity order (errors first). Returns what it shows, in a few words."""
    table = dom.find("table", cls="rows-and-columns")
    if table is None:
        if re.search(r"\b0 rows\b|\b0 results\b", dom.text()):
            return "no inconsistent totals in the store"
        raise PageNotRenderedError("no table of findings on the page")
    columns = [th.text() for th in table.find_all("th")]
    missing = [c for c in ("severity", "stated", "expected", "difference") if c not in columns]
    if missing:
        raise PageNotRenderedError(f"the table of findings has no column {', '.join(missing)}")
    severities = [td.text() for td in table.find_all("td", cls="col-severity")]
    ranks = [SEVERITIES.index(s) if s in SEVERITIES else len(SEVERITIES) for s in severities]
    if ranks != sorted(ranks):
        raise PageNotRenderedError(f"the findings are not in severity order: {' '.join(severities[:12])} …")
    counts = ", ".join(
        f"{n} {SEVERITY_NAMES.get(s, s)}{'s' if n > 1 else ''}"
        for s in SEVERITIES
        if (n := severities.count(s))
    )
    return f"{len(severities)} findings shown ({counts}), errors first"


def chosen(dom: Element, select: str) -> str | None:
    """The option chosen in the form's <select name=…>, or None."""
    element = dom.find("select", name=select)
    option = element.find("option", selected="") if element is not None else None
    if option is None:
        return None
    return option.text() or None


def chart_rendered(dom: Element) -> str:
    """The series dashboard: the chart drawn as SVG by Vega, with a point for every figure the table beside
    it lists. Returns what it shows, in a few words."""
    chart = dom.find(id="chart-series")
    if chart is None:
        raise PageNotRenderedError("no chart on the page (no element #chart-series)")
    if chart.find("svg") is None:
        raise PageNotRenderedError(
            "the chart was not drawn: no SVG in #chart-series (its scripts did not run)"
        )
    points = chart.find_all(aria_roledescription="point")
    figures = dom.find(id="chart-figures")
    bodies = figures.find_all("tbody") if figures is not None else []
    listed = sum(len(body.find_all("tr")) for body in bodies)
    if len(points) != listed:
        raise PageNotRenderedError(f"the chart drew {len(points)} points for the {listed} figures listed")
    key, federation = (chosen(dom, name) for name in ("key", "federation"))
    what = f"{key or 'no key'} for {federation or 'every federation'}"
    return f"chart of {what}: {len(points)} points, as many as its table lists"


@dataclass(frozen=True)
class Page:
    """A page to load: the screenshot's name, its path (`{database}`: the store's path on the server), its
    heading and the check of its DOM."""

    name: str
    path: str
    heading: str
    rendered: Callable[[Element], str]


PAGES = (
    Page("findings", "{database}/inconsistent_totals?_hide_sql=1", "Inconsistent totals", findings_rendered),
    Page("chart", "/-/dashboards/series", "A series, year by year", chart_rendered),
)


# --- the server and the browser ---------------------------------------------------------------------------


@contextmanager
def served(db: Path, settings: BrowserSettings) -> Iterator[str]:
    """`finsam serve --port 0` on the store, as a user starts it, until the block ends; yields the URL of
    the store's page it printed (http://127.0.0.1:PORT/finsam)."""
    command = [sys.executable, "-m", "finsam", "serve", "--db", str(db), "--port", "0", "--host", "127.0.0.1"]
    # its stderr to a file, not a pipe nobody reads while it serves (a full pipe would stop the server)
    errors = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors, text=True)
    try:
        ready, _, _ = select.select([process.stdout], [], [], settings.start_timeout_s)
        line = process.stdout.readline() if ready else ""
        url = re.search(r"http://\S+", line)
        if url is None:
            try:  # its stdout closed (ready, no line): it is exiting
                status = process.wait(timeout=10 if ready else 0.1)
            except subprocess.TimeoutExpired:
                status = None
                process.kill()
            process.communicate()
            errors.seek(0)
            said = [ln for ln in (line, *errors.read().splitlines()) if ln.strip()]
            silent = (
                f"no URL printed in {settings.start_timeout_s:.0f} s"
                if status is None
                else f"it exited with status {status}"
            )
            reason = said[-1].strip() if said else silent
            raise PageNotRenderedError(f"finsam serve did not start: {reason}")
        yield url.group(0)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.communicate()
        errors.close()


def answered(url: str) -> None:
    """Raise PageNotRenderedError unless the server answers `url` with 200 (a browser shows an error page
    as readily as any other)."""
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            response.read()
    except urllib.error.HTTPError as err:
        raise PageNotRenderedError(f"{url} answered {err.code} {err.reason}") from None
    except OSError as err:
        raise PageNotRenderedError(f"{url}: {getattr(err, 'reason', err)}") from None


def load(browser: str, url: str, png: Path, work: Path, settings: BrowserSettings) -> str:
    """Load `url` in headless Chromium, save its screenshot as `png` and return its DOM after the scripts
    ran."""
    args = [
        f"--window-size={settings.width},{settings.height}",
        "--force-device-scale-factor=1",
        "--hide-scrollbars",
        f"--virtual-time-budget={settings.virtual_time_ms}",
        f"--screenshot={png}",
        "--dump-dom",
        url,
    ]
    png.unlink(missing_ok=True)
    try:
        proc = headless.run(browser, args, work, settings.load_timeout_s)
    except subprocess.TimeoutExpired:
        raise PageNotRenderedError(f"{url}: not loaded in {settings.load_timeout_s:.0f} s") from None
    if proc.returncode != 0 or not png.is_file():
        raise PageNotRenderedError(
            f"{url}: no screenshot (chromium exit {proc.returncode}): {headless.last_message(proc.stderr)}"
        )
    return proc.stdout.decode("utf-8", "replace")


def screenshot_shows(png: Path, settings: BrowserSettings) -> str:
    """Raise PageNotRenderedError unless `png` is an image of the window's size that is not one colour
    (a page that stayed white, or grey); return its size and how much of it is not background."""
    with Image.open(png) as image:
        size = image.size
        pixels = image.convert("RGB")
    if size != (settings.width, settings.height):
        raise PageNotRenderedError(
            f"{png}: {size[0]}×{size[1]}, not the window's {settings.width}×{settings.height}"
        )
    background = max(pixels.getcolors(size[0] * size[1]))[0]
    drawn = 1 - background / (size[0] * size[1])
    if drawn < 1 - settings.blank_share:
        raise PageNotRenderedError(f"{png}: blank ({drawn:.1%} of it differs from its background)")
    return f"{size[0]}×{size[1]}, {drawn:.0%} drawn"


@dataclass(frozen=True)
class Shot:
    """A page loaded: its URL, its screenshot and DOM, and what the checks found on it."""

    page: str
    url: str
    png: Path
    dom: Path
    shows: str


def screenshot_pages(
    db: Path,
    out: Path,
    pages: tuple[Page, ...] = PAGES,
    browser: str | None = None,
    settings: BrowserSettings = BrowserSettings(),
) -> list[Shot]:
    """Serve the store at `db`, load each page in headless Chromium and save `out/NAME.png` and
    `out/NAME.html` (the DOM); raise PageNotRenderedError (one line) at the first page that did not render,
    MissingDependencyError without Chromium or the web extra, StoreError for a store that cannot be served."""
    # the browser runs in a folder of its own: a path given relative to here is made absolute
    browser = str(Path(browser).resolve()) if browser else headless.find()
    if browser is None:
        raise MissingDependencyError(
            f"no {', '.join(headless.BROWSERS)} on PATH: install Debian's chromium (apt-get install chromium)"
        )
    require_web_extra()
    prepare_store(Path(db))
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with served(Path(db), settings) as store_url, tempfile.TemporaryDirectory(prefix="finsam-shot-") as work:
        base = re.match(r"http://[^/]+", store_url).group(0)
        database = store_url[len(base) :]

        def shoot(page: Page) -> Shot:
            url = base + page.path.format(database=database)
            png, dom_file = out / f"{page.name}.png", out / f"{page.name}.html"
            profile = Path(work) / page.name  # a browser's profile is locked while it runs
            profile.mkdir()
            try:
                answered(url)
                dom_text = load(browser, url, png.resolve(), profile, settings)
                dom_file.write_text(dom_text, encoding="utf-8")
                dom = parse_dom(dom_text)
                heading = dom.find("h1")
                if heading is None or heading.text() != page.heading:
                    seen = heading.text() if heading is not None else "none"
                    raise PageNotRenderedError(f"the page's heading is {seen!r}, not {page.heading!r}")
                shows = f"{page.rendered(dom)}; {screenshot_shows(png, settings)}"
            except PageNotRenderedError as err:
                raise PageNotRenderedError(f"{page.name}: {err}") from None
            return Shot(page.name, url, png, dom_file, shows)

        # the pages load side by side, each in a browser of its own; the first page that failed is reported
        with ThreadPoolExecutor(max_workers=len(pages) or 1) as pool:
            return list(pool.map(shoot, pages))


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "db_path",
    default="finsam.db",
    show_default=True,
    type=click.Path(path_type=Path),
    help="The store to serve (an existing finsam store).",
)
@click.option(
    "--out",
    default="shots",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the screenshots (findings.png, chart.png) and the DOM of each (.html); made if missing.",
)
@click.option(
    "--chromium",
    "browser",
    type=click.Path(exists=True, dir_okay=False),
    help=f"The browser to run headless (default: the first of {', '.join(headless.BROWSERS)} on PATH).",
)
def main(db_path: Path, out: Path, browser: str | None) -> None:
    """Serve the store with `finsam serve` on a free loopback port, load its findings page (Inconsistent
    totals, errors first) and its chart (the series dashboard) in headless Chromium, save a screenshot of
    each, and check that each rendered: the page answered, its DOM holds the findings table or the drawn
    chart, the screenshot is not blank. Exit status 1 (one line) when a page did not render, 2 for a store
    that cannot be served, 3 without Chromium or the web extra."""
    try:
        shots = screenshot_pages(db_path, out, browser=browser)
    except FinsamError as err:
        click.echo(f"{PROG}: error: {err}", err=True)
        sys.exit(err.exit_code)
    for shot in shots:
        click.echo(f"{shot.page}: {shot.png} — {shot.shows} ({shot.url})")


if __name__ == "__main__":
    main(prog_name=f"python -m {__spec__.name}" if __spec__ else PROG)
