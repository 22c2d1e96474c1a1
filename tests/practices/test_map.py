"""The practice map: projection, circles for cities with live practices, and the text list."""

import re
from decimal import Decimal

import pytest

from practices.library.facets import Term
from practices.library.results import CityCount
from practices.map import HEIGHT, WIDTH, build_map, place, project, radius
from tests.factories import add_practice, make_city


def test_european_cities_land_inside_the_frame_in_the_right_order():
    lisbon = place(38.72, -9.14)
    helsinki = place(60.17, 24.94)
    mechelen = place(51.03, 4.48)
    nicosia = place(35.17, 33.36)
    reykjavik = place(64.15, -21.94)
    for point in (lisbon, helsinki, mechelen, nicosia, reykjavik):
        assert point is not None
        assert 0 <= point[0] <= WIDTH and 0 <= point[1] <= HEIGHT
    assert lisbon[0] < mechelen[0] < helsinki[0]  # west to east
    assert helsinki[1] < mechelen[1] < lisbon[1]  # north to south (y grows downwards)


def test_places_outside_the_frame_or_without_coordinates_are_not_placed():
    assert place(28.1, -15.4) is None  # Las Palmas, Canary Islands
    assert place(None, 4.48) is None
    assert place(-33.9, 18.4) is None  # Cape Town
    x, y = project(52.0, 10.0)  # the centre of the projection
    assert 0 < x < WIDTH and 0 < y < HEIGHT


def test_circle_area_grows_with_the_count():
    assert radius(1, 1) == radius(9, 9)
    assert radius(1, 9) < radius(4, 9) < radius(9, 9)
    assert radius(0, 0) > 0


def _city(slug, count, latitude=None, longitude=None):
    term = Term(1, slug, slug.title(), "Belgium", latitude, longitude)
    return CityCount(term=term, count=count, querystring=f"?city={slug}", active=False)


def test_build_map_places_what_it_can_and_lists_the_rest():
    mechelen = _city("mechelen", 3, 51.03, 4.48)
    ghent = _city("ghent", 1, 51.05, 3.72)
    nowhere = _city("nowhere", 2)
    practice_map = build_map([ghent, mechelen, nowhere])
    assert [point.city for point in practice_map.points] == [mechelen, ghent]  # big ones first
    assert practice_map.unplaced == [nowhere]
    assert practice_map.cities == [ghent, mechelen, nowhere]
    assert practice_map.graticule.startswith("M")


@pytest.mark.django_db
def test_library_map_has_circles_only_for_cities_with_live_practices(client, library):
    mechelen = make_city(latitude=Decimal("51.02574"), longitude=Decimal("4.47762"))
    lille = make_city(
        "Lille", "FR", "France", latitude=Decimal("50.62925"), longitude=Decimal("3.05726")
    )
    make_city("Gdansk", "PL", "Poland", latitude=Decimal("54.35"), longitude=Decimal("18.65"))
    no_place = make_city("Atlantis", "GR", "Greece")
    for number in (1, 2):
        add_practice(library, mechelen, number=number)
    add_practice(library, lille, number=3, live=False, title="Lille draft")
    add_practice(library, no_place, number=4, title="Sunken practice")

    html = client.get(library.url + "map/").content.decode()
    svg = html[
        html.index('<svg class="library-map__svg"') : html.index("</svg>", html.index("map__svg"))
    ]
    assert svg.count("<circle") == 1
    assert f'href="{library.url}?city=mechelen"' in svg
    assert re.search(r"<title>\s*Mechelen, Belgium: 2 practices\s*</title>", svg)
    assert "Lille" not in svg and "Gdansk" not in svg and "Atlantis" not in svg
    # The table lists every city with live practices, placed on the map or not.
    table = html[html.index('<table class="library-map__table">') :]
    assert f'href="{library.url}?city=mechelen">Mechelen</a>' in table
    assert f'href="{library.url}?city=atlantis">Atlantis</a>' in table
    assert "Lille" not in table


@pytest.mark.django_db
def test_map_follows_the_filters_and_links_keep_them(client, library, mechelen):
    lille = make_city("Lille", "FR", "France", latitude=Decimal("50.63"), longitude=Decimal("3.06"))
    add_practice(library, mechelen, number=1, status="completed")
    add_practice(library, lille, number=2, status="running")
    listing = client.get(library.url, {"status": "running"}).content.decode()
    assert f'href="{library.url}map/?status=running">Show these practices on a map' in listing
    html = client.get(library.url + "map/", {"status": "running"}).content.decode()
    assert f'href="{library.url}?city=lille&amp;status=running"' in html
    assert "?city=mechelen" not in html
    assert f'action="{library.url}map/"' in html  # the filters stay on the map


@pytest.mark.django_db
def test_map_of_an_empty_library(client, library):
    response = client.get(library.url + "map/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "library-map__city" not in html and "nothing to show on the map" in html


@pytest.mark.django_db
def test_a_practice_titled_map_leaves_the_map_where_it_is(client, library, mechelen):
    practice = add_practice(library, mechelen, number=1, slug="", title="Map")
    assert practice.slug == "map-practice"
    response = client.get(library.url + "map/")
    assert response.status_code == 200
    assert response.context["library_view"] == "map"
