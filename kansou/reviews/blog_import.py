"""Moving in from a hosted blog: a ``BlogExport`` (``reviews.importers``) → reviews.

Per post, in one transaction: the review (sections from ``importers.html_sections``, the anime
from ``importers.matching``, labels), a ``LegacyPath`` for the post's old path (answered with a
301 by ``LegacyRedirectMiddleware``) and its comments. Rules:

- posts only: pages are skipped and listed; deleted or trashed posts are skipped;
- live posts are published at their original date, scheduled ones scheduled, drafts drafts;
- a post is found again by its id on the old blog (``Review.import_id``), so importing the same
  file twice changes nothing: a review imported before is left as it is (edits made here since
  are kept); only legacy paths and comments it lacks are added; an old path is kept whole,
  whatever its length;
- the anime is linked only when ``match_post`` is sure; otherwise the review stays unlinked and
  the report lists it with the reasons;
- comments go through ``comment_writer`` (the community app's ``comment_import``, passed in by
  the caller because ``community`` depends on ``reviews``, not the other way round); without
  one they are counted and reported as not imported. The old blog's approved/pending is the
  starting status of a comment imported the first time; importing again never changes a
  comment's status, so moderation done here (hide, spam, approve) stands;
- with an ``image_fetcher``, a new post's images are fetched into our storage first (outside
  the post's transaction) and the review points at the copies; an image that cannot be brought
  in keeps its old URL and the outcome carries a warning (``reviews.images.importing``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from kansou.catalog.images.fetching import Fetcher
from kansou.reviews.images.importing import PostImages, post_images_fetch
from kansou.reviews.importers import BlogComment, BlogExport, BlogPost, Kind, Status
from kansou.reviews.importers.html_sections import split
from kansou.reviews.importers.matching import match_post
from kansou.reviews.models import LegacyPath, Review, ReviewStatus, legacy_path_as_requested
from kansou.reviews.services import (
    AudienceInput,
    CharacterInput,
    ReviewInput,
    SectionInput,
    ThemeInput,
    review_save,
)

CommentWriter = Callable[..., object]  # community.comments.comment_import's signature
SLUG_MAX = 200
TITLE_MAX = 300
LABEL_MAX = 100
UNTITLED = "Untitled post"


@dataclass
class PostOutcome:
    title: str
    action: str  # "created", "unchanged", "skipped" or "failed"
    review: Review | None = None
    reason: str = ""  # why skipped or failed
    anime: str = ""  # the linked anime's title
    unmatched: list[str] = field(default_factory=list)  # reasons, when left unlinked
    comments: int = 0
    warnings: list[str] = field(default_factory=list)  # images left on the old blog, and why


@dataclass
class BlogImportReport:
    format: str
    outcomes: list[PostOutcome] = field(default_factory=list)
    comments_found: int = 0
    comments_imported: int = 0
    comments_writer_missing: bool = False
    orphan_comments: int = 0

    def having(self, action: str) -> list[PostOutcome]:
        return [o for o in self.outcomes if o.action == action]

    @property
    def unmatched(self) -> list[PostOutcome]:
        return [o for o in self.outcomes if o.review is not None and o.review.anime_id is None]


def blog_import(*, export: BlogExport, author: AbstractBaseUser,
                comment_writer: CommentWriter | None = None,
                image_fetcher: Fetcher | None = None) -> BlogImportReport:  # fmt: skip
    """Import every post of ``export`` as a review by ``author`` (rules in the module docstring).

    A post that fails (a rule or field check) is reported as failed and writes nothing; the
    others still import.
    """
    report = BlogImportReport(export.format, orphan_comments=export.orphan_comments)
    report.comments_writer_missing = comment_writer is None
    for post in export.posts:
        report.comments_found += len(post.comments)
        if skipped := _skip_reason(post):
            report.outcomes.append(PostOutcome(_title(post), "skipped", reason=skipped))
            continue
        images = None
        if image_fetcher and not Review.objects.filter(import_id=post.source_id).exists():
            images = post_images_fetch(post_html=post.body_html, title=_title(post),
                                       fetcher=image_fetcher)  # fmt: skip
        try:
            outcome = blog_post_import(post=post, author=author, comment_writer=comment_writer,
                                       images=images)  # fmt: skip
        except ValidationError as exc:
            outcome = PostOutcome(_title(post), "failed", reason="; ".join(exc.messages))
        report.comments_imported += outcome.comments
        report.outcomes.append(outcome)
    return report


def _skip_reason(post: BlogPost) -> str:
    if post.kind == Kind.PAGE:
        return "a page, not a post"
    if post.status == Status.DELETED:
        return "deleted or trashed on the old blog"
    if not post.source_id:
        return "the export gives it no id"
    return ""


def _title(post: BlogPost) -> str:
    return (post.title.strip() or UNTITLED)[:TITLE_MAX]


@transaction.atomic
def blog_post_import(*, post: BlogPost, author: AbstractBaseUser,
                     comment_writer: CommentWriter | None = None,
                     images: PostImages | None = None) -> PostOutcome:  # fmt: skip
    """One post as a review, with its legacy path and comments; an imported post is kept.
    ``images``: the post's images already fetched (``post_images_fetch``), for a new review."""
    review = Review.objects.filter(import_id=post.source_id).first()
    if review is None:
        outcome = _create(post, author, images or PostImages())
    else:
        outcome = PostOutcome(_title(post), "unchanged", review, anime=str(review.anime or ""))
    _legacy_path(outcome.review, post.path)
    if comment_writer is not None:
        outcome.comments = _comments(outcome.review, post.comments, comment_writer)
    return outcome


