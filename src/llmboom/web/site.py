"""The publication, live: pages and documents made on demand from the store.

Everything is rendered by the publication's own functions (`llmboom.publication`), the
same ones `llmboom build` writes files with: the server only links resources as `/id/<slug>`
instead of `<slug>.html`. A resource's page and RDF are made from the store's indexes
(`StoreIndex`) when first asked for, and kept in a bounded cache; the whole-dataset
documents (downloads, `void.ttl`, the home page, the search index) are made once, in a
child process, into files (`site_documents`), and served from there. So the server starts
answering at once and its memory does not grow with the dataset.
"""

from __future__ import annotations

import html
import shutil
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING

from llmboom.publication.html_layout import Links
from llmboom.web.negotiation import HTML, RESOURCE_OFFERS, Offer

if TYPE_CHECKING:
    from collections.abc import Callable

    from llmboom.files.data_version import DataVersion
    from llmboom.project import Project
    from llmboom.store import DatasetStore
    from llmboom.web.settings import ServerSettings
    from llmboom.web.site_documents import SiteDocuments

#: Where the server puts a resource: `/id/<slug>`.
RESOURCE_PATH = "/id/"
#: The ontology's documentation and RDF.
ONTOLOGY_PATH = "/ontology"
#: Bytes of rendered resource documents kept (least recently used ones go first).
CACHE_BYTES = 64 * 1024 * 1024
#: Seconds a request waits for the whole-dataset documents before it gets 503.
DOCUMENTS_WAIT = 20.0
#: The Retry-After of that 503, in seconds.
DOCUMENTS_RETRY = 10


