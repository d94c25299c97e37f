"""Every URL that names an object, asked by every role, with GET and with POST.

The walk covers each pattern of the project's URLconf (the site, ``/api/`` and ``/admin/``) that
takes an id, a slug or a name, filled with real objects: a published, a draft and a scheduled
review, approved, pending, hidden and spam comments, a comment under the draft, a private
reading list, anime, and one row of every model the admin shows. Each role asks for each URL:

- no answer is a server error;
- a private thing (a draft or scheduled review, a comment that is not approved, a private list)
  never reaches a role that may not see it: its secret words are in no response to that role;
- GET and POST get the same decision, both allowed or both refused, except for the URLs in
  ``METHOD_SPLIT``, each with its reason.

A new URL pattern that takes a parameter fails the walk until ``_fillers`` knows how to fill it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from kansou.catalog.models import Correction
from kansou.community import roles
from kansou.community.models import Ban, CommentStatus, ModerationLog, Privacy
from kansou.community.services import user_grant_role
from kansou.core.jobs import Job
from kansou.discovery.pairs.models import AnimePair
from kansou.discovery.pairs.services import pairs_from_review
from kansou.reviews.desk.revisions import revision_record
from kansou.reviews.models import AudienceProfile, ComparableTitle, LegacyPath
from tests.catalog.factories import (
    AnimeCompanyFactory,
    AnimeFactory,
    AnimeTagFactory,
    CharacterFactory,
    StaffCreditFactory,
)
from tests.community.comment_factories import CommentFactory, ReaderFactory, moderator_user
from tests.community.factories import AnimeListFactory, ListEntryFactory, UserFactory
from tests.reviews.factories import LabelFactory, ReviewFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "reader", "author", "draft_author", "editor", "moderator"]

# Secret words of each private thing, and the roles that may read them.
DRAFT, SCHEDULED = "zqdraftsecret", "zqscheduledsecret"
PENDING, HIDDEN, SPAM = "zqpendingsecret", "zqhiddensecret", "zqspamsecret"
DRAFT_COMMENT, PRIVATE_LIST = "zqdraftcommentsecret", "zqprivatelistsecret"
PENDING_PAIR, HIDDEN_PAIR, SPAM_PAIR = "zqpendingpair", "zqhiddenpair", "zqspampair"
MAY_READ = {
    DRAFT: {"draft_author", "editor"},
    SCHEDULED: {"draft_author", "editor"},
    PENDING: {"moderator"},
    HIDDEN: {"moderator"},
    SPAM: {"moderator"},
    DRAFT_COMMENT: {"draft_author", "editor"},
    PRIVATE_LIST: set(),
    PENDING_PAIR: {"moderator"},
    HIDDEN_PAIR: {"moderator"},
    SPAM_PAIR: {"moderator"},
}

# URL names whose GET and POST may get different decisions: the method that may be refused
# while the other is answered (never the other way round), and why.
METHOD_SPLIT = {
    "community:comment-create": ("GET", "posts a comment: a form's target, no page of its own"),
    "community:comment-report": ("GET", "reports a comment: a button's target, no page"),
    "community:moderation-act": ("GET", "a moderator's decision: the queue page is the GET"),
    "community:entry-save": ("GET", "the inline list form's target; entry-edit is the page"),
    "community:entry-delete": ("GET", "the delete button's target; no confirmation page"),
    "catalog:anime-edit-reset": ("GET", "the reset button's target on the edit page"),
    "api:anime_get": ("POST", "read-only JSON; the catalog is changed in the browser"),
    "api:anime_similar": ("POST", "read-only JSON"),
    "api:reader_list_get": ("POST", "read-only JSON; lists change on their pages"),
    # One URL, two operations (ninja names each): reading a thread is public, posting needs an
    # account, so an anonymous visitor reads it and gets 401 on POST.
    "api:review_comments_get": ("POST", "POST here is api:review_comments_post"),
    "api:review_comments_post": ("POST", "posting needs an account, reading does not"),
    "api:anime_pairs_get": ("POST", "POST here is api:anime_pairs_post"),
    "api:anime_pairs_post": ("POST", "recommending needs an account, reading does not"),
}
# A POST that would fail validation before any permission check is sent with a valid body.
POST_JSON = {
    "api:review_comments_get": {"body": "A comment from the walk."},
    "api:review_comments_post": {"body": "A comment from the walk."},
}

LOGIN_PATHS = ("/accounts/login/", "/admin/login/")


@dataclass
class World:
    users: dict = field(default_factory=dict)
    reviews: list = field(default_factory=list)
    comments: list = field(default_factory=list)
    pairs: list = field(default_factory=list)
    revisions: list = field(default_factory=list)  # the writing desk's, one per review
    anime: list = field(default_factory=list)
    label: object = None
    commenter: object = None
    list_owner: object = None
    admin_rows: dict = field(default_factory=dict)  # (app label, model name) -> objects


def _staff(role: str, username: str):
    user = UserFactory(username=username, is_staff=True)
    user_grant_role(user=user, role=role)
    return user


def _reviews_and_comments(w: World, anime) -> None:
    by, w.label = [w.users["draft_author"]], LabelFactory(name="Walk label")
    published = ReviewFactory(anime=anime, title="Open review", labels=[w.label])
    draft = ReviewFactory.draft(
        anime=anime, authors=by, title=f"Draft {DRAFT}", slug="work-in-progress",
        summary=f"About {DRAFT}.", intro_md=DRAFT, intro_html=f"<p>{DRAFT}</p>", labels=[w.label],
    )  # fmt: skip
    scheduled = ReviewFactory.scheduled(
        anime=anime, authors=by, title=f"Soon {SCHEDULED}", slug="coming-soon",
        summary=SCHEDULED, intro_md=SCHEDULED, intro_html=f"<p>{SCHEDULED}</p>", labels=[w.label],
    )  # fmt: skip
    w.reviews = [published, draft, scheduled]
    w.comments = [CommentFactory(review=published, author=w.commenter, body_md="Fine.")]
    for review, status, secret in [
        (published, CommentStatus.PENDING, PENDING),
        (published, CommentStatus.HIDDEN, HIDDEN),
        (published, CommentStatus.SPAM, SPAM),
        (draft, CommentStatus.APPROVED, DRAFT_COMMENT),
    ]:
        w.comments.append(
            CommentFactory(
                review=review,
                author=w.commenter,
                status=status,
                body_md=secret,
                body_html=f"<p>{secret}</p>",
            )
        )


def _pairs(w: World) -> None:
    """Recommendation pairs of the two anime in every status, by readers who are no role, and
    a review's pair from the draft's comparable titles (never shown: the draft is not public)."""
    statuses = [("approved", "A fine pair, this one."), ("pending", PENDING_PAIR),
                ("hidden", HIDDEN_PAIR), ("spam", SPAM_PAIR)]  # fmt: skip
    first, second = sorted(anime.pk for anime in w.anime)
    for i, (status, pitch) in enumerate(statuses):
        user = w.commenter if i == 0 else ReaderFactory(username=f"walk-pair-{i}")
        w.pairs.append(AnimePair.objects.create(
            anime_a_id=first, anime_b_id=second, user=user, pitch=pitch, status=status
        ))  # fmt: skip
    draft = w.reviews[1]
    profile = AudienceProfile.objects.create(review=draft, name=f"Fans {DRAFT}", why_md=DRAFT)
    ComparableTitle.objects.create(profile=profile, anime=w.anime[1], position=0)
    pairs_from_review(review=draft)
    w.pairs += list(AnimePair.objects.filter(review=draft))


def _admin_rows(w: World, anime, listed) -> dict:
    """The rows the admin's object pages are asked about; other models use their first row."""
    private = AnimeListFactory(user=w.list_owner, privacy=Privacy.PRIVATE)
    entry = ListEntryFactory(anime_list=private, anime=listed, notes=PRIVATE_LIST,
                             tags=PRIVATE_LIST)  # fmt: skip
    AnimeTagFactory(anime=anime)
    AnimeCompanyFactory(anime=anime)
    StaffCreditFactory(anime=anime)
    CharacterFactory(anime=anime)
    log = ModerationLog.objects.create(action="hide", comment=w.comments[2], subject=w.commenter)
    correction = Correction.objects.create(anime=anime, field="episodes", action="set", new=2)
    return {
        ("reviews", "review"): w.reviews,
        ("community", "comment"): w.comments,
        ("community", "animelist"): [private],
        ("community", "listentry"): [entry],
        ("auth", "user"): [w.list_owner, w.users["draft_author"]],
        ("auth", "group"): [Group.objects.get(name=roles.AUTHOR)],
        ("reviews", "legacypath"): [LegacyPath.objects.create(old_path="/o/", review=w.reviews[1])],
        ("community", "ban"): [Ban.objects.create(user=w.commenter, reason="walk")],
        ("community", "moderationlog"): [log],
        ("catalog", "correction"): [correction],
        ("core", "job"): [Job.objects.create(kind="reindex", label="Walk job", status="failed")],
    }


