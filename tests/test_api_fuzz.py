"""Schemathesis against ``/api/openapi.json``: every operation, every check it has, anonymous and
signed in, on a small catalog with a trained model, a review with comments and readers' lists.

Each operation gets schema-valid requests (which must be accepted: 2xx, or 401/403/404/429) and
schema-invalid ones (which must be refused with a 4xx), and every answer must be documented: its
status, content type, headers and body schema. The run is bounded (``MAX_EXAMPLES`` per phase and
operation, a fixed seed, no shrinking) so it takes well under two minutes on two cores.
"""

from __future__ import annotations

from importlib import import_module

import hypothesis
import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client, override_settings
from schemathesis.config import SchemathesisConfig

from kansou.community.models import ListStatus, Privacy
from kansou.discovery.search.index import search_reindex
from kansou.discovery.training import models_train
from kansou.wsgi import application
from tests.catalog.factories import AnimeFactory
from tests.community.comment_factories import CommentFactory, ReaderFactory
from tests.community.factories import AnimeListFactory, ListEntryFactory
from tests.discovery.recs_data import make_catalog, write_ratings
from tests.reviews.factories import ReviewFactory

MAX_EXAMPLES = 60
SEED = 20250401
# What the signed-in run's path parameters are pinned to (the anonymous run draws them).
ANIME_ID = 987_654
SLUG = "fuzzed-review"
USERNAME = "fuzzed-reader"
# A schema can say a MAL export is a file, not that it is a readable one: for that operation a
# 400 naming the problem is an accepted answer to a schema-valid request too.
UPLOAD = "/api/recommendations/mal-export"
UPLOAD_STATUSES = ["2xx", "3xx", "400", "401", "403", "404", "409", "429"]
# Known gaps in kansou/discovery/recommendations/api.py (another engineer's module): its schema
# allows ``items: []`` (answered 400; needs ``minItems: 1``) and, in the MAL-export form,
# ``null`` for ``year_from``, ``year_to`` and ``max_episodes`` (a form cannot send null: answered
# 422). Its two POST operations run apart, expected to fail, until those are fixed: then drop
# the mark.
RECOMMENDATIONS = r"^/api/recommendations"
# Everything else, to exclude: ``include`` would not narrow, because the ``operations`` section of
# the config adds an include of its own and includes add up.
OTHERS = r"^/api/(?!recommendations)"


def _schema(parameters: dict | None = None):
    config = SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            "generation": {
                "mode": "all",
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "no-shrink": True,
            },
            "phases": {"stateful": {"enabled": False}},
            "parameters": parameters or {},
            "operations": [
                {
                    "include-path": UPLOAD,
                    "checks": {"positive_data_acceptance": {"expected-statuses": UPLOAD_STATUSES}},
                }
            ],
        }
    )
    return schemathesis.openapi.from_wsgi("/api/openapi.json", application, config=config)


anonymous = _schema()
signed_in = _schema({"path.slug": SLUG, "path.anime_id": ANIME_ID, "path.username": USERNAME})
# The signed-in reader's session (made by ``site``) and CSRF secret: fixed, because schemathesis
# applies auth while it builds some examples, before any fixture runs.
SESSION_KEY = "fuzzedreadersession0123456789abc"
CSRF_SECRET = "FuzzedCsrfSecret0123456789abcdef"


