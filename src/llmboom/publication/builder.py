"""`llmboom build`: validate, then write the whole static publication (SPEC §8).

Layout of the output folder, mirroring the IRIs it publishes:

    dataset.{ttl,nt,nq,trig,rdf,jsonld}   the data graph
    ontology.{ttl,nt,nq,trig,rdf,jsonld}  the ontology, and ontology.html its documentation
    context.jsonld                        the JSON-LD context
    index.html                            the landing page: metadata, downloads, resources
    void.ttl                              VoID + DCAT: counts, partitions, distributions
    id/<slug>.{html,ttl,jsonld}           one page per resource (see `PAGE_MODES`)
    id/<slug>.svg                         its chart (organizations, reporting chains; needs dot)
    id/<slug>.<frame>.jsonld              its JSON-LD tree with each frame of frames/ it matches
    .llmboom-build                        marks the folder as a build (see atomic.py)

Everything is sorted, nothing reads the clock: dates come from data/meta/dataset.ttl.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from llmboom.errors import LlmboomError
from llmboom.namespaces import ONTOLOGY_IRI, PREFIXES
from llmboom.project import Project
from llmboom.publication.atomic import check_output_folder, staged_folder, write_file
from llmboom.publication.html_layout import Footer, Links
from llmboom.rdf.formats import FORMATS, RdfFormat, by_name
from llmboom.rdf.gc_control import paused_gc

if TYPE_CHECKING:
    import pyoxigraph

    from llmboom.dataset import Dataset
    from llmboom.history.timeline import SourceCount, TimelineEvent
    from llmboom.publication.metadata import DatasetMetadata
    from llmboom.publication.page_index import PageIndex
    from llmboom.publication.void import Counts, Distribution

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")

#: `build --pages`: static per-resource pages always, never, or (`auto`) up to
#: `AUTO_PAGE_LIMIT` resources. Above it a build would spend most of its time on hundreds of
#: thousands of small files that `llmboom serve` renders live anyway (about 3 files per
#: resource, 16k resources per 100k triples); without them the landing page and the search
#: index link each resource's IRI, which the server (or the deployment) dereferences.
PAGE_MODES: tuple[str, ...] = ("auto", "all", "none")
AUTO_PAGE_LIMIT = 5_000


class InvalidDatasetError(LlmboomError):
    """The dataset does not conform to its shapes: nothing is published."""

    exit_code = 1


@dataclass
class BuildSummary:
    """What a build wrote."""

    out_dir: Path
    files: list[str] = field(default_factory=list)  #: relative paths, sorted
    bytes_written: int = 0
    triples: int = 0
    entities: int = 0
    resource_pages: int = 0
    charts_skipped: int = 0  #: pictures not drawn because Graphviz's `dot` is not installed


def site_base(base_iri: str) -> str:
    """Where the publication is hosted: the parent of the resource namespace `…/id/`."""
    return base_iri[: -len("id/")] if base_iri.endswith("/id/") else base_iri


@paused_gc()
def build(
    dataset: Dataset | Project,
    out_dir: Path,
    *,
    progress: bool = False,
    pages: str = "auto",
) -> BuildSummary:
    """Validate the dataset (a `Dataset`, or a project's, read from its files), then write
    its publication into `out_dir`, replacing it whole; `pages` is one of `PAGE_MODES`. The
    whole dataset is validated; a dataset `as_of` a date publishes that snapshot.

    Raises `InvalidDatasetError` (exit 1) before touching `out_dir` if the data does not
    conform, and `OutputFolderError` (exit 2) if `out_dir` is not safe to replace.
    """
    if pages not in PAGE_MODES:
        raise LlmboomError(f"unknown --pages {pages!r}; choose one of {', '.join(PAGE_MODES)}")
    from llmboom.dataset import Dataset
    from llmboom.publication.graph_index import GraphIndex
    from llmboom.publication.metadata import load_metadata
    from llmboom.rdf.jsonld import build_context
    from llmboom.shacl.validation import validate_quads

    dataset = Dataset.of(dataset)
    project = dataset.project
    check_output_folder(Path(out_dir))
    metadata = load_metadata(project)
    _notice("validating the dataset against its shapes", progress)
    report = validate_quads(project, dataset.at(None).quads())
    if not report.conforms:
        raise InvalidDatasetError(
            "the dataset does not conform to its shapes; nothing was written. "
            "Run `llmboom validate` to see every violation"
        )
    _notice("validated; writing the publication", progress)
    data = dataset.quads()
    ontology = dataset.ontology()
    context = build_context(project)
    index = GraphIndex(data, ontology)
    summary = BuildSummary(out_dir=Path(out_dir))
    with staged_folder(Path(out_dir)) as stage:
        writer = _Writer(stage, summary)
        distributions = _write_documents(writer, data, ontology, context, metadata, project)
        links = None
        if _wants_pages(pages, index, project.base_iri):
            _write_resource_pages(writer, index, context, metadata, project, progress)
        else:
            links = iri_links(project.base_iri)
            _notice("no static resource pages (see --pages): links go to the IRIs", progress)
        counts = _write_void(writer, data, metadata, distributions, project.base_iri)
        events, sources = _write_timeline(writer, project, data, ontology, metadata, links)
        _write_landing_page(
            writer,
            index,
            metadata,
            distributions,
            counts,
            project.base_iri,
            links=links,
            events=events,
            sources=sources,
        )
    summary.files.sort()
    _notice(f"wrote {len(summary.files)} files to {out_dir}", progress)
    return summary


def _wants_pages(pages: str, index: PageIndex, base_iri: str) -> bool:
    if pages == "auto":
        return len(index.iris(base_iri)) <= AUTO_PAGE_LIMIT
    return pages == "all"


def iri_links(base_iri: str) -> Links:
    """Links to the resources' IRIs themselves (a build without static resource pages)."""
    return Links(base_iri=base_iri, resource_prefix=base_iri, resource_suffix="")


def _notice(message: str, progress: bool) -> None:
    if progress:
        print(message, file=sys.stderr)


class _Writer:
    """Writes files into the staging folder and keeps the tally."""

    def __init__(self, root: Path, summary: BuildSummary) -> None:
        self.root = root
        self.summary = summary

    def write(self, relative: str, data: bytes) -> None:
        write_file(self.root / relative, data)
        self.summary.files.append(relative)
        self.summary.bytes_written += len(data)


class _MemoryWriter(_Writer):
    """Keeps the files in memory instead (the server offers them as downloads)."""

    def __init__(self, summary: BuildSummary) -> None:
        super().__init__(Path(), summary)
        self.files: dict[str, bytes] = {}

    def write(self, relative: str, data: bytes) -> None:
        self.files[relative] = data
        self.summary.files.append(relative)
        self.summary.bytes_written += len(data)


@dataclass(frozen=True)
class Documents:
    """The publication's documents other than the resource pages, held in memory."""

    files: dict[str, bytes]  #: relative path → content, as `build` writes them
    distributions: list[Distribution]  #: what `void.ttl` and the landing page describe
    counts: Counts


def publication_documents(
    project: Project,
    data: Iterable[pyoxigraph.Quad],  # iterated once per document
    ontology: list[pyoxigraph.Quad],
    index: PageIndex,
    context: dict,
    metadata: DatasetMetadata,
    *,
    out_dir: Path | None = None,
) -> Documents:
    """What `build` writes besides `id/`: the dataset and ontology in every format, the
    context, the ontology page, `void.ttl` and `index.html`, byte for byte, in memory; or,
    with `out_dir`, written there as each is made (`files` is then empty: a large dataset's
    documents are not all held at once)."""
    summary = BuildSummary(out_dir=out_dir or Path())
    writer = _MemoryWriter(summary) if out_dir is None else _Writer(out_dir, summary)
    distributions = _write_documents(writer, data, ontology, context, metadata, project)
    counts = _write_void(writer, data, metadata, distributions, project.base_iri)
    _write_landing_page(writer, index, metadata, distributions, counts, project.base_iri)
    files = writer.files if isinstance(writer, _MemoryWriter) else {}
    return Documents(files=files, distributions=distributions, counts=counts)


def _distribution(
    relative: str, data: bytes, title: str, media_type: str, dataset: str, format_name: str
) -> Distribution:
    from llmboom.publication.void import Distribution

    return Distribution(
        path=relative,
        title=title,
        media_type=media_type,
        byte_size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        dataset=dataset,
        format_name=format_name,
    )


def footer_html(metadata: DatasetMetadata, home: str) -> Footer:
    """The footer of every page (title, version, date, licence), as the data the templates
    render; `home` is the folder of index.html (`./`, `../`, or the server's `/`)."""
    return Footer.of(metadata, home + "index.html")


def _write_documents(
    writer: _Writer,
    data: Iterable[pyoxigraph.Quad],
    ontology: list[pyoxigraph.Quad],
    context: dict,
    metadata: DatasetMetadata,
    project: Project,
) -> list[Distribution]:
    """The dataset and the ontology in every format, the context, the ontology's page."""
    from llmboom.export import serialize
    from llmboom.publication.ontology_docs import render_ontology_page
    from llmboom.rdf.jsonld import context_bytes

    distributions = []
    for name, quads, dataset in (
        ("dataset", data, metadata.iri),
        ("ontology", ontology, ONTOLOGY_IRI),
    ):
        for fmt in FORMATS:
            relative = name + fmt.suffix
            graph = ONTOLOGY_IRI if dataset == ONTOLOGY_IRI and fmt.quads else None
            payload = serialize(_in_graph(quads, graph), fmt, context=context)
            writer.write(relative, payload)
            format_name = _format_title(fmt)
            title = f"The {name} in {format_name}"
            distributions.append(
                _distribution(relative, payload, title, fmt.media_type, dataset, format_name)
            )
    alternates = [(f"./ontology{f.suffix}", f.media_type, _format_title(f)) for f in FORMATS]
    page = render_ontology_page(
        ontology, alternates=alternates, footer=footer_html(metadata, "./"), search_root=""
    )
    for relative, payload, dataset, format_name, media_type, title in (
        ("context.jsonld", context_bytes(context), metadata.iri, "JSON-LD context",
         "application/ld+json", "The JSON-LD context"),
        ("ontology.html", page.encode("utf-8"), ONTOLOGY_IRI, "HTML", "text/html",
         "The ontology's documentation"),
    ):  # fmt: skip
        writer.write(relative, payload)
        distributions.append(
            _distribution(relative, payload, title, media_type, dataset, format_name)
        )
    return distributions


def _in_graph(quads: Iterable[pyoxigraph.Quad], graph: str | None) -> Iterable[pyoxigraph.Quad]:
    """The quads, moved into the named graph `graph` (as the server's store holds the
    ontology), or left as they are."""
    from llmboom.export import in_graph

    return quads if graph is None else in_graph(quads, graph)


def _format_title(fmt: RdfFormat) -> str:
    return {
        "turtle": "Turtle",
        "nt": "N-Triples",
        "nq": "N-Quads",
        "trig": "TriG",
        "xml": "RDF/XML",
        "jsonld": "JSON-LD",
    }.get(fmt.name, fmt.name)


def resource_slugs(index: PageIndex, base_iri: str) -> list[tuple[str, str]]:
    """(IRI, slug) of every resource to publish, sorted; `LlmboomError` on an unsafe slug."""
    pairs = []
    for iri in index.iris(base_iri):
        slug = iri[len(base_iri) :]
        if not SLUG.fullmatch(slug):
            raise LlmboomError(
                f"cannot publish <{iri}>: its slug {slug!r} must match [a-z0-9]+(-[a-z0-9]+)*"
            )
        pairs.append((iri, slug))
    return pairs


def _write_resource_pages(
    writer: _Writer,
    index: PageIndex,
    context: dict,
    metadata: DatasetMetadata,
    project: Project,
    progress: bool,
) -> None:
    """`id/<slug>.ttl`, `.jsonld` and `.html` for every resource, its chart (`.svg`) and
    its JSON-LD trees (`.<frame>.jsonld`, for the frames its type matches)."""
    import pyoxigraph

    from llmboom.export import serialize
    from llmboom.publication.charts import chart_for, chart_svg, dot_available
    from llmboom.publication.resource_pages import describe, render_resource_page
    from llmboom.rdf.framing import Frames

    base_iri = project.base_iri
    frames = Frames(project)
    turtle, jsonld = by_name("turtle"), by_name("jsonld")
    links = Links(base_iri=base_iri)
    footer = footer_html(metadata, "../")
    pairs = resource_slugs(index, base_iri)
    drawing = dot_available()
    for iri, slug in _progress(pairs, progress, "resource pages"):
        quads = [
            pyoxigraph.Quad(t.subject, t.predicate, t.object)
            for t in describe(index, iri, base_iri)
        ]
        writer.write(f"id/{slug}.ttl", serialize(quads, turtle))
        jsonld_bytes = serialize(quads, jsonld, context=context)
        writer.write(f"id/{slug}.jsonld", jsonld_bytes)
        svg = chart_svg(index, iri, links)
        if svg is not None:
            writer.write(f"id/{slug}.svg", svg.encode("utf-8"))
        elif not drawing and chart_for(index, iri) is not None:
            writer.summary.charts_skipped += 1
        trees = frames.matching(index, iri)
        alternates = resource_alternates(links.alternate(iri, ""), trees)
        for name in trees:
            tree = frames.tree(index, name, iri)
            if tree is not None:
                writer.write(f"id/{slug}.{name}.jsonld", tree)
        page = render_resource_page(
            index,
            iri,
            jsonld=jsonld_bytes.decode("utf-8"),
            links=links,
            footer=footer,
            alternates=alternates,
            chart_svg=svg,
            chart_href=f"./{slug}.svg",
            search_root="../",
        )
        writer.write(f"id/{slug}.html", page.encode("utf-8"))
    writer.summary.resource_pages = len(pairs)


def resource_alternates(path: str, frames: Iterable[str]) -> list[tuple[str, str, str]]:
    """(href, media type, name) of a resource page's other formats, `path` being the
    resource's address without a suffix: Turtle, JSON-LD, then a JSON-LD tree per frame."""
    alternates = [
        (f"{path}.ttl", "text/turtle", "Turtle"),
        (f"{path}.jsonld", "application/ld+json", "JSON-LD"),
    ]
    alternates += [
        (f"{path}.{name}.jsonld", "application/ld+json", f"{name} tree") for name in frames
    ]
    return alternates


def _progress(items: list, enabled: bool, what: str) -> Iterable:
    """A tqdm bar on stderr when enabled, else the items as they are."""
    if not enabled:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=what, unit="page", file=sys.stderr, leave=False)


