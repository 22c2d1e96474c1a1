"""RSS and Atom feeds of the newest practices: the whole library, or one theme.

They are routes of the library page (`PracticeIndexPage`), so they follow it wherever it lives
in the page tree. A feed says what a practice is, where and when; never who to contact: it
reads public fields only (`practices.public`).
"""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from core.forms import xml_safe

from .library import library_base
from .models import PracticePage, Theme
from .public import only_public

FEED_LENGTH = 30


class LatestPracticesFeed(Feed):
    """RSS 2.0: the newest published practices, of one theme when `theme` is given.

    A new instance serves each request (see `PracticeIndexPage`), so it may keep the request
    and the library page on itself.
    """

    feed_type = Rss201rev2Feed

    def __init__(self, library, request):
        super().__init__()
        self.library = library
        self.request = request

    def get_object(self, request, theme: str | None = None) -> Theme | None:
        if theme is None:
            return None
        try:
            return Theme.objects.get(slug=theme)
        except Theme.DoesNotExist:
            raise Http404(_("There is no such theme.")) from None

    def title(self, theme: Theme | None) -> str:
        if theme is None:
            return _("Urban Exchange: new practices")
        return _("Urban Exchange: new practices on %(theme)s") % {"theme": xml_safe(theme.name)}

    def description(self, theme: Theme | None) -> str:
        return _("Practices that European cities have shared in the Urban Exchange library.")

    def subtitle(self, theme: Theme | None) -> str:
        return self.description(theme)

    def link(self, theme: Theme | None) -> str:
        url = self.library.get_url(request=self.request)
        return f"{url}?theme={theme.slug}" if theme is not None else url

    def feed_url(self, theme: Theme | None) -> str:
        return self.request.path

    def items(self, theme: Theme | None):
        practices = PracticePage.objects.filter(library_base(self.library))
        if theme is not None:
            practices = practices.filter(themes=theme)
        practices = only_public(
            practices.select_related("city__country").prefetch_related("themes"), "summary", "city"
        )
        return practices.order_by("-first_published_at", "-pk")[:FEED_LENGTH]

    # Text typed in Wagtail's editor or imported never passed the site's forms: a control
    # character in one title would make the whole feed fail to build.

    def item_title(self, practice: PracticePage) -> str:
        return xml_safe(practice.title)

    def item_description(self, practice: PracticePage) -> str:
        city = practice.city
        return xml_safe(f"{city.name}, {city.country.name}: {practice.summary}")

    def item_link(self, practice: PracticePage) -> str:
        return practice.get_url(request=self.request)

    def item_pubdate(self, practice: PracticePage):
        return practice.first_published_at

    def item_updateddate(self, practice: PracticePage):
        return practice.last_published_at

    def item_categories(self, practice: PracticePage) -> list[str]:
        return [xml_safe(theme.name) for theme in practice.themes.all()]


class LatestPracticesAtomFeed(LatestPracticesFeed):
    """The same feed as Atom 1.0."""

    feed_type = Atom1Feed


FEEDS = {"rss": LatestPracticesFeed, "atom": LatestPracticesAtomFeed}


def serve_feed(library, request, kind: str, theme: str | None = None):
    """The response of one feed: `kind` is "rss" or "atom"."""
    return FEEDS[kind](library, request)(request, theme=theme)