@pytest.fixture
def world() -> World:
    w = World()
    w.users = {
        "reader": ReaderFactory(username="walk-reader"),
        "author": _staff(roles.AUTHOR, "walk-author"),
        "draft_author": _staff(roles.AUTHOR, "walk-draft-author"),
        "editor": _staff(roles.EDITOR, "walk-editor"),
        "moderator": moderator_user(username="walk-moderator"),
    }
    user_grant_role(user=w.users["reader"], role=roles.READER)
    w.commenter = ReaderFactory(username="walk-commenter")
    w.list_owner = UserFactory(username="walk-private")
    w.anime = [AnimeFactory(title="Walk Anime"), AnimeFactory(title="Listed Anime")]
    _reviews_and_comments(w, w.anime[0])
    _pairs(w)
    w.revisions = [revision_record(review=r, by=None, kind="save") for r in w.reviews]
    w.admin_rows = _admin_rows(w, *w.anime)
    return w


def _patterns(resolver=None, prefix: str = "", namespace: str = ""):
    """(name, route) of every URL pattern, ``route`` the concatenated pattern strings."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, prefix + str(entry.pattern), inner)
        else:
            yield f"{namespace}{entry.name or ''}", prefix + str(entry.pattern)


PATH_PARAM = re.compile(r"<(?:\w+:)?(\w+)>")
REGEX_PARAM = re.compile(r"\(\?P<(\w+)>([^)]*)\)")


from kansou.urls import SITEMAPS  # noqa: E402 (with the walk that fills its sections)


def _params(route: str) -> set[str]:
    return set(PATH_PARAM.findall(route)) | {name for name, _ in REGEX_PARAM.findall(route)}


def _fill(route: str, values: dict) -> str:
    route = PATH_PARAM.sub(lambda m: str(values[m[1]]), route)
    route = REGEX_PARAM.sub(lambda m: str(values[m[1]]), route)
    return "/" + route.replace("^", "").replace("$", "")


def _admin_fillers(w: World, params: set[str], route: str) -> list[dict]:
    if params == {"object_id"}:
        app_label, model_name = route.split("/")[1:3]
        rows = w.admin_rows.get((app_label, model_name))
        if rows is None:
            first = apps.get_model(app_label, model_name).objects.order_by("pk").first()
            assert first is not None, f"the walk makes no {app_label}.{model_name}: add one"
            rows = [first]
        return [{"object_id": row.pk} for row in rows]
    if params == {"id"}:  # a user's password page
        return [{"id": w.list_owner.pk}]
    if params == {"content_type_id", "object_id"}:  # "view on site"
        return [
            {"content_type_id": ContentType.objects.get_for_model(row).pk, "object_id": row.pk}
            for row in w.reviews + w.comments
        ]
    if params == {"app_label"}:
        labels = dict(REGEX_PARAM.findall(route))["app_label"].split("|")
        return [{"app_label": label} for label in labels]
    if params == {"url"}:  # the catch-all
        return [{"url": "no-such-page/"}]
    return []


def _fillers(w: World, name: str, params: set[str], route: str) -> list[dict]:
    """The values to try for one pattern's parameters; empty when the walk does not know."""
    slugs = [{"slug": review.slug} for review in w.reviews]
    comments = [{"pk": comment.pk} for comment in w.comments]
    usernames = [w.list_owner.get_username(), w.users["draft_author"].get_username()]
    scheduled_at = w.reviews[2].publish_at
    by_name = {
        "reviews:review-detail": slugs,
        "reviews:image-upload": slugs,
        "media": [{"name": "posters/1/none.webp"}, {"name": "reviews/none.png"}],
        "community:comment-create": slugs,
        "api:review_comments_get": slugs,
        "api:review_comments_post": slugs,
        "reviews:label": [{"slug": w.label.slug}],
        "reviews:label-feed": [{"slug": w.label.slug}],
        "reviews:label-atom": [{"slug": w.label.slug}],
        "reviews:author": [{"username": u} for u in usernames],
        "community:profile": [{"username": u} for u in usernames],
        "community:list": [{"username": u} for u in usernames],
        "api:reader_list_get": [{"username": u} for u in usernames],
        "reviews:archive-month": [
            {"year": review.created_at.year, "month": review.created_at.month}
            for review in w.reviews[:2]
        ]
        + [{"year": scheduled_at.year, "month": scheduled_at.month}],
        "password_reset_confirm": [
            {"uidb64": urlsafe_base64_encode(force_bytes(w.list_owner.pk)), "token": "a-b"}
        ],
        "sign-up-confirm": [{"token": "not-a-real-token"}],
        # Every sitemap section: a draft, a scheduled review or a private list never in one.
        "sitemap-section": [{"section": section} for section in SITEMAPS] + [{"section": "nope"}],
        "community:list-export": [{"fmt": "xml"}, {"fmt": "csv"}],
        "community:comment-edit": comments,
        "community:comment-delete": comments,
        "community:comment-report": comments,
        "community:moderation-act": comments,
        "pairs:agree": [{"pk": pair.pk} for pair in w.pairs],
        "pairs:delete": [{"pk": pair.pk} for pair in w.pairs],
        "pairs:moderation-act": [{"pk": pair.pk} for pair in w.pairs],
    }
    if name in by_name:
        return by_name[name]
    if route.startswith("admin/"):
        return _admin_fillers(w, params, route)
    if params == {"pk"} and name.startswith("catalog:anime-"):
        return [{"pk": anime.pk} for anime in w.anime]
    if params == {"anime_id"}:
        return [{"anime_id": anime.pk} for anime in w.anime]
    if params == {"review_id"}:  # the writing desk
        return [{"review_id": review.pk} for review in w.reviews]
    if params == {"review_id", "revision_id"}:
        return [{"review_id": r.review_id, "revision_id": r.pk} for r in w.revisions]
    if params == {"pair_id"}:
        return [{"pair_id": pair.pk} for pair in w.pairs]
    return []