@signed_in.auth(refresh_interval=None)
class ReaderSession:
    """The reader's session cookie (the ``SessionAuth`` the schema declares) and a CSRF token,
    the same secret in the ``csrftoken`` cookie and the ``X-CSRFToken`` header."""

    def get(self, case, ctx):
        return SESSION_KEY

    def set(self, case, data, ctx):
        cookies = {django_settings.SESSION_COOKIE_NAME: data, "csrftoken": CSRF_SECRET}
        case.cookies = {**(case.cookies or {}), **cookies}
        case.headers = {**(case.headers or {}), "X-CSRFToken": CSRF_SECRET}


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, tmp_path_factory):
    """A small site, made once for the module (every test rolls back to it): twelve anime (MAL
    ids, tags) and a model trained on them, a published review with a comment and a reply, a
    reader with a public list and one with a private one, and the search index."""
    models = tmp_path_factory.mktemp("fuzz-models")
    with django_db_blocker.unblock(), transaction.atomic():
        catalog = make_catalog()
        AnimeFactory(pk=ANIME_ID, title="Pinned")
        with override_settings(KANSOU_MODELS_DIR=str(models)):
            models_train(ratings_csv=write_ratings(models / "ratings.csv"))
        review = ReviewFactory(anime=catalog[1], slug=SLUG)
        top = CommentFactory(review=review)
        CommentFactory(review=review, parent=top)
        reader = ReaderFactory(username=USERNAME)
        CommentFactory(review=review, author=reader)  # an approved comment: trusted
        anime_list = AnimeListFactory(user=reader)
        for mal_id, status in zip((1, 6, 9), ListStatus.values, strict=False):
            ListEntryFactory(anime_list=anime_list, anime=catalog[mal_id], status=status)
        private = AnimeListFactory(privacy=Privacy.PRIVATE)
        ListEntryFactory(anime_list=private, anime=catalog[2], notes="mine")
        search_reindex()
        client = Client()
        client.force_login(reader)
        engine = import_module(django_settings.SESSION_ENGINE)
        session = engine.SessionStore(session_key=SESSION_KEY)  # the same session, a known key
        session.save(must_create=True)  # first: loading a key not stored yet would drop it
        session.update(client.session.load())
        session.save()
        yield {"models": models}
        transaction.set_rollback(True)


@pytest.fixture
def fuzzed_site(site, db, settings):
    """The site for one operation's run, with limits that let every example through. Requests
    go to the real WSGI application, which closes the database connection after each one: inside
    the test's transaction that would lose it (PostgreSQL), so, as Django's test client does, the
    connection is kept for the run."""
    settings.KANSOU_MODELS_DIR = str(site["models"])
    settings.KANSOU_COMMENT_RATE = settings.KANSOU_COMMENT_IP_RATE = "10000/m"
    settings.KANSOU_UPLOAD_RATE = "10000/m"
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield site
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Fixtures run once per operation, not per example: examples only add comments, rolled back
# after the operation.
ONE_SITE_PER_OPERATION = hypothesis.settings(
    suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture]
)


def call_and_validate(case) -> None:
    """Call the WSGI app and check every answer. ``identity``: the WSGI transport hands the body
    over as sent, and anonymous pages are gzipped for clients that accept it."""
    case.call_and_validate(headers={"Accept-Encoding": "identity"})


@anonymous.exclude(path_regex=RECOMMENDATIONS).parametrize()
@ONE_SITE_PER_OPERATION
def test_api_conforms_to_its_schema_for_anonymous_readers(case, fuzzed_site):
    call_and_validate(case)


@signed_in.exclude(path_regex=RECOMMENDATIONS).parametrize()
@ONE_SITE_PER_OPERATION
def test_api_conforms_to_its_schema_for_a_signed_in_reader(case, fuzzed_site):
    call_and_validate(case)


@_schema().exclude(path_regex=OTHERS).parametrize()
@ONE_SITE_PER_OPERATION
def test_recommendations_conform_to_their_schema(case, fuzzed_site):
    call_and_validate(case)


def test_every_operation_documents_its_errors_with_the_shared_schema(client):
    """Finding 22: the statuses every operation shares are in its ``responses``, and every error
    answer, whoever wrote it, has the one error shape."""
    schema = client.get("/api/openapi.json").json()
    shapes = {"#/components/schemas/ErrorOut", "#/components/schemas/ValidationErrorOut"}

    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            needed = {"422"} if operation.get("parameters") else set()
            needed |= {"400", "413", "422"} if "requestBody" in operation else set()
            assert needed <= set(responses), f"{method.upper()} {path}"
            for status, documented in responses.items():
                if int(status) >= 400:
                    shape = documented["content"]["application/json"]["schema"]
                    assert shape["$ref"] in shapes, f"{method.upper()} {path} {status}"
