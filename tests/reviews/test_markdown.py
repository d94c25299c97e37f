"""Review Markdown: the dialect, the spoiler block, and the sanitiser's allow-list."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from kansou.reviews.markdown import LINK_REL, reading_minutes, render

XSS_PAYLOADS = [
    "<script>window.pwned = 1</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    '<img src="x" onerror="window.pwned = 1">',
    "<img src=x onerror=alert(1)//>",
    '<svg onload="window.pwned=1"></svg>',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="  javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](data:text/html,<script>alert(1)</script>)",
    '<a href="data:text/html;base64,PHNjcmlwdD4=">click</a>',
    '<iframe src="https://evil.example"></iframe>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    "<style>body{display:none}</style>",
    '<details open ontoggle="window.pwned=1"><summary>x</summary></details>',
    '<form action="https://evil.example"><input name=q></form>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<div onclick="window.pwned=1">click</div>',
    '<img src="javascript:alert(1)">',
    "<scr<script>ipt>alert(1)</script>",
    '<a href="&#106;avascript:alert(1)">entity</a>',
]
FORBIDDEN_TAGS = {"script", "style", "iframe", "form", "input", "object", "embed", "svg", "math"}


class _Elements(HTMLParser):
    """Every element and attribute a browser would build from the HTML."""

    def __init__(self, html: str):
        super().__init__()
        self.found: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, {name: value or "" for name, value in attrs}))


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_dangerous_markup_is_removed(payload):
    html = render(f"Before.\n\n{payload}\n\nAfter.")
    for tag, attrs in _Elements(html).found:
        assert tag not in FORBIDDEN_TAGS, html
        assert not [name for name in attrs if name.startswith("on") or name == "style"], html
        for name in ("href", "src"):
            url = attrs.get(name, "").strip().lower()
            assert not url.startswith(("javascript:", "data:", "vbscript:")), html


def test_links_are_kept_and_marked_as_user_content():
    html = render("See [the catalog](https://kansou.example/anime/1/).")
    assert f'<a href="https://kansou.example/anime/1/" rel="{LINK_REL}">the catalog</a>' in html


def test_basic_markdown_renders():
    html = render("Some *emphasis*, **strong** and `code`.\n\n- one\n- two")
    assert "<em>emphasis</em>" in html and "<strong>strong</strong>" in html
    assert "<code>code</code>" in html and "<li>one</li>" in html


def test_tables_render_without_inline_styles():
    html = render("| a | b |\n|:--|--:|\n| 1 | 2 |")
    assert "<table>" in html and "<td>2</td>" in html
    assert "style" not in html


def test_headings_start_below_the_page_sections():
    assert render("# Big\n\n## Smaller").startswith("<h3>Big</h3>\n<h4>Smaller</h4>")
    assert "<h6>" in render("###### Smallest")


def test_spoiler_block_becomes_a_closed_details_element():
    html = render("::: spoiler The ending\nShe *leaves*.\n:::")
    assert html == (
        '<details class="spoiler"><summary>The ending</summary>\n'
        "<p>She <em>leaves</em>.</p>\n</details>"
    )


def test_spoiler_without_a_title_says_spoiler():
    assert "<summary>Spoiler</summary>" in render("::: spoiler\nHidden.\n:::")


def test_spoiler_title_is_escaped():
    html = render("::: spoiler <img src=x onerror=alert(1)>\nx\n:::")
    assert "<summary>&lt;img src=x onerror=alert(1)&gt;</summary>" in html


def test_authors_cannot_forge_other_classes_or_open_attributes():
    html = render('<details class="spoiler evil" open><summary>s</summary>t</details>')
    assert '<details class="spoiler">' in html


def test_blank_text_renders_to_nothing():
    assert render("  \n ") == ""


@pytest.mark.parametrize(
    ("words", "minutes"), [(0, 1), (1, 1), (220, 1), (221, 2), (440, 2), (1000, 5)]
)
def test_reading_time_is_words_over_220_rounded_up_and_at_least_one(words, minutes):
    assert reading_minutes("word " * words) == minutes


def test_reading_time_adds_up_every_text():
    assert reading_minutes("word " * 200, "word " * 100) == 2