class LiveSite:
    """A project's publication, served from its store."""

    def __init__(
        self,
        project: Project,
        store: DatasetStore | None = None,
        settings: ServerSettings | None = None,
        *,
        version: DataVersion | None = None,
    ) -> None:
        """Serve the dataset and the ontology of `store` (default: `settings`' store, or
        the project parsed into memory), which is the data `version` (None: unknown, so
        nothing is cached by version). The whole-dataset documents are made when first
        needed (`start_documents` starts making them at once)."""
        from llmboom.publication.builder import footer_html
        from llmboom.publication.metadata import load_metadata
        from llmboom.rdf.framing import Frames
        from llmboom.rdf.jsonld import build_context
        from llmboom.store import ONTOLOGY_GRAPH
        from llmboom.web.settings import ServerSettings
        from llmboom.web.store_index import StoreIndex, indexed_store

        self.project = project
        self.version = version
        self.base_iri = project.base_iri
        self.settings = settings or ServerSettings()
        if store is None:  # (not `store or …`: a store's truth is its size, a full count)
            store = self.settings.dataset(project).store()
        self.oxigraph = indexed_store(store)
        self.index = StoreIndex(self.oxigraph, ONTOLOGY_GRAPH)
        self.context = build_context(project)
        #: the project's frames (`frames/`), for the resources' JSON-LD trees
        self.frames = Frames(project)
        self.metadata = load_metadata(project)
        self.footer = footer_html(self.metadata, "/")
        self.links = Links(
            base_iri=self.base_iri,
            resource_prefix=RESOURCE_PATH,
            resource_suffix="",
            ontology_page=ONTOLOGY_PATH,
        )
        self._cache: OrderedDict[tuple[str, str, str], bytes] = OrderedDict()
        self._cached_bytes = 0
        self._lock = threading.Lock()
        self._documents: SiteDocuments | None = None
        self._documents_lock = threading.Lock()
        self._making: threading.Thread | None = None
        self._made = threading.Event()
        self._problem: Exception | None = None
        self._temporary: Path | None = None
        from llmboom.web.site_documents import ChildHandle

        self._child = ChildHandle()
        self._closed = False
        self._holders = 0  #: downloads streaming from the documents folder
        self._in_progress = False  #: the documents are being made

    # -- the whole-dataset documents ------------------------------------------------------

    def start_documents(self) -> None:
        """Start making the whole-dataset documents in the background."""
        with self._documents_lock:
            if self._making is not None:
                return
            self._in_progress = True
            self._making = threading.Thread(
                target=self._make_documents, name="llmboom-documents", daemon=True
            )
            self._making.start()

    def _make_documents(self) -> None:
        from llmboom.errors import LlmboomError
        from llmboom.web.site_documents import cached_folder, made_in_child

        try:
            folder = cached_folder(self.project, self.settings)
            if folder is None:
                with self._documents_lock:
                    if self._closed:
                        return
                    self._temporary = Path(tempfile.mkdtemp(prefix="llmboom-site-"))
                folder = self._temporary / "documents"
            self._documents = made_in_child(self.project, self.settings, folder, self._child)
        except LlmboomError as error:
            self._problem = error
        finally:
            with self._documents_lock:
                self._in_progress = False
            self._remove_temporary_if_unused()  # closed while they were being made
            self._made.set()

    def documents(self) -> SiteDocuments:
        """The whole-dataset documents, waiting up to `DOCUMENTS_WAIT` seconds for them;
        `DocumentsError` (503, with a Retry-After) when they are not ready by then, or cannot
        be made."""
        from llmboom.web.site_documents import DocumentsError

        self.start_documents()
        if not self._made.wait(DOCUMENTS_WAIT):
            raise DocumentsError(
                "the publication's downloads and home page are still being made; try again shortly",
                retry_after=DOCUMENTS_RETRY,
            )
        if self._documents is None:
            raise self._problem or DocumentsError("the publication's documents are missing")
        return self._documents

    def close(self) -> None:
        """Stop making the documents and remove the temporary ones (a persisted store keeps
        its own) once no download streams from them any more."""
        with self._documents_lock:
            self._closed = True
            making = self._making
        self._child.stop()
        if making is not None and making is not threading.current_thread():
            making.join(10)  # quick once its child is stopped; it removes what it made
        self._remove_temporary_if_unused()

    def hold(self) -> Callable[[], None]:
        """Keep the documents folder until the returned function is called (a download
        streaming from it): `close` then defers its removal to the last release."""
        with self._documents_lock:
            self._holders += 1
        released = threading.Event()

        def release() -> None:
            if released.is_set():
                return
            released.set()
            with self._documents_lock:
                self._holders -= 1
            self._remove_temporary_if_unused()

        return release

    def _remove_temporary_if_unused(self) -> None:
        with self._documents_lock:
            if not self._closed or self._holders or self._temporary is None:
                return
            if self._in_progress:
                return  # the making thread removes it when it ends
            temporary, self._temporary = self._temporary, None
        shutil.rmtree(temporary, ignore_errors=True)

    # -- resources ------------------------------------------------------------------------

    def has_resource(self, slug: str) -> bool:
        from llmboom.publication.builder import SLUG

        return bool(SLUG.fullmatch(slug)) and self.index.has_iri(self.base_iri + slug)

    def alternates(self, slug: str) -> list[tuple[str, str, str]]:
        """(href, media type, name) of every representation of a resource: each format,
        then a JSON-LD tree per frame its type matches."""
        path = f"{RESOURCE_PATH}{slug}"
        alternates = [(f"{path}{o.suffix}", o.media_type, o.title) for o in RESOURCE_OFFERS]
        return alternates + [
            (f"{path}.{name}.jsonld", "application/ld+json", f"{name} tree")
            for name in self.tree_frames(slug)
        ]

    def tree_frames(self, slug: str) -> list[str]:
        """The frames whose trees a resource has (those its types match), by name."""
        return self.frames.matching(self.index, self.base_iri + slug)

    def tree(self, slug: str, frame: str) -> bytes | None:
        """A resource's JSON-LD tree with `frame`, the bytes of the build's
        `id/<slug>.<frame>.jsonld` and of `llmboom export --frame FRAME --node SLUG`; None
        when there is no such frame or the resource does not match it."""
        if frame not in self.frames.documents:
            return None
        key = (slug, "tree:" + frame, "en")
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None:
            return cached or None
        body = self.frames.tree(self.index, frame, self.base_iri + slug) or b""
        self._keep(key, body)
        return body or None

    @property
    def cached_bytes(self) -> int:
        """Bytes of rendered documents kept now."""
        return self._cached_bytes

    def cached(self, slug: str, offer: Offer, language: str = "en") -> bytes | None:
        """A representation already rendered, or None (then call `resource`)."""
        key = (slug, offer.name, language)
        with self._lock:
            body = self._cache.get(key)
            if body is not None:
                self._cache.move_to_end(key)
            return body

    def label_languages(self, slug: str) -> list[str]:
        """The language tags of a resource's labels, English first."""
        from llmboom.namespaces import RDFS
        from llmboom.publication.languages import label_languages

        return label_languages(self.index.values(self.base_iri + slug, RDFS + "label"))

    def resource(self, slug: str, offer: Offer, language: str = "en") -> bytes:
        """A resource's page (HTML, naming things in `language` where it can) or its RDF
        document in the offered format."""
        if offer is not HTML:
            language = "en"
        cached = self.cached(slug, offer, language)
        if cached is not None:
            return cached
        iri = self.base_iri + slug
        if offer is HTML:
            from llmboom.publication.resource_pages import render_resource_page

            jsonld = self.resource(slug, self._offer("jsonld")).decode("utf-8")
            chart = self.chart(slug)
            body = render_resource_page(
                self.index,
                iri,
                jsonld=jsonld,
                links=self.links,
                footer=self.footer,
                alternates=[a for a in self.alternates(slug) if a[1] != HTML.media_type],
                chart_svg=chart.decode("utf-8") if chart is not None else None,
                chart_href=f"{RESOURCE_PATH}{slug}.svg",
                search_root="/",
                language=language,
                language_href=lambda tag: f"{RESOURCE_PATH}{slug}?lang={tag}",
            ).encode("utf-8")
        else:
            body = self._rdf(iri, offer.name)
        self._keep((slug, offer.name, language), body)
        return body

    def chart(self, slug: str) -> bytes | None:
        """A resource's chart as an SVG document, the build's `id/<slug>.svg` (organizations
        and reporting chains, when Graphviz draws it); None when it has none."""
        key = (slug, "svg", "en")
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None:
            return cached or None
        from llmboom.publication.charts import chart_svg

        svg = chart_svg(self.index, self.base_iri + slug, self.links)
        body = svg.encode("utf-8") if svg is not None else b""
        self._keep(key, body)
        return body or None

    def _keep(self, key: tuple[str, str, str], body: bytes) -> None:
        """Cache `body`, dropping the least recently used bodies beyond `CACHE_BYTES`."""
        with self._lock:
            if key in self._cache:
                return
            self._cache[key] = body
            self._cached_bytes += len(body)
            while self._cached_bytes > CACHE_BYTES and len(self._cache) > 1:
                _, dropped = self._cache.popitem(last=False)
                self._cached_bytes -= len(dropped)

    def _rdf(self, iri: str, format_name: str) -> bytes:
        import pyoxigraph

        from llmboom.export import serialize
        from llmboom.publication.resource_pages import describe
        from llmboom.rdf.formats import by_name

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

    # -- pages and files of the whole publication -----------------------------------------

    def home(self, sparql_endpoint: str) -> bytes:
        """The home page: the landing page of the publication, plus how to query it here."""
        from llmboom.web.site_documents import ENDPOINT_PLACEHOLDER, HOME

        page = self.documents().read(HOME)
        return page.replace(ENDPOINT_PLACEHOLDER.encode(), html.escape(sparql_endpoint).encode())

    def ontology(self, offer: Offer) -> bytes:
        """The ontology's documentation page or its RDF, as `build` writes them."""
        return self.documents().read("ontology" + offer.suffix)

    def description(self, offer: Offer) -> bytes:
        """The VoID/DCAT description (`void.ttl`) in an RDF format."""
        void = self.documents().read("void.ttl")
        if offer.name == "turtle":
            return void
        from llmboom.export import serialize
        from llmboom.rdf.formats import by_name
        from llmboom.rdf.loading import parse_bytes

        fmt = by_name(offer.name)
        return serialize(parse_bytes(void, by_name("turtle"), "void.ttl"), fmt)

    def download(self, name: str) -> tuple[Path, str] | None:
        """A file of the publication (`dataset.ttl`, `void.ttl`, …) and its media type."""
        from llmboom.web.site_documents import HOME

        if name == HOME:
            return None
        documents = self.documents()
        path = documents.path(name)
        if path is None:
            return None
        return path, documents.media_types.get(name, "application/octet-stream")
