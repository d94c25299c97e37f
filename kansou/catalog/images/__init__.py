"""Images Kansou keeps itself: catalog posters fetched once into Django's storage, and the
Pillow work shared with review uploads.

- ``pictures``: bytes → a checked ``Picture`` (real image, allowed format, size and pixel caps)
  and its resized renditions (WebP and JPEG at a few widths, metadata stripped);
- ``fetching``: a polite HTTP client (rate limit, ``User-Agent``, timeouts, size cap);
- ``stored``: the storage names of a stored poster and the ``srcset`` they make;
- ``covers``: the generated cover (SVG: the title on a colour from the anime's id) shown when no
  poster is stored;
- ``models``: ``PosterFetch``, one row per anime the job tried (resumable, failures recorded);
- ``services``: the job behind ``kansou catalog images``.
"""