def _urls(w: World) -> list[tuple[str, str]]:
    urls, unknown = [], []
    for name, route in _patterns():
        params = _params(route)
        if not params:
            continue
        values = _fillers(w, name, params, route)
        if not values:
            unknown.append(f"{name or '(unnamed)'} {route}")
        urls += [(name, _fill(route, value)) for value in values]
    assert not unknown, "patterns the walk cannot fill:\n" + "\n".join(unknown)
    return list(dict.fromkeys(urls))


def _refused(response) -> bool:
    """401/403/404/405, a redirect to a log-in page, or the admin's redirect to its index (its
    answer for an object outside the user's queryset)."""
    if response.status_code in (401, 403, 404, 405):
        return True
    if response.status_code in (301, 302, 303):
        location = response["Location"]
        return location.startswith(LOGIN_PATHS) or location == reverse("admin:index")
    return False


def _text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode("utf-8", "replace") + response.get("Location", "")


def _ask(client: Client, method: str, name: str, url: str, role: str, problems: list[str]):
    try:
        if method == "POST" and name in POST_JSON:
            response = client.post(url, POST_JSON[name], content_type="application/json")
        else:
            response = getattr(client, method.lower())(url)
    except Exception as error:  # noqa: BLE001 (every failure is reported together)
        problems.append(f"{method} {url} as {role}: raised {error!r}")
        return None
    if response.status_code >= 500:
        problems.append(f"{method} {url} as {role}: {response.status_code}")
    text = _text(response)
    for secret, readers in MAY_READ.items():
        if role not in readers and secret in text:
            problems.append(f"{method} {url} as {role}: shows {secret}")
    return response


