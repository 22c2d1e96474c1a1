"""The practice map: a circle per city on an SVG of Europe, drawn on the server.

Nothing is fetched at run time. The map uses the Lambert azimuthal equal-area projection
centred on 52°N 10°E, the projection of the EU's own maps (ETRS89-LAEA, EPSG:3035), on a
sphere, which is close enough at this scale. The coastline and borders in
`templates/practices/includes/map_outline.svg` were projected once with `project()` from
Natural Earth's 1:110m countries (public domain), so cities and coasts line up.

Circle areas grow with the number of practices. Cities without coordinates, or outside the
frame (the Canary Islands, the Azores), are in the list under the map only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from math import cos, radians, sin, sqrt

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
    city: CityCount
    x: float
    y: float
    radius: float


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


def build_map(cities: list[CityCount]) -> PracticeMap:
    """Place the cities that have matching practices; the rest stay in the list only."""
    largest = max((city.count for city in cities), default=0)
    points = []
    for city in cities:
        position = place(city.term.latitude, city.term.longitude)
        if position is not None:
            points.append(MapPoint(city, *position, radius=radius(city.count, largest)))
    points.sort(key=lambda point: (-point.radius, point.city.term.label))
    return PracticeMap(points=points, cities=cities)
