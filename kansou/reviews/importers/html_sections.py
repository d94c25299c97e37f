"""A blog post's HTML → a review's sections. Pure: no Django.

The HTML is first sanitised with the review allow-list (``markdown.sanitize``'s, plus ``h1``,
``h2`` and ``div`` so the structure survives until it is read): scripts, styles, event handlers
and ``javascript:`` links are gone before anything else looks at it. Blogger's ``<div>``-per-
paragraph and ``<br><br>`` habits become paragraphs.

Then the post is cut at its top-level headings: what comes before the first one is the intro,
and each heading is looked up in ``SECTION_HEADINGS`` ("Who should watch", "Characters",
"Themes", "Final thoughts", "About"); other headings become free sections. Audience, character
and theme sections are split into named items when their shape allows: sub-headings, one list
whose items start with a name ("<b>Shouko</b>: …", "Shouko — …"), or paragraphs that each open
with a bold name. A section that cannot be split keeps all its text as a free section: nothing
the author wrote is dropped.

Every text is returned as HTML blocks, one per line group with blank lines between, which the
review Markdown renders as is (raw HTML blocks) and sanitises again.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import nh3

from kansou.catalog.text import normalize_title
from kansou.reviews import markdown

AUDIENCE, CHARACTERS, THEMES, FINAL, ABOUT = "audience", "characters", "themes", "final", "about"
# Heading (normalised) → section. A heading that *starts* with a key counts ("Characters: the
# heart of it"), except for ABOUT, which must be one of its keys exactly.
SECTION_HEADINGS = {
    AUDIENCE: ("who should watch", "who should watch it", "who is it for", "who its for",
               "who it s for", "should you watch", "should you watch it", "recommended for",
               "who will like it", "who will enjoy it"),
    CHARACTERS: ("characters", "the characters", "main characters", "cast", "the cast"),
    THEMES: ("themes", "the themes", "main themes"),
    FINAL: ("final thoughts", "verdict", "the verdict", "final verdict", "conclusion",
            "in conclusion", "closing thoughts"),
    ABOUT: ("about", "about the anime", "about the show", "about the film", "about the series",
            "synopsis", "premise", "what is it about", "what s it about"),
}  # fmt: skip

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
BLOCKS = HEADINGS | {"p", "ul", "ol", "blockquote", "pre", "table", "hr", "details", "div"}
VOID = frozenset({"br", "hr", "img"})
SUBHEADING = "h4"
NAME_MAX = 120
_NAME_SEPARATOR_RE = re.compile(r"\s*(?::|\s[—–-])\s*")
_LEADING_PUNCT_RE = re.compile(r"^\s*[:—–-]?\s*")


@dataclass
class Node:
    tag: str | None  # None for text
    start: str = ""  # the start tag as written, or the (escaped) text
    children: list[Node] = field(default_factory=list)

    def html(self, pre: bool = False) -> str:
        if self.tag is None:
            return self.start if pre else self.start.replace("\n", " ")
        if self.tag in VOID:
            return self.start
        inner = "".join(child.html(pre or self.tag == "pre") for child in self.children)
        return f"{self.start}{inner}</{self.tag}>"

    def text(self) -> str:
        if self.tag is None:
            return html_lib.unescape(self.start)
        return "".join(child.text() for child in self.children)


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, self.get_starttag_text())
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag):
        if any(node.tag == tag for node in self.stack[1:]):
            while self.stack.pop().tag != tag:
                pass

    def handle_data(self, data):
        self.stack[-1].children.append(Node(None, html_lib.escape(data, quote=False)))


@dataclass
class Item:
    name: str
    html: str


@dataclass
class PostSections:
    intro: str = ""
    summary: str = ""
    final_thoughts: str = ""
    audience: list[Item] = field(default_factory=list)
    characters: list[Item] = field(default_factory=list)
    themes: list[Item] = field(default_factory=list)
    sections: list[Item] = field(default_factory=list)  # heading, body


def sanitize(post_html: str) -> str:
    """The post's HTML with only the review allow-list (and h1, h2, div) left."""
    return nh3.clean(
        post_html,
        tags=set(markdown.ALLOWED_TAGS) | {"h1", "h2", "div"},
        attributes=markdown.ALLOWED_ATTRIBUTES,
        allowed_classes=markdown.ALLOWED_CLASSES,
        url_schemes=set(markdown.URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )


def blocks(post_html: str) -> list[Node]:
    """Top-level blocks of the sanitised post: divs unwrapped, loose inline runs as ``<p>``."""
    builder = _TreeBuilder()
    builder.feed(sanitize(post_html))
    builder.close()
    found: list[Node] = []
    _collect(builder.root.children, found)
    return found


def _collect(nodes: list[Node], found: list[Node]) -> None:
    run: list[Node] = []

    def flush():
        while run and run[-1].tag == "br":
            run.pop()
        if any(n.text().strip() or _has_image(n) for n in run):
            found.append(Node("p", "<p>", list(run)))
        run.clear()

    for node in nodes:
        if node.tag == "div":
            flush()
            _collect(node.children, found)
        elif node.tag in BLOCKS:
            flush()
            found.append(node)
        elif node.tag == "br" and run and run[-1].tag == "br":
            run.pop()
            flush()  # <br><br> is a paragraph break
        elif node.tag is None and not node.text().strip() and run and run[-1].tag == "br":
            continue
        else:
            run.append(node)
    flush()


def _has_image(node: Node) -> bool:
    """An image, or an element holding one (Blogger's ``<a href=…><img …></a>``)."""
    return node.tag == "img" or any(_has_image(child) for child in node.children)


def to_markdown(nodes: list[Node]) -> str:
    """Blocks as review Markdown: raw HTML blocks separated by blank lines."""
    parts = []
    for node in nodes:
        if node.tag in HEADINGS:
            node = Node(SUBHEADING, f"<{SUBHEADING}>", node.children)
        parts.append(node.html().strip())
    return "\n\n".join(part for part in parts if part)


def section_kind(heading: str) -> str | None:
    key = normalize_title(heading)
    for kind, names in SECTION_HEADINGS.items():
        if key in names or (kind != ABOUT and any(key.startswith(n + " ") for n in names)):
            return kind
    return None


def split(post_html: str) -> PostSections:
    """The post as intro, structured sections and free sections (rules in the module docstring)."""
    nodes = blocks(post_html)
    levels = [int(n.tag[1]) for n in nodes if n.tag in HEADINGS]
    top = f"h{min(levels)}" if levels else None
    intro: list[Node] = []
    chunks: list[tuple[str, list[Node]]] = []
    for node in nodes:
        if node.tag == top:
            chunks.append((_plain(node.text()), []))
        elif chunks:
            chunks[-1][1].append(node)
        else:
            intro.append(node)
    result = PostSections(intro=to_markdown(intro))
    for heading, body in chunks:
        _place(result, heading, body)
    return result


def _place(result: PostSections, heading: str, body: list[Node]) -> None:
    kind = section_kind(heading)
    if kind == FINAL and not result.final_thoughts:
        result.final_thoughts = to_markdown(body)
    elif kind == ABOUT and not result.summary:
        result.summary = " ".join(_plain(n.text()) for n in body).strip()
    elif kind in (AUDIENCE, CHARACTERS, THEMES) and (items := named_items(body)):
        getattr(result, kind).extend(items)
    elif heading or body:
        result.sections.append(Item(heading[:200] or "Section", to_markdown(body)))


def named_items(body: list[Node]) -> list[Item] | None:
    """The section as named items, or None when its shape does not say which text is whose."""
    if any(n.tag in HEADINGS for n in body):
        if body[0].tag not in HEADINGS:
            return None
        items: list[tuple[str, list[Node]]] = []
        for node in body:
            if node.tag in HEADINGS:
                items.append((_plain(node.text()), []))
            else:
                items[-1][1].append(node)
        return [Item(name[:NAME_MAX], to_markdown(rest)) for name, rest in items if name]
    if len(body) == 1 and body[0].tag in ("ul", "ol"):
        parts = [_name_and_text(li.children) for li in body[0].children if li.tag == "li"]
    elif body and all(n.tag == "p" for n in body):
        parts = [_name_and_text(p.children, bold_only=True) for p in body]
    else:
        return None
    if not parts or any(part is None for part in parts):
        return None
    return [Item(name, f"<p>{text}</p>" if text else "") for name, text in parts]


def _name_and_text(children: list[Node], bold_only: bool = False) -> tuple[str, str] | None:
    """("Shouko", "rest as HTML") from "<b>Shouko</b>: rest" or "Shouko — rest"."""
    children = [c for c in children if c.tag is not None or c.text().strip()]
    if not children:
        return None
    first = children[0]
    if first.tag in ("b", "strong"):
        name = _plain(first.text()).rstrip(":—–- ")
        rest = "".join(c.html() for c in children[1:])
        return (name[:NAME_MAX], _LEADING_PUNCT_RE.sub("", rest).strip()) if name else None
    if bold_only or first.tag is not None:
        return None
    pieces = _NAME_SEPARATOR_RE.split(first.start, maxsplit=1)
    if len(pieces) != 2 or not 0 < len(pieces[0].strip()) <= NAME_MAX:
        return None
    name = html_lib.unescape(pieces[0]).strip()
    rest = pieces[1] + "".join(c.html() for c in children[1:])
    return name, rest.strip()


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
