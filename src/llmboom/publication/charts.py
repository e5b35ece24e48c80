"""Pictures of the graph, drawn as SVG by Graphviz (`dot`, Debian's `graphviz`) at build time.

- An organization's chart: its units, teams and platforms (at any depth), who heads the
  teams, who holds a position in it now, and the reporting lines of those people.
- A person's reporting chain: everyone above and below them along `lbo:reportsTo`.

Every box links to its resource's page; an edge whose facts rest only on anonymous sources
is dashed. The chart is built from the graph (`chart_source`: DOT text, pure) and drawn by
`render_svg`; when `dot` is not installed the publication simply has no charts. Nothing is
fetched by the browser: the SVG is inline in the page and offered as a download.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field

from llmboom.errors import LlmboomError
from llmboom.namespaces import LBO
from llmboom.publication.html_layout import Links
from llmboom.publication.page_index import PageIndex
from llmboom.publication.page_sections import status_of
from llmboom.rdf.terms import term_value

_CONTAINED_LABELS = {LBO + "partOf": "", LBO + "ledBy": "leads", LBO + "ownedBy": "owns"}
_CONTAINED = tuple(_CONTAINED_LABELS)
_REPORTS, _HEAD = LBO + "reportsTo", LBO + "headOf"
_HOLDER, _IN, _ROLE = LBO + "holder", LBO + "inOrganization", LBO + "roleTitle"
_DOT_TIMEOUT = 60


@dataclass
class Chart:
    """Boxes and arrows, before layout."""

    title: str
    nodes: dict[str, str] = field(default_factory=dict)  #: IRI → kind (`unit`, `person`, ...)
    edges: set[tuple[str, str, str, bool]] = field(default_factory=set)
    focus: str = ""  #: the IRI whose page shows the chart

    def edge(self, top: str, bottom: str, label: str, anonymous: bool) -> None:
        """An arrow drawn from `top` down to `bottom`."""
        self.edges.add((top, bottom, label, anonymous))


def _anonymous_only(index: PageIndex, subject: str, predicate: str, obj: str) -> bool:
    """True when every statement record of the fact is attributed only to anonymous sources."""
    triple = next(
        (t for t in index.outgoing(subject) if t.predicate.value == predicate
         and getattr(t.object, "value", None) == obj),
        None,
    )  # fmt: skip
    if triple is None:
        return False
    records = index.records_for(triple)
    attributions = [a.value for r in records for a in index.values(r, LBO + "attributedTo")]
    return bool(attributions) and all(index.is_anonymous(a) for a in attributions)


def _incoming(index: PageIndex, iri: str, predicates) -> list[tuple[str, str]]:
    return [
        (term_value(t.subject), t.predicate.value)
        for t in index.incoming(iri)
        if t.predicate.value in predicates
    ]


def organization_chart(index: PageIndex, organization: str) -> Chart | None:
    """The chart of `organization`, or None when nothing sits inside it."""
    chart = Chart(title=index.label(organization) or organization, focus=organization)
    chart.nodes[organization] = "organization"
    queue = [organization]
    while queue:
        container = queue.pop()
        for part, predicate in _incoming(index, container, _CONTAINED):
            if part in chart.nodes:
                continue
            chart.nodes[part] = "unit"
            label = _CONTAINED_LABELS[predicate]
            chart.edge(container, part, label, _anonymous_only(index, part, predicate, container))
            queue.append(part)
    if len(chart.nodes) == 1:
        return None
    units = list(chart.nodes)
    people: set[str] = set()
    for unit in units:
        for head, _ in _incoming(index, unit, {_HEAD}):
            people.add(head)
            chart.edge(unit, head, "head", _anonymous_only(index, head, _HEAD, unit))
        for position, _ in _incoming(index, unit, {_IN}):
            if status_of(index, position) == "former":
                continue
            role = index.value(position, _ROLE)
            for holder in index.values(position, _HOLDER):
                people.add(holder.value)
                anonymous = _anonymous_only(index, position, _HOLDER, holder.value)
                chart.edge(unit, holder.value, role.value if role else "", anonymous)
    for person in sorted(people):
        chart.nodes.setdefault(person, "person")
        for manager in index.values(person, _REPORTS):
            chart.nodes.setdefault(manager.value, "person")
            anonymous = _anonymous_only(index, person, _REPORTS, manager.value)
            chart.edge(manager.value, person, "reports to", anonymous)
    return chart


def reporting_chain(index: PageIndex, person: str) -> Chart | None:
    """Everyone above and below `person` along `lbo:reportsTo`, or None when nobody is."""
    chart = Chart(title=index.label(person) or person, focus=person)
    chart.nodes[person] = "person"

    def managers(p: str) -> list[tuple[str, str]]:
        return [(m.value, p) for m in index.values(p, _REPORTS)]

    def reports(p: str) -> list[tuple[str, str]]:
        return [(p, r) for r, _ in _incoming(index, p, {_REPORTS})]

    for step, pick in ((managers, 0), (reports, 1)):
        queue = [person]
        while queue:
            for manager, report in step(queue.pop()):
                chart.edge(
                    manager, report, "reports to", _anonymous_only(index, report, _REPORTS, manager)
                )
                other = (manager, report)[pick]
                if other not in chart.nodes:
                    chart.nodes[other] = "person"
                    queue.append(other)
    return chart if len(chart.nodes) > 1 else None


def _quote(text: str) -> str:
    """A DOT quoted string: backslashes and quotes escaped, one line."""
    return '"' + " ".join(text.replace("\\", "\\\\").replace('"', '\\"').split()) + '"'


_STYLE = {
    "organization": 'shape=box, style="rounded,filled,bold", fillcolor="#dbe8f7"',
    "unit": 'shape=box, style="rounded,filled", fillcolor="#eef3fa"',
    "person": 'shape=box, style="filled", fillcolor="#fdf6e3"',
}


def chart_source(index: PageIndex, chart: Chart, links: Links) -> str:
    """The chart in the DOT language: deterministic (sorted), every box a link."""
    lines = [
        f"digraph {_quote(chart.title)} {{",
        '  graph [rankdir=TB, fontname="sans-serif", bgcolor="transparent", nodesep=0.3];',
        '  node [fontname="sans-serif", fontsize=11, margin="0.15,0.06"];',
        '  edge [fontname="sans-serif", fontsize=9, color="#555555", fontcolor="#333333"];',
    ]
    for iri in sorted(chart.nodes):
        kind = chart.nodes[iri]
        label = index.label(iri) or links.slug(iri) or iri
        href = links.href(iri) or ""
        extra = ", penwidth=2.5" if iri == chart.focus else ""
        lines.append(
            f"  {_quote(links.slug(iri) or iri)} [label={_quote(label)}, href={_quote(href)}, "
            f"tooltip={_quote(label)}, {_STYLE[kind]}{extra}];"
        )
    for top, bottom, label, anonymous in sorted(chart.edges):
        style = ', style=dashed, color="#b35900"' if anonymous else ""
        tip = (label or "contains") + (" (anonymous sources only)" if anonymous else "")
        lines.append(
            f"  {_quote(links.slug(top) or top)} -> {_quote(links.slug(bottom) or bottom)} "
            f"[label={_quote(label)}, tooltip={_quote(tip)}{style}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def dot_available() -> bool:
    """True when Graphviz's `dot` is on the PATH."""
    return shutil.which("dot") is not None