def _create(post: BlogPost, author: AbstractBaseUser, images: PostImages) -> PostOutcome:
    body_html = images.rewrite(post.body_html)
    sections = split(body_html)
    match = match_post(title=post.title, labels=post.labels, body_html=body_html)
    data = ReviewInput(
        title=_title(post), slug=_unique_slug(post), authors=[author], anime=match.anime,
        status=_status(post), publish_at=post.published if post.status != Status.DRAFT else None,
        labels=[label[:LABEL_MAX] for label in post.labels],
        summary=post.summary.strip() or sections.summary, intro_md=sections.intro,
        final_thoughts_md=sections.final_thoughts,
        audience=[AudienceInput(i.name, i.html) for i in sections.audience],
        characters=[CharacterInput(i.name, i.html, _character(match.anime, i.name))
                    for i in sections.characters],
        themes=[ThemeInput(i.name, i.html) for i in sections.themes],
        sections=[SectionInput(i.name, i.html) for i in sections.sections],
    )  # fmt: skip
    review = review_save(data=data, review=Review(import_id=post.source_id))
    images.record(review)
    return PostOutcome(
        _title(post), "created", review,
        anime=match.anime.title if match.anime else "",
        unmatched=[] if match.anime else match.reasons or ["no anime named clearly"],
        warnings=images.warnings,
    )  # fmt: skip


def _status(post: BlogPost) -> str:
    if post.status == Status.DRAFT:
        return ReviewStatus.DRAFT
    if post.status == Status.SCHEDULED and post.published and post.published > timezone.now():
        return ReviewStatus.SCHEDULED
    return ReviewStatus.PUBLISHED


def _character(anime, name: str):
    if anime is None:
        return None
    return anime.characters.filter(name__iexact=name.strip()).first()


def _unique_slug(post: BlogPost) -> str:
    """The old blog's slug (or the title's), made unique; a hash of the id when neither has
    Latin letters ("聲の形の感想" → ``post-1a2b3c4d``)."""
    base = slugify(post.slug) or slugify(post.title)
    if not base:
        base = "post-" + hashlib.sha1(post.source_id.encode()).hexdigest()[:8]
    base = base[: SLUG_MAX - 4].strip("-")
    slug, n = base, 2
    while Review.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _legacy_path(review: Review, path: str) -> None:
    """Answer the old path with a 301 to ``review``, unless the path already leads elsewhere.

    Paths of any length are kept whole (``LegacyPath`` is unique on the path's hash), so the
    redirect matches and a re-import finds the path it stored; percent-escapes are decoded, as
    in the requests the redirect answers.
    """
    if not path.startswith("/") or path == "/":
        return
    path = legacy_path_as_requested(path)
    if not LegacyPath.objects.matching([path]).exists():
        legacy = LegacyPath(old_path=path, review=review)
        legacy.full_clean()
        legacy.save()


def _comments(review: Review, comments: list[BlogComment], writer: CommentWriter) -> int:
    """Write ``comments`` parents first; returns how many were written."""
    known = {c.source_id for c in comments}
    done: set[str] = set()
    pending = sorted(comments, key=lambda c: (c.created_at is None, c.created_at or 0))
    while pending:
        ready = [c for c in pending
                 if not c.parent_source_id or c.parent_source_id in done
                 or c.parent_source_id not in known]  # fmt: skip
        if not ready:  # a parent cycle: write the rest as top-level comments
            ready = [*pending]
            for comment in ready:
                comment.parent_source_id = None
        for comment in ready:
            parent = comment.parent_source_id if comment.parent_source_id in done else None
            writer(
                review=review, author_name=comment.author_name, author_url=comment.author_url,
                body_html_or_md=comment.body_html,
                created_at=comment.created_at or review.publish_at or timezone.now(),
                source_id=comment.source_id, parent_source_id=parent,
                status="approved" if comment.approved else "pending",
            )  # fmt: skip
            done.add(comment.source_id)
        pending = [c for c in pending if c.source_id not in done]
    return len(done)
