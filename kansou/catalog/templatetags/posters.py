"""``{% poster anime "card" %}``: an anime's poster from our storage at the right size, or its
generated cover. The one way templates draw a poster; it reads only the anime row.

Layouts (``LAYOUTS``) say how wide the poster is drawn, for ``width``/``height`` and ``sizes``:
``card`` (lists), ``detail`` (the anime page: loaded eagerly, it is the page's largest image)
and ``about`` (a review's about box). ``alt=""`` marks a poster that only decorates a link
whose text already names the anime.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.core.files.storage import default_storage

from kansou.catalog.images.covers import cover_data_url

register = template.Library()


@dataclass(frozen=True)
class Layout:
    width: int  # CSS pixels, the largest the layout draws it
    sizes: str
    lazy: bool = True


LAYOUTS = {
    "card": Layout(160, "(min-width: 40rem) 12rem, 45vw"),
    "detail": Layout(288, "(min-width: 60rem) 18rem, (min-width: 40rem) 14rem, 10rem", lazy=False),
    "about": Layout(192, "(min-width: 60rem) 12rem, 7rem"),
}


@register.inclusion_tag("catalog/_poster.html")
def poster(anime, layout: str = "card", alt: str | None = None, css_class: str = "") -> dict:
    shape = LAYOUTS[layout]
    if anime is None:  # a review of an anime not in the catalog yet
        return {"missing": True}
    stored = anime.stored_poster
    context = {
        "alt": f"{anime.title} poster" if alt is None else alt,
        "css_class": css_class,
        "sizes": shape.sizes,
        "lazy": shape.lazy,
        "width": shape.width,
    }
    if stored is None:
        context.update(cover=cover_data_url(anime.title, anime.pk), height=shape.width * 3 // 2)
        return context
    url = default_storage.url
    context.update(
        stored=True,
        height=round(shape.width * stored.height / stored.width),
        webp_srcset=stored.srcset("webp", url),
        jpg_srcset=stored.srcset("jpg", url),
        src=url(stored.name(stored.fallback_width(shape.width * 2), "jpg")),
    )
    return context


@register.filter
def poster_url(anime, width: int = 160) -> str:
    """One URL for ``anime``'s poster about ``width`` pixels wide (JPEG), or its generated
    cover: for JSON and scripts (a picker's thumbnails), where ``{% poster %}`` cannot go.
    ``{{ anime|poster_url:92 }}`` in a template."""
    stored = anime.stored_poster
    if stored is None:
        return cover_data_url(anime.title, anime.pk)
    return default_storage.url(stored.name(stored.fallback_width(int(width)), "jpg"))
