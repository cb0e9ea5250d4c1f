"""What `finsam serve` shows of a store in Datasette, as data: the table and column descriptions of
normalized.schema, the facets of each table, the label columns, the canned queries analysts ask for most
and the chart of a series (a datasette-dashboards dashboard), all in one Datasette metadata dict.

The SQL here is written against normalized.schema and runs on a store as it is: nothing of it is stored.
A query's columns named `document_id` or `page` (and `from_document_id`/`from_page`, …) are made links to
the document and to the page's text by normalized.web.plugin.
"""

from __future__ import annotations

from dataclasses import dataclass

from normalized.schema import datasette_metadata as schema_metadata

# The plugin section naming a database as a finsam store (normalized.web.plugin acts only on these).
PLUGIN = "finsam"
CHART_PLUGIN = "datasette-dashboards"

# Facets shown on a table's page. None on facts: every cell of the store, it takes seconds to count by a
# column in a store of a few hundred reports (Datasette gives a facet 200 ms).
FACETS: dict[str, tuple[str, ...]] = {
    "documents": ("federation_id", "fiscal_year", "doc_type"),
    "current_documents": ("federation", "fiscal_year", "doc_type"),
    "tables": ("kind", "unit"),
    "findings": ("rule", "severity"),
    "document_findings": ("federation_name", "fiscal_year", "doc_type", "rule", "severity"),
    "goals": ("document_id",),
    "federation_aliases": ("evidence", "source"),
    "failures": ("error_kind",),
}

# The column a row of each table is named by where another table points at it (documents.id shows as the
# file name in findings.document_id).
LABEL_COLUMNS: dict[str, str] = {
    "documents": "source_name",
    "federations": "name",
    "tables": "title",
    "table_rows": "label",
}

# Which report's figure stands for a year when several print it: one in kronor before one in another unit,
# an årsredovisning before a plan, the latest report (which may restate it) before older ones.
PREFERENCE = (
    "f.value_kr IS NOT NULL DESC, f.doc_type = 'arsredovisning' DESC, f.fiscal_year DESC, f.document_id DESC"
)

# The federations `:federation` asks for: any part of the name or of a name it is known by, in any case
# ('botkyrka', 'ÖSTRA', 'HBS'); blank is every federation. casefold() is registered by
# normalized.web.plugin (SQLite's lower() knows only ASCII). Chosen first, so the figures are read by
# documents.federation_id rather than every figure of the store tested.
SELECTED_FEDERATIONS = """selected AS (
    SELECT id FROM federations WHERE :federation = '' OR instr(casefold(name), casefold(:federation))
    UNION
    SELECT federation_id FROM federation_aliases WHERE instr(casefold(alias), casefold(:federation))
)"""


def year_figures(partition: str, where: str) -> str:
    """A CTE `year_figures`: the figures of full years (actual and budget columns of current documents
    that are not interim reports: a delårsrapport's outcome is part of a year) with the federation's
    name, each ranked 1 where it is the one PREFERENCE picks among those of its `partition`."""
    return f"""year_figures AS (
    SELECT fed.id AS federation_id, fed.name AS federation, f.table_kind, f.table_title, f.canonical,
           coalesce(f.canonical, lower(f.label)) AS figure, f.label, f.column_role AS role,
           f.column_year AS year, coalesce(f.value_kr, f.value) AS amount,
           CASE WHEN f.value_kr IS NOT NULL THEN 'kr' ELSE f.unit END AS unit, f.document_id, f.page,
           row_number() OVER (PARTITION BY {partition} ORDER BY {PREFERENCE}, f.table_id, f.page) AS rank
    FROM facts f JOIN federations fed ON fed.id = f.federation_id
    WHERE f.is_current AND f.doc_type <> 'delarsrapport' AND f.column_role IN ('actual', 'budget')
      AND f.column_year IS NOT NULL AND coalesce(f.value_kr, f.value) IS NOT NULL
      AND {where}
)"""


