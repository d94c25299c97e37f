"""What every page tells machines, whatever app it belongs to: absolute and canonical URLs, and
schema.org JSON-LD as a data block.

Absolute URLs use ``KANSOU_SITE_URL`` when set (one canonical origin behind any proxy), else the
request's own scheme and host. The page builders live with their apps (``catalog.seo``,
``reviews.seo``) and use these.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from kansou.core.params import int_param

SITE_NAME = "Kansou"
LOCALE = "en_US"
LANGUAGE = "en"

# json_script's escapes: the JSON cannot close the <script> element or start an HTML comment.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def site_origin(request: HttpRequest | None = None) -> str:
    """``https://host`` without a trailing slash: the setting, else the request's origin."""
    if settings.KANSOU_SITE_URL:
        return settings.KANSOU_SITE_URL
    if request is None:
        raise ValueError("KANSOU_SITE_URL is empty and there is no request to take the host from.")
    return f"{request.scheme}://{request.get_host()}"


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return site_origin(request) + path


def canonical_url(request: HttpRequest, path: str | None = None) -> str:
    """The page's one URL: its path, keeping only a ``page`` number past the first."""
    url = absolute_url(path or request.path, request)
    page = int_param(request.GET.get("page"), low=2)
    if page is not None:
        url += "?" + urlencode({"page": page})
    return url


def json_ld_script(data: dict) -> SafeString:
    """A ``<script type="application/ld+json">`` element.

    A data block, never run, so a CSP without inline script allows it. Escaped as Django's
    ``json_script`` escapes: no ``<``, ``>`` or ``&`` survives, so the JSON cannot end the
    element (``</script>``) or open a comment, whatever a title holds.
    """
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=None)
    return mark_safe(  # noqa: S308 (escaped above: no <, > or & survive in the JSON)
        '<script type="application/ld+json">' + text.translate(_SCRIPT_ESCAPES) + "</script>"
    )