def _write_void(
    writer: _Writer,
    data: Iterable[pyoxigraph.Quad],
    metadata: DatasetMetadata,
    distributions: list[Distribution],
    base_iri: str,
) -> Counts:
    """`void.ttl`; returns the counts it states."""
    from llmboom.export import serialize
    from llmboom.publication.landing_page import LANDING_PAGE
    from llmboom.publication.void import SPDX, count, describe_publication

    counts = count(data, base_iri)
    quads = describe_publication(
        metadata,
        counts,
        distributions,
        uri_space=base_iri,
        site_base=site_base(base_iri),
        landing_page=LANDING_PAGE,
    )
    prefixes = {**PREFIXES, "spdx": SPDX}
    writer.write("void.ttl", serialize(quads, by_name("turtle"), prefixes=prefixes))
    writer.summary.triples = counts.triples
    writer.summary.entities = counts.entities
    return counts


def _write_timeline(
    writer: _Writer,
    project: Project,
    data: list[pyoxigraph.Quad],
    ontology: list[pyoxigraph.Quad],
    metadata: DatasetMetadata,
    links: Links | None,
) -> tuple[list[TimelineEvent], list[SourceCount]]:
    """`timeline.html` (and `timeline-2.html`, … when it is long), from the `timeline`
    named query run on a store of the data; the events, and the records per source."""
    import pyoxigraph

    from llmboom.history.timeline import counts_by_source, timeline_events
    from llmboom.publication.landing_page import landing_links
    from llmboom.publication.timeline_page import (
        render_timeline_page,
        static_page_name,
        timeline_page,
    )
    from llmboom.store import ONTOLOGY_GRAPH

    store = pyoxigraph.Store()
    store.bulk_extend(data)
    graph = pyoxigraph.NamedNode(ONTOLOGY_GRAPH)
    store.bulk_extend(pyoxigraph.Quad(q.subject, q.predicate, q.object, graph) for q in ontology)
    events = timeline_events(store, project)
    sources = counts_by_source(store)
    del store
    page_links = links or landing_links(project.base_iri)
    first = timeline_page(events, page_links, href=static_page_name)
    for number in range(1, first.pages + 1):
        view = (
            first
            if number == 1
            else timeline_page(events, page_links, page=number, href=static_page_name)
        )
        html = render_timeline_page(
            view, footer=footer_html(metadata, "./"), search_root="", home="index.html"
        )
        writer.write(static_page_name(number), html.encode("utf-8"))
    return events, sources


