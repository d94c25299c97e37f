"""Review Markdown → sanitised HTML. Pure: no Django.

The dialect is CommonMark plus GitHub-style tables and one container, the **spoiler block**::

    ::: spoiler What happens at the festival
    Hidden text, any Markdown.
    :::

It renders as ``<details class="spoiler"><summary>What happens at the festival</summary>…``
(closed until clicked, no JavaScript); ``::: spoiler`` without a title says "Spoiler".

Headings are shifted down (``#`` becomes ``<h3>``) so an author's headings nest under the page's
own section headings. Whatever the Markdown yields, raw HTML included, passes through an nh3
allow-list: no scripts, event handlers, ``style`` or ``javascript:`` URLs survive, and every
link gets ``rel="nofollow ugc noopener"``. Images uploaded here (``reviews.images``) get a
``srcset``, their size and lazy loading after sanitising (``responsive_images``).
"""

from __future__ import annotations

import math
import re

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from mdit_py_plugins.container import container_plugin

from kansou.reviews.images.names import responsive_img_attributes

WORDS_PER_MINUTE = 220
HEADING_OFFSET = 2
SPOILER_DEFAULT_TITLE = "Spoiler"
LINK_REL = "nofollow ugc noopener"

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "del", "details", "em", "h3", "h4", "h5",
        "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s", "strong", "sub", "summary",
        "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height", "srcset", "sizes", "loading", "decoding"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
ALLOWED_CLASSES = {"details": {"spoiler"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})

_SPOILER_RE = re.compile(r"^spoiler(?:\s+(.*))?$")


def _spoiler_title(info: str) -> str:
    match = _SPOILER_RE.match(info.strip())
    title = (match.group(1) or "").strip() if match else ""
    return title or SPOILER_DEFAULT_TITLE


def _render_spoiler(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    if token.nesting == 1:
        title = escapeHtml(_spoiler_title(token.info))
        return f'<details class="spoiler"><summary>{title}</summary>\n'
    return "</details>\n"


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"linkify": False}).enable("table").enable("strikethrough")
    container_plugin(
        md,
        "spoiler",
        validate=lambda params, *args: bool(_SPOILER_RE.match(params.strip())),
        render=_render_spoiler,
    )
    return md


_md = _parser()


def _shift_headings(tokens, offset: int) -> None:
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = int(token.tag[1])
            token.tag = f"h{min(6, level + offset)}"


def sanitize(html: str) -> str:
    """Keep only the allow-listed tags, attributes, classes and URL schemes."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


def render(text: str, *, heading_offset: int = HEADING_OFFSET) -> str:
    """Markdown ``text`` as sanitised HTML ("" for blank text)."""
    if not text.strip():
        return ""
    tokens = _md.parse(text)
    _shift_headings(tokens, heading_offset)
    return responsive_images(sanitize(_md.renderer.render(tokens, _md.options, {}))).strip()


_IMG_RE = re.compile(r"<img\b[^>]*>")
_IMG_SRC_RE = re.compile(r'\ssrc="([^"]*)"')
_IMG_SHAPE_RE = re.compile(r'\s(?:width|height|srcset|sizes|loading|decoding)="[^"]*"')


def responsive_images(html: str) -> str:
    """Sanitised ``html`` with our own uploaded images (``reviews.images.names``) given their
    ``srcset``, ``width``, ``height`` and lazy loading; anyone else's images are left alone."""

    def responsive(match: re.Match) -> str:
        tag = match.group(0)
        src = _IMG_SRC_RE.search(tag)
        extra = responsive_img_attributes(src.group(1).replace("&amp;", "&")) if src else ""
        if not extra:
            return tag
        return _IMG_SHAPE_RE.sub("", tag).removesuffix(">").rstrip(" /") + extra + ">"

    return _IMG_RE.sub(responsive, html)


_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def word_count(*texts: str) -> int:
    """Words in Markdown sources (markup characters are not words)."""
    return sum(len(_WORD_RE.findall(text)) for text in texts)


def reading_minutes(*texts: str) -> int:
    """Minutes to read ``texts`` at ``WORDS_PER_MINUTE``, rounded up, at least 1.

    >>> reading_minutes("word " * 221)
    2
    >>> reading_minutes("")
    1
    """
    return max(1, math.ceil(word_count(*texts) / WORDS_PER_MINUTE))
