"""Blog exports → reviews, legacy paths and comments; idempotent; unsure anime left unlinked."""

from __future__ import annotations

import pytest

from kansou.reviews.blog_import import blog_import
from kansou.reviews.importers import blogger, wordpress
from kansou.reviews.models import LegacyPath, Review, ReviewStatus
from tests.reviews.factories import UserFactory
from tests.reviews.importers.conftest import FILES

pytestmark = pytest.mark.django_db


def comment_writer():
    # The comments app is built alongside this importer; without it these tests skip.
    return pytest.importorskip("kansou.community.comments.services").comment_import


def run(name, author, writer=None):
    reader = wordpress.read if name.startswith("wordpress") else blogger.read
    export = reader((FILES / name).read_bytes(), source=name)
    return blog_import(export=export, author=author, comment_writer=writer)


@pytest.fixture
def author(db):
    return UserFactory(username="ayaka")


def test_classic_backup_becomes_reviews_with_sections_labels_and_redirects(catalog, author):
    report = run("blogger-classic.xml", author)
    assert [o.action for o in report.outcomes] == ["created", "created", "created", "skipped"]
    review = Review.objects.get(title="Why Koe no Katachi broke me: a review")
    assert review.anime == catalog["koe"]
    assert review.status == ReviewStatus.PUBLISHED
    assert review.publish_at.isoformat() == "2025-10-03T16:15:00+00:00"
    assert review.ordered_authors() == [author]
    assert review.import_id == "tag:blogger.com,1999:blog-777.post-1001"
    assert sorted(label.name for label in review.labels.all()) == ["Koe no Katachi", "Tearjerker"]
    assert [a.name for a in review.audience.all()] == ["Drama fans", "Anyone who was a bully"]
    shouko = review.characters.get(name="Shouko Nishimiya")
    assert shouko.character.anime == catalog["koe"]
    assert [t.name for t in review.themes.all()] == ["Forgiveness", "Disability"]
    assert [s.heading for s in review.sections.all()] == ["The music"]
    assert "script" not in review.intro_html and "javascript" not in review.sections.get().body_html
    assert review.final_thoughts_html == "<p>Watch it with tissues.</p>"
    legacy = LegacyPath.objects.get(old_path="/2025/10/why-koe-no-katachi-broke-me.html")
    assert legacy.review == review


def test_drafts_stay_drafts_and_pages_and_deleted_posts_are_skipped(catalog, author):
    report = run("blogger-current.xml", author)
    skipped = {o.title: o.reason for o in report.having("skipped")}
    assert skipped == {"Binned": "deleted or trashed on the old blog",
                       "Contact": "a page, not a post"}  # fmt: skip
    draft = Review.objects.get(title="Your Name vs. Weathering With You")
    assert draft.status == ReviewStatus.DRAFT and draft.anime is None
    assert not Review.objects.filter(title__in=["Binned", "Contact"]).exists()
    assert not LegacyPath.objects.filter(old_path__in=["/p/contact.html", "/2025/11/binned.html"])


def test_unsure_anime_is_left_unlinked_and_listed_with_reasons(catalog, author):
    report = run("blogger-classic.xml", author)
    unmatched = {o.title: o.unmatched for o in report.unmatched}
    assert set(unmatched) == {"My top 10 of 2024"}
    assert "list post" in unmatched["My top 10 of 2024"][0]
    assert Review.objects.get(title="Thoughts on Erased (spoilers)").anime == catalog["erased"]


def test_non_ascii_title_gets_a_slug_its_anime_and_its_old_path(catalog, author):
    run("blogger-current.xml", author)
    review = Review.objects.get(title="「聲の形」の感想")
    assert review.slug == "blog-post_5"
    assert review.anime == catalog["koe"]
    assert review.summary == "二回目の感想。"
    assert review.legacy_paths.get().old_path == "/2025/11/blog-post_5.html"


def test_about_section_becomes_the_summary_and_verdict_the_final_thoughts(catalog, author):
    run("blogger-current.xml", author)
    review = Review.objects.get(slug="a-silent-voice")
    assert review.summary == "A deaf girl and the boy who bullied her meet again."
    assert review.final_thoughts_md == "<p>Essential.</p>"


def test_importing_the_same_file_again_changes_nothing(catalog, author):
    run("wordpress.xml", author, comment_writer())
    from kansou.community.models import Comment

    before = (
        list(Review.objects.values().order_by("pk")),
        list(LegacyPath.objects.values().order_by("pk")),
        list(Comment.objects.values("pk", "body_html", "parent_id").order_by("pk")),
    )
    report = run("wordpress.xml", author, comment_writer())
    after = (
        list(Review.objects.values().order_by("pk")),
        list(LegacyPath.objects.values().order_by("pk")),
        list(Comment.objects.values("pk", "body_html", "parent_id").order_by("pk")),
    )
    assert before == after
    assert {o.action for o in report.outcomes} == {"unchanged", "skipped"}