def _write_landing_page(
    writer: _Writer,
    index: PageIndex,
    metadata: DatasetMetadata,
    distributions: list[Distribution],
    counts: Counts,
    base_iri: str,
    *,
    links: Links | None = None,
    events: list[TimelineEvent] | None = None,
    sources: list[SourceCount] | None = None,
) -> None:
    """`index.html`, from the same distribution records and counts as `void.ttl`; `links`
    replaces the links to `id/<slug>.html` (see `iri_links`); `events`, the timeline (its
    latest are shown), `sources`, the statement records per source."""
    from llmboom.history.timeline import latest
    from llmboom.publication.landing_page import LANDING_PAGE, landing_links, render_landing_page

    page = render_landing_page(
        index,
        metadata,
        distributions,
        base_iri=base_iri,
        counts=counts,
        footer=footer_html(metadata, "./"),
        search_root="",
        links=links,
        latest_events=latest(events or []),
        sources=sources or [],
        timeline_href="timeline.html",
    )
    writer.write(LANDING_PAGE, page.encode("utf-8"))
    from llmboom.publication.class_index import class_index_pages

    for name, html in class_index_pages(
        index,
        base_iri,
        links or landing_links(base_iri),
        footer=footer_html(metadata, "./"),
        search_root="",
    ):
        writer.write(name, html.encode("utf-8"))
    from llmboom.publication.search_index import (
        INDEX_FILE,
        SCRIPT_FILE,
        index_script,
        search_script,
    )

    writer.write(INDEX_FILE, index_script(index, base_iri, links=links))
    writer.write(SCRIPT_FILE, search_script())
