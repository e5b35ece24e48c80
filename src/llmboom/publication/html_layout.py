"""The HTML shared by every page: the document skeleton, inline CSS, escaping, links.

Pages have no external assets (the CSS is inline), so a static copy works offline.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from llmboom.namespaces import LBO, LBR, shorten

CSS = """
body{font:16px/1.5 system-ui,sans-serif;max-width:72rem;margin:0 auto;padding:1rem 1.5rem;
color:#1b1b1b;background:#fff}
a{color:#0645ad}code,.iri{font-family:ui-monospace,monospace;font-size:.85em;word-break:break-all}
h1{margin-bottom:.2rem}.sub{color:#555;margin-top:0}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
th,td{border-bottom:1px solid #ddd;padding:.4rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}blockquote{margin:.2rem 0;padding:.1rem .6rem;border-left:3px solid #999;
font-style:italic}.anon{background:#fde9c8;border-radius:.2rem;padding:0 .3rem;font-size:.8em;
font-style:normal}.unsupported{color:#a00}.attr,.note{font-size:.9em;color:#444}
.fulltext{white-space:pre-wrap;border:1px solid #ddd;padding:.8rem}
dl.meta{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}
dl.meta dt{font-weight:600}dl.meta dd{margin:0}footer{margin-top:2rem;color:#666;font-size:.85em}
""".strip()


def esc(text: object) -> str:
    """Escape text for HTML content and double-quoted attributes."""
    return html.escape(str(text), quote=True)


def script_json(text: str) -> str:
    """JSON text made safe inside `<script>` (no `</script>`, no `<!--`); still the same JSON."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def page(
    title: str,
    body: str,
    *,
    head: str = "",
    footer: str = "",
    lang: str = "en",
) -> str:
    """A complete HTML5 document."""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n{head}</head>\n"
        f"<body>\n{body}\n<footer>{footer}</footer>\n</body>\n</html>\n"
    )


@dataclass(frozen=True)
class Links:
    """How pages link to resources and ontology terms.

    The static build links `./<slug>.html` and `../ontology.html#Term`; the server may link
    `/id/<slug>` and `/ontology#Term` instead.
    """

    base_iri: str = LBR
    resource_prefix: str = "./"
    resource_suffix: str = ".html"
    ontology_page: str = "../ontology.html"

    def slug(self, iri: str) -> str | None:
        """The slug of a resource IRI, or None when the IRI is not a resource."""
        if iri.startswith(self.base_iri) and len(iri) > len(self.base_iri):
            return iri[len(self.base_iri) :]
        return None

    def href(self, iri: str) -> str:
        """Where a link to `iri` points."""
        slug = self.slug(iri)
        if slug is not None:
            return f"{self.resource_prefix}{slug}{self.resource_suffix}"
        if iri.startswith(LBO):
            return f"{self.ontology_page}#{iri[len(LBO) :]}"
        return iri

    def alternate(self, iri: str, suffix: str) -> str:
        """The link to another representation of a resource (`.ttl`, `.jsonld`)."""
        return f"{self.resource_prefix}{self.slug(iri)}{suffix}"


def iri_link(iri: str, links: Links, label: str | None = None) -> str:
    """An `<a>` to `iri`, showing its label (if any) and otherwise its short form."""
    text = label if label else shorten(iri)
    title = f' title="{esc(iri)}"' if label else ""
    return f'<a href="{esc(links.href(iri))}"{title}>{esc(text)}</a>'
