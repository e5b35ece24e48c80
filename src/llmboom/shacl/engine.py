"""Running a SHACL plan (`shacl_plan`) as SPARQL on pyoxigraph, each constraint once for all
focus nodes.

Every constraint becomes one SELECT that joins the shape's targets with the violations of
that constraint, so a constraint costs one pass over the data, not one query per focus node.
A class target is a lookup of `rdf:type` among the class and its subclasses (read once from
the data graph, which holds the ontology); SPARQL targets are evaluated once and their focus
nodes kept in a scratch named graph. The results follow pyshacl's conventions (value, path
and message of each component) so that the verdicts are the same; `validation` falls back to
pyshacl when the shapes use something the plan does not cover.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from llmboom.namespaces import RDF, RDFS, SH, XSD
from llmboom.shacl.plan import Shape, SparqlConstraint, Unsupported

if TYPE_CHECKING:
    import pyoxigraph

#: Lexical forms checked for sh:datatype (pyshacl refuses ill-typed literals too).
_LEXICAL = {
    XSD + "integer": r"^[+-]?[0-9]+$",
    XSD + "boolean": r"^(true|false|1|0)$",
    XSD + "gYear": r"^-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?$",
    XSD + "gYearMonth": r"^-?[0-9]{4,}-[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?$",
    XSD + "date": r"^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?$",
}
#: Datatypes whose values SPARQL casts check in full (a day or month out of range, 29 February
#: of a common year): a cast of an ill-typed lexical form is an error, so COALESCE says false.
_CAST_CHECKED = frozenset(XSD + name for name in ("date", "dateTime", "gYearMonth", "gYear"))
_NODE_KINDS = {
    "IRI": "isIRI({v})",
    "BlankNode": "isBlank({v})",
    "Literal": "isLiteral({v})",
    "BlankNodeOrIRI": "(isIRI({v}) || isBlank({v}))",
    "BlankNodeOrLiteral": "(isBlank({v}) || isLiteral({v}))",
    "IRIOrLiteral": "(isIRI({v}) || isLiteral({v}))",
}
_COMPARISONS = {
    "minInclusive": ">=",
    "maxInclusive": "<=",
    "minExclusive": ">",
    "maxExclusive": "<",
}
_COMPONENT_NAMES = {
    "class": "Class",
    "datatype": "Datatype",
    "nodeKind": "NodeKind",
    "pattern": "Pattern",
    "languageIn": "LanguageIn",
    "minInclusive": "MinInclusive",
    "maxInclusive": "MaxInclusive",
    "minExclusive": "MinExclusive",
    "maxExclusive": "MaxExclusive",
    "or": "Or",
    "minCount": "MinCount",
    "maxCount": "MaxCount",
}


class Finding:
    """One raw result, before labels and sorting (terms are pyoxigraph terms)."""

    __slots__ = ("component", "constraint", "focus", "message", "path", "shape", "value")

    def __init__(self, shape: Shape, component: str, focus, path, value, message, constraint):
        self.shape = shape
        self.component = SH + component + "ConstraintComponent"
        self.focus = focus
        self.path = path
        self.value = value
        self.message = message
        self.constraint = constraint


#: Scratch named graph where each shape's focus nodes are written once, as
#: `<urn:llmboom:shape:N> <urn:llmboom:focus> ?this`, so constraints join an index lookup.
_FOCUS_GRAPH = "urn:llmboom:focus-nodes"
_FOCUS = "urn:llmboom:focus"


_CLASS_TARGET = re.compile(re.escape(f"?this <{RDF}type>/<{RDFS}subClassOf>* <") + r"([^>]*)> \.$")


class _Classes:
    """Subclass closures read from the data graph once: `rdf:type ?c` with `?c` among a
    known list is an index lookup, where `rdf:type/rdfs:subClassOf*` walks a path per node."""

    def __init__(self, store: pyoxigraph.Store):
        self.store = store
        self.cache: dict[str, list[str]] = {}

    def closure(self, cls: str) -> list[str]:
        if cls not in self.cache:
            import pyoxigraph

            rows = self.store.query(
                f"SELECT DISTINCT ?c WHERE {{ ?c <{RDFS}subClassOf>* <{cls}> }}"
            )
            assert isinstance(rows, pyoxigraph.QuerySolutions)  # a SELECT query's answer
            found = sorted({row[0].value for row in rows if hasattr(row[0], "value")} | {cls})
            self.cache[cls] = found
        return self.cache[cls]

    def listed(self, cls: str) -> str:
        return " ".join(f"<{c}>" for c in self.closure(cls))


def evaluate(store: pyoxigraph.Store, plan: list[Shape]) -> Iterator[Finding]:
    """Every violation of every shape in `plan` on the default graph of `store` (which gets a
    scratch named graph of focus nodes; the default graph is left as it was)."""
    classes = _Classes(store)
    for index, shape in enumerate(plan):
        if len(shape.targets) == 1 and _CLASS_TARGET.match(shape.targets[0]):
            # one class target: joined inline (the queries are DISTINCT or count DISTINCT
            # values, so a node typed with a class and its subclass counts once)
            targets = _fast_target(shape.targets[0], classes)
        else:  # SPARQL targets: evaluated once, kept in the scratch graph
            key = f"<urn:llmboom:shape:{index}>"
            union = " UNION ".join("{ " + _fast_target(t, classes) + " }" for t in shape.targets)
            declared = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in shape.target_prefixes.items())
            store.update(
                f"{declared}INSERT {{ GRAPH <{_FOCUS_GRAPH}> {{ {key} <{_FOCUS}> ?this }} }} "
                f"WHERE {{ {union} }}"
            )
            targets = f"GRAPH <{_FOCUS_GRAPH}> {{ {key} <{_FOCUS}> ?this }}"
        yield from _evaluate_shape(store, shape, targets, shape.target_prefixes, classes)


def _evaluate_shape(store, shape: Shape, targets: str, prefixes: dict[str, str], classes):
    if shape.path is None:
        yield from _node_constraints(store, shape, targets, prefixes, classes)
        for member in shape.properties:
            yield from _evaluate_shape(store, member, targets, prefixes, classes)
    else:
        yield from _property_constraints(store, shape, targets, prefixes, classes)
    for constraint in shape.sparql:
        yield from _sparql_constraint(store, shape, constraint, targets, prefixes)


def _node_constraints(store, shape: Shape, targets: str, prefixes, classes) -> Iterator[Finding]:
    for name, parameter in shape.constraints:
        if name not in _COMPONENT_NAMES or name in ("minCount", "maxCount"):
            raise Unsupported(f"{shape.node}: sh:{name} on a node shape")
        test = _value_test(name, parameter, "?this", classes)
        query = f"SELECT DISTINCT ?this WHERE {{ {targets} FILTER (!COALESCE({test}, false)) }}"
        for row in _select(store, query, prefixes):
            yield _finding(shape, _COMPONENT_NAMES[name], row[0], None, row[0])
    if shape.closed:
        allowed = [
            p.path.predicate for p in shape.properties if p.path is not None and not p.path.inverse
        ]
        allowed += shape.ignored
        listed = ", ".join(f"<{iri}>" for iri in allowed)
        test = f"FILTER (?path NOT IN ({listed}))" if allowed else ""
        query = (
            f"SELECT DISTINCT ?this ?path ?value WHERE {{ {targets} ?this ?path ?value . {test} }}"
        )
        for focus, path, value in _select(store, query, prefixes):
            yield _finding(shape, "Closed", focus, path.value, value)


def _property_constraints(
    store, shape: Shape, targets: str, prefixes, classes
) -> Iterator[Finding]:
    assert shape.path is not None
    path = shape.path.sparql()
    where = shape.path.result_text()
    counts = {name: p for name, p in shape.constraints if name in ("minCount", "maxCount")}
    if counts:  # both bounds in one pass over the values
        low, high = counts.get("minCount"), counts.get("maxCount")
        n = "COUNT(DISTINCT ?value)"
        having = " || ".join(
            test
            for bound, test in ((low, f"{n} < {low}"), (high, f"{n} > {high}"))
            if bound is not None
        )
        query = (
            f"SELECT ?this ({n} AS ?n) WHERE {{ {targets} OPTIONAL {{ ?this {path} ?value }} }} "
            f"GROUP BY ?this HAVING ({having})"
        )
        for focus, count in _select(store, query, prefixes):
            if isinstance(low, int) and int(count.value) < low:
                yield _finding(shape, "MinCount", focus, where, None)
            if isinstance(high, int) and int(count.value) > high:
                yield _finding(shape, "MaxCount", focus, where, None)
    for name, parameter in shape.constraints:
        if name in counts:
            continue
        test = _value_test(name, parameter, "?value", classes)
        query = (
            f"SELECT DISTINCT ?this ?value WHERE {{ {targets} ?this {path} ?value . "
            f"FILTER (!COALESCE({test}, false)) }}"
        )
        for focus, value in _select(store, query, prefixes):
            yield _finding(shape, _COMPONENT_NAMES[name], focus, where, value)
    if shape.unique_lang:  # one result per language tag used by two values (SHACL §4.4.2)
        query = (
            f"SELECT DISTINCT ?this ?language WHERE {{ {targets} ?this {path} ?value . "
            f"?this {path} ?other . FILTER (isLiteral(?value) && isLiteral(?other) "
            f'&& LANG(?value) != "" && LCASE(LANG(?value)) = LCASE(LANG(?other)) '
            f"&& !sameTerm(?value, ?other)) BIND (LCASE(LANG(?value)) AS ?language) }}"
        )
        for focus, _ in _select(store, query, prefixes):
            yield _finding(shape, "UniqueLang", focus, where, None)
    if shape.qualified is not None:
        inner, low, high = shape.qualified
        test = _shape_test(inner, "?value", classes)
        counted = (
            f"SELECT ?this WHERE {{ {targets} OPTIONAL {{ ?this {path} ?value . "
            f"FILTER (COALESCE({test}, false)) }} }} GROUP BY ?this "
        )
        bounds = ((low, "<", "QualifiedMinCount"), (high, ">", "QualifiedMaxCount"))
        for bound, operator, component in bounds:
            if bound is None:
                continue
            query = counted + f"HAVING (COUNT(DISTINCT ?value) {operator} {bound})"
            for (focus,) in _select(store, query, prefixes):
                yield _finding(shape, component, focus, where, None)


def _sparql_constraint(
    store, shape: Shape, constraint: SparqlConstraint, targets: str, prefixes
) -> Iterator[Finding]:
    text = constraint.select
    if re.search(r"\$(currentShape|shapesGraph|value)\b", text):
        raise Unsupported(f"{constraint.node}: pre-bound variable other than $this and $PATH")
    text = re.sub(r"\$this\b", "?this", text)
    if shape.path is not None:
        text = re.sub(r"\$PATH\b", shape.path.sparql(), text)
    elif "$PATH" in text:
        raise Unsupported(f"{constraint.node}: $PATH in a node shape's constraint")
    merged = _merge_prefixes(prefixes, constraint.prefixes)
    query = f"SELECT DISTINCT ?this ?path ?value WHERE {{ {targets} {{ {text} }} }}"
    default_path = shape.path.result_text() if shape.path is not None else None
    message = next(iter(constraint.messages or shape.messages), None)
    for focus, path, value in _select(store, query, merged):
        if value is None and shape.path is None:
            value = focus
        where = path.value if path is not None else default_path
        yield Finding(shape, "SPARQL", focus, where, value, message, constraint.node)


def _finding(shape: Shape, component: str, focus, path, value) -> Finding:
    message = shape.messages[0] if shape.messages else None
    return Finding(shape, component, focus, path, value, message, None)


def _fast_target(target: str, classes: _Classes) -> str:
    """A class target as a lookup of the class and its subclasses."""
    match = _CLASS_TARGET.match(target)
    if match is None:
        return target
    listed = classes.listed(match.group(1))
    return f"VALUES ?targetClass {{ {listed} }} ?this <{RDF}type> ?targetClass ."


_fresh = itertools.count()


def _value_test(name: str, parameter, v: str, classes: _Classes) -> str:
    """A SPARQL expression, true when the value node `v` satisfies the constraint."""
    if name == "class":
        other = f"?class{next(_fresh)}"
        listed = ", ".join(f"<{c}>" for c in classes.closure(parameter.value))
        return f"EXISTS {{ {v} <{RDF}type> {other} . FILTER ({other} IN ({listed})) }}"
    if name == "datatype":
        datatype = parameter.value
        test = f"(isLiteral({v}) && DATATYPE({v}) = <{datatype}>"
        if datatype in _LEXICAL:
            test += f" && REGEX(STR({v}), {_string(_LEXICAL[datatype])})"
        if datatype in _CAST_CHECKED:
            test += f" && COALESCE(DATATYPE(<{datatype}>(STR({v}))) = <{datatype}>, false)"
        return test + ")"
    if name == "nodeKind":
        kind = parameter.value[len(SH) :]
        if kind not in _NODE_KINDS:
            raise Unsupported(f"sh:nodeKind {parameter}")
        return _NODE_KINDS[kind].format(v=v)
    if name == "pattern":
        pattern, flags = parameter
        return f"(!isBlank({v}) && REGEX(STR({v}), {_string(pattern)}, {_string(flags)}))"
    if name == "languageIn":
        tests = " || ".join(f"LANGMATCHES(LANG({v}), {_string(tag)})" for tag in parameter)
        return f"(isLiteral({v}) && ({tests or 'false'}))"
    if name in _COMPARISONS:
        return f"({v} {_COMPARISONS[name]} {parameter})"
    if name == "or":
        return "(" + " || ".join(_shape_test(member, v, classes) for member in parameter) + ")"
    raise Unsupported(f"sh:{name}")


def _shape_test(member: Shape, v: str, classes: _Classes) -> str:
    """True when `v` conforms to a member shape (value constraints, or a path with a value)."""
    if member.path is not None:
        other = f"?member{next(_fresh)}"
        return f"EXISTS {{ {v} {member.path.sparql()} {other} }}"
    tests = [f"COALESCE({_value_test(n, p, v, classes)}, false)" for n, p in member.constraints]
    return "(" + (" && ".join(tests) or "true") + ")"


def _string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _merge_prefixes(first: dict[str, str], second: dict[str, str]) -> dict[str, str]:
    merged = dict(first)
    for prefix, namespace in second.items():
        if merged.get(prefix, namespace) != namespace:
            raise Unsupported(f"prefix {prefix}: declared with two namespaces")
        merged[prefix] = namespace
    return merged


def _select(store, query: str, prefixes: dict[str, str]) -> list[tuple]:
    declared = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items())
    solutions = store.query(declared + query)
    width = len(solutions.variables)
    return [tuple(solution[i] for i in range(width)) for solution in solutions]
