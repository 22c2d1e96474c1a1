"""Which practices the library may list: the conditions and columns that the index is built from.

The matching itself (filters, counts, orders) is done in memory by `practices.library.index`;
this module says, in the database's terms, which practices anyone may read, and where a
many-to-many facet's pairs are. `related` uses the same conditions.

Facets combine with AND between them and OR within one (`?theme=a&theme=b&fund=c` is
"(a or b) and c"). A facet's counts are taken with every filter except its own, so that a
visitor sees how many practices each other value of that facet would add.
"""

from __future__ import annotations

import json

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from ..models import PracticePage


def library_base(library) -> Q:
    """The practices of `library` that anyone may read: live, below it, not in a private part."""
    queryset = PracticePage.objects.all()
    return queryset.child_of_q(library) & queryset.live_q() & ~queryset.private_q()


def m2m_columns(field_name: str):
    """The through model of a PracticePage many-to-many field, and its two column names."""
    m2m = PracticePage._meta.get_field(field_name)
    return m2m.remote_field.through, m2m.m2m_field_name(), m2m.m2m_reverse_field_name()


def pk_in_list(ids: list[int]) -> Q:
    """`pk IN ids`, with the whole list sent as one parameter.

    Django would send one parameter per id, and both databases cap the parameters of a query
    (SQLite at 32,766, PostgreSQL's protocol at 65,535): a library of 100,000 practices would
    fail. An array (PostgreSQL) or a JSON list (SQLite) is one parameter of any length.
    """
    if connection.vendor == "postgresql":
        return Q(pk__in=RawSQL("SELECT unnest(%s::bigint[])", [ids]))  # noqa: S611
    if connection.vendor == "sqlite":
        return Q(pk__in=RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)]))  # noqa: S611
    return Q(pk__in=ids)
