"""The remote store: a SPARQL 1.1 Protocol endpoint (Oxigraph, Virtuoso, Fuseki, GraphDB, …).

Queries are POSTed as a form (`query=…`, which every server accepts; Virtuoso 7 does not
read `application/sparql-query` bodies); SELECT/ASK answers are read as SPARQL
results JSON, CONSTRUCT/DESCRIBE answers as N-Triples. The project's prefixes are declared in
front of each query (the endpoint does not know them). With `graph`, the dataset is that
named graph (sent as the protocol's `default-graph-uri`); the ontology is always the graph
`<https://w3id.org/llmboom/ontology>` (as `llmboom push` writes it).
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping
from typing import TYPE_CHECKING

from llmboom.errors import QueryError, RemoteError
from llmboom.namespaces import ONTOLOGY_IRI as ONTOLOGY_GRAPH  # as in `llmboom.store`
from llmboom.namespaces import PREFIXES
from llmboom.store.http import DEFAULT_TIMEOUT, check_url, request, split_credentials

if TYPE_CHECKING:
    import pyoxigraph

    from llmboom.sparql.run import QueryResult

_ACCEPT = (
    "application/sparql-results+json, application/n-triples;q=0.9, "
    "text/turtle;q=0.8, application/rdf+xml;q=0.5"
)


class RemoteStore:
    """The dataset on a SPARQL endpoint (read-only here; `llmboom push` writes it)."""

    oxigraph = None

    def __init__(
        self,
        endpoint: str,
        *,
        graph: str | None = None,
        auth: tuple[str, str] | str | None = None,
        prefixes: Mapping[str, str] = PREFIXES,
        timeout: float = DEFAULT_TIMEOUT,
        max_response_bytes: int | None = None,
    ):
        """`endpoint` may carry credentials (`http://user:password@host/…`) instead of
        `auth`; `timeout` bounds each call whole, `max_response_bytes` each answer (default
        `store.http.max_response_bytes()`)."""
        self.endpoint, self.auth = split_credentials(check_url(endpoint), auth)
        self.graph = graph
        self.timeout = timeout
        self.max_response_bytes = max_response_bytes
        self._prefixes = dict(prefixes)

    def query(
        self,
        text: str,
        *,
        source: str = "query",
        prefixes: Mapping[str, str] | None = None,
        timeout: float | None = None,
        max_rows: int | None = None,
    ) -> QueryResult:
        """Run a read-only query on the endpoint; the answer as a local `QueryResult`
        (`timeout` bounds the HTTP exchange; `max_rows` keeps that many rows)."""
        import dataclasses

        from llmboom.sparql.guard import check_read_only

        text = check_read_only(text, source)  # the text checked is the text sent
        declared = "".join(
            f"PREFIX {p}: <{ns}>\n" for p, ns in (prefixes or self._prefixes).items()
        )
        result = self._run(declared + text, source, self.graph, timeout or self.timeout)
        if max_rows is not None and len(result.rows) > max_rows:
            result = dataclasses.replace(result, rows=result.rows[:max_rows], truncated=True)
        if max_rows is not None and len(result.triples) > max_rows:
            result = dataclasses.replace(result, triples=result.triples[:max_rows], truncated=True)
        return result

    def _run(
        self, text: str, source: str, default_graph: str | None, timeout: float | None = None
    ) -> QueryResult:
        form = {"query": text}
        if default_graph is not None:
            form["default-graph-uri"] = default_graph
        try:
            answer = request(
                "POST",
                self.endpoint,
                body=urllib.parse.urlencode(form).encode("ascii"),
                headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": _ACCEPT},
                auth=self.auth,
                timeout=timeout or self.timeout,
                max_bytes=self.max_response_bytes,
            )
        except RemoteError as error:
            if " HTTP 400 " in f" {error} ":
                raise QueryError(f"{source}: the endpoint refused the query: {error}") from None
            raise
        try:
            return _parse_answer(answer.content_type, answer.body, self.endpoint)
        except (SyntaxError, ValueError) as error:
            message = " ".join(str(error).split())[:200]
            raise RemoteError(
                f"{self.endpoint}: an answer that does not parse: {message}"
            ) from None

    def _construct(self, graph: str | None) -> list[pyoxigraph.Quad]:
        import pyoxigraph

        result = self._run("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "store", graph)
        return [pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in result.triples]

    def dataset_quads(self) -> list[pyoxigraph.Quad]:
        """The dataset's triples (the endpoint's default graph, or `graph`)."""
        return self._construct(self.graph)

    def ontology_quads(self) -> list[pyoxigraph.Quad]:
        """The ontology's triples, from the graph `ONTOLOGY_GRAPH`."""
        return self._construct(ONTOLOGY_GRAPH)

    def __len__(self) -> int:
        return count_triples(self)

    def close(self) -> None:
        """Nothing to release: every request is its own connection."""


def count_triples(store: RemoteStore, graph: str | None = None) -> int:
    """How many triples the dataset graph (or `graph`) holds, by a SPARQL COUNT."""
    chosen = graph if graph is not None else store.graph
    result = store._run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "count", chosen)
    return read_count(result, store.endpoint)


def read_count(result: QueryResult, endpoint: str) -> int:
    """The one number a `SELECT (COUNT(*) AS ?n)` answers; `RemoteError` for anything else."""
    import pyoxigraph

    try:
        ((count,),) = result.rows
        if not isinstance(count, pyoxigraph.Literal):  # unbound, an IRI, a blank node
            raise TypeError(count)
        return int(count.value)
    except (ValueError, TypeError):
        raise RemoteError(f"{endpoint}: the count query did not answer one number") from None


def _parse_answer(content_type: str, body: bytes, endpoint: str) -> QueryResult:
    import pyoxigraph

    from llmboom.sparql.run import QueryResult

    media = content_type.split(";")[0].strip().lower()
    if media in ("application/sparql-results+json", "application/json"):
        parsed = pyoxigraph.parse_query_results(body, pyoxigraph.QueryResultsFormat.JSON)
        if isinstance(parsed, pyoxigraph.QueryBoolean):
            return QueryResult(kind="boolean", boolean=bool(parsed), encoded_json=body)
        variables = tuple(v.value for v in parsed.variables)
        rows = tuple(tuple(s[i] for i in range(len(variables))) for s in parsed)
        return QueryResult(kind="bindings", variables=variables, rows=rows, encoded_json=body)
    rdf_format = pyoxigraph.RdfFormat.from_media_type(media)
    if rdf_format is None:
        raise RemoteError(f"{endpoint}: unexpected answer of type {media or 'none'}")
    triples = tuple(q.triple for q in pyoxigraph.parse(body, rdf_format))
    return QueryResult(kind="graph", triples=triples)
