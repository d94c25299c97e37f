"""One list of attack inputs, run against every place a stranger's text or file gets in.

Each payload must come out harmless (no script, event handler or ``javascript:`` URL reaches a
page) or be refused with a clear message; none may cause a server error.
"""

from __future__ import annotations

import functools
import gzip
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from kansou.catalog.importers.mal_xml import MalXmlError, parse_mal_xml
from kansou.catalog.services.corrections import anime_correct
from kansou.community.comments import markdown as comments_markdown
from kansou.reviews import markdown
from kansou.reviews.importers.html_sections import sanitize as sanitize_imported_html
from tests.catalog.factories import AnimeFactory
from tests.reviews.factories import ReviewFactory

XSS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    '<iframe src="https://evil.example/"></iframe>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '"><script>alert(1)</script>',
    "<scr<script>ipt>alert(1)</script>",
    '<body onload="alert(1)">',
    '<object data="javascript:alert(1)"></object>',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
]
DANGEROUS_TAGS = {
    "script",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "form",
    "meta",
    "body",
    "style",
    "base",
    "link",
}
URL_ATTRIBUTES = {"href", "src", "action", "data", "formaction", "xlink:href", "background"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in DANGEROUS_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag} {name}=")
            url = re.sub(r"[\s\x00-\x1f]", "", value or "").lower()
            # An image in <img> never runs script, SVG included: generated covers are one.
            image = tag == "img" and name == "src" and url.startswith("data:image/")
            if name in URL_ATTRIBUTES and url.startswith(DANGEROUS_SCHEMES) and not image:
                self.problems.append(f"{tag} {name}={url[:20]}")
            if name == "style" and "javascript:" in url:
                self.problems.append(f"{tag} style")


def harmless(html: str) -> bool:
    """No element a browser would run: parsed as a browser would, not matched as text."""
    parser = _Elements()
    parser.feed(html)
    return not parser.problems


@pytest.mark.parametrize("payload", XSS)
def test_review_markdown_never_emits_script(payload):
    assert harmless(markdown.render(payload))


@pytest.mark.parametrize("payload", XSS)
def test_comment_markdown_never_emits_script(payload):
    assert harmless(comments_markdown.render(payload))


@pytest.mark.parametrize("payload", XSS)
def test_imported_blog_html_never_keeps_script(payload):
    assert harmless(sanitize_imported_html(f"<p>Before</p>{payload}<p>After</p>"))


@pytest.mark.django_db
@pytest.mark.parametrize("payload", XSS[:6])
def test_a_corrected_title_with_markup_is_shown_as_text(client, payload):
    anime = AnimeFactory()
    anime_correct(anime=anime, values={"title": f"Title {payload}"})
    page = client.get(anime.get_absolute_url()).content.decode()
    assert harmless(page.split("<main", 1)[1])


@pytest.mark.django_db
@pytest.mark.parametrize("payload", XSS[:6])
def test_a_display_name_with_markup_is_shown_as_text(client, payload):
    user = get_user_model().objects.create(username="mallory", first_name=payload[:150])
    review = ReviewFactory(authors=[user])
    page = client.get(review.get_absolute_url()).content.decode()
    assert harmless(page.split("<main", 1)[1])


@pytest.mark.django_db
def test_an_oversized_api_body_is_refused_not_a_server_error(client):
    review = ReviewFactory()
    user = get_user_model().objects.create(username="bigmouth")
    client.force_login(user)
    body = '{"body": "' + "x" * (3 * 1024 * 1024) + '"}'
    response = client.post(
        f"/api/reviews/{review.slug}/comments", body, content_type="application/json"
    )
    assert 400 <= response.status_code < 500