def render_svg(source: str) -> str:
    """Lay the DOT `source` out as SVG with Graphviz; `LlmboomError` if `dot` fails."""
    try:
        done = subprocess.run(
            ["dot", "-Tsvg"],
            input=source.encode("utf-8"),
            capture_output=True,
            timeout=_DOT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise LlmboomError(f"graphviz dot could not draw a chart: {error}") from None
    if done.returncode != 0:
        reason = " ".join(done.stderr.decode("utf-8", "replace").split())[:200]
        raise LlmboomError(f"graphviz dot could not draw a chart: {reason}")
    return done.stdout.decode("utf-8")


_PROLOGUE = re.compile(r"\A(?:<\?xml[^>]*>|<!DOCTYPE[^>]*>|<!--.*?-->|\s)*", re.DOTALL)


def inline_svg(svg: str) -> str:
    """The SVG document as an element for an HTML page (no XML prologue, no comments)."""
    body = _PROLOGUE.sub("", svg)
    return re.sub(r"<!--.*?-->\n?", "", body, flags=re.DOTALL).strip()


def chart_for(index: PageIndex, iri: str) -> Chart | None:
    """The picture of a resource's page: its organization chart, else its reporting chain."""
    return organization_chart(index, iri) or reporting_chain(index, iri)


def chart_svg(index: PageIndex, iri: str, links: Links) -> str | None:
    """The SVG picture of a resource's page, or None (no chart, or no `dot` installed)."""
    chart = chart_for(index, iri)
    if chart is None or not dot_available():
        return None
    return render_svg(chart_source(index, chart, links))
