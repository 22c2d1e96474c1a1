"""Related practices: the live practices of a library that share most themes and funds with one.

The practice page shows them (`practices.views.practice`). One query ranks them, and the ranking
is kept in the cache for the library version; two more read the cards.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from wagtail.models import Page

from ..models import PracticeFund, PracticePage
from .matching import library_base, m2m_columns
from .results import fetch_cards
from .version import CACHE_TIMEOUT, library_version

RELATED_LIMIT = 4


def related_practices(
    practice: PracticePage, library: Page, limit: int = RELATED_LIMIT, *, cached: bool = True
) -> list[PracticePage]:
    """Up to `limit` live practices of `library` sharing most themes and funds with `practice`.

    Works on a preview too, where the terms come from the revision rather than the database;
    a preview (`cached=False`) neither reads nor fills the cache.
    """
    theme_ids = sorted({theme.pk for theme in practice.themes.all()})
    fund_ids = sorted({item.fund_id for item in practice.practice_funds.all()})
    if not theme_ids and not fund_ids:
        return []
    key = (
        f"practices:library:{library_version()}:related:{practice.pk}:"
        f"{','.join(map(str, theme_ids))}:{','.join(map(str, fund_ids))}:{limit}"
    )
    ids = cache.get(key) if cached else None
    if ids is None:
        ids = _rank(practice, library, theme_ids, fund_ids, limit)
        if cached:
            cache.set(key, ids, CACHE_TIMEOUT)
    return fetch_cards(ids)


def _rank(
    practice: PracticePage, library: Page, theme_ids: list[int], fund_ids: list[int], limit: int
) -> list[int]:
    through, page_column, term_column = m2m_columns("themes")
    shared_themes = (
        through.objects.filter(**{page_column: OuterRef("pk"), f"{term_column}__in": theme_ids})
        .order_by()
        .values(page_column)
        .annotate(n=Count(term_column))
        .values("n")[:1]
    )
    shared_funds = (
        PracticeFund.objects.filter(page_id=OuterRef("pk"), fund_id__in=fund_ids)
        .order_by()
        .values("page_id")
        .annotate(n=Count("fund_id", distinct=True))
        .values("n")[:1]
    )
    sharing = Q(
        pk__in=through.objects.filter(**{f"{term_column}__in": theme_ids}).values(page_column)
    ) | Q(pk__in=PracticeFund.objects.filter(fund_id__in=fund_ids).values("page_id"))
    ranked = (
        PracticePage.objects.filter(library_base(library))
        .filter(sharing)
        .exclude(pk=practice.pk)
        .annotate(
            shared=Coalesce(Subquery(shared_themes), Value(0))
            + Coalesce(Subquery(shared_funds), Value(0))
        )
        .order_by("-shared", "-first_published_at", "-pk")
    )
    return list(ranked.values_list("pk", flat=True)[:limit])
