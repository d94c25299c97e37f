"""Comment text → sanitised HTML: "light Markdown". Pure: no Django.

Readers get paragraphs, line breaks, *emphasis*, **strong**, `code` and code blocks, links,
block quotes and lists. Headings, images, horizontal rules and raw HTML are switched off in the
parser (they come out as the text typed), and whatever the parser yields then passes a stricter
nh3 allow-list than reviews use (``kansou.reviews.markdown``): no images, no headings, no
tables, no ``style``, no event handlers, only ``http``, ``https`` and ``mailto`` links, each
with ``rel="nofollow ugc noopener"``.

Imported comments arrive as HTML from old blogs; :func:`sanitize` keeps what the allow-list
allows of it. :func:`plain_text` makes a name safe to keep as text (tags stripped; the template
escapes it on output).
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from html.parser import HTMLParser

import nh3
from markdown_it import MarkdownIt

from kansou.reviews.markdown import LINK_REL, URL_SCHEMES

ALLOWED_TAGS = frozenset(
    {"a", "blockquote", "br", "code", "em", "i", "b", "li", "ol", "p", "pre", "strong", "ul"}
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
DISABLED_RULES = ["heading", "lheading", "image", "html_block", "html_inline", "hr"]

_md = MarkdownIt("commonmark", {"linkify": False, "breaks": True}).disable(DISABLED_RULES)
_LINK_RE = re.compile(r"(?:https?://|www\.)", re.IGNORECASE)
_HTML_RE = re.compile(r"</?[a-zA-Z][^>]*>")


def sanitize(markup: str) -> str:
    """Keep only the comment allow-list of tags, attributes and URL schemes."""
    return nh3.clean(
        markup,
        tags=set(ALLOWED_TAGS),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()


@lru_cache(maxsize=256)
def render(text: str) -> str:
    """Light Markdown ``text`` as sanitised HTML ("" for blank text).

    Pure, so the last few results are kept: posting a comment renders it to count its links
    (``link_count``) and again to store it, and the second time costs nothing."""
    if not text.strip():
        return ""
    return sanitize(_md.render(text))


def looks_like_html(text: str) -> bool:
    """Imported bodies are HTML when they contain a tag; otherwise they are Markdown."""
    return bool(_HTML_RE.search(text))


class _LinkCounter(HTMLParser):
    """Counts every ``<a>`` with an ``href`` and every bare URL in text outside links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.count = 0
        self._anchors = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._anchors += 1
            self.count += any(name == "href" for name, _ in attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._anchors:
            self._anchors -= 1

    def handle_data(self, data: str) -> None:
        if not self._anchors:
            self.count += len(_LINK_RE.findall(data))


def html_link_count(markup: str) -> int:
    """Links in sanitised HTML: each ``href`` (any scheme, scheme-relative ``//host`` and
    relative alike), plus bare ``http://``, ``https://`` and ``www.`` URLs left as text, which
    readers copy (one link is counted once, whatever its text says)."""
    counter = _LinkCounter()
    counter.feed(markup)
    counter.close()
    return counter.count


def link_count(text: str) -> int:
    """Links in a comment: counted on the HTML it renders to (:func:`html_link_count`), so
    every form Markdown has for a link — inline, reference, autolink, image — counts, however
    its address is written.

    >>> link_count("[a](//e1.example) <https://e2.example> and www.e3.example")
    3
    """
    return html_link_count(render(text))


def plain_text(text: str, *, max_length: int) -> str:
    """``text`` with tags and control characters removed and whitespace squeezed, as text.

    >>> plain_text('<b onclick="x()">Ann</b>  &amp; co', max_length=20)
    'Ann & co'
    >>> plain_text("<p>wrapped\\nline</p><p>next</p>", max_length=40)
    'wrapped line next'
    """
    # A tag separates words ("</p><p>"), as do line breaks and other controls: a space each,
    # squeezed below.
    stripped = html.unescape(nh3.clean(text.replace("<", " <"), tags=set(), strip_comments=True))
    cleaned = "".join(ch if ch.isprintable() else " " for ch in stripped)
    return " ".join(cleaned.split())[:max_length]
