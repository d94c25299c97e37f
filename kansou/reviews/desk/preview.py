"""Unsaved text rendered as the review page renders it: the same Markdown pipeline
(``markdown.render``), the same about box (``selectors.anime_about``) and the same template
(``reviews/_article.html``), on rows built in memory. Nothing is written."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from kansou.reviews import markdown
from kansou.reviews.models import (
    AudienceProfile,
    ComparableTitle,
    FreeSection,
    Label,
    Review,
    ReviewCharacter,
    Theme,
)
from kansou.reviews.selectors import ReviewPage, anime_about
from kansou.reviews.services import (
    AudienceInput,
    CharacterInput,
    ReviewInput,
    SectionInput,
    ThemeInput,
)


def _audience(data: ReviewInput) -> list[AudienceProfile]:
    out = []
    for item in data.audience:
        profile = AudienceProfile(name=item.name, why_md=item.why_md)
        profile.why_html = markdown.render(item.why_md)
        profile.comparable_list = [ComparableTitle(anime=anime) for anime in item.comparable]
        out.append(profile)
    return out


def review_preview(*, request: HttpRequest, review: Review, data: ReviewInput) -> str:
    """The article HTML ``data`` would make for ``review`` (status and byline as saved).
    "You might also love" is left out: it depends on other reviews, not on this text."""
    render = markdown.render
    shadow = Review(
        pk=review.pk, title=data.title, slug=data.slug or review.slug, anime=data.anime,
        status=review.status, publish_at=review.publish_at, score=data.score,
        summary=data.summary, intro_md=data.intro_md, intro_html=render(data.intro_md),
        final_thoughts_md=data.final_thoughts_md,
        final_thoughts_html=render(data.final_thoughts_md),
    )  # fmt: skip
    sources = [data.intro_md, data.final_thoughts_md]
    sources += [a.why_md for a in data.audience] + [c.text_md for c in data.characters]
    sources += [t.text_md for t in data.themes] + [s.body_md for s in data.sections]
    shadow.reading_minutes = markdown.reading_minutes(data.summary, *sources)
    page = ReviewPage(
        review=shadow,
        authors=review.ordered_authors(),
        labels=[Label(name=name) for name in dict.fromkeys(data.labels)],
        about=anime_about(anime=data.anime) if data.anime else None,
        audience=_audience(data),
        characters=[
            ReviewCharacter(name=c.name, character=c.character, text_html=render(c.text_md))
            for c in data.characters
        ],
        themes=[Theme(name=t.name, text_html=render(t.text_md)) for t in data.themes],
        sections=[FreeSection(heading=s.heading, body_html=render(s.body_md))
                  for s in data.sections],
        also_love=[],
    )  # fmt: skip
    share_url = request.build_absolute_uri(shadow.get_absolute_url())
    context = {"page": page, "share_url": share_url}
    return render_to_string("reviews/_article.html", context, request)


def review_saved_input(review: Review) -> ReviewInput:
    """The saved review as ``ReviewInput``, to preview it before any edit."""
    return ReviewInput(
        title=review.title, slug=review.slug, authors=[], anime=review.anime,
        score=review.score, labels=[label.name for label in review.labels.order_by("name")],
        summary=review.summary, intro_md=review.intro_md,
        final_thoughts_md=review.final_thoughts_md,
        audience=[AudienceInput(p.name, p.why_md, [c.anime for c in
                                p.comparable_titles.select_related("anime")])
                  for p in review.audience.all()],
        characters=[CharacterInput(c.name, c.text_md, c.character)
                    for c in review.characters.select_related("character")],
        themes=[ThemeInput(t.name, t.text_md) for t in review.themes.all()],
        sections=[SectionInput(s.heading, s.body_md) for s in review.sections.all()],
    )  # fmt: skip
