"""WordPress WXR exports (1.0–1.2) → ``BlogExport`` (docs/FORMATS.md §3.5). Pure.

Items of ``wp:post_type`` *post* and *page* are read; attachments, revisions, menu items and
the like are not posts and are ignored. ``wp:status``: publish → live; draft, pending and
private → draft; future → scheduled; trash and auto-draft → deleted. Labels are the item's
``<category>`` elements in the *category* and *post_tag* domains. The old path is the
``<link>``'s path when it is a pretty permalink, else ``/YYYY/MM/DD/<wp:post_name>/``.
Comments: approved (``1``) and pending (``0``) ones, not spam, trash, pingbacks or trackbacks.
"""

from __future__ import annotations

from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

from kansou.reviews.importers import (
    BlogComment,
    BlogExport,
    BlogPost,
    Kind,
    ReadError,
    Status,
    parse_datetime,
    parse_xml,
    text_of,
)

WP_VERSIONS = ("1.2", "1.1", "1.0")
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
EXCERPT_VERSIONS = tuple(f"{{http://wordpress.org/export/{v}/excerpt/}}" for v in WP_VERSIONS)
DC = "{http://purl.org/dc/elements/1.1/}"
LABEL_DOMAINS = ("category", "post_tag")
_KINDS = {"post": Kind.POST, "page": Kind.PAGE}
_STATUSES = {
    "publish": Status.LIVE,
    "draft": Status.DRAFT,
    "pending": Status.DRAFT,
    "private": Status.DRAFT,
    "future": Status.SCHEDULED,
    "trash": Status.DELETED,
    "auto-draft": Status.DELETED,
}
_COMMENT_TYPES = ("", "comment")


def read(data: bytes, *, source: str = "<file>") -> BlogExport:
    """Every post and page of a WXR file, with their comments."""
    root = parse_xml(data, source=source)
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise ReadError("not a WordPress export (no <rss><channel>)", source=source)
    wp = _wp_namespace(root)
    if wp is None:
        raise ReadError("not a WordPress export (no wp: elements)", source=source)
    site = text_of(channel.find(f"{wp}base_site_url")) or text_of(channel.find("link"))
    site = site.rstrip("/")
    export = BlogExport("wordpress", text_of(channel.find("title")))
    for item in channel.findall("item"):
        kind = _KINDS.get(text_of(item.find(f"{wp}post_type")))
        if kind is not None:
            export.posts.append(_post(item, kind, wp, site))
    return export


def _wp_namespace(root: Element) -> str | None:
    for version in WP_VERSIONS:
        wp = f"{{http://wordpress.org/export/{version}/}}"
        if any(root.find(f".//{wp}{name}") is not None for name in ("post_type", "wxr_version")):
            return wp
    return None


def _old_path(item: Element, wp: str) -> str:
    link = urlsplit(text_of(item.find("link")))
    if link.path.strip("/") and not link.query:
        return link.path
    name = text_of(item.find(f"{wp}post_name"))
    date = parse_datetime(text_of(item.find(f"{wp}post_date")))
    if name and date:
        return f"/{date:%Y/%m/%d}/{name}/"
    return ""


def _excerpt(item: Element) -> str:
    for namespace in EXCERPT_VERSIONS:
        if text := text_of(item.find(f"{namespace}encoded")):
            return text
    return ""


def _post(item: Element, kind: str, wp: str, site: str) -> BlogPost:
    post_id = text_of(item.find(f"{wp}post_id"))
    published = parse_datetime(text_of(item.find(f"{wp}post_date_gmt"))) or parse_datetime(
        text_of(item.find(f"{wp}post_date"))
    )
    labels = [
        text_of(category)
        for category in item.findall("category")
        if category.get("domain") in LABEL_DOMAINS and text_of(category)
    ]
    return BlogPost(
        source_id=text_of(item.find("guid")) or f"{site}/?p={post_id}",
        kind=kind,
        status=_STATUSES.get(text_of(item.find(f"{wp}status")), Status.DRAFT),
        title=text_of(item.find("title")),
        body_html=text_of(item.find(f"{CONTENT}encoded")),
        published=published,
        updated=parse_datetime(text_of(item.find(f"{wp}post_modified_gmt"))),
        author=text_of(item.find(f"{DC}creator")),
        labels=list(dict.fromkeys(labels)),
        path=_old_path(item, wp),
        summary=_excerpt(item),
        slug=text_of(item.find(f"{wp}post_name")),
        comments=[c for c in (_comment(e, wp, site) for e in item.findall(f"{wp}comment")) if c],
    )


def _comment(element: Element, wp: str, site: str) -> BlogComment | None:
    def field(name: str) -> str:
        return text_of(element.find(f"{wp}comment_{name}"))

    approved = field("approved")
    if approved not in ("0", "1") or field("type") not in _COMMENT_TYPES:
        return None
    parent = field("parent")
    return BlogComment(
        source_id=f"{site}/#comment-{field('id')}",
        author_name=field("author") or "Anonymous",
        author_url=field("author_url"),
        body_html=field("content"),
        created_at=parse_datetime(field("date_gmt")) or parse_datetime(field("date")),
        parent_source_id=f"{site}/#comment-{parent}" if parent not in ("", "0") else None,
        approved=approved == "1",
    )
