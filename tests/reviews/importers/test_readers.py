"""The readers: both Blogger shapes and WXR to plain data; unsafe XML refused."""

from __future__ import annotations

import pytest

from kansou.reviews.importers import Kind, ReadError, Status, blogger, wordpress
from tests.reviews.importers.conftest import FILES


def read(name):
    reader = wordpress.read if name.startswith("wordpress") else blogger.read
    return reader((FILES / name).read_bytes(), source=name)


def by_title(export):
    return {post.title: post for post in export.posts}


def test_classic_backup_reads_posts_drafts_pages_and_ignores_settings():
    export = read("blogger-classic.xml")
    posts = by_title(export)
    assert export.format == "blogger-classic"
    assert set(posts) == {"Why Koe no Katachi broke me: a review", "Thoughts on Erased (spoilers)",
                          "My top 10 of 2024", "About me"}  # fmt: skip
    review = posts["Why Koe no Katachi broke me: a review"]
    assert (review.kind, review.status) == (Kind.POST, Status.LIVE)
    assert review.labels == ["Koe no Katachi", "Tearjerker"]
    assert review.path == "/2025/10/why-koe-no-katachi-broke-me.html"
    assert review.published.isoformat() == "2025-10-03T09:15:00-07:00"
    assert posts["Thoughts on Erased (spoilers)"].status == Status.DRAFT
    assert posts["About me"].kind == Kind.PAGE


def test_classic_comments_hang_on_their_post_with_replies_resolved():
    post = by_title(read("blogger-classic.xml"))["Why Koe no Katachi broke me: a review"]
    first, reply, scripted = post.comments
    assert (first.author_name, first.author_url) == ("Mika", "https://mika.example.org/")
    assert reply.parent_source_id == first.source_id
    assert "<script>" in scripted.body_html  # the reader keeps it; the writer sanitises


def test_current_backup_reads_status_filename_and_threads():
    export = read("blogger-current.xml")
    posts = by_title(export)
    assert export.format == "blogger"
    silent = posts["A Silent Voice — a film about forgiveness"]
    assert silent.path == "/2025/11/a-silent-voice.html"
    assert silent.labels == ["Movies"]
    assert [c.author_name for c in silent.comments] == ["Ren", "Ayaka"]  # the spam one is left
    assert silent.comments[1].parent_source_id == silent.comments[0].source_id
    assert posts["「聲の形」の感想"].path == "/2025/11/blog-post_5.html"
    assert posts["「聲の形」の感想"].labels == ["日本語"]
    assert posts["Binned"].status == Status.DELETED
    assert posts["Your Name vs. Weathering With You"].status == Status.DRAFT
    assert posts["Contact"].kind == Kind.PAGE


def test_wxr_reads_posts_pages_and_statuses_and_ignores_attachments():
    posts = by_title(read("wordpress.xml"))
    assert "poster.jpg" not in posts
    erased = posts["Thoughts on Erased (spoilers)"]
    assert (erased.status, erased.path) == (Status.LIVE, "/2025/09/14/thoughts-on-erased/")
    assert erased.labels == ["Reviews", "Erased"]
    assert erased.summary.startswith("A time-travel thriller")
    assert erased.source_id == "https://wp-kansou.example.org/?p=41"
    assert posts["Another autumn, another rewatch"].status == Status.DRAFT
    assert posts["Another autumn, another rewatch"].path == "/2025/10/01/another-autumn/"
    assert posts["Trashed thoughts"].status == Status.DELETED
    assert posts["Über mich"].kind == Kind.PAGE


def test_wxr_keeps_approved_comments_and_replies_not_spam_or_pingbacks():
    erased = by_title(read("wordpress.xml"))["Thoughts on Erased (spoilers)"]
    kenji, reply = erased.comments
    assert (kenji.author_name, kenji.author_url) == ("Kenji", "https://kenji.example.org")
    assert kenji.created_at.isoformat() == "2025-09-15T06:00:00+00:00"
    assert reply.parent_source_id == kenji.source_id


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE feed [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">]>
<feed xmlns="http://www.w3.org/2005/Atom"><title>&lol2;</title></feed>"""


@pytest.mark.parametrize("reader", [blogger.read, wordpress.read])
def test_entity_expansion_is_refused(reader):
    with pytest.raises(ReadError, match="unsafe XML"):
        reader(BILLION_LAUGHS, source="evil.xml")


@pytest.mark.parametrize(
    ("reader", "data", "message"),
    [
        (blogger.read, b"<rss><channel/></rss>", "not a Blogger backup"),
        (wordpress.read, b"<feed xmlns='http://www.w3.org/2005/Atom'/>", "not a WordPress"),
        (blogger.read, b"<feed", "not well-formed"),
    ],
)
def test_other_files_are_refused_naming_the_file(reader, data, message):
    with pytest.raises(ReadError, match=message) as info:
        reader(data, source="x.xml")
    assert str(info.value).startswith("x.xml: ")
