"""The views behind a page's routes, registered from above (core.page_views)."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import RequestFactory

from core.page_views import PageViews


def test_a_route_serves_the_view_registered_under_its_name():
    views = PageViews("event", ["ical"])
    views.register(ical=lambda request, page, **kwargs: HttpResponse(f"{page} {kwargs}"))

    response = views.serve("ical", "Study visit", RequestFactory().get("/"), kind="feed")

    assert response.content == b"Study visit {'kind': 'feed'}"
    assert views.missing() == []


def test_a_name_the_page_does_not_declare_is_refused():
    views = PageViews("event", ["ical"])
    with pytest.raises(ImproperlyConfigured, match="no route called icla"):
        views.register(icla=lambda request, page: HttpResponse())


def test_a_route_without_a_view_says_where_to_register_it():
    views = PageViews("event", ["ical", "register"])
    views.register(ical=lambda request, page: HttpResponse())

    assert views.missing() == ["register"]
    with pytest.raises(ImproperlyConfigured, match="AppConfig.ready"):
        views.serve("register", None, RequestFactory().get("/"))
