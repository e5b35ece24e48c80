"""The publication, live: the dataset loaded once, pages and documents made on demand.

Everything is rendered by the publication's own functions (`llmboom.publication`), the
same ones `llmboom build` writes files with: the server only links resources as `/id/<slug>`
instead of `<slug>.html`. Rendered documents are kept, so each is made once.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from llmboom.publication.html_layout import Links
from llmboom.web.negotiation import HTML, RESOURCE_OFFERS, Offer

if TYPE_CHECKING:
    from llmboom.project import Project
    from llmboom.store import DatasetStore

#: Where the server puts a resource: `/id/<slug>`.
RESOURCE_PATH = "/id/"
#: The ontology's documentation and RDF.
ONTOLOGY_PATH = "/ontology"


class LiveSite:
    """A project's publication, held in memory for the server."""

    def __init__(self, project: Project, store: DatasetStore | None = None) -> None:
        """Read the dataset and the ontology from `store` (default: parsed from the project
        into memory), index them, and render the publication's documents."""
        from llmboom.jsonld import build_context
        from llmboom.publication.builder import SLUG, footer_html, publication_documents
        from llmboom.publication.graph_index import GraphIndex
        from llmboom.publication.metadata import load_metadata
        from llmboom.publication.search_index import (
            INDEX_FILE,
            SCRIPT_FILE,
            index_script,
            search_script,
        )
        from llmboom.store import open_store

        self.project = project
        self.base_iri = project.base_iri
        store = store or open_store(project)
        try:
            data, ontology = store.dataset_quads(), store.ontology_quads()
        finally:
            store.close()
        self.index = GraphIndex(data, ontology)
        self.context = build_context(project)
        self.metadata = load_metadata(project)
        self.documents = publication_documents(
            project, data, ontology, self.index, self.context, self.metadata
        )
        self.slugs = frozenset(
            iri[len(self.base_iri) :]
            for iri in self.index.iris(self.base_iri)
            if SLUG.fullmatch(iri[len(self.base_iri) :])
        )
        self.footer = footer_html(self.metadata, "/")
        #: The search box's index links `/id/<slug>` (the static site's links `.html` pages).
        self.scripts = {
            INDEX_FILE: index_script(self.index, self.base_iri, resource_suffix=""),
            SCRIPT_FILE: search_script(),
        }
        self.links = Links(
            base_iri=self.base_iri,
            resource_prefix=RESOURCE_PATH,
            resource_suffix="",
            ontology_page=ONTOLOGY_PATH,
        )
        self._cache: dict[tuple[str, str], bytes] = {}
        self._lock = threading.Lock()

    def has_resource(self, slug: str) -> bool:
        return slug in self.slugs

    def alternates(self, slug: str) -> list[tuple[str, str, str]]:
        """(href, media type, name) of every representation of a resource."""
        return [
            (f"{RESOURCE_PATH}{slug}{o.suffix}", o.media_type, o.title) for o in RESOURCE_OFFERS
        ]

    def cached(self, slug: str, offer: Offer) -> bytes | None:
        """A representation already rendered, or None (then call `resource`)."""
        return self._cache.get((slug, offer.name))

    def resource(self, slug: str, offer: Offer) -> bytes:
        """A resource's page (HTML) or its RDF document in the offered format."""
        key = (slug, offer.name)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        iri = self.base_iri + slug
        if offer is HTML:
            from llmboom.publication.charts import chart_svg
            from llmboom.publication.resource_pages import render_resource_page

            jsonld = self.resource(slug, self._offer("jsonld")).decode("utf-8")
            body = render_resource_page(
                self.index,
                iri,
                jsonld=jsonld,
                links=self.links,
                footer=self.footer,
                alternates=[a for a in self.alternates(slug) if a[1] != HTML.media_type],
                chart_svg=chart_svg(self.index, iri, self.links),
                search_root="/",
            ).encode("utf-8")
        else:
            body = self._rdf(iri, offer.name)
        with self._lock:
            self._cache[key] = body
        return body

    def _rdf(self, iri: str, format_name: str) -> bytes:
        import pyoxigraph

        from llmboom.export import serialize
        from llmboom.formats import by_name
        from llmboom.publication.resource_pages import describe

        quads = [
            pyoxigraph.Quad(t.subject, t.predicate, t.object)
            for t in describe(self.index, iri, self.base_iri)
        ]
        fmt = by_name(format_name)
        context = self.context if fmt.name == "jsonld" else None
        return serialize(quads, fmt, context=context)

    @staticmethod
    def _offer(name: str) -> Offer:
        return next(o for o in RESOURCE_OFFERS if o.name == name)

    def home(self, sparql_endpoint: str) -> bytes:
        """The home page: the landing page of the publication, plus how to query it here."""
        from llmboom.publication.landing_page import render_landing_page

        return render_landing_page(
            self.index,
            self.metadata,
            self.documents.distributions,
            base_iri=self.base_iri,
            counts=self.documents.counts,
            footer=self.footer,
            sparql_endpoint=sparql_endpoint,
            search_root="/",
        ).encode("utf-8")

    def ontology(self, offer: Offer) -> bytes:
        """The ontology's documentation page or its RDF, as `build` writes them."""
        return self.documents.files["ontology" + offer.suffix]

    def description(self, offer: Offer) -> bytes:
        """The VoID/DCAT description (`void.ttl`) in an RDF format."""
        void = self.documents.files["void.ttl"]
        if offer.name == "turtle":
            return void
        from llmboom.export import serialize
        from llmboom.formats import by_name
        from llmboom.loading import parse_bytes

        fmt = by_name(offer.name)
        return serialize(parse_bytes(void, by_name("turtle"), "void.ttl"), fmt)

    def download(self, name: str) -> tuple[bytes, str] | None:
        """A file of the publication (`dataset.ttl`, `void.ttl`, …) and its media type."""
        if name in self.scripts:
            return self.scripts[name], "text/javascript"
        body = self.documents.files.get(name)
        if body is None or "/" in name:
            return None
        types = {d.path: d.media_type for d in self.documents.distributions}
        types.setdefault("void.ttl", "text/turtle")
        types.setdefault("index.html", "text/html")
        return body, types.get(name, "application/octet-stream")