@dataclass(frozen=True)
class CannedQuery:
    """A named query on the store's own page in Datasette; `params` are filled in by the analyst."""

    title: str
    description: str
    sql: str
    params: tuple[str, ...] = ()


SEVERITY_ORDER = "CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END"

# The figures of the two queries over years: a member's contribution for each year and role, and every
# figure of a table kind for each year of the year diff.
MEMBER_FIGURES = year_figures(
    "f.federation_id, f.canonical, f.column_year, f.column_role",
    # GLOB, not LIKE: a prefix GLOB is read off the index on table_rows.canonical
    "f.canonical GLOB 'member_contribution*' AND f.federation_id IN (SELECT id FROM selected)",
)
DIFF_FIGURES = year_figures(
    "f.federation_id, f.table_kind, coalesce(f.canonical, lower(f.label)), f.column_year",
    "f.column_role = 'actual' AND f.column_year IN (CAST(:from_year AS INTEGER), CAST(:to_year AS INTEGER)) "
    "AND f.federation_id IN (SELECT id FROM selected)",
)

QUERIES: dict[str, CannedQuery] = {
    "inconsistent_totals": CannedQuery(
        "Inconsistent totals",
        "Every figure a cross-check computes otherwise than the report prints it, in the current documents: "
        "errors first, then warnings and notes, the largest differences first. stated is the figure as "
        "printed, expected what its rows (or the other table, the identity) give, difference = stated − "
        "expected. page opens the page's text.",
        f"""SELECT f.severity, coalesce(fed.name, d.federation) AS federation, d.fiscal_year, d.doc_type,
       f.document_id, f.page, f.rule, f.table_title, f.row, f.[column], f.stated, f.expected,
       f.difference, f.message
FROM findings f
JOIN documents d ON d.id = f.document_id
LEFT JOIN federations fed ON fed.id = d.federation_id
WHERE d.superseded_by IS NULL AND f.other_document_id IS NULL
  AND f.stated IS NOT NULL AND f.expected IS NOT NULL
ORDER BY {SEVERITY_ORDER}, abs(f.difference) DESC, f.document_id, f.page""",
    ),
    "member_contributions_by_year": CannedQuery(
        "Member contributions by year",
        "What each member (the state, the region, each kommun) paid and was budgeted to pay, federation by "
        "federation and year, in kronor: for each, the figure of the latest årsredovisning that prints it "
        "(a plan's where no årsredovisning does; interim reports are left out). reports counts the "
        "documents that print an outcome for it; where they disagree, min_kr and max_kr say by how much. "
        "federation: any part of its name or of a name it is known by, blank for all.",
        f"""WITH {SELECTED_FEDERATIONS},
{MEMBER_FIGURES}
SELECT federation, year, canonical AS member_key,
       max(CASE WHEN rank = 1 AND role = 'actual' THEN label END) AS member,
       max(CASE WHEN rank = 1 AND role = 'actual' THEN amount END) AS actual_kr,
       max(CASE WHEN rank = 1 AND role = 'budget' THEN amount END) AS budget_kr,
       count(DISTINCT CASE WHEN role = 'actual' THEN document_id END) AS reports,
       min(CASE WHEN role = 'actual' THEN amount END) AS min_kr,
       max(CASE WHEN role = 'actual' THEN amount END) AS max_kr,
       max(CASE WHEN rank = 1 AND role = 'actual' THEN document_id END) AS document_id,
       max(CASE WHEN rank = 1 AND role = 'actual' THEN page END) AS page
FROM year_figures
WHERE unit = 'kr'
GROUP BY federation_id, canonical, year
ORDER BY federation, year, canonical = 'member_contributions_total', canonical""",
        ("federation",),
    ),
    "year_diff": CannedQuery(
        "Year diff for a federation",
        "Every figure of a federation's statements, notes and other tables in from_year against the same "
        "figure in to_year (the outcome columns, in kronor where the unit is known), with the difference "
        "and the change in percent; a figure of one year only has the other blank. Each year's figure is "
        "the latest årsredovisning's that prints it, so a restated figure counts as restated. "
        "federation: any part of its name or of a name it is known by (blank: every federation, each "
        "apart).",
        f"""WITH {SELECTED_FEDERATIONS},
{DIFF_FIGURES},
chosen AS (SELECT * FROM year_figures WHERE rank = 1),
figures AS (SELECT DISTINCT federation_id, federation, table_kind, figure FROM chosen)
SELECT k.federation, k.table_kind, coalesce(b.label, a.label) AS label,
       coalesce(b.canonical, a.canonical) AS canonical, a.amount AS from_amount, b.amount AS to_amount,
       b.amount - a.amount AS difference,
       CASE WHEN a.amount <> 0 THEN round(100.0 * (b.amount - a.amount) / abs(a.amount), 1) END
         AS change_percent,
       coalesce(b.unit, a.unit) AS unit, a.document_id AS from_document_id, a.page AS from_page,
       b.document_id AS to_document_id, b.page AS to_page
FROM figures k
LEFT JOIN chosen a ON a.federation_id = k.federation_id AND a.table_kind = k.table_kind
     AND a.figure = k.figure AND a.year = CAST(:from_year AS INTEGER)
LEFT JOIN chosen b ON b.federation_id = k.federation_id AND b.table_kind = k.table_kind
     AND b.figure = k.figure AND b.year = CAST(:to_year AS INTEGER)
ORDER BY k.federation,
         CASE k.table_kind WHEN 'resultatrakning' THEN 0 WHEN 'balansrakning' THEN 1
              WHEN 'kassaflodesanalys' THEN 2 WHEN 'note' THEN 3 ELSE 4 END,
         k.table_kind, abs(coalesce(b.amount, 0) - coalesce(a.amount, 0)) DESC""",
        ("federation", "from_year", "to_year"),
    ),
    "restatements": CannedQuery(
        "Restatements",
        "Figures a report prints otherwise than another report of the same federation: last year's column "
        "of an årsredovisning against last year's årsredovisning (restatement, a warning), and an "
        "årsredovisning's budget against that year's verksamhetsplan (revised_budget). stated is the figure "
        "in document_id, expected the one in other_document_id, difference = stated − expected.",
        f"""SELECT coalesce(fed.name, d.federation) AS federation, f.rule, f.severity, d.fiscal_year,
       f.document_id, f.page, f.other_document_id, o.fiscal_year AS other_fiscal_year,
       o.doc_type AS other_doc_type, f.table_title, f.row, f.[column], f.stated, f.expected,
       f.difference, f.message
FROM findings f
JOIN documents d ON d.id = f.document_id
JOIN documents o ON o.id = f.other_document_id
LEFT JOIN federations fed ON fed.id = d.federation_id
WHERE f.rule IN ('restatement', 'revised_budget')
ORDER BY f.rule <> 'restatement', {SEVERITY_ORDER}, federation, d.fiscal_year, abs(f.difference) DESC""",
    ),
    "search_pages": CannedQuery(
        "Search page text",
        'The pages whose text holds the words (full-text search, SQLite FTS5 syntax: words, "a phrase", '
        "prefix*, OR), best matches first, each with the passage around them (the words between » and «); "
        "page opens the whole page.",
        """SELECT coalesce(fed.name, d.federation) AS federation, d.fiscal_year, d.doc_type, p.document_id,
       p.page, snippet(pages_fts, 0, '»', '«', '…', 24) AS passage
FROM pages_fts
JOIN pages p ON p.rowid = pages_fts.rowid
JOIN documents d ON d.id = p.document_id
LEFT JOIN federations fed ON fed.id = d.federation_id
WHERE pages_fts MATCH CASE WHEN trim(:words) = '' THEN '""' ELSE :words END
ORDER BY pages_fts.rank""",
        ("words",),
    ),
}


