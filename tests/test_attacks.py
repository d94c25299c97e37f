"""One list of attack inputs, run against every place a stranger's text or file gets in.

Each payload must come out harmless (no script, event handler or ``javascript:`` URL reaches a
page) or be refused with a clear message; none may cause a server error.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model

from kansou.catalog.services.corrections import anime_correct
from kansou.community import comments_markdown
from kansou.community.mal_xml import MalXmlError, parse_mal_xml
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
            if name in URL_ATTRIBUTES and url.startswith(DANGEROUS_SCHEMES):
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
