"""The transfer map: how practices travelled, an arrow from each original's city to the city
that adapted it, drawn on the server on the practice map's Europe (`practices.map`).

The transfers shown are those of the library's current search and filters: each matching
practice that was adapted from a readable practice of the library. Which practice was adapted
from which comes from the library's in-memory index; the practices and their cities are then
read in one query. Arrows between the same two cities are drawn once, thicker for more
transfers. An original outside the library has no place on the map: its city is only text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import hypot

import numpy as np

from .library.index import LibraryIndex
from .map import HEIGHT, WIDTH, graticule, place
from .models import PracticePage

#: The most transfers a map draws and lists; the count says how many there are in all.
MAX_TRANSFERS = 300
#: Where an arrow stops short of its cities' dots, in SVG units.
END_GAP = 6.0


@dataclass
class Transfer:
    original: PracticePage
    reuse: PracticePage


@dataclass
class Arrow:
    """The transfers from one city to another: one arrow, its width growing with them."""

    from_city: str
    to_city: str
    x1: float
    y1: float
    x2: float
    y2: float
    transfers: list[Transfer] = field(default_factory=list)

    @property
    def width(self) -> float:
        return round(1.5 + min(len(self.transfers), 6) * 0.75, 1)


@dataclass
class CityDot:
    name: str
    x: float
    y: float


@dataclass
class TransferMap:
    transfers: list[Transfer]
    arrows: list[Arrow]
    cities: list[CityDot]
    total: int
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def graticule(self) -> str:
        return graticule()

    @property
    def unplaced(self) -> list[Transfer]:
        drawn = {id(transfer) for arrow in self.arrows for transfer in arrow.transfers}
        return [transfer for transfer in self.transfers if id(transfer) not in drawn]


def transfer_pairs(index: LibraryIndex, ids) -> list[tuple[int, int]]:
    """(original id, reuse id) for each of `ids` adapted from a readable practice: no query."""
    slots = index.slots(np.asarray(ids, dtype=np.int64))
    originals = index.adapted_from[slots]
    has_original = originals > 0
    slots, originals = slots[has_original], originals[has_original]
    readable = index.slots(originals, keep_unknown=True) >= 0
    return list(zip(originals[readable].tolist(), index.ids[slots[readable]].tolist(), strict=True))


def load_transfers(pairs: list[tuple[int, int]]) -> list[Transfer]:
    """The practices of `pairs` with their cities, in one query, in the pairs' order."""
    pairs = pairs[:MAX_TRANSFERS]
    wanted = {pk for pair in pairs for pk in pair}
    practices = PracticePage.objects.filter(pk__in=wanted).select_related("city__country")
    practices = practices.only(
        "title",
        "url_path",
        "path",
        "depth",
        "city__name",
        "city__latitude",
        "city__longitude",
        "city__country__name",
    )
    by_id = {practice.pk: practice for practice in practices}
    return [
        Transfer(by_id[original], by_id[reuse])
        for original, reuse in pairs
        if original in by_id and reuse in by_id
    ]


def _shortened(x1, y1, x2, y2) -> tuple[float, float, float, float]:
    length = hypot(x2 - x1, y2 - y1)
    if length <= 2 * END_GAP:
        return x1, y1, x2, y2
    dx, dy = (x2 - x1) / length * END_GAP, (y2 - y1) / length * END_GAP
    return round(x1 + dx, 1), round(y1 + dy, 1), round(x2 - dx, 1), round(y2 - dy, 1)


def build_transfer_map(transfers: list[Transfer], total: int) -> TransferMap:
    arrows: dict[tuple[int, int], Arrow] = {}
    dots: dict[int, CityDot] = {}
    for transfer in transfers:
        start, end = transfer.original.city, transfer.reuse.city
        a = place(_number(start.latitude), _number(start.longitude))
        b = place(_number(end.latitude), _number(end.longitude))
        if a is None or b is None or start.pk == end.pk:
            continue
        dots.setdefault(start.pk, CityDot(start.name, *a))
        dots.setdefault(end.pk, CityDot(end.name, *b))
        key = (start.pk, end.pk)
        if key not in arrows:
            arrows[key] = Arrow(start.name, end.name, *_shortened(*a, *b))
        arrows[key].transfers.append(transfer)
    return TransferMap(
        transfers=transfers,
        arrows=sorted(arrows.values(), key=lambda arrow: (arrow.from_city, arrow.to_city)),
        cities=sorted(dots.values(), key=lambda dot: dot.name),
        total=total,
    )


def _number(value) -> float | None:
    return float(value) if value is not None else None
