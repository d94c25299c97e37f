"""Light Markdown for comments, and the XSS table: no payload in a body or a name reaches the
review page as markup."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from kansou.community.comments import markdown as cm
from kansou.community.comments.services import comment_import, comment_post

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="data:text/html,<script>alert(1)</script>">d</a>',
    '<iframe src="https://evil.example"></iframe>',
    '<svg onload="alert(1)"><circle/></svg>',
    "![img](https://evil.example/x.png)",
    '<p style="position:fixed">x</p>',
    '<div onmouseover="alert(1)">hover</div>',
]
FORBIDDEN_TAGS = {"script", "iframe", "svg", "img", "object", "embed", "style", "math"}


class _Markup(HTMLParser):
    """Collects what would run or load in a browser: dangerous tags, event handlers, style
    attributes and non-http(s) link targets. Escaped text is text and is not counted."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.problems.append(f"{tag}[{name}]")
            target = (value or "").strip().lower()
            if name in {"href", "src"} and not target.startswith(
                ("http:", "https:", "mailto:", "/", "#", "?")
            ):
                self.problems.append(f"{tag}[{name}={value}]")


def assert_harmless(html: str) -> None:
    parser = _Markup()
    parser.feed(html)
    assert parser.problems == [], f"{parser.problems} in {html!r}"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_payloads_come_out_harmless(payload):
    assert_harmless(cm.render(payload))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_imported_html_payloads_come_out_harmless(payload):
    assert_harmless(cm.sanitize(payload))


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("*em* **strong** `code`", "<p><em>em</em> <strong>strong</strong> <code>code</code></p>"),
        ("> quoted", "<blockquote>\n<p>quoted</p>\n</blockquote>"),
        ("[site](https://a.example)",
         '<p><a href="https://a.example" rel="nofollow ugc noopener">site</a></p>'),
        ("# Not a heading", "<p># Not a heading</p>"),
        ("![alt](https://a.example/i.png)",
         '<p>!<a href="https://a.example/i.png" rel="nofollow ugc noopener">alt</a></p>'),
        ("one\ntwo", "<p>one<br>\ntwo</p>"),
    ],
)  # fmt: skip
def test_light_markdown_allows_only_the_small_set(text, html):
    assert cm.render(text) == html


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("no links", 0),
        ("[a](https://a.example) and http://b.example", 2),
        ("www.c.example", 1),
        ("[a](//e1.example)", 1),  # scheme-relative
        ("[a](//e1.example) [b](//e2.example) [c](//e3.example)", 3),
        ("[a](/local) [b](#top) [c](?q=1)", 3),  # relative: still an href on the page
        ("[a](&#47;&#47;e1.example)", 1),  # entities decoded by the parser
        ("<https://a.example> <mailto:x@b.example>", 2),  # autolinks
        ("[a][r] [b][r]\n\n[r]: //e1.example", 2),  # reference links
        ("![img](//e1.example/i.png)", 1),  # images come out as links
        ("[https://a.example](https://a.example)", 1),  # one link, not two
        ("`https://a.example` and HTTP://B.EXAMPLE", 2),  # bare URLs readers copy
        ("[x](javascript:alert(1))", 0),  # dropped by the sanitiser: no href left
    ],
)
def test_link_count_counts_every_link_the_rendered_html_carries(text, count):
    assert cm.link_count(text) == count


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_payload_reaches_the_review_page(client, review, reader, payload):
    comment_post(review=review, author=reader, body=payload)
    comment_import(
        review=review,
        author_name=payload,
        author_url="javascript:alert(1)",
        body_html_or_md=payload,
        created_at=timezone.now() - dt.timedelta(days=1),
        source_id="x",
    )
    html = client.get(review.get_absolute_url()).content.decode()
    thread = html.split('id="comments"')[1].split("</section>")[0]
    assert_harmless(thread)
