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


# --- Crowded places: circles pushed apart, leader lines, labels -----------------------------


def _overlapping(points) -> list[tuple[str, str]]:
    pairs = []
    for index, first in enumerate(points):
        for second in points[index + 1 :]:
            distance = ((first.x - second.x) ** 2 + (first.y - second.y) ** 2) ** 0.5
            if distance < first.radius + second.radius:
                pairs.append((first.city.term.slug, second.city.term.slug))
    return pairs


def test_cities_close_together_are_pushed_apart_with_a_line_to_their_place():
    brussels = _city("brussels", 9, 50.85, 4.35)
    mechelen = _city("mechelen", 4, 51.03, 4.48)  # 20 km away: the circles would overlap
    leuven = _city("leuven", 1, 50.88, 4.70)
    twin = _city("twin", 1, 50.85, 4.35)  # on the very spot of Brussels
    lisbon = _city("lisbon", 1, 38.72, -9.14)  # alone: stays where it is
    practice_map = build_map([brussels, mechelen, leuven, twin, lisbon])
    points = {point.city.term.slug: point for point in practice_map.points}

    assert _overlapping(practice_map.points) == []
    assert points["twin"].moved and points["mechelen"].moved
    assert not points["lisbon"].moved
    assert (points["lisbon"].x, points["lisbon"].y) == place(38.72, -9.14)
    # The biggest circle is the city with most practices: it moves least.
    shifts = {
        slug: abs(point.x - point.anchor_x) + abs(point.y - point.anchor_y)
        for slug, point in points.items()
    }
    assert shifts["brussels"] < shifts["twin"]
    for point in practice_map.points:
        assert point.radius <= point.x <= WIDTH - point.radius
        assert point.radius <= point.y <= HEIGHT - point.radius


def test_the_same_cities_always_give_the_same_map():
    def layout():
        cities = [_city(f"c{n}", 1 + n % 3, 50.85, 4.35) for n in range(6)]
        return [(point.x, point.y) for point in build_map(cities).points]

    assert layout() == layout()


def test_a_thousand_cities_are_spread_quickly():
    import time

    cities = [
        _city(f"c{n}", 1 + n % 7, 45 + (n % 40) * 0.25, -5 + (n // 40) * 1.1) for n in range(1000)
    ]
    start = time.perf_counter()
    build_map(cities)
    # A guard against a pass that grows with the square of the cities, not a speed figure
    # (which would vary with the machine's load): it takes well under a second when quiet.
    assert time.perf_counter() - start < 10.0


@pytest.mark.django_db
def test_the_map_draws_leader_lines_and_labels_for_overlapping_cities(client, library):
    brussels = make_city("Brussels", latitude=Decimal("50.85"), longitude=Decimal("4.35"))
    mechelen = make_city(latitude=Decimal("51.03"), longitude=Decimal("4.48"))
    for number in (1, 2, 3):
        add_practice(library, brussels, number=number)
    add_practice(library, mechelen, number=4)
    html = client.get(library.url + "map/").content.decode()
    start = html.index('<svg class="library-map__svg"')
    svg = html[start : html.index("</svg>", start)]
    leaders = svg[svg.index('<g class="library-map__leaders"') :]
    assert leaders.count("<line ") >= 1
    labels = re.findall(r'<text class="library-map__label"[^>]*>([^<]+)</text>', svg)
    assert sorted(labels) == ["Brussels (3)", "Mechelen (1)"]
    radii = [float(r) for r in re.findall(r'<circle cx="[^"]+" cy="[^"]+" r="([^"]+)"/><text', svg)]
    assert radii[0] > radii[1]  # three practices draw a bigger circle than one
