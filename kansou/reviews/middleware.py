"""Permanent redirects from a review's paths on an old blog (``LegacyPath``)."""

from __future__ import annotations

from django.http import HttpResponsePermanentRedirect

from kansou.reviews.models import LegacyPath


def legacy_path_candidates(path: str) -> list[str]:
    """The stored forms a requested path may match: as asked, and with or without the slash."""
    stripped = path.rstrip("/") or "/"
    return list(dict.fromkeys([path, stripped, stripped + "/"]))


class LegacyRedirectMiddleware:
    """Answers a 404 whose path an old blog used with a 301 to the review (like Django's
    ``RedirectFallbackMiddleware``, but keyed to reviews so the target follows a renamed slug).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        legacy = (
            LegacyPath.objects.matching(legacy_path_candidates(request.path))
            .select_related("review")
            .first()
        )
        if legacy is None:
            return response
        return HttpResponsePermanentRedirect(legacy.review.get_absolute_url())
