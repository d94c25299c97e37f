"""Anonymous readers get cached pages; real changes, not requests, make them stale."""

from types import SimpleNamespace

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from kansou.core.pagecache import AnonymousPageCacheMiddleware, pages_changed, pages_touched


class CountingView:
    def __init__(self, **headers):
        self.calls = 0
        self.headers = headers

    def __call__(self, request):
        self.calls += 1
        response = HttpResponse(f"render {self.calls}")
        for name, value in self.headers.items():
            response[name] = value
        return response


@pytest.fixture
def page_cache(settings):
    settings.KANSOU_PAGE_CACHE_SECONDS = 60


def get(middleware, path="/reviews/x/", **extra):
    return middleware(RequestFactory().get(path, **extra))


def test_second_anonymous_read_is_served_from_the_cache(page_cache):
    view = CountingView()
    middleware = AnonymousPageCacheMiddleware(view)
    first, second = get(middleware), get(middleware)
    assert view.calls == 1
    assert second.content == first.content == b"render 1"
    assert second["X-Kansou-Cache"] == "hit"


def test_logged_in_readers_are_never_served_cached_pages(page_cache, settings):
    view = CountingView()
    middleware = AnonymousPageCacheMiddleware(view)
    get(middleware)
    response = get(middleware, HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}=abc")
    assert response.content == b"render 2"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_request_by_itself_never_makes_cached_pages_stale(page_cache, method):
    view = CountingView()
    middleware = AnonymousPageCacheMiddleware(view)
    get(middleware)
    middleware(getattr(RequestFactory(), method)("/accounts/login/", {"password": "wrong"}))
    assert get(middleware)["X-Kansou-Cache"] == "hit"


def test_pages_touched_makes_cached_pages_stale(page_cache):
    view = CountingView()
    middleware = AnonymousPageCacheMiddleware(view)
    get(middleware)
    pages_touched()
    assert get(middleware).content == b"render 2"


def test_a_staff_write_through_the_admin_makes_cached_pages_stale(page_cache):
    view = CountingView()
    middleware = AnonymousPageCacheMiddleware(view)
    get(middleware)
    request = RequestFactory().post("/admin/reviews/label/1/change/", {"name": "x"})
    request.user = SimpleNamespace(is_authenticated=True, is_staff=True)
    middleware(request)
    assert get(middleware).content == b"render 3"
    request.user = SimpleNamespace(is_authenticated=True, is_staff=False)
    middleware(request)
    assert get(middleware)["X-Kansou-Cache"] == "hit"


@pytest.mark.parametrize(
    "other",
    [
        {"HTTP_HOST": "127.0.0.1:6666"},
        {"HTTP_HOST": "localhost"},
        {"secure": True},
    ],
    ids=["port", "host", "scheme"],
)
def test_another_host_port_or_scheme_never_shares_an_entry(page_cache, settings, other):
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
    view = CountingView()
    middleware = AnonymousPageCacheMiddleware(view)
    poisoned = get(middleware, **other)
    assert get(middleware, **other)["X-Kansou-Cache"] == "hit"
    ordinary = get(middleware)
    assert ordinary.content == b"render 2" != poisoned.content
    assert ordinary["X-Kansou-Cache"] == "miss"


def test_pages_changed_refreshes_everything(page_cache):
    view = CountingView()
    middleware = AnonymousPageCacheMiddleware(view)
    get(middleware, "/a/")
    get(middleware, "/b/")
    pages_changed()
    get(middleware, "/a/")
    get(middleware, "/b/")
    assert view.calls == 4


def test_private_pages_and_admin_are_not_cached(page_cache):
    private = CountingView(**{"Cache-Control": "private"})
    middleware = AnonymousPageCacheMiddleware(private)
    get(middleware)
    get(middleware)
    assert private.calls == 2
    admin = CountingView()
    middleware = AnonymousPageCacheMiddleware(admin)
    get(middleware, "/admin/")
    get(middleware, "/admin/")
    assert admin.calls == 2


def test_responses_that_set_cookies_are_not_cached(page_cache):
    def view(request):
        response = HttpResponse("with cookie")
        response.set_cookie("csrftoken", "x")
        return response

    calls = []
    middleware = AnonymousPageCacheMiddleware(lambda r: calls.append(1) or view(r))
    get(middleware)
    get(middleware)
    assert len(calls) == 2


def test_a_revalidation_of_a_cached_page_is_answered_304_without_rendering(page_cache):
    view = CountingView()
    middleware = AnonymousPageCacheMiddleware(view)
    etag = get(middleware)["ETag"]
    response = get(middleware, HTTP_IF_NONE_MATCH=etag)
    assert (response.status_code, response.content, view.calls) == (304, b"", 1)