@pytest.mark.parametrize("name", ["blogger-classic.xml", "wordpress.xml"])
def test_reimport_never_changes_a_moderation_decision(catalog, author, name):
    run(name, author, comment_writer())
    from kansou.community.models import Comment

    decisions = ["hidden", "spam", "pending"]
    comments = list(Comment.objects.order_by("pk"))
    assert len(comments) >= 2
    for comment, decision in zip(comments, decisions, strict=False):
        Comment.objects.filter(pk=comment.pk).update(status=decision)
    before = list(Comment.objects.values_list("pk", "status").order_by("pk"))
    run(name, author, comment_writer())
    assert list(Comment.objects.values_list("pk", "status").order_by("pk")) == before


def test_edits_made_here_survive_a_reimport(catalog, author):
    run("wordpress.xml", author)
    review = Review.objects.get(slug="thoughts-on-erased")
    Review.objects.filter(pk=review.pk).update(title="Erased, revisited")
    run("wordpress.xml", author)
    assert Review.objects.get(pk=review.pk).title == "Erased, revisited"


def test_comments_arrive_with_author_date_thread_and_sanitised(catalog, author):
    report = run("blogger-classic.xml", author, comment_writer())
    from kansou.community.models import Comment

    review = Review.objects.get(title="Why Koe no Katachi broke me: a review")
    comments = {c.author_name: c for c in Comment.objects.filter(review=review)}
    assert set(comments) == {"Mika", "Ayaka", "Spammy"}
    assert comments["Mika"].author_url == "https://mika.example.org/"
    assert comments["Mika"].created_at.isoformat() == "2025-10-05T17:00:00+00:00"
    assert comments["Ayaka"].parent == comments["Mika"]
    assert "script" not in comments["Spammy"].body_html
    assert "document.cookie" not in comments["Spammy"].body_html
    assert (report.comments_found, report.comments_imported) == (3, 3)


def test_wxr_comments_skip_spam_and_pingbacks(catalog, author):
    report = run("wordpress.xml", author, comment_writer())
    from kansou.community.models import Comment

    assert sorted(Comment.objects.values_list("author_name", flat=True)) == ["Kenji", "ayaka"]
    assert "<script>" not in Comment.objects.get(author_name="Kenji").body_html
    assert report.comments_imported == 2


def test_without_a_comment_writer_comments_are_only_counted(catalog, author):
    report = run("blogger-current.xml", author)
    assert report.comments_writer_missing
    assert (report.comments_found, report.comments_imported) == (2, 0)


def test_slug_taken_by_another_review_gets_a_suffix(catalog, author):
    from tests.reviews.factories import ReviewFactory

    ReviewFactory(title="Thoughts on erased", slug="thoughts-on-erased")
    run("wordpress.xml", author)
    assert Review.objects.get(import_id="https://wp-kansou.example.org/?p=41").slug == (
        "thoughts-on-erased-2"
    )


def test_old_path_answers_with_a_permanent_redirect(catalog, author, client):
    run("wordpress.xml", author)
    response = client.get("/2025/09/14/thoughts-on-erased/")
    assert response.status_code == 301
    assert response["Location"] == Review.objects.get(slug="thoughts-on-erased").get_absolute_url()


LONG_PATH = "/2025/09/14/" + "thoughts-on-erased-" * 40 + "/"  # 773 characters
ESCAPED_PATH = "/2025/09/14/%E8%81%B2%E3%81%AE%E5%BD%A2/"


def export_with_path(path: str):
    xml = (FILES / "wordpress.xml").read_text(encoding="utf-8")
    xml = xml.replace("/2025/09/14/thoughts-on-erased/", path)
    return wordpress.read(xml.encode(), source="wordpress-path.xml")


def test_an_old_path_of_any_length_reimports_unchanged_with_its_comments(catalog, author, client):
    """Paths over 500 characters were cut on import, then failed the re-import (finding 19)."""
    first = blog_import(export=export_with_path(LONG_PATH), author=author,
                        comment_writer=comment_writer())  # fmt: skip
    paths = LegacyPath.objects.count()
    again = blog_import(export=export_with_path(LONG_PATH), author=author,
                        comment_writer=comment_writer())  # fmt: skip
    assert not first.having("failed") and not again.having("failed")
    assert {o.action for o in again.outcomes} == {"unchanged", "skipped"}
    assert again.comments_imported == first.comments_imported > 0
    review = Review.objects.get(title="Thoughts on Erased (spoilers)")
    assert review.legacy_paths.get().old_path == LONG_PATH
    assert LegacyPath.objects.count() == paths
    response = client.get(LONG_PATH)
    assert response.status_code == 301 and response["Location"] == review.get_absolute_url()


def test_a_percent_escaped_old_path_redirects(catalog, author, client):
    blog_import(export=export_with_path(ESCAPED_PATH), author=author)
    review = Review.objects.get(title="Thoughts on Erased (spoilers)")
    assert review.legacy_paths.get().old_path == "/2025/09/14/聲の形/"
    response = client.get(ESCAPED_PATH)
    assert response.status_code == 301 and response["Location"] == review.get_absolute_url()
