"""Blogger backups → ``BlogExport``, in both of Blogger's shapes (docs/FORMATS.md §3.4). Pure.

*Classic* Atom backup: an entry's kind is a ``<category>`` in the ``…/g/2005#kind`` scheme
(``…kind#post``, ``#page``, ``#comment``; settings and template entries are ignored); drafts
carry ``app:control/app:draft`` = ``yes``; a comment names its post in ``thr:in-reply-to`` and
the comment it answers in a ``link rel="related"`` ending ``/comments/default/<id>``.

*Current* backup ("Back up content", Takeout): ``blogger:type`` (POST, PAGE, COMMENT),
``blogger:status`` (LIVE, DRAFT, SCHEDULED, SOFT_TRASHED, DELETED), ``blogger:parent`` (comment
→ post), ``blogger:inReplyTo`` (comment → comment), ``blogger:filename`` (the old path).

The file is sniffed for ``blogger:type``, as other importers do. Labels are the categories in
neither kind scheme; the old path is ``blogger:filename`` or else the alternate link's path.
"""

from __future__ import annotations

import re
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

ATOM = "{http://www.w3.org/2005/Atom}"
BLOGGER = "{http://schemas.google.com/blogger/2018}"
THREAD = "{http://purl.org/syndication/thread/1.0}"
APP_NAMESPACES = ("{http://purl.org/atom/app#}", "{http://www.w3.org/2007/app}")
KIND_SCHEME = "http://schemas.google.com/g/2005#kind"
KIND_PREFIX = "http://schemas.google.com/blogger/2008/kind#"

_CLASSIC_KINDS = {"post": Kind.POST, "page": Kind.PAGE, "comment": "comment"}
_CURRENT_KINDS = {"POST": Kind.POST, "PAGE": Kind.PAGE, "COMMENT": "comment"}
_CURRENT_STATUSES = {
    "LIVE": Status.LIVE,
    "DRAFT": Status.DRAFT,
    "SCHEDULED": Status.SCHEDULED,
    "SOFT_TRASHED": Status.DELETED,
    "DELETED": Status.DELETED,
}
_RELATED_COMMENT_RE = re.compile(r"/comments/default/(\d+)/?$")
_ID_NUMBER_RE = re.compile(r"(\d+)$")


def read(data: bytes, *, source: str = "<file>") -> BlogExport:
    """Every post, page and comment of a Blogger backup, in either shape."""
    root = parse_xml(data, source=source)
    if root.tag != f"{ATOM}feed":
        raise ReadError("not a Blogger backup (no Atom <feed>)", source=source)
    current = root.find(f".//{BLOGGER}type") is not None
    title = text_of(root.find(f"{ATOM}title"))
    export = BlogExport("blogger" if current else "blogger-classic", title)
    comments: list[tuple[str, BlogComment]] = []
    for entry in root.iter(f"{ATOM}entry"):
        kind = _current_kind(entry) if current else _classic_kind(entry)
        if kind == "comment":
            comment, post_id = _comment(entry, current)
            if comment is not None:
                comments.append((post_id, comment))
        elif kind in (Kind.POST, Kind.PAGE):
            export.posts.append(_post(entry, kind, current))
    _attach(export, comments)
    return export


def _classic_kind(entry: Element) -> str | None:
    for category in entry.findall(f"{ATOM}category"):
        term = category.get("term", "")
        if category.get("scheme") == KIND_SCHEME and term.startswith(KIND_PREFIX):
            return _CLASSIC_KINDS.get(term.removeprefix(KIND_PREFIX))
    return None


def _current_kind(entry: Element) -> str | None:
    return _CURRENT_KINDS.get(text_of(entry.find(f"{BLOGGER}type")).upper())


def _labels(entry: Element) -> list[str]:
    labels = []
    for category in entry.findall(f"{ATOM}category"):
        term = (category.get("term") or "").strip()
        if term and category.get("scheme") != KIND_SCHEME and not term.startswith(KIND_PREFIX):
            labels.append(term)
    return list(dict.fromkeys(labels))


def _link(entry: Element, rel: str) -> str:
    for link in entry.findall(f"{ATOM}link"):
        if link.get("rel") == rel and link.get("href"):
            return link.get("href")
    return ""


def _old_path(entry: Element) -> str:
    filename = text_of(entry.find(f"{BLOGGER}filename"))
    if filename:
        return "/" + filename.lstrip("/")
    href = _link(entry, "alternate")
    return urlsplit(href).path if href else ""


def _classic_status(entry: Element) -> str:
    for app in APP_NAMESPACES:
        if text_of(entry.find(f"{app}control/{app}draft")).lower() == "yes":
            return Status.DRAFT
    return Status.LIVE


def _post(entry: Element, kind: str, current: bool) -> BlogPost:
    if current:
        status = _CURRENT_STATUSES.get(text_of(entry.find(f"{BLOGGER}status")).upper())
        status = status or Status.DRAFT
    else:
        status = _classic_status(entry)
    path = _old_path(entry)
    return BlogPost(
        source_id=text_of(entry.find(f"{ATOM}id")),
        kind=kind,
        status=status,
        title=text_of(entry.find(f"{ATOM}title")),
        body_html=text_of(entry.find(f"{ATOM}content")),
        published=parse_datetime(text_of(entry.find(f"{ATOM}published"))),
        updated=parse_datetime(text_of(entry.find(f"{ATOM}updated"))),
        author=text_of(entry.find(f"{ATOM}author/{ATOM}name")),
        labels=_labels(entry),
        path=path,
        summary=text_of(entry.find(f"{BLOGGER}metaDescription")),
        slug=path.rsplit("/", 1)[-1].removesuffix(".html") if path else "",
    )


def _comment(entry: Element, current: bool) -> tuple[BlogComment | None, str]:
    if current:
        post_id = text_of(entry.find(f"{BLOGGER}parent"))
        parent = text_of(entry.find(f"{BLOGGER}inReplyTo")) or None
        status = text_of(entry.find(f"{BLOGGER}status")).upper() or "LIVE"
        if status != "LIVE" or text_of(entry.find(f"{BLOGGER}trashed")):
            return None, post_id
    else:
        reply = entry.find(f"{THREAD}in-reply-to")
        post_id = reply.get("ref", "") if reply is not None else ""
        related = _RELATED_COMMENT_RE.search(_link(entry, "related"))
        parent = related.group(1) if related else None  # a number: resolved in _attach
    comment = BlogComment(
        source_id=text_of(entry.find(f"{ATOM}id")),
        author_name=text_of(entry.find(f"{ATOM}author/{ATOM}name")) or "Anonymous",
        author_url=text_of(entry.find(f"{ATOM}author/{ATOM}uri")),
        body_html=text_of(entry.find(f"{ATOM}content")),
        created_at=parse_datetime(text_of(entry.find(f"{ATOM}published"))),
        parent_source_id=parent,
    )
    return comment, post_id


def _attach(export: BlogExport, comments: list[tuple[str, BlogComment]]) -> None:
    """Hang each comment on its post; a classic reply's parent number becomes the parent's id."""
    posts = {post.source_id: post for post in export.posts}
    by_number = {}
    for _, comment in comments:
        if number := _ID_NUMBER_RE.search(comment.source_id):
            by_number[number.group(1)] = comment.source_id
    for post_id, comment in comments:
        if comment.parent_source_id and comment.parent_source_id.isdigit():
            comment.parent_source_id = by_number.get(comment.parent_source_id)
        post = posts.get(post_id)
        if post is None:
            export.orphan_comments += 1
        else:
            post.comments.append(comment)
