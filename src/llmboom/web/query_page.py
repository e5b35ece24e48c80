"""The query page: a form, the named queries as examples, and the results as a table.

Plain HTML from the publication's layout (`html_layout.page`): no script, nothing fetched
from elsewhere. The form sends `GET /sparql?query=…`; the server answers a browser with this
page and any other client with the standard results formats.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING
from urllib.parse import quote

from llmboom.namespaces import shorten
from llmboom.publication.html_layout import Links, esc, page

if TYPE_CHECKING:
    from llmboom.queries import NamedQuery

_STYLE = """<style>
textarea{width:100%;font-family:ui-monospace,monospace;font-size:.9em}
.examples li{margin:.2rem 0}.error{color:#a00;white-space:pre-wrap}
pre.graph{white-space:pre-wrap;border:1px solid #ddd;padding:.8rem}
</style>
"""


def render_query_page(
    examples: Sequence[NamedQuery],
    *,
    endpoint: str,
    query: str = "",
    results: str = "",
    footer: str = "",
) -> str:
    """The whole page; `results` is the HTML of `results_html` or `error_html`, if any."""
    items = "\n".join(
        f'<li><a class="example" data-name="{esc(q.name)}" '
        f'href="{esc(endpoint)}?query={quote(q.text, safe="")}">{esc(q.title)}</a>'
        f' <span class="note">({esc(q.name)})</span></li>'
        for q in examples
    )
    body = (
        "<h1>Query the dataset</h1>\n"
        '<p class="sub">SPARQL 1.1 over the dataset (default graph) and the ontology (graph '
        "<code>&lt;https://w3id.org/llmboom/ontology&gt;</code>). Read-only; prefixes such as "
        "<code>lbo:</code>, <code>lbr:</code>, <code>rdfs:</code> need no declaration.</p>\n"
        f'<form method="get" action="{esc(endpoint)}" id="query-form">\n'
        f'<textarea name="query" id="query" rows="12" spellcheck="false">{esc(query)}'
        "</textarea>\n"
        '<p><button type="submit" id="run">Run query</button></p>\n</form>\n'
        f"{results}\n"
        f'<h2>Named queries</h2>\n<ul class="examples">\n{items}\n</ul>'
    )
    return page("Query the dataset", body, head=_STYLE, footer=footer)


def results_html(kind: str, body: bytes, links: Links, *, truncated: bool = False) -> str:
    """A result as HTML: a table for SELECT, true/false for ASK, Turtle for graphs."""
    note = '<p class="note" id="truncated">Only the first rows are shown.</p>' if truncated else ""
    if kind == "graph":
        text = body.decode("utf-8")
        return f'<h2>Result</h2>\n{note}<pre class="graph" id="results">{esc(text)}</pre>'
    data = json.loads(body)
    if "boolean" in data:
        answer = "true" if data["boolean"] else "false"
        return f'<h2>Result</h2>\n<p id="results" class="boolean">{answer}</p>'
    variables = data["head"]["vars"]
    rows = data["results"]["bindings"]
    head = "".join(f"<th>{esc(v)}</th>" for v in variables)
    lines = [
        "<tr>" + "".join(f"<td>{_cell(row.get(v), links)}</td>" for v in variables) + "</tr>"
        for row in rows
    ]
    return (
        f'<h2>Result</h2>\n<p class="note" id="row-count">{len(rows)} rows</p>\n{note}'
        f'<table id="results">\n<thead><tr>{head}</tr></thead>\n<tbody>\n'
        + "\n".join(lines)
        + "\n</tbody>\n</table>"
    )


def error_html(message: str) -> str:
    """A query's error, shown above the form's examples."""
    return f'<h2>Error</h2>\n<p class="error" id="error">{esc(message)}</p>'


def _cell(binding: dict | None, links: Links) -> str:
    if binding is None:
        return ""
    value = binding.get("value", "")
    if binding.get("type") == "uri" and value.startswith(("http://", "https://")):
        return f'<a href="{esc(links.href(value))}" title="{esc(value)}">{esc(shorten(value))}</a>'
    if binding.get("type") == "uri":  # not a web address: shown, never linked
        return esc(f"<{value}>")
    if binding.get("type") == "bnode":
        return esc(f"_:{value}")
    return esc(value)
