"""Static file names with their content's hash, so browsers may keep them for a year.

``kansou serve`` runs ``collectstatic``, which writes each file under a hashed name
(``site.728e95852d44.css``), gzip and Brotli copies, and the manifest mapping the names; pages
then link the hashed names and WhiteNoise serves them with ``max-age=315360000, immutable``.
A changed file gets a new name, so no reader keeps an old stylesheet.

Without a manifest entry — ``DEBUG`` (the demo under ``runserver``, where Django links plain names
anyway), the tests (they never collect) or a file added after the last collect — a page links the
plain name instead of failing, as Django's strict manifest would, with a 500.
"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = True  # a missing entry raises in ``stored_name``; caught below

    def stored_name(self, name: str) -> str:
        try:
            return super().stored_name(name)
        except ValueError:
            return name