def series_dashboard(database: str, federation: str | None = None) -> dict:
    """The chart of a series (datasette-dashboards): a canonical key's figure year by year, a line for the
    outcome and one for the budget of the federation chosen (at first `federation`; none chosen, every
    federation), each year's figure chosen as member contributions by year chooses them."""
    # the filters inside the CTE: a federation's and key's figures are ranked among themselves anyway
    figures = year_figures(
        "f.federation_id, f.canonical, f.column_year, f.column_role",
        "f.canonical IS NOT NULL [[ AND fed.name = :federation ]] [[ AND f.canonical = :key ]]",
    )
    # a unit finsam could not tell (a table of kr and shares) would put figures on another scale
    chosen = "FROM year_figures WHERE rank = 1 AND unit IN ('kr', 'count', 'percent')"
    return {
        "title": "A series, year by year",
        "description": "A canonical key's figure (see finsam keys) year by year, outcome and budget, for "
        "each federation or the one chosen, in kronor (or the count or percent the key is): each year's "
        "figure as the latest årsredovisning prints it.",
        "layout": [["series"], ["figures"]],
        "filters": {
            "federation": {
                "name": "Federation",
                "type": "select",
                "db": database,
                "query": "SELECT name FROM federations ORDER BY name",
            }
            | ({"default": federation} if federation else {}),
            "key": {
                "name": "Key",
                "type": "select",
                "db": database,
                "default": "member_contributions_total",
                "query": "SELECT DISTINCT r.canonical FROM table_rows r JOIN documents d ON d.id = r.document_id "
                "JOIN federations fed ON fed.id = d.federation_id WHERE r.canonical IS NOT NULL "
                "[[ AND fed.name = :federation ]] ORDER BY 1",
            },
        },
        "charts": {
            "series": {
                "title": "Outcome and budget (kr, or the count or percent the key is)",
                "db": database,
                "query": f"WITH {figures} SELECT federation, year, role, amount, unit {chosen} "
                "ORDER BY federation, year, role",
                "library": "vega-lite",
                "display": {
                    "mark": {"type": "line", "point": True, "tooltip": True},
                    "encoding": {
                        "x": {"field": "year", "type": "ordinal", "title": "year"},
                        "y": {"field": "amount", "type": "quantitative"},
                        "color": {"field": "federation", "type": "nominal"},
                        "strokeDash": {"field": "role", "type": "nominal", "title": "column"},
                    },
                },
            },
            "figures": {
                "title": "The figures and where they are printed",
                "db": database,
                "query": f"WITH {figures} SELECT federation, year, role, amount, unit, label, table_title, "
                f"document_id, page {chosen} ORDER BY federation, year, role",
                "library": "table",
            },
        },
    }


def metadata(database: str, federation: str | None = None) -> dict:
    """Datasette metadata for a store served as `database`: normalized.schema's descriptions of every table,
    view and column, with the facets, label columns, canned queries and the series dashboard (showing
    `federation` at first)."""
    meta = schema_metadata(database)
    meta["description"] = (
        "Reports of Swedish samordningsförbund read by finsam: documents, page text, tables, "
        "cross-check findings. Start with the canned queries below, the facets of documents and "
        "document_findings, or the series dashboard (menu: Dashboards)."
    )
    db = meta["databases"][database]
    for name, table in db["tables"].items():
        if name in FACETS:
            table["facets"] = list(FACETS[name])
        if name in LABEL_COLUMNS:
            table["label_column"] = LABEL_COLUMNS[name]
    db["queries"] = {
        name: {"title": q.title, "description": q.description, "sql": q.sql}
        | ({"params": list(q.params)} if q.params else {})
        for name, q in QUERIES.items()
    }
    db["plugins"] = {PLUGIN: {"store": True}}
    meta["plugins"] = {CHART_PLUGIN: {"series": series_dashboard(database, federation)}}
    return meta
