"""The images in a blog post's HTML: which to bring in, and the HTML pointing at the copies.
Pure: no Django (``reviews.images.importing`` fetches and stores them).

``image_sources`` lists each ``<img>``'s absolute http(s) URL once, in order, with its alt text
(or title). ``rewrite_sources`` replaces those URLs in ``src`` attributes, and in the ``href`` of
a link that opened the same file (Blogger wraps each image in a link to itself).
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit


@dataclass(frozen=True)
class PostImage:
    url: str
    alt: str


class _Images(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: dict[str, PostImage] = {}

    def handle_starttag(self, tag, attrs):
        if tag != "img":
            return
        values = dict(attrs)
        url = (values.get("src") or "").strip()
        if urlsplit(url).scheme.lower() in ("http", "https") and url not in self.found:
            alt = " ".join((values.get("alt") or values.get("title") or "").split())
            self.found[url] = PostImage(url, alt)


def image_sources(post_html: str) -> list[PostImage]:
    """The post's images with absolute http(s) URLs, each once, in order.

    >>> image_sources('<p><img src="https://b.example/a.jpg" alt="Shouko"><img src="/rel.png">')
    [PostImage(url='https://b.example/a.jpg', alt='Shouko')]
    """
    parser = _Images()
    parser.feed(post_html)
    parser.close()
    return list(parser.found.values())


_ATTR_RE = re.compile(
    r"(?P<lead>\s(?:src|href)\s*=\s*)"
    r"""(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^"'\s>]+))""",
    re.IGNORECASE,
)


def rewrite_sources(post_html: str, moved: dict[str, str]) -> str:
    """``post_html`` with each URL of ``moved`` replaced in ``src`` and ``href`` attributes.

    >>> rewrite_sources('<a href="https://b/x.jpg"><img src="https://b/x.jpg"></a>',
    ...                 {"https://b/x.jpg": "/media/reviews/x.webp"})
    '<a href="/media/reviews/x.webp"><img src="/media/reviews/x.webp"></a>'
    """
    if not moved:
        return post_html

    def replace(match: re.Match) -> str:
        value = match["dq"] if match["dq"] is not None else match["sq"] or match["bare"] or ""
        new = moved.get(html_lib.unescape(value).strip())
        if new is None:
            return match.group(0)
        return f'{match["lead"]}"{html_lib.escape(new)}"'

    return _ATTR_RE.sub(replace, post_html)
