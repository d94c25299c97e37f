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


def render(text: str) -> str:
    """Light Markdown ``text`` as sanitised HTML ("" for blank text)."""
    if not text.strip():
        return ""
    return sanitize(_md.render(text))


def looks_like_html(text: str) -> bool:
    """Imported bodies are HTML when they contain a tag; otherwise they are Markdown."""
    return bool(_HTML_RE.search(text))


def link_count(text: str) -> int:
    """Links in a comment's source: Markdown links and bare URLs alike (``http://``,
    ``https://`` and ``www.``)."""
    return len(_LINK_RE.findall(text))


def plain_text(text: str, *, max_length: int) -> str:
    """``text`` with tags and control characters removed and whitespace squeezed, as text.

    >>> plain_text('<b onclick="x()">Ann</b>  &amp; co', max_length=20)
    'Ann & co'
    """
    stripped = html.unescape(nh3.clean(text, tags=set(), strip_comments=True))
    cleaned = "".join(ch for ch in stripped if ch.isprintable() or ch == " ")
    return " ".join(cleaned.split())[:max_length]
