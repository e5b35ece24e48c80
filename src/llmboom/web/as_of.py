"""`?as-of=DATE` on the server: the pages, downloads and /sparql of the dataset as known to
hold on DATE (llmboom.history.snapshot, docs/time-and-claims.md).

Pages and downloads come from a `LiveSite` of the snapshot, made on first use and kept for
the few latest dates asked (per data version). /sparql passes the date to its query worker,
which makes the snapshot itself (see `query_worker`). Every answer carries the header
`X-LLMBoom-As-Of` with what it rests on; HTML pages also say it above a date picker.
"""

from __future__ import annotations

import html
import re
import threading
from collections import OrderedDict
from datetime import date
from typing import TYPE_CHECKING

from llmboom.web.requests import BadRequestError

if TYPE_CHECKING:
    from starlette.requests import Request

    from llmboom.history.snapshot import Snapshot
    from llmboom.web.site import LiveSite

HEADER = "X-LLMBoom-As-Of"
#: How many snapshot sites the server keeps (each holds a copy of the data).
KEPT = 4
_LOCK = threading.Lock()


def requested_date(request: Request) -> date | None:
    """The request's `as-of` parameter (None when absent or empty); 400 when malformed."""
    values = request.query_params.getlist("as-of")
    if not values or values == [""]:
        return None
    if len(values) > 1:
        raise BadRequestError("give 'as-of' once")
    return parse(values[0])


def parse(text: str) -> date:
    """An as-of date; `BadRequestError` (400) when malformed."""
    from llmboom.history.snapshot import AsOfError, parse_as_of

    try:
        return parse_as_of(text)
    except AsOfError as error:
        raise BadRequestError(str(error)) from None


def snapshot_site(site: LiveSite, day: date) -> tuple[LiveSite, Snapshot]:
    """The site of `site`'s data as of `day` (made once per data version and date)."""
    cache: OrderedDict = site.__dict__.setdefault("_as_of_sites", OrderedDict())
    with _LOCK:
        if day in cache:
            cache.move_to_end(day)
            return cache[day]
        import pyoxigraph

        from llmboom.dataset import Dataset
        from llmboom.web.site import LiveSite

        default = pyoxigraph.DefaultGraph()
        quads = list(site.oxigraph.quads_for_pattern(None, None, None, default))
        dated = Dataset.holding(site.project, quads).at(day)
        snapshot = dated.snapshot
        assert snapshot is not None  # a dataset as of a date has one
        made = LiveSite(site.project, dated.store(), site.settings)
        made.__dict__["_as_of_dataset"] = dated
        cache[day] = (made, snapshot)
        while len(cache) > KEPT:
            cache.popitem(last=False)
        return made, snapshot


def date_picker(day: date | None, note: str | None, action: str) -> str:
    """The HTML of the date picker (a form with an `<input type=date>`) and, for a snapshot,
    the note saying what the page rests on."""
    value = day.isoformat() if day else ""
    said = (
        f'<p class="as-of-note"><strong>{html.escape(note)}</strong> — '
        f'<a href="{html.escape(action)}">the whole dataset</a></p>'
        if note
        else ""
    )
    return (
        '<form class="as-of" method="get" action="' + html.escape(action) + '">'
        '<label>The dataset as of <input type="date" name="as-of" value="' + value + '"></label> '
        '<button type="submit">Show</button></form>' + said
    )


#: A link to a page of this server: a path (`/id/x`) or a relative link (`id/x.html`), not
#: `//host/…`, a URL with a scheme, or a fragment alone.
_LOCAL_LINK = re.compile(rb'href="((?![A-Za-z][A-Za-z0-9+.-]*:|//|#)[^"#]+)(#[^"]*)?"')


def with_as_of_links(page: bytes, day: date) -> bytes:
    """`page` (HTML) with every link to this server's pages carrying `as-of=DAY`, so that a
    reader browsing a snapshot stays in it."""
    value = day.isoformat().encode("ascii")

    def dated(match: re.Match[bytes]) -> bytes:
        path, fragment = match.group(1), match.group(2) or b""
        if b"as-of=" in path:
            return match.group(0)
        joiner = b"&amp;" if b"?" in path else b"?"
        return b'href="' + path + joiner + b"as-of=" + value + fragment + b'"'

    return _LOCAL_LINK.sub(dated, page)


def with_date_picker(page: bytes, day: date | None, note: str | None, action: str) -> bytes:
    """`page` (HTML) with the date picker at the top of its body."""
    marker = b"<body"
    start = page.find(marker)
    if start < 0:
        return page
    end = page.find(b">", start)
    if end < 0:
        return page
    if day is not None:
        page = with_as_of_links(page, day)  # (the picker's link back to today stays as it is)
    block = date_picker(day, note, action).encode("utf-8")
    return page[: end + 1] + block + page[end + 1 :]


def dataset_download(site: LiveSite, name: str, note: str) -> tuple[bytes, str] | None:
    """The snapshot site's `dataset.<suffix>` (Turtle, N-Triples, N-Quads, TriG, RDF/XML,
    JSON-LD) made from its quads, with the note as a first comment line where the format has
    comments; None for any other file (served as the whole dataset's)."""
    from llmboom.errors import FormatError
    from llmboom.export import export_dataset
    from llmboom.rdf.formats import by_path

    stem, dot, _ = name.partition(".")
    if stem != "dataset" or not dot:
        return None
    try:
        fmt = by_path(name)
    except FormatError:
        return None
    body = export_dataset(site.__dict__["_as_of_dataset"], fmt)
    if fmt.name in ("turtle", "nt", "nq", "trig"):
        body = f"# {note}\n".encode() + body
    return body, fmt.media_type
