"""Provenance checked directly in Python, independently of the SHACL shapes (SPEC §4)."""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph

from llmboom.namespaces import LBO, LBR, PROV, RDF, RDFS, SKOS

_EXEMPT = {RDF + "type", RDFS + "label", SKOS + "altLabel", LBO + "fullText"}
#: A source's own citation (its address, title, publisher, dates, language) is not a fact that
#: needs a record: it is what the records point to (shapes/provenance.ttl says the same).
_CITATION = {
    "https://schema.org/url",
    LBO + "headline",
    LBO + "publishedBy",
    LBO + "publicationDate",
    LBO + "language",
    LBO + "consulted",
    "http://purl.org/dc/terms/license",
}


def _iri(name: str) -> pyoxigraph.NamedNode:
    return pyoxigraph.NamedNode(name)


def _statements(quads) -> dict:
    """statement node → {predicate IRI: [objects]}."""
    typed = {
        q.subject
        for q in quads
        if q.predicate == _iri(RDF + "type") and q.object == _iri(RDF + "Statement")
    }
    records: dict = defaultdict(lambda: defaultdict(list))
    for q in quads:
        if q.subject in typed:
            records[q.subject][q.predicate.value].append(q.object)
    return records


def test_every_quote_is_a_verbatim_substring_of_its_source_or_a_source_citing_it(data_quads):
    texts = {q.subject: q.object.value for q in data_quads if q.predicate == _iri(LBO + "fullText")}
    citing = defaultdict(set)
    for q in data_quads:
        if q.predicate == _iri(LBO + "cites"):
            citing[q.object].add(q.subject)
    records = _statements(data_quads)
    assert len(records) >= 100
    quoted = 0
    for node, record in records.items():
        if not record[LBO + "quote"]:
            # A citation of a source whose text the project does not hold: a summary instead.
            (summary,) = record[LBO + "summary"]
            assert summary.language == "en", node
            for source in record[PROV + "wasDerivedFrom"]:
                assert not [s for s in {source, *citing[source]} if s in texts], node
            continue
        (quote,) = record[LBO + "quote"]
        assert quote.language == "en", node
        quoted += 1
        for source in record[PROV + "wasDerivedFrom"]:
            candidates = [texts[s] for s in {source, *citing[source]} if s in texts]
            assert candidates, f"{node}: no text for {source}"
            assert any(quote.value in text for text in candidates), f"{node}: {quote.value!r}"
    assert quoted >= 100


def test_every_fact_about_a_resource_has_a_statement_record(data_quads):
    records = _statements(data_quads)
    described = {
        (r[RDF + "subject"][0], r[RDF + "predicate"][0], r[RDF + "object"][0])
        for r in records.values()
    }
    sources = {
        q.subject
        for q in data_quads
        if q.predicate == _iri(RDF + "type") and q.object == _iri(LBO + "Source")
    }
    facts = [
        (q.subject, q.predicate, q.object)
        for q in data_quads
        if isinstance(q.subject, pyoxigraph.NamedNode)
        and q.subject.value.startswith(LBR)
        and q.subject not in records
        and q.predicate.value not in _EXEMPT
        and not (q.subject in sources and q.predicate.value in _CITATION)
        and not q.subject.value.startswith(LBR + "submission-")  # bookkeeping, not facts
    ]
    assert len(facts) >= 100
    missing = [fact for fact in facts if fact not in described]
    assert missing == []


def test_every_statement_record_describes_an_asserted_triple(data_quads):
    asserted = {(q.subject, q.predicate, q.object) for q in data_quads}
    for node, record in _statements(data_quads).items():
        triple = (
            record[RDF + "subject"][0],
            record[RDF + "predicate"][0],
            record[RDF + "object"][0],
        )
        assert triple in asserted, node
        assert len(record[LBO + "attributedTo"]) == 1, node


def test_the_article_text_is_loaded_as_the_full_text_of_the_article(data_quads):
    texts = [q for q in data_quads if q.predicate == _iri(LBO + "fullText")]
    assert [q.subject for q in texts] == [_iri(LBR + "article")]
    assert "ByteDance" in texts[0].object.value


def _article_sentences(text: str) -> list[str]:
    """The sentences of the article (the title is one), without the SEE ALSO cross-link."""
    import re

    sentences = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("SEE ALSO:"):
            continue
        sentences += [s.strip("“” ") for s in re.split(r"(?<=[.!?”])\s+(?=[A-Z“])", line)]
    return [s for s in sentences if s]


def test_every_stating_sentence_of_the_article_is_quoted(project, data_quads):
    article = (project.sources_dir / "article.txt").read_text(encoding="utf-8")
    sentences = _article_sentences(article)
    assert len(sentences) == 18  # title + 17 sentences; SEE ALSO states nothing
    quotes = {
        q.object.value
        for q in data_quads
        if q.predicate == _iri(LBO + "quote") and q.subject.value.startswith(LBR)
    }
    unquoted = [s for s in sentences if not any(q in s or s in q for q in quotes)]
    assert not unquoted, unquoted
