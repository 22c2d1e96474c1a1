"""What the home page shows a visitor: a search, the newest practices, a call to cities."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from home.demo import HOME_PAGE
from home.models import LATEST_PRACTICES
from tests.factories import add_practice, make_city, make_library


@pytest.fixture
def library(home_page):
    return make_library(home_page)


def _published(library, city, count):
    start = timezone.now() - dt.timedelta(days=count)
    return [
        add_practice(library, city, number, first_published_at=start + dt.timedelta(days=number))
        for number in range(1, count + 1)
    ]


@pytest.mark.django_db
def test_the_home_page_shows_the_newest_practices_first(client, library):
    _published(library, make_city(), LATEST_PRACTICES + 2)
    add_practice(library, make_city("Lille", "FR", "France"), 99, live=False, title="A draft")
    html = client.get("/").content.decode()
    section = html[html.index('aria-labelledby="home-practices-title"') :]
    titles = re.findall(r'<h3 class="card__title"><a href="[^"]+">([^<]+)</a>', section)
    newest = [f"Practice {n}" for n in range(LATEST_PRACTICES + 2, 2, -1)]
    assert titles == newest
    assert "A draft" not in html
    assert f"{LATEST_PRACTICES + 2} practices in the library · 1 city" in html
    assert 'href="/practices/">Browse every practice in the library</a>' in section


@pytest.mark.django_db
def test_the_home_page_searches_the_library(client, library):
    html = client.get("/").content.decode()
    form = re.search(r'<form class="hero-search" method="get" action="([^"]+)"', html)
    assert form is not None and form.group(1) == "/practices/"
    assert re.search(r'<label class="hero-search__label" for="home-q">', html)
    assert re.search(r'<input id="home-q" type="search" name="q"', html)


@pytest.mark.django_db
def test_the_home_page_invites_cities_to_share_a_practice(client, library, member):
    html = client.get("/").content.decode()
    cta = html[html.index('id="home-cta-title"') :]
    assert 'href="/my/practices/new/"' in cta
    assert 'href="/accounts/signup/"' in cta  # a visitor learns they need an account
    client.force_login(member)
    cta = client.get("/").content.decode().split('id="home-cta-title"')[1]
    assert 'href="/my/practices/new/"' in cta
    assert 'href="/accounts/signup/"' not in cta


@pytest.mark.django_db
def test_without_practices_the_home_page_shows_no_empty_section(client, library):
    html = client.get("/").content.decode()
    assert "home-practices-title" not in html
    assert "home-cta-title" in html


def test_the_demo_home_page_introduces_what_the_site_offers():
    text = HOME_PAGE["introduction"].lower()
    assert "virtual exchanges" in text
    assert "urban academy" in text


@pytest.mark.django_db
def test_the_home_page_cost_stays_bounded(client, library, django_assert_max_num_queries):
    _published(library, make_city(), 10)
    client.get("/")  # warm the site root cache, as any running server has
    # 11 for the practices and the menus, 4 for the events app's section (upcoming events and
    # latest reports, each with Wagtail's view-restriction check), 2 for the Academy's open
    # calls (with the same check).
    with django_assert_max_num_queries(17):
        assert client.get("/").status_code == 200
