"""Blog exports → plain data, the *reader* half of moving in from a hosted blog. Pure: no Django.

Each reader (``blogger.read``, ``wordpress.read``) takes the export's bytes and returns a
``BlogExport``: every entry of the file as a ``BlogPost`` (posts and pages, whatever their
status) with its ``BlogComment`` rows. Deciding what to import, matching the anime and writing
reviews is ``kansou.reviews.blog_import``'s job (pelican's reader → content → writer).

XML is parsed with defusedxml: a file declaring entities (the "billion laughs" shape) or
fetching external ones is refused with ``ReadError`` rather than expanded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring


class Kind:
    POST = "post"
    PAGE = "page"


class Status:
    """A post's state on the old blog, whichever words the export used for it."""

    LIVE = "live"
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    DELETED = "deleted"  # deleted, trashed, or something never meant to be public (auto-draft)


class ReadError(ValueError):
    """The file is not an export this reader understands (or is unsafe XML)."""

    def __init__(self, message: str, *, source: str = "<file>"):
        self.source = source
        super().__init__(f"{source}: {message}")


@dataclass
class BlogComment:
    source_id: str
    author_name: str
    body_html: str
    created_at: dt.datetime | None
    author_url: str = ""
    parent_source_id: str | None = None  # the comment this one answers
    approved: bool = True


@dataclass
class BlogPost:
    source_id: str  # the export's id for the post; what makes re-imports idempotent
    kind: str  # Kind.POST or Kind.PAGE
    status: str  # a Status
    title: str
    body_html: str
    published: dt.datetime | None = None
    updated: dt.datetime | None = None
    author: str = ""
    labels: list[str] = field(default_factory=list)
    path: str = ""  # "/2025/10/some-review.html" on the old blog, "" when unknown
    summary: str = ""  # meta description or excerpt
    slug: str = ""  # the old blog's slug, when the export names one
    comments: list[BlogComment] = field(default_factory=list)


@dataclass
class BlogExport:
    format: str  # "blogger-classic", "blogger" or "wordpress"
    title: str
    posts: list[BlogPost] = field(default_factory=list)  # posts and pages, in file order
    orphan_comments: int = 0  # comments whose post is not in the file


def parse_xml(data: bytes, *, source: str) -> Element:
    """The document's root, refusing entity declarations and external references."""
    try:
        return fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise ReadError(f"unsafe XML refused ({exc.__class__.__name__})", source=source) from None
    except ParseError as exc:
        raise ReadError(f"not well-formed XML ({exc})", source=source) from None


def parse_datetime(text: str | None) -> dt.datetime | None:
    """An ISO 8601 time ("2025-10-03T09:15:00.000-07:00", "2025-10-03 09:15:00") or None.

    A time without an offset is taken as UTC.

    >>> parse_datetime("2025-10-03T09:15:00.000Z").isoformat()
    '2025-10-03T09:15:00+00:00'
    >>> parse_datetime("0000-00-00 00:00:00") is None
    True
    """
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def text_of(element: Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""
