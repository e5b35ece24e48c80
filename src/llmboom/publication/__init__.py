"""The static publication of the dataset (`llmboom build`, SPEC §8).

`build(project, out_dir, progress=...)` validates and writes everything; the page renderers
(`render_resource_page`, `render_ontology_page`) are pure and shared with the server.
"""

from llmboom.publication.builder import BuildSummary, InvalidDatasetError, build

__all__ = ["BuildSummary", "InvalidDatasetError", "build"]
