"""Review Markdown gives our own images their sizes and srcset; other images stay as written."""

from __future__ import annotations

from kansou.reviews import markdown

OURS = "/media/reviews/0123456789ab-1600x900-960w.webp"


def test_an_uploaded_image_gets_srcset_size_and_lazy_loading():
    html = markdown.render(f"![Shouko at the bridge]({OURS})")
    assert html == (
        f'<p><img src="{OURS}" alt="Shouko at the bridge" srcset="'
        "/media/reviews/0123456789ab-1600x900-480w.webp 480w, "
        "/media/reviews/0123456789ab-1600x900-960w.webp 960w, "
        '/media/reviews/0123456789ab-1600x900-1600w.webp 1600w" '
        'sizes="(min-width: 60rem) 44rem, 94vw" width="960" height="540" loading="lazy" '
        'decoding="async"></p>'
    )


def test_raw_html_images_of_ours_are_treated_the_same_and_their_sizes_replaced():
    html = markdown.render(f'<img src="{OURS}" alt="x" width="1" height="1" onerror="alert(1)">')
    assert 'width="960" height="540"' in html and 'width="1"' not in html
    assert "onerror" not in html and "srcset=" in html


def test_an_animated_gif_keeps_its_one_file():
    html = markdown.render("![dance](/media/reviews/0123456789ab-320x240.gif)")
    assert "srcset" not in html and 'width="320" height="240" loading="lazy"' in html


def test_other_images_are_left_as_written_and_still_sanitised():
    html = markdown.render('![a](https://example.org/reviews/cat.jpg "t")')
    assert html == '<p><img src="https://example.org/reviews/cat.jpg" alt="a" title="t"></p>'
    assert 'src="javascript' not in markdown.render("![x](javascript:alert(1))")
