"""The generated cover: the title on a colour fixed by the anime's id."""

from __future__ import annotations

from urllib.parse import unquote

from kansou.catalog.images.covers import cover_data_url, cover_hue, cover_lines, cover_svg


def test_the_same_id_always_gets_the_same_colour_and_neighbours_differ():
    assert cover_hue(133) == cover_hue(133)
    hues = [cover_hue(n) for n in range(1, 20)]
    assert all(abs(a - b) >= 20 for a, b in zip(hues, hues[1:], strict=False))


def test_the_title_is_on_the_cover_escaped():
    svg = cover_svg('Tom & Jerry <script>alert("x")</script>', 7)
    assert "Tom &amp; Jerry" in svg and "<script>" not in svg
    assert f"hsl({cover_hue(7)},42%,38%)" in svg


def test_a_long_title_is_cut_with_an_ellipsis():
    lines = cover_lines("word " * 60)
    assert len(lines) == 6 and lines[-1].endswith("…")


def test_the_data_url_is_an_svg_a_browser_reads_whole():
    url = cover_data_url("Koe no Katachi", 133)
    assert url.startswith("data:image/svg+xml,")
    assert "#" not in url and "%23g" in url  # a raw "#" would cut the URL short
    assert unquote(url.split(",", 1)[1]) == cover_svg("Koe no Katachi", 133)