@pytest.mark.django_db
def test_a_comment_over_the_length_limit_gets_a_clear_message(client):
    review = ReviewFactory()
    user = get_user_model().objects.create(username="longwinded")
    client.force_login(user)
    response = client.post(
        f"/api/reviews/{review.slug}/comments",
        {"body": "word " * 2000},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "5000" in response.json()["detail"] or "long" in response.json()["detail"]


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<myanimelist><anime><series_title>&lol3;</series_title></anime></myanimelist>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<myanimelist><anime><series_title>&secret;</series_title></anime></myanimelist>"""


@pytest.mark.parametrize(
    "data",
    [BILLION_LAUGHS, EXTERNAL_ENTITY, b"<myanimelist><anime>", b"\x00\x01binary", b""],
    ids=["entity-expansion", "external-entity", "truncated", "binary", "empty"],
)
def test_hostile_mal_xml_is_refused_with_a_clear_error(data):
    with pytest.raises(MalXmlError) as refused:
        parse_mal_xml(data)
    assert str(refused.value)


# ---------------------------------------------------------------------------------------------
# Abuse and denial of service: each attack costs bounded work and moves nothing shared.


HUGE_NUMBERS = ["99999999999999999999", "9" * 5000]


@functools.cache
def mal_bomb(entries: int) -> bytes:
    """A gzipped export of ``entries`` copies of one valid entry: 58,000 make ~50 MB of XML."""
    from tests.community.mal_files import anime as mal_anime
    from tests.community.mal_files import mal_xml

    head, tail = mal_xml().rsplit(b"</myanimelist>", 1)
    return gzip.compress(head + mal_anime(1).encode() * entries + b"</myanimelist>" + tail, 6)


@pytest.mark.django_db
class TestAbuseAndDenialOfService:
    @pytest.fixture
    def work(self, monkeypatch):
        """Counts what reading an upload does: entries parsed, XML bytes decompressed."""
        from kansou.catalog.importers import mal_xml

        counts = {"entries": 0, "unzipped": 0}
        read_entry, read_bytes = mal_xml._entry, mal_xml._Capped.read

        def entry(position, element):
            counts["entries"] += 1
            return read_entry(position, element)

        def read(capped, size=-1):
            data = read_bytes(capped, size)
            counts["unzipped"] += len(data) if isinstance(capped.stream, gzip.GzipFile) else 0
            return data

        monkeypatch.setattr(mal_xml, "_entry", entry)
        monkeypatch.setattr(mal_xml._Capped, "read", read)
        return counts

    # Upload work bounds ------------------------------------------------------------------

    @pytest.mark.parametrize(
        ("url", "field"),
        [("/api/recommendations/mal-export", "file"), ("/discover/", "mal_export")],
    )
    def test_a_mal_export_bomb_is_refused_with_413_after_bounded_work(
        self, client, work, url, field
    ):
        from kansou.catalog.importers.mal_xml import MAX_ENTRIES, MAX_UNCOMPRESSED

        bomb = mal_bomb(58_000)
        assert len(bomb) < 700_000
        upload = SimpleUploadedFile("animelist.xml.gz", bomb)
        response = client.post(url, {field: upload, "upload": "1"})
        assert response.status_code == 413
        assert "more than 20,000 entries" in response.content.decode()
        assert work["entries"] <= MAX_ENTRIES
        assert work["unzipped"] <= MAX_UNCOMPRESSED + 1

    def test_anonymous_uploads_from_one_address_are_limited(self, client, settings, work):
        settings.KANSOU_UPLOAD_RATE = "2/h"
        url = "/api/recommendations/mal-export"
        for _ in range(2):
            client.post(url, {"file": SimpleUploadedFile("a.xml", b"<x/>")})
        response = client.post(url, {"file": SimpleUploadedFile("a.xml.gz", mal_bomb(1000))})
        assert response.status_code == 429 and int(response["Retry-After"]) > 0
        assert work["entries"] == 0 and work["unzipped"] == 0

    # Log-in lockout ---------------------------------------------------------------------

    def test_wrong_passwords_from_a_stranger_do_not_lock_the_reader_out(self, client, settings):
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        settings.KANSOU_TRUSTED_PROXIES = "10.9.0.1"
        user = get_user_model().objects.create_user("alice", password="a long passphrase 1")
        via_proxy = {"REMOTE_ADDR": "10.9.0.1"}
        for _ in range(6):
            client.post(
                "/accounts/login/",
                {"username": "alice", "password": "guess"},
                HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.66",  # the left one is made up
                **via_proxy,
            )
        response = client.post(
            "/accounts/login/",
            {"username": "alice", "password": "a long passphrase 1"},
            HTTP_X_FORWARDED_FOR="198.51.100.1",
            **via_proxy,
        )
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(user.pk)

    # Password reset and sign-up ----------------------------------------------------------

    def test_a_reset_flood_sends_a_few_mails_and_links_never_follow_the_host_header(
        self, client, settings
    ):
        from django.core import mail

        settings.KANSOU_SITE_URL = "https://kansou.example"
        get_user_model().objects.create_user("mai", "mai@example.org", "x")
        for i in range(14):
            client.post(
                "/accounts/password_reset/",
                {"email": "mai@example.org"},
                REMOTE_ADDR=f"10.8.0.{i}",
                HTTP_HOST="127.0.0.1:6666",
            )
        assert 0 < len(mail.outbox) <= 3
        assert all("https://kansou.example/" in m.body for m in mail.outbox)
        assert not any("6666" in m.body for m in mail.outbox)

    def test_sign_up_tells_nothing_about_an_address_and_refuses_look_alike_names(self, client):
        get_user_model().objects.create_user("alice", "alice@example.org", "x")
        taken = client.post("/accounts/sign-up/", {"username": "bob", "email": "alice@example.org"})
        free = client.post("/accounts/sign-up/", {"username": "bob", "email": "bob@example.org"})
        assert taken.content.replace(b"alice@", b"bob@") == free.content
        cyrillic = client.post(
            "/accounts/sign-up/", {"username": "\u0430lice", "email": "c@example.org"}
        )
        assert "looks too much like one" in cyrillic.content.decode()
        assert get_user_model().objects.count() == 1

    # Page cache key and invalidation -----------------------------------------------------

    ANONYMOUS_POSTS = [
        ("/accounts/login/", {"username": "alice", "password": "wrong"}, None),
        ("/accounts/password_reset/", {"email": "someone@example.org"}, None),
        ("/accounts/sign-up/", {"username": "newbie", "email": "n@example.org"}, None),
        ("/accounts/logout/", {}, None),
        ("/discover/", {"q": "anything", "find": "1"}, None),
        ("/api/recommendations", '{"items": [{"id": 1}]}', "application/json"),
        ("/no/such/page/", {"x": "1"}, None),
    ]

    @pytest.mark.parametrize(
        ("url", "data", "content_type"), ANONYMOUS_POSTS, ids=[p[0] for p in ANONYMOUS_POSTS]
    )
    def test_anonymous_posts_do_not_move_the_page_cache(
        self, client, settings, url, data, content_type
    ):
        settings.KANSOU_PAGE_CACHE_SECONDS = 300
        page = ReviewFactory().get_absolute_url()
        assert client.get(page)["X-Kansou-Cache"] == "miss"
        extra = {"content_type": content_type} if content_type else {}
        client.post(url, data, **extra)
        client.cookies.clear()  # still an anonymous reader
        assert client.get(page)["X-Kansou-Cache"] == "hit"

    @pytest.mark.parametrize(
        "variant",
        [{"HTTP_HOST": "127.0.0.1:6666"}, {"HTTP_HOST": "localhost"}, {"secure": True}],
        ids=["other-port", "other-host", "https"],
    )
    def test_another_host_or_scheme_cannot_poison_the_canonical_page(
        self, client, settings, variant
    ):
        settings.KANSOU_PAGE_CACHE_SECONDS = 300
        settings.KANSOU_SITE_URL = ""
        settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
        page = ReviewFactory().get_absolute_url()
        poisoned = client.get(page, **variant)
        assert poisoned.status_code == 200
        response = client.get(page)
        html = response.content.decode()
        assert response["X-Kansou-Cache"] == "miss"
        assert f'href="http://testserver{page}"' in html
        assert "6666" not in html and "https://testserver" not in html and "localhost" not in html

    # Integer parameters ------------------------------------------------------------------

    @pytest.mark.parametrize(
        "url",
        [
            *(f"/discover/?anime={n}&recommend=1" for n in HUGE_NUMBERS),
            *(f"/discover/?year_from={n}&max_episodes={n}" for n in HUGE_NUMBERS),
            *(f"/search/?q=love&page={n}" for n in HUGE_NUMBERS),
            *(f"/reviews/?page={n}" for n in HUGE_NUMBERS),
            # Paths: a server refuses a request line thousands of characters long before Django.
            f"/api/anime/{HUGE_NUMBERS[0]}/similar",
            f"/anime/{HUGE_NUMBERS[0]}/",
            f"/comments/{HUGE_NUMBERS[0]}/edit/",
            f"/archive/2020/{HUGE_NUMBERS[0]}/",
        ],
        ids=lambda url: url[:40],
    )
    def test_huge_integers_in_query_or_path_are_never_a_server_error(self, client, url):
        client.raise_request_exception = False
        assert client.get(url).status_code < 500

    @pytest.mark.parametrize("number", HUGE_NUMBERS, ids=["20-digits", "5000-digits"])
    def test_huge_integers_in_a_form_are_never_a_server_error(self, client, number):
        client.raise_request_exception = False
        response = client.post("/discover/", {"anime": number, "recommend": "1"})
        assert response.status_code < 500

    # JSON errors under /api/ -------------------------------------------------------------

    @pytest.mark.parametrize(
        ("method", "url", "body", "status"),
        [
            ("post", "/api/recommendations", '{"items": "' + "x" * (3 * 1024 * 1024) + '"}', 413),
            ("get", "/api/no-such-endpoint", None, 404),
            ("delete", "/api/recommendations", None, 405),
        ],
        ids=["body-too-big", "not-found", "method"],
    )
    def test_api_errors_are_json(self, client, method, url, body, status):
        client.raise_request_exception = False
        extra = {"data": body, "content_type": "application/json"} if body else {}
        response = getattr(client, method)(url, **extra)
        assert response.status_code == status
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["detail"]


# ---------------------------------------------------------------------------------------------
# Data safety: hostile import files are refused record by record, never a traceback or a batch
# the database throws out whole.


@pytest.mark.django_db
class TestHostileImportData:
    @pytest.mark.parametrize(
        "title",
        ["x" * 100_000, "\ufdfa" * 30],
        ids=["100k-title", "expands-when-normalised"],
    )
    def test_an_oversized_catalog_title_is_one_rejected_record(self, tmp_path, title):
        from kansou.catalog.importers.offline_db import open_catalog
        from kansou.catalog.services.importing import catalog_import
        from tests.catalog.aod_files import record, write_jsonl

        path = write_jsonl(tmp_path / "db.jsonl", [record(1, title), record(2, "Fine")])
        summary = catalog_import(records=open_catalog(path).records())
        assert (summary.created, summary.rejected) == (1, 1)
        assert summary.rejections[0].field == "title"

    @pytest.mark.parametrize("text", ["Nul\x00", "Lone\ud800", "Esc\x1b[2J", "C1\x85"])
    def test_control_characters_in_catalog_text_are_stripped(self, tmp_path, text):
        import json

        from kansou.catalog.importers.offline_db import open_catalog
        from kansou.catalog.models import Anime
        from kansou.catalog.services.importing import catalog_import
        from tests.catalog.aod_files import record, write_jsonl

        entry = record(1, text, synonyms=[text], studios=[text], tags=[text], synopsis=text)
        path = write_jsonl(tmp_path / "db.jsonl", [json.dumps(entry)])
        summary = catalog_import(records=open_catalog(path).records())
        assert summary.created == 1
        anime = Anime.objects.get()
        assert anime.title.isprintable() and anime.synopsis.isprintable()

    @pytest.mark.parametrize(
        ("authors", "field"),
        [
            ('["no spaces allowed"]', "authors.0"),
            ('[ana, "x\\n<script>"]', "authors.1"),
            (f'["{"a" * 151}"]', "authors.0"),
        ],
    )
    def test_a_review_file_with_a_bad_author_name_is_a_format_error(self, authors, field):
        from kansou.reviews.documents import review_import_text
        from kansou.reviews.frontmatter import FormatError

        text = f"---\ntitle: T\nauthors: {authors}\n---\n\nBody.\n"
        with pytest.raises(FormatError) as refused:
            review_import_text(text=text, source="evil.md")
        assert refused.value.field == field and refused.value.line == 3

    def test_a_review_file_with_nul_bytes_imports_without_them(self):
        from kansou.reviews.documents import review_import_text

        text = '---\ntitle: "T\\0itle"\nauthors: [ana]\n---\n\nBo\x00dy.\n'
        review = review_import_text(text=text, source="nul.md").review
        assert (review.title, review.intro_md) == ("Title", "Body.")

    def test_an_old_blog_path_of_any_length_reimports(self):
        from kansou.reviews.blog_import import blog_import
        from kansou.reviews.importers import BlogExport, BlogPost, Kind, Status
        from kansou.reviews.models import LegacyPath
        from tests.reviews.factories import UserFactory

        path = "/" + "a" * 5000 + ".html"
        post = BlogPost(source_id="p1", kind=Kind.POST, status=Status.LIVE, title="Long",
                        body_html="<p>Hi</p>", path=path)  # fmt: skip
        author = UserFactory()
        for _ in range(2):
            report = blog_import(export=BlogExport("wordpress", "Blog", [post]), author=author)
            assert not report.having("failed")
        assert LegacyPath.objects.get().old_path == path


# ---------------------------------------------------------------------------------------------
# The API's contract and control characters (findings 20, 22–25): an odd path or value gets a
# documented JSON 4xx; control characters never reach a page, a list or an export; staff cannot
# change a comment's status past the moderation state machine.

CONTROL_TEXTS = ["Bell\x07", "Esc\x1b[2J", "Nul\x00", "C1\x85\x9b", "Del\x7f", "Lone\ud800"]


@pytest.mark.django_db
class TestApiContractAndControlCharacters:
    @pytest.mark.parametrize(
        ("method", "path", "status"),
        [
            ("get", "/api/anime/null", 404),
            ("get", "/api/anime/1e3", 404),
            ("get", "/api/no/such/thing", 404),
            ("get", "/api/anime?year_to=0", 422),
            ("get", "/api/anime?status=&year_from=", 422),
            ("get", "/api/anime?q=%00", 422),
            ("get", "/api/anime/lookup?q=%1b%5b2J", 422),
            ("get", "/api/search?year_from=&type=", 422),
            ("get", "/api/users/x/list?status=", 422),
            ("get", "/api/users/%00/list", 422),
            ("delete", "/api/anime", 405),
            ("put", "/api/reviews/r/comments", 405),
        ],
    )
    def test_odd_requests_get_a_json_error(self, client, method, path, status):
        response = getattr(client, method)(path)

        assert response.status_code == status
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["detail"]

    def test_a_comment_with_parent_id_true_is_422_not_a_reply_to_comment_1(self, client):
        from tests.community.comment_factories import CommentFactory, ReaderFactory

        review = ReviewFactory()
        CommentFactory(review=review)
        client.force_login(ReaderFactory())
        body = {"body": "Me too", "parent_id": True}

        response = client.post(
            f"/api/reviews/{review.slug}/comments", body, content_type="application/json"
        )

        assert response.status_code == 422

    @pytest.mark.parametrize("text", CONTROL_TEXTS)
    def test_clean_text_leaves_no_control_character(self, text):
        from kansou.catalog.text import clean_text

        assert clean_text(text + " \t\n\r").rstrip().isprintable()
        assert clean_text("tab\tline\ncr\r") == "tab\tline\ncr\r"

    @pytest.mark.parametrize("text", CONTROL_TEXTS)
    def test_a_comment_keeps_no_control_character(self, text):
        from kansou.community.comments.services import comment_import, comment_post
        from tests.community.comment_factories import ReaderFactory

        review = ReviewFactory()
        posted = comment_post(review=review, author=ReaderFactory(), body=f"Hi {text} there")
        imported = comment_import(
            review=review,
            author_name=f"Old {text} friend",
            author_url="",
            body_html_or_md=f"<p>Old {text} words</p>",
            created_at=review.created_at,
            source_id="c1",
        )

        for comment in (posted.comment, imported):
            for value in (comment.body_md, comment.body_html, comment.author_name):
                assert value.replace("\n", "").isprintable()

    @pytest.mark.parametrize("text", CONTROL_TEXTS)
    def test_the_list_entry_form_keeps_no_control_character(self, text):
        from kansou.community.forms import EntryForm

        data = {"status": "watching", "score": 0, "episodes_watched": 0, "priority": "low"}
        data |= {"rewatching_episode": 0, "times_rewatched": 0, "tags": f"a{text}", "notes": text}
        form = EntryForm(data, anime=AnimeFactory())

        if "\x00" in text:  # Django's form fields refuse NUL outright
            assert not form.is_valid()
            return
        assert form.is_valid(), form.errors
        assert form.cleaned_data["notes"].isprintable()
        assert form.cleaned_data["tags"].isprintable()

    def test_old_notes_with_a_control_character_export_and_import_back(self):
        """Finding 20: the reader's own export must import back, here and on MAL."""
        from kansou.community.selectors import anime_list_export_mal
        from kansou.community.services import anime_list_import_mal
        from tests.catalog.factories import ExternalIdFactory
        from tests.community.factories import ListEntryFactory

        entry = ListEntryFactory(notes="Loved\x01 it\x1b", tags="calm\x02")  # saved before cleaning
        ExternalIdFactory(anime=entry.anime, external_id="5114")
        owner = entry.anime_list.user

        xml, left_out = anime_list_export_mal(owner=owner)
        export = parse_mal_xml(xml)
        report = anime_list_import_mal(user=owner, export=export, overwrite=True)

        assert left_out == 0 and export.problems == [] and report.rejected == []
        entry.refresh_from_db()
        assert (entry.notes, entry.tags) == ("Loved it", "calm")

    def test_staff_cannot_set_a_comment_status_in_the_admin(self, client):
        from kansou.community.models import Comment, ModerationLog
        from tests.community.comment_factories import CommentFactory

        comment = CommentFactory(status="spam")
        client.force_login(get_user_model().objects.create_superuser("boss", "b@x.org", "pw"))
        change = f"/admin/community/comment/{comment.pk}/change/"

        page = client.get(change).content.decode()
        client.post(change, {"status": "approved", "author_name": "x", "_save": "1"})

        assert 'name="status"' not in page and 'name="body_md"' not in page
        assert Comment.objects.get(pk=comment.pk).status == "spam"
        assert client.get("/admin/community/comment/add/").status_code == 403
        assert not ModerationLog.objects.exists()

    def test_admin_actions_decide_through_moderation_and_are_logged(self, client):
        from kansou.community.models import Comment, ModerationLog
        from tests.community.comment_factories import CommentFactory, moderator_user

        comment = CommentFactory(status="spam")
        moderator = moderator_user(is_staff=True, is_superuser=True)
        client.force_login(moderator)
        action = {"action": "approve", "_selected_action": [comment.pk]}

        client.post("/admin/community/comment/", action)

        assert Comment.objects.get(pk=comment.pk).status == "approved"
        log = ModerationLog.objects.get()
        assert (log.action, log.actor, log.comment) == ("approve", moderator, comment)


@pytest.mark.django_db
class TestAuthorizationAndModerationInputs:
    """Findings 1–8 as an attacker sends them (their full tests live beside the code:
    tests/test_permissions.py, tests/community/test_moderation.py)."""

    @pytest.fixture
    def people(self):
        from kansou.community import roles
        from kansou.community.services import user_grant_role
        from tests.community.comment_factories import ReaderFactory, moderator_user
        from tests.community.factories import UserFactory

        author, other_author = ReaderFactory(), ReaderFactory()
        for user in (author, other_author):
            user_grant_role(user=user, role=roles.AUTHOR)
        return {
            "reader": ReaderFactory(),
            "fresh": [UserFactory() for _ in range(3)],
            "author": author,
            "other_author": other_author,
            "moderator": moderator_user(),
        }

    @pytest.mark.parametrize("status", ["pending", "hidden", "spam"])
    @pytest.mark.parametrize("page", ["edit", "delete"])
    def test_1_another_readers_hidden_comment_is_not_found(self, client, people, status, page):
        from tests.community.comment_factories import CommentFactory

        comment = CommentFactory(status=status, body_md="SECRET", body_html="<p>SECRET</p>")
        client.force_login(people["reader"])
        response = client.get(f"/comments/{comment.pk}/{page}/")
        assert response.status_code == 404 and "SECRET" not in response.content.decode()

    def test_2_commenting_on_a_draft_does_not_name_it(self, client, people):
        draft = ReviewFactory.draft(title="SECRET-DRAFT")
        client.force_login(people["reader"])
        response = client.post(f"/reviews/{draft.slug}/comments/", {"body": "Hello there"})
        assert response.status_code == 404 and "SECRET-DRAFT" not in response.content.decode()

    def test_3_an_author_does_not_see_another_authors_draft(self, client, people):
        draft = ReviewFactory.draft(title="SECRET-DRAFT", authors=[people["other_author"]])
        client.force_login(people["author"])
        assert client.get(draft.get_absolute_url()).status_code == 404
        admin = client.get(f"/admin/reviews/review/{draft.pk}/change/")
        assert admin.status_code in (302, 403, 404)
        assert "SECRET-DRAFT" not in admin.content.decode()

    def test_4_a_deleted_review_leaves_search(self, client):
        review = ReviewFactory(title="Vanishing Review Zeta")
        review.delete()
        hits = client.get("/api/search", {"q": "Vanishing Zeta"}).json()["results"]
        assert all("Vanishing" not in hit["title"] for hit in hits)

    def test_5_an_edit_after_approval_by_a_new_account_goes_back_to_the_queue(self, people):
        from kansou.community.comments.services import comment_edit
        from tests.community.comment_factories import CommentFactory

        comment = CommentFactory(author=people["fresh"][0], status="approved")
        comment_edit(comment=comment, user=people["fresh"][0], body="Now with spam")
        comment.refresh_from_db()
        assert comment.status == "pending"

    def test_6_a_reimport_never_undoes_a_moderators_decision(self, people):
        import datetime as dt

        from kansou.community.comments.services import comment_import
        from kansou.community.moderation import comment_hide

        review = ReviewFactory()
        fields = {
            "review": review,
            "author_name": "Old reader",
            "author_url": "",
            "body_html_or_md": "<p>Old comment</p>",
            "created_at": dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
            "source_id": "c1",
        }
        comment = comment_import(**fields)
        comment_hide(comment=comment, moderator=people["moderator"])
        comment_import(**fields)
        comment.refresh_from_db()
        assert comment.status == "hidden"

    def test_7_three_fresh_accounts_cannot_hide_a_moderators_comment(self, people):
        from kansou.community.moderation import comment_report
        from tests.community.comment_factories import CommentFactory

        comment = CommentFactory(author=people["moderator"])
        for reporter in people["fresh"]:
            comment_report(comment=comment, reporter=reporter, reason="I disagree")
        comment.refresh_from_db()
        assert comment.status == "approved"

    def test_8_protocol_relative_links_count_toward_the_limit(self, people, settings):
        from kansou.community.comments.services import comment_post

        settings.KANSOU_COMMENT_MAX_LINKS = 2
        settings.KANSOU_COMMENT_MODERATION = "none"  # only the links can hold it
        body = "[a](//e1.example) [b](//e2.example) [c](//e3.example)"
        posted = comment_post(review=ReviewFactory(), author=people["reader"], body=body)
        assert posted.comment.status == "pending"
