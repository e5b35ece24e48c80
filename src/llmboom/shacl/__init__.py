"""SHACL: the shapes' plan, the SPARQL engine that runs them, the pyshacl reference, and validation
reports.
"""
