"""The static site's search: a prebuilt index of every name of every resource, its labels in
each language and its alternative labels (`search-index.js`), and the script that searches
it in the browser (`search.js`).

Both are plain script files loaded with `<script src>`, so the search box works from a
static host and from a folder opened straight from disk (no server, no fetch). The script
writes results with `textContent`, never as HTML.
"""

from __future__ import annotations

import json
from importlib import resources

from llmboom.namespaces import RDF_TYPE, RDFS, SKOS
from llmboom.publication.html_layout import Links
from llmboom.publication.page_index import PageIndex

INDEX_FILE = "search-index.js"
SCRIPT_FILE = "search.js"


def search_entries(
    index: PageIndex,
    base_iri: str,
    resource_suffix: str = ".html",
    *,
    links: Links | None = None,
) -> list[dict]:
    """One entry per resource that is not a statement record: label (English), every other
    name (labels in other languages, alternative labels) in `alt`, classes,
    and its page (relative to the site's root: `id/<slug>` + `resource_suffix`, or where
    `links` says), sorted by label. The static site's pages end in `.html`; the server's
    have no suffix."""
    if links is None:
        links = Links(base_iri=base_iri, resource_prefix="id/", resource_suffix=resource_suffix)
    entries = []
    for iri in index.iris(base_iri):
        if index.is_statement_record(iri):
            continue
        label = index.label(iri) or links.slug(iri) or iri
        names = [*index.values(iri, RDFS + "label"), *index.values(iri, SKOS + "altLabel")]
        entries.append(
            {
                "label": label,
                "alt": sorted({t.value for t in names} - {label}),
                "type": sorted(
                    {index.label(t.value) or t.value for t in index.values(iri, RDF_TYPE)}
                ),
                "href": links.href(iri),
            }
        )
    return sorted(entries, key=lambda e: (e["label"].casefold(), e["href"]))


def index_script(
    index: PageIndex,
    base_iri: str,
    resource_suffix: str = ".html",
    *,
    links: Links | None = None,
) -> bytes:
    """`search-index.js`: the entries as a JavaScript global, deterministic."""
    entries = search_entries(index, base_iri, resource_suffix, links=links)
    data = json.dumps(entries, ensure_ascii=False, sort_keys=True)
    data = data.replace("<", "\\u003c")  # never `</script>`, wherever it is loaded
    return f"window.LLMBOOM_SEARCH_INDEX = {data};\n".encode()


def search_script() -> bytes:
    """`search.js`, shipped with the templates."""
    return resources.files("llmboom.publication").joinpath("templates", SCRIPT_FILE).read_bytes()
