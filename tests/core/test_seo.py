"""Absolute and canonical URLs and the JSON-LD element every page's builders share."""

from __future__ import annotations

import json

import pytest
from django.test import RequestFactory

from kansou.core import seo
from kansou.reviews import seo as review_seo


def test_absolute_url_prefixes_the_request_origin_and_keeps_absolute_urls():
    request = RequestFactory().get("/x/", secure=True)

    assert seo.absolute_url("/anime/1/", request) == "https://testserver/anime/1/"
    assert seo.absolute_url("https://cdn.example/p.jpg", request) == "https://cdn.example/p.jpg"


def test_site_url_setting_wins_and_a_missing_origin_says_so(settings):
    settings.KANSOU_SITE_URL = ""
    with pytest.raises(ValueError, match="KANSOU_SITE_URL"):
        seo.site_origin()

    settings.KANSOU_SITE_URL = "https://kansou.example"
    assert seo.absolute_url("/a/", RequestFactory().get("/")) == "https://kansou.example/a/"


def test_json_ld_script_is_data_that_cannot_end_its_element():
    data = {"name": "</script><!-- & -->", "year": 2016}

    html = str(seo.json_ld_script(data))

    inner = html.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert not set("<>&") & set(inner)
    assert json.loads(inner) == data


def test_reviews_keep_their_names_for_the_moved_helpers():
    for name in ("absolute_url", "canonical_url", "json_ld_script", "site_origin", "SITE_NAME"):
        assert getattr(review_seo, name) is getattr(seo, name)
