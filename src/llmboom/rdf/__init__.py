"""Reading, writing and shaping RDF: parsing with limits, formats, canonical order, JSON-LD and
framing, RDFS entailment.
"""
