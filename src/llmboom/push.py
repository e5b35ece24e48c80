"""Publishing to a SPARQL server: `push` uploads the dataset and the ontology with the SPARQL
1.1 Graph Store Protocol, replacing the target graphs, then checks the counts with SPARQL.

- the dataset goes to `graph` (an IRI), or to the store's default graph when none is given;
- the ontology goes to the named graph `<https://w3id.org/llmboom/ontology>`, as in the
  embedded store, so named queries see the same layout remotely as locally.

The Graph Store endpoint (`gsp_url`) and the query endpoint (`sparql_url`) differ between
servers; `query_endpoint_for` derives the second from the first for Oxigraph (`/store` →
`/query`), Virtuoso (`/sparql-graph-crud[-auth]` → `/sparql`), Fuseki (`/ds/data` →
`/ds/sparql`) and GraphDB (`/repositories/R/rdf-graphs/service` → `/repositories/R`).
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from typing import TYPE_CHECKING

from llmboom.errors import RemoteError
from llmboom.store import ONTOLOGY_GRAPH
from llmboom.store.http import DEFAULT_TIMEOUT, check_url, redact_url, request, split_credentials

if TYPE_CHECKING:
    import pyoxigraph

    from llmboom.dataset import Dataset
    from llmboom.project import Project

#: What an answer to an upload or a count may hold: a status page, a small JSON document.
_SMALL_ANSWER = 1024 * 1024

_QUERY_ENDPOINTS = (
    ("/sparql-graph-crud-auth", "/sparql"),
    ("/sparql-graph-crud", "/sparql"),
    ("/rdf-graphs/service", ""),
    ("/store", "/query"),
    ("/data", "/sparql"),
)


@dataclass(frozen=True)
class PushReport:
    """What was sent and what the server holds afterwards, per graph."""

    graphs: tuple[tuple[str, int, int], ...]  #: (graph, triples sent, triples counted)

    @property
    def sent(self) -> int:
        return sum(sent for _, sent, _ in self.graphs)


def query_endpoint_for(gsp_url: str) -> str:
    """The SPARQL query endpoint beside a Graph Store endpoint, for known servers."""
    parts = urllib.parse.urlsplit(check_url(gsp_url))
    for suffix, replacement in _QUERY_ENDPOINTS:
        if parts.path.rstrip("/").endswith(suffix):
            path = parts.path.rstrip("/")[: -len(suffix)] + replacement
            return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path or "/", "", ""))
    raise RemoteError(
        f"{redact_url(gsp_url)}: cannot tell where this server answers SPARQL queries; "
        "give --sparql URL"
    )


def push(
    dataset: Dataset | Project,
    gsp_url: str,
    *,
    graph: str | None = None,
    sparql_url: str | None = None,
    auth: tuple[str, str] | str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> PushReport:
    """Replace `graph` (or the default graph) with the dataset (a `Dataset`, or a project's,
    read from its files) and the ontology graph with the ontology; raise `RemoteError` if
    the server is unreachable, refuses, does not answer a request whole within `timeout`
    seconds, or then holds a different number of triples than were sent. Credentials may be
    given in the URLs (`http://user:password@host/…`)."""
    from llmboom.dataset import Dataset
    from llmboom.rdf.loading import as_default_graph
    from llmboom.store.remote import RemoteStore, count_triples

    dataset = Dataset.of(dataset)

    gsp_url, auth = split_credentials(check_url(gsp_url), auth)
    if sparql_url is not None:
        sparql_url, sparql_auth = split_credentials(check_url(sparql_url), None)
        if sparql_auth is not None and auth is not None and sparql_auth != auth:
            raise RemoteError(f"{redact_url(sparql_url)}: other credentials than --endpoint's")
        auth = auth or sparql_auth
    sparql_url = check_url(sparql_url or query_endpoint_for(gsp_url))
    uploads = [
        (graph, _dedupe(as_default_graph(dataset.quads()))),
        (ONTOLOGY_GRAPH, _dedupe(as_default_graph(dataset.ontology()))),
    ]
    remote = RemoteStore(sparql_url, auth=auth, timeout=timeout, max_response_bytes=_SMALL_ANSWER)
    done = []
    for target, triples in uploads:
        _put(gsp_url, target, triples, auth, timeout)
        counted = count_triples(remote, target) if target else _count_default(remote)
        name = target or "default graph"
        if counted != len(triples):
            raise RemoteError(
                f"{sparql_url}: {name} holds {counted} triples after the upload, "
                f"{len(triples)} were sent"
            )
        done.append((name, len(triples), counted))
    return PushReport(tuple(done))


def _dedupe(quads) -> list[pyoxigraph.Triple]:
    return list(dict.fromkeys(quad.triple for quad in quads))


def _put(gsp_url: str, graph: str | None, triples, auth, timeout: float) -> None:
    import pyoxigraph

    body = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES) or b""
    if graph is None:
        parameter = "default"
    elif "sparql-graph-crud" in gsp_url:
        parameter = urllib.parse.urlencode({"graph-uri": graph})  # Virtuoso's own name
    else:
        parameter = urllib.parse.urlencode({"graph": graph})
    separator = "&" if "?" in gsp_url else "?"
    request(
        "PUT",
        gsp_url + separator + parameter,
        body=body,
        headers={"Content-Type": "application/n-triples"},
        auth=auth,
        timeout=timeout,
        max_bytes=_SMALL_ANSWER,
    )


def _count_default(remote) -> int:
    from llmboom.store.remote import read_count

    result = remote._run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "count", None)
    return read_count(result, remote.endpoint)