@pytest.mark.parametrize("role", ROLES)
def test_every_object_url_answers_each_role_safely_and_alike_on_get_and_post(world, role):
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    problems: list[str] = []
    for name, url in _urls(world):
        got = _ask(client, "GET", name, url, role, problems)
        posted = _ask(client, "POST", name, url, role, problems)
        if got is None or posted is None:
            continue
        refused = {"GET": _refused(got), "POST": _refused(posted)}
        may_refuse = METHOD_SPLIT.get(name, (None, ""))[0]  # while the other method answers
        if refused["GET"] != refused["POST"] and not refused.get(may_refuse):
            problems.append(
                f"{url} ({name}) as {role}: GET {got.status_code}, POST {posted.status_code}"
            )
    assert not problems, "\n".join(problems)


def test_the_walk_reaches_the_admin_the_api_and_every_private_object(world):
    urls = [url for _, url in _urls(world)]
    assert any(url.startswith("/admin/reviews/review/") for url in urls)
    assert any(url.startswith("/api/reviews/") for url in urls)
    for review in world.reviews:
        assert review.get_absolute_url() in urls
    for comment in world.comments:
        assert reverse("community:comment-edit", args=[comment.pk]) in urls
    assert reverse("community:list", args=[world.list_owner.get_username()]) in urls
