"""The OpenAPI 3.1 description of the HTTP API, served at `/openapi.json`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from llmboom import __version__

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

_RDF = ("text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml")
_RESULTS = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)


def _text(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"text/plain": {"schema": {"type": "string"}}}}


def _body(description: str, media_types: tuple[str, ...]) -> dict[str, Any]:
    return {
        "description": description,
        "content": {m: {"schema": {"type": "string"}} for m in media_types},
    }


def _errors(*codes: int) -> dict[str, Any]:
    reasons = {
        400: "Malformed request or query (the message names line and column)",
        404: "No such resource",
        406: "No representation fits the Accept header",
        413: "The request body is over the size limit",
        415: "Unsupported request media type",
        429: "Too many queries at once; see Retry-After",
        503: "The query was stopped at the time limit",
    }
    return {str(code): _text(reasons[code]) for code in codes}


_QUERY_RESPONSES = {
    "200": _body(
        "SELECT/ASK results, or the RDF of CONSTRUCT/DESCRIBE, by Accept; text/html is "
        "the query page",
        (*_RESULTS, *_RDF, "text/html"),
    ),
    **_errors(400, 406, 413, 415, 429, 503),
}


def _query_parameter(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "description": description, "schema": {"type": "string"}}


_PROVENANCE: dict[str, Any] = _query_parameter(
    "provenance",
    "true: every row of a SELECT answer gets the statement records behind it (an "
    "'@provenance' key per row in SPARQL results JSON; a sources column on the query page)",
)


def _report(description: str) -> dict[str, Any]:
    return {
        "description": description + " (the report of `llmboom submit --format json`)",
        "content": {"application/json": {"schema": {"type": "object"}}},
    }


def description() -> dict[str, Any]:
    """The OpenAPI document."""
    slug = {
        "name": "slug",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
    }
    negotiated = {"200": _body("By content negotiation", ("text/html", *_RDF))}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "llmboom",
            "version": __version__,
            "description": "A linked-data knowledge graph of China's large-language-model "
            "race: dereferenceable resources, a read-only SPARQL 1.1 endpoint, downloads.",
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "paths": {
            "/": {
                "get": {
                    "summary": "Home page: what the dataset is, its licence, how to query it",
                    "responses": {"200": _body("The home page", ("text/html",))},
                }
            },
            "/id/{slug}": {
                "get": {
                    "summary": "A resource: HTML page or RDF by content negotiation "
                    "(also /id/{slug}.ttl, .jsonld, .nt, .rdf, .html; its chart .svg and "
                    "its JSON-LD tree .organization.jsonld or .person.jsonld)",
                    "parameters": [
                        slug,
                        _query_parameter(
                            "lang",
                            "The page's language (a BCP 47 tag such as zh-Hans): things are "
                            "named in it where they have a label in it; else Accept-Language "
                            "decides, else English",
                        ),
                    ],
                    "responses": {**negotiated, **_errors(404, 406)},
                }
            },
            "/ontology": {
                "get": {
                    "summary": "The ontology: documentation or RDF by content negotiation",
                    "responses": {**negotiated, **_errors(406)},
                }
            },
            "/dataset": {
                "get": {
                    "summary": "The VoID/DCAT description of the dataset (HTML: see /)",
                    "responses": {
                        "200": _body("The description", _RDF),
                        "303": {"description": "A browser is sent to the home page"},
                        **_errors(406),
                    },
                }
            },
            "/queries/{name}": {
                "get": {
                    "summary": "A named query (queries/<name>.rq) with its parameters given as "
                    "query parameters (person=zhu-wenjia, …): in a browser its page, with a field "
                    "per parameter; otherwise its answer by Accept. /queries/{name}.csv, .tsv, "
                    ".json and .srx answer in that format",
                    "parameters": [
                        {
                            "name": "name",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                        _query_parameter(
                            "as-of",
                            "YYYY-MM-DD: the dataset as known to hold on "
                            "that date; also the value of date parameters not given",
                        ),
                        _PROVENANCE,
                    ],
                    "responses": {**_QUERY_RESPONSES, **_errors(404)},
                }
            },
            "/sparql": {
                "get": {
                    "summary": "SPARQL 1.1 Protocol query via GET; without a query, the query page",
                    "parameters": [
                        {"name": "query", "in": "query", "schema": {"type": "string"}},
                        _PROVENANCE,
                    ],
                    "responses": _QUERY_RESPONSES,
                },
                "post": {
                    "summary": "SPARQL 1.1 Protocol query via POST",
                    "parameters": [_PROVENANCE],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/sparql-query": {"schema": {"type": "string"}},
                            "application/x-www-form-urlencoded": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "query": {"type": "string"},
                                        "provenance": {"type": "string"},
                                    },
                                    "required": ["query"],
                                }
                            },
                        },
                    },
                    "responses": _QUERY_RESPONSES,
                },
            },
            "/submissions": {
                "post": {
                    "summary": "Check a contribution in the context of the dataset (SPEC §7); "
                    "with apply=true, also merge an accepted one into the data",
                    "parameters": [
                        _query_parameter("apply", "true: merge an accepted submission"),
                        _query_parameter("name", "The name problems are reported under"),
                        _query_parameter("submitter", "Who submits (recorded when applied)"),
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            m: {"schema": {"type": "string"}}
                            for m in (*_RDF, "application/n-quads", "application/trig")
                        },
                    },
                    "security": [{}, {"bearer": []}],
                    "responses": {
                        "200": _report("Accepted (and applied, with apply=true)"),
                        "400": _report("Unreadable: the problem names the line"),
                        "401": _text("Applying needs a bearer token"),
                        "403": _text("Wrong token, or applying is disabled"),
                        "413": _report("Too large"),
                        "415": _report("Unsupported media type"),
                        "422": _report("Refused: every reason is listed"),
                    },
                }
            },
            "/{file}": {
                "get": {
                    "summary": "A download: dataset.ttl, dataset.jsonld, ontology.rdf, "
                    "void.ttl, context.jsonld, …",
                    "parameters": [
                        {
                            "name": "file",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {
                        "200": _body("The file", (*_RDF, "application/n-quads", "text/html")),
                        **_errors(404),
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "summary": "This description",
                    "responses": {
                        "200": {
                            "description": "OpenAPI 3.1",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        }
                    },
                }
            },
        },
    }


async def openapi(request: Request) -> Response:
    """GET /openapi.json."""
    from starlette.responses import JSONResponse

    return JSONResponse(description())
