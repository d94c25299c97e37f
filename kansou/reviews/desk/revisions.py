"""Revisions: snapshots of a review as its Markdown file, their differences, and restoring one.

A snapshot is ``frontmatter.dump(review_document(review))``, the text ``kansou reviews export``
writes, so a revision is readable on its own and restoring goes through the importer's own
resolution of references (``documents.review_input``) and ``services.review_save``.

Coalescing rule: a save or an autosave updates the newest revision in place when that one is
also a save or autosave by the same author, begun less than ``COALESCE`` ago; otherwise it
starts a new revision. Publishing and restoring always start one. A save that changes nothing
adds nothing.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kansou.reviews import frontmatter
from kansou.reviews.documents import review_document, review_input
from kansou.reviews.frontmatter import FormatError
from kansou.reviews.models import Review, Revision, RevisionKind
from kansou.reviews.services import review_save

COALESCE = dt.timedelta(minutes=10)
_COALESCING = (RevisionKind.SAVE, RevisionKind.AUTOSAVE)


def review_snapshot(*, review: Review) -> str:
    """The review as stored, as its Markdown file with front matter."""
    return frontmatter.dump(review_document(review=Review.objects.get(pk=review.pk)))


@transaction.atomic
def revision_record(*, review: Review, by, kind: str) -> Revision:
    """Keep the review's current state as a revision (rules in the module docstring)."""
    text = review_snapshot(review=review)
    now = timezone.now()
    last = review.revisions.order_by("-created_at", "-pk").first()
    if last is not None and last.text == text and kind in _COALESCING:
        return last
    if (
        last is not None
        and kind in _COALESCING
        and last.kind in _COALESCING
        and last.author_id == getattr(by, "pk", None)
        and now - last.created_at < COALESCE
    ):
        last.text, last.updated_at = text, now
        if kind == RevisionKind.SAVE:
            last.kind = kind
        last.save(update_fields=["text", "updated_at", "kind"])
        return last
    return Revision.objects.create(
        review=review, author=by, kind=kind, text=text, created_at=now, updated_at=now
    )


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed" or "gap" (unchanged lines left out)
    text: str


def revision_diff(old: str, new: str, *, context: int = 3) -> list[DiffLine]:
    """Line differences from ``old`` to ``new`` (``difflib``), with ``context`` unchanged lines
    around each change; an empty list when they are equal."""
    lines: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=old.splitlines(), b=new.splitlines(), autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        if lines:
            lines.append(DiffLine("gap", "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [DiffLine("same", text) for text in matcher.a[i1:i2]]
                continue
            lines += [DiffLine("removed", text) for text in matcher.a[i1:i2]]
            lines += [DiffLine("added", text) for text in matcher.b[j1:j2]]
    return lines


@transaction.atomic
def revision_restore(*, revision: Revision, by) -> Review:
    """Put the revision's text back into its review, then record the result as a new revision.

    The review as it was is recorded first. Only the writing comes back: the review keeps its
    address (slug), byline, status and publication time. Raises ``ValidationError`` naming the
    field when the revision can no longer be saved (say, its anime left the catalog), and then
    writes nothing.
    """
    review, text = revision.review, revision.text
    revision_record(review=review, by=by, kind=RevisionKind.SAVE)  # what it was, kept too
    try:
        doc = frontmatter.parse(text, source=f"revision {revision.pk}")
        doc.slug, doc.status, doc.publish_at = review.slug, review.status, review.publish_at
        doc.authors = [user.get_username() for user in review.ordered_authors()]
        data, _ = review_input(doc=doc, source=f"revision {revision.pk}")
    except FormatError as exc:
        raise ValidationError(str(exc)) from None
    review = review_save(data=data, review=review)
    revision_record(review=review, by=by, kind=RevisionKind.RESTORE)
    return review
