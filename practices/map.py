"""The practice map: a circle per city on an SVG of Europe, drawn on the server.

Nothing is fetched at run time. The map uses the Lambert azimuthal equal-area projection
centred on 52°N 10°E, the projection of the EU's own maps (ETRS89-LAEA, EPSG:3035), on a
sphere, which is close enough at this scale. The coastline and borders in
`templates/practices/includes/map_outline.svg` were projected once with `project()` from
Natural Earth's 1:110m countries (public domain), so cities and coasts line up.

Circle areas grow with the number of practices. Cities whose circles would overlap (Brussels
and Mechelen, or two practices' cities a few kilometres apart) are pushed apart until every
circle stands on its own, and a moved circle keeps a thin leader line to a dot at its real
place (`spread()`). Each circle carries its city's name and count as a label, shown on hover
and on keyboard focus. Cities without coordinates, or outside the frame (the Canary Islands,
the Azores), are in the list under the map only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from math import cos, hypot, radians, sin, sqrt

from .library.results import CityCount

EARTH_RADIUS_KM = 6371.0
CENTRE_LATITUDE, CENTRE_LONGITUDE = 52.0, 10.0

#: The frame, in kilometres from the centre: Iceland and Portugal to Cyprus and Moscow,
#: Malta to the North Cape.
X_MIN, X_MAX = -1850.0, 2450.0
Y_MIN, Y_MAX = -1950.0, 2250.0

WIDTH = 1000
SCALE = WIDTH / (X_MAX - X_MIN)  # SVG units per kilometre
HEIGHT = round((Y_MAX - Y_MIN) * SCALE)

MIN_RADIUS = 4.0
MAX_RADIUS = 26.0

#: Space kept between two circles after they are pushed apart, in SVG units.
GAP = 2.0
#: Rounds of pushing apart; each moves every overlapping pair half of its overlap.
SPREAD_ROUNDS = 80
#: A circle moved further than this from its city gets a leader line back to it.
LEADER_MIN = 3.0
#: Room kept for a label between a circle and the frame's left and right edges.
LABEL_MARGIN = 70.0


def project(latitude: float, longitude: float) -> tuple[float, float]:
    """SVG x, y of a point (y grows downwards), whether or not it falls inside the frame."""
    phi, lam = radians(latitude), radians(longitude)
    phi0, lam0 = radians(CENTRE_LATITUDE), radians(CENTRE_LONGITUDE)
    denominator = 1 + sin(phi0) * sin(phi) + cos(phi0) * cos(phi) * cos(lam - lam0)
    k = sqrt(2 / denominator) if denominator > 1e-9 else 0.0
    x = EARTH_RADIUS_KM * k * cos(phi) * sin(lam - lam0)
    y = EARTH_RADIUS_KM * k * (cos(phi0) * sin(phi) - sin(phi0) * cos(phi) * cos(lam - lam0))
    return (x - X_MIN) * SCALE, (Y_MAX - y) * SCALE


def place(latitude: float | None, longitude: float | None) -> tuple[float, float] | None:
    """SVG x, y of a city, or None when it has no coordinates or lies outside the frame."""
    if latitude is None or longitude is None:
        return None
    x, y = project(latitude, longitude)
    if 0 <= x <= WIDTH and 0 <= y <= HEIGHT:
        return round(x, 1), round(y, 1)
    return None


@cache
def graticule() -> str:
    """SVG path data of the meridians and parallels every ten degrees, clipped by the viewBox."""
    parts = []
    for longitude in range(-30, 61, 10):
        points = [project(latitude, longitude) for latitude in range(30, 76)]
        parts.append(_polyline(points))
    for latitude in range(30, 76, 10):
        points = [project(latitude, longitude) for longitude in range(-40, 71)]
        parts.append(_polyline(points))
    return " ".join(parts)


def _polyline(points: list[tuple[float, float]]) -> str:
    first, *rest = points
    return f"M{first[0]:.1f} {first[1]:.1f}" + "".join(f"L{x:.1f} {y:.1f}" for x, y in rest)


@dataclass
class MapPoint:
    """A circle: where it is drawn (`x`, `y`), and where its city really is (`anchor_*`)."""

    city: CityCount
    x: float
    y: float
    radius: float
    anchor_x: float = 0.0
    anchor_y: float = 0.0

    def __post_init__(self):
        if not self.anchor_x and not self.anchor_y:
            self.anchor_x, self.anchor_y = self.x, self.y

    @property
    def moved(self) -> bool:
        """Pushed away from its city far enough to need a leader line."""
        return hypot(self.x - self.anchor_x, self.y - self.anchor_y) > LEADER_MIN

    @property
    def label_x(self) -> float:
        return min(max(self.x, LABEL_MARGIN), WIDTH - LABEL_MARGIN)

    @property
    def label_y(self) -> float:
        """Above the circle; below it when the circle is at the top of the frame."""
        above = self.y - self.radius - 6
        return above if above > 20 else self.y + self.radius + 18


@dataclass
class PracticeMap:
    """What the map template draws: the circles, biggest first so small ones stay on top."""

    points: list[MapPoint]
    cities: list[CityCount]
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def graticule(self) -> str:
        return graticule()

    @property
    def unplaced(self) -> list[CityCount]:
        placed = {id(point.city) for point in self.points}
        return [city for city in self.cities if id(city) not in placed]


def radius(count: int, largest: int) -> float:
    """Circle radius for `count` practices: the area, not the radius, grows with the count."""
    if largest <= 0:
        return MIN_RADIUS
    return round(MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * sqrt(count / largest), 1)


def spread(points: list[MapPoint], rounds: int = SPREAD_ROUNDS) -> None:
    """Push overlapping circles apart, in place, until each stands clear of the others.

    Each round moves both circles of every overlapping pair away from each other by half of
    their overlap, the smaller one more (a big circle is a big city's practices: it should
    stay where it is). Circles on the same spot leave it in directions set by their order, so
    the same cities always give the same map. Neighbours are found in a grid of cells as wide
    as the largest pair of circles, so that a round costs about one look per nearby circle,
    not one per pair: a map of a thousand cities still takes a blink.
    """
    if len(points) < 2:
        return
    cell = 2 * max(point.radius for point in points) + GAP
    for _round in range(rounds):
        grid: dict[tuple[int, int], list[int]] = {}
        for index, point in enumerate(points):
            grid.setdefault((int(point.x // cell), int(point.y // cell)), []).append(index)
        moved = False
        for index, point in enumerate(points):
            column, row = int(point.x // cell), int(point.y // cell)
            for d_column in (-1, 0, 1):
                for d_row in (-1, 0, 1):
                    for other_index in grid.get((column + d_column, row + d_row), ()):
                        if other_index <= index:
                            continue
                        moved |= _push_apart(point, points[other_index], index + other_index)
        for point in points:
            point.x = min(max(point.x, point.radius), WIDTH - point.radius)
            point.y = min(max(point.y, point.radius), HEIGHT - point.radius)
        if not moved:
            return


def _push_apart(first: MapPoint, second: MapPoint, seed: int) -> bool:
    """Move two overlapping circles apart along the line between them; False if clear."""
    dx, dy = second.x - first.x, second.y - first.y
    distance = hypot(dx, dy)
    wanted = first.radius + second.radius + GAP
    if distance >= wanted:
        return False
    if distance < 1e-6:
        # The same spot: leave it at an angle given by the pair, the golden angle apart.
        angle = seed * 2.399963
        dx, dy, distance = cos(angle), sin(angle), 1.0
    overlap = wanted - distance
    share = second.radius**4 / (first.radius**4 + second.radius**4)  # the smaller moves more
    first.x -= dx / distance * overlap * share
    first.y -= dy / distance * overlap * share
    second.x += dx / distance * overlap * (1 - share)
    second.y += dy / distance * overlap * (1 - share)
    return True


def build_map(cities: list[CityCount]) -> PracticeMap:
    """Place the cities that have matching practices; the rest stay in the list only."""
    largest = max((city.count for city in cities), default=0)
    points = []
    for city in cities:
        position = place(city.term.latitude, city.term.longitude)
        if position is not None:
            x, y = position
            size = radius(city.count, largest)
            points.append(MapPoint(city, x, y, radius=size, anchor_x=x, anchor_y=y))
    points.sort(key=lambda point: (-point.radius, point.city.term.label))
    spread(points)
    for point in points:
        point.x, point.y = round(point.x, 1), round(point.y, 1)
    return PracticeMap(points=points, cities=cities)
