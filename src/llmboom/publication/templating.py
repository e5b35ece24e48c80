"""The publication's Jinja2 templates (`publication/templates/`), shipped in the package.

Every page — the static build's and the server's — is rendered here, from plain data (the
dataclasses of `html_layout`, `resource_pages`, `landing_page`, `ontology_docs`), with
autoescaping on: a template never writes unescaped text.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2


def script_json(text: str) -> str:
    """JSON text made safe inside `<script>` (no `</script>`, no `<!--`); still the same JSON."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@cache
def environment() -> jinja2.Environment:
    """The template environment: package templates, autoescaping, stable whitespace."""
    import jinja2
    from markupsafe import Markup

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("llmboom.publication", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        # the templates ship with the package: no stat of every template file per render
        # (it was a quarter of a resource page's rendering time)
        auto_reload=False,
    )
    env.filters["script_json"] = lambda text: Markup(script_json(text))
    return env


def render_template(name: str, **context: Any) -> str:
    """Render the template `name` (e.g. `resource.html`) with `context`."""
    return environment().get_template(name).render(**context)
