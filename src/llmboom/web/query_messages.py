"""What the server and its SPARQL query workers say to each other, typed.

A request goes through `QueryPool.run` to a worker (`query_worker.answer`), and the reply
comes back through the result cache to the endpoint (`sparql_endpoint`). Both are plain
dictionaries on the pipe (pickled); these types say which keys each holds.
"""

from __future__ import annotations

from typing import Literal, Required, TypedDict

#: The RDF dataset of a request: (default graph IRIs, named graph IRIs).
DatasetGraphs = tuple[tuple[str, ...], tuple[str, ...]]


class QueryRequest(TypedDict):
    """One query for a worker."""

    query: str
    accept: str | None
    max_rows: int | None
    provenance: bool
    dataset: DatasetGraphs | None
    as_of: str | None  #: YYYY-MM-DD: the dataset as known to hold then


class QueryReply(TypedDict, total=False):
    """A worker's answer: `ok` (with the body and what it is), `error` (with the message)
    or `not_acceptable` (no format of the result's `kind` fits); the pool adds `version`,
    the data version the worker had loaded."""

    status: Required[Literal["ok", "error", "not_acceptable"]]
    message: str
    kind: str
    format: str
    media_type: str
    body: bytes
    count: int
    truncated: bool
    as_of_note: str  #: what a snapshot answer says about its date
    version: str | None
