"""Task instructions: markdown rendered without raw HTML, and links limited to safe schemes.

Diagrams are written by analysts, so their instructions are untrusted text: any HTML in them is
shown as text, ``javascript:`` and other schemes are dropped, and images are not loaded.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

SAFE_SCHEMES = ("http://", "https://", "mailto:")


class _SafeLinks(Treeprocessor):
    def run(self, root: Element) -> None:
        for parent in root.iter():
            for child in list(parent):
                if child.tag == "img":
                    # Replace an image by its alt text: no request leaves the page.
                    index = list(parent).index(child)
                    parent.remove(child)
                    span = Element("span")
                    span.text = child.get("alt", "")
                    span.tail = child.tail
                    parent.insert(index, span)
        for link in root.iter("a"):
            href = (link.get("href") or "").strip()
            if not href.lower().startswith(SAFE_SCHEMES) and not href.startswith(("#", "/")):
                link.attrib.pop("href", None)
            elif href.lower().startswith(("http://", "https://")):
                link.set("rel", "noopener noreferrer")


class _NoRawHtml(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_SafeLinks(md), "rcp_safe_links", 0)


def render(text: str | None) -> Markup:
    """Return instructions as safe HTML (raw HTML in the source is escaped, never passed on)."""
    if not text:
        return Markup("")
    html = markdown.markdown(text, extensions=[_NoRawHtml(), "sane_lists"], output_format="html")
    return Markup(html)  # noqa: S704  (built by Markdown from escaped text, links checked above)
