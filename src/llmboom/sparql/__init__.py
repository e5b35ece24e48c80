"""SPARQL: running queries (checked, in killable workers kept off the network), named queries,
outputs, and the provenance of answers.
"""
