"""HTML rendering: executed notebooks to self-contained report pages, and the reports index.

Pages use the `newslens` nbconvert template (JupyterLab styling, no scripts, no remote
resources, images inline as base64 PNG); HTML produced by cell outputs is sanitised with an
allow-list (`clean_output_html`). Code cells
are hidden unless `code=True`. Both pages end with the same provenance block; under a derived
sharing policy (`prov["share"]`) both also state it at the top.

>>> print(provenance_html({"run_at": "2024-10-01 12:00:00 UTC", "corpus": "c.parquet",
...     "fingerprint": {"articles": 2, "outlets": 1, "first": "2024-09-01", "last": "2024-09-02",
...     "undated": 0, "sha256": "ab" * 32}, "parameters": {"start": "<b>"},
...     "versions": {"python": "3.11"}, "commit": "unknown"}).count("&lt;b&gt;"))
1
"""

from __future__ import annotations

import json
import re
from html import escape
from importlib import resources
from pathlib import Path

TEMPLATES = Path(str(resources.files("newslens") / "data" / "templates"))
"""Folder holding the `newslens` nbconvert template and the index page template."""


ALLOWED_TAGS = frozenset(
    "a abbr b blockquote br caption code col colgroup dd del div dl dt em h1 h2 h3 h4 h5 h6 hr i "
    "ins kbd li ol p pre q s small span strong sub sup table tbody td tfoot th thead tr u ul".split()
)
"""Tags kept in HTML produced by cell outputs; everything else is removed (its text kept)."""

ALLOWED_ATTRIBUTES = {
    "*": ["class", "id", "title"],
    "a": ["href", "title"],
    "td": ["colspan", "rowspan"],
    "th": ["colspan", "rowspan", "scope"],
}

_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def clean_output_html(markup: str) -> str:
    """Sanitise HTML from a cell output: drop script/style elements with their content, keep the
    allow-listed tags and attributes, remove other tags (keeping their text).

    >>> clean_output_html('<p onclick="x()">hi<script>alert(1)</script><img src=x onerror=alert(1)></p>')
    '<p>hi</p>'
    """
    import bleach

    markup = _SCRIPT_OR_STYLE.sub("", markup)
    return bleach.clean(
        markup,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=["http", "https", "mailto"],
        strip=True,
        strip_comments=True,
    )


def stylesheet() -> str:
    """The report and index stylesheet."""
    return (TEMPLATES / "newslens" / "style.css").read_text(encoding="utf-8")


_DERIVED_STATUS = {"hit": "cache hit", "built": "built (not cached before)", "rebuilt": "rebuilt"}


def provenance_html(prov: dict) -> str:
    """The provenance block (every value escaped)."""
    fp = prov["fingerprint"]
    span = f"{fp['first']} to {fp['last']}" if fp["first"] else "no dates"
    if fp.get("undated"):
        span += f" ({fp['undated']} undated)"
    rows = [
        ("Run", prov["run_at"]),
        ("Corpus", prov["corpus"]),
        ("Articles", f"{fp['articles']} articles, {fp['outlets']} outlets, {span}"),
        ("Corpus hash (SHA-256)", fp["sha256"]),
        ("Parameters", json.dumps(prov["parameters"], ensure_ascii=False, sort_keys=True)),
        *prov.get("notes", {}).items(),
        *([("Heavy steps ran", prov["compute"])] if prov.get("compute") else []),
        ("Versions", ", ".join(f"{k} {v}" for k, v in prov["versions"].items())),
        ("Git commit", prov["commit"]),
    ]
    if prov.get("derived"):
        rows.insert(5, ("Derived tables", "; ".join(
            f"{e.get('table')}: {_DERIVED_STATUS.get(e.get('status'), e.get('status'))}"
            + (f" ({e['reason']})" if e.get("reason") else "") for e in prov["derived"])))
    if prov.get("share"):
        rows.append(("Sharing", prov["share"]["note"]))
    body = "\n".join(
        f"<tr><th>{escape(k)}</th><td><code>{escape(str(v))}</code></td></tr>" for k, v in rows
    )
    return (
        '<section class="nl-provenance" id="provenance"><h2>Provenance</h2>'
        f'<table class="nl-prov">\n{body}\n</table></section>'
    )


def notebook_html(nb, *, title: str, provenance: dict, code: bool = False, notebook_href: str = "") -> str:
    """Render an executed notebook (`nbformat` node) to a self-contained HTML page; the page links
    `notebook_href` (the published executed notebook) when given."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="newslens",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=not code,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        filters={"newslens_clean": clean_output_html},
    )
    page, _ = exporter.from_notebook_node(
        nb,
        resources={
            "metadata": {"name": title},
            "newslens": {
                "css": stylesheet(),
                "provenance_html": provenance_html(provenance),
                "notebook_href": notebook_href,
                "share_note": (provenance.get("share") or {}).get("note", ""),
            },
        },
    )
    return page


def index_html(reports: list[dict], *, provenance: dict) -> str:
    """The reports index: one row per report (title, description, status, last good run)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    template = env.get_template("reports-index.html.j2")
    return template.render(
        reports=reports,
        css=stylesheet(),
        provenance_html=provenance_html(provenance),
        current_sha256=provenance["fingerprint"]["sha256"],
        share_note=(provenance.get("share") or {}).get("note", ""),
    )
