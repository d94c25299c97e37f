"""Post HTML → intro, structured sections and free sections; sanitised first."""

from __future__ import annotations

from kansou.reviews.importers.html_sections import section_kind, split
from kansou.reviews.importers.matching import first_paragraph


def test_headings_map_to_structured_sections():
    sections = split(
        "<p>Intro.</p><h3>Who should watch</h3><ul><li><b>Drama fans</b>: tears.</li></ul>"
        "<h3>Characters</h3><p><strong>Shouko</strong> — kind.</p>"
        "<h3>Themes</h3><h4>Regret</h4><p>Changes.</p>"
        "<h3>About</h3><p>A deaf girl.</p><h3>Music</h3><p>Soft.</p>"
        "<h3>Final thoughts</h3><p>Watch it.</p>"
    )
    assert sections.intro == "<p>Intro.</p>"
    assert [(i.name, i.html) for i in sections.audience] == [("Drama fans", "<p>tears.</p>")]
    assert [(i.name, i.html) for i in sections.characters] == [("Shouko", "<p>kind.</p>")]
    assert [(i.name, i.html) for i in sections.themes] == [("Regret", "<p>Changes.</p>")]
    assert sections.summary == "A deaf girl."
    assert [(i.name, i.html) for i in sections.sections] == [("Music", "<p>Soft.</p>")]
    assert sections.final_thoughts == "<p>Watch it.</p>"


def test_structured_section_without_names_stays_whole_as_a_free_section():
    sections = split("<h2>Characters</h2><p>Everyone is great.</p>")
    assert sections.characters == []
    assert [(i.name, i.html) for i in sections.sections] == [
        ("Characters", "<p>Everyone is great.</p>")
    ]


def test_blogger_divs_and_double_breaks_become_paragraphs():
    sections = split('<div dir="ltr">One.</div><div>Two.<br /><br />Three.</div>')
    assert sections.intro == "<p>One.</p>\n\n<p>Two.</p>\n\n<p>Three.</p>"


def test_scripts_handlers_and_javascript_links_are_gone():
    sections = split(
        '<p>Hi<script>alert(1)</script> <a href="javascript:x()" onclick="y()">there</a>'
        '<img src="https://e.org/a.png" onerror="z()"></p>'
    )
    assert sections.intro == '<p>Hi <a>there</a><img src="https://e.org/a.png"></p>'


def test_post_without_headings_is_all_intro():
    assert split("<p>a</p><p>b</p>").intro == "<p>a</p>\n\n<p>b</p>"


def test_heading_names_are_recognised_loosely_but_about_exactly():
    assert section_kind("Who should watch?") == "audience"
    assert section_kind("Characters: the heart of it") == "characters"
    assert section_kind("The Verdict") == "final"
    assert section_kind("About") == "about"
    assert section_kind("About the ending") is None


def test_first_paragraph_skips_empty_ones():
    assert first_paragraph('<p><img src="x"></p><p>Text</p>') == "Text"
