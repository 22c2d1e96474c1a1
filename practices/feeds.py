"""RSS and Atom feeds of the newest practices: of the whole library, or of any list in it.

A feed follows every filter and the search of the library URL it is asked with
(`feed/rss/?theme=housing&country=BE&q=school`), so that "subscribe" under a list gives that
list; the older per-theme addresses (`feed/<theme>/rss/`) still work and mean `?theme=<theme>`.
They are routes of the library page (`PracticeIndexPage`), so they follow it wherever it lives
in the page tree. A feed says what a practice is, where and when; never who to contact: it
reads public fields only (`practices.public`). Each feed names an XSL stylesheet
(`feed/style/`), so that a browser that opens it shows a page saying what a feed is and how
to use it, rather than raw XML.
"""

from __future__ import annotations

from dataclasses import replace

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, Stylesheet
from django.utils.translation import gettext as _

from core.forms import xml_safe

from .library import LibraryQuery, LibraryResult, search_library
from .models import PracticePage, Theme
from .public import only_public

FEED_LENGTH = 30


class LatestPracticesFeed(Feed):
    """RSS 2.0: the newest published practices matching the request's filters and search.

    A new instance serves each request (see `PracticeIndexPage`), so it may keep the request
    and the library page on itself.
    """

    feed_type = Rss201rev2Feed

    def __init__(self, library, request):
        super().__init__()
        self.library = library
        self.request = request

    def get_object(self, request, theme: str | None = None) -> LibraryResult:
        """The library's answer to the request's query, newest first (`theme` from the URL)."""
        query = LibraryQuery.from_querydict(request.GET)
        if theme is not None:
            if not Theme.objects.filter(slug=theme).exists():
                raise Http404(_("There is no such theme."))
            query = query.adding("theme", theme)
        query = replace(query, sort="newest", page=1)
        return search_library(self.library, query, page_size=FEED_LENGTH)

    def title(self, result: LibraryResult) -> str:
        what = _describe(result)
        if not what:
            return _("Urban Exchange: new practices")
        return _("Urban Exchange: new practices (%(what)s)") % {"what": what}

    def description(self, result: LibraryResult) -> str:
        # Also what a browser without XSLT shows near the top of the raw feed.
        return _(
            "New practices that European cities have shared in the Urban Exchange library. "
            "This is a web feed: add its address to a feed reader to hear of each new one."
        )

    def subtitle(self, result: LibraryResult) -> str:
        return self.description(result)

    def link(self, result: LibraryResult) -> str:
        url = self.library.get_url(request=self.request)
        params = result.query.querystring(with_sort=False)
        return url + params if params != "?" else url

    def feed_url(self, result: LibraryResult) -> str:
        return self.request.get_full_path()

    def stylesheets(self, result: LibraryResult) -> list[Stylesheet]:
        url = self.library.get_url(request=self.request)
        base = url if url.endswith("/") else url + "/"
        return [Stylesheet(base + self.library.reverse_subpage("feed_style"), mimetype="text/xsl")]

    def items(self, result: LibraryResult):
        ids = list(result.ids[:FEED_LENGTH])
        practices = PracticePage.objects.filter(pk__in=ids)
        practices = only_public(
            practices.select_related("city__country").prefetch_related("themes"), "summary", "city"
        )
        by_id = {practice.pk: practice for practice in practices}
        return [by_id[pk] for pk in ids if pk in by_id]

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


def _describe(result: LibraryResult) -> str:
    """The filters and search of a feed in words: "Theme: Housing; Country: Belgium; “school”"."""
    parts = [f"{active.facet_label}: {active.label}" for active in result.active_filters]
    if result.query.q:
        parts.append(_("search “%(q)s”") % {"q": result.query.q})
    return xml_safe("; ".join(str(part) for part in parts))


FEEDS = {"rss": LatestPracticesFeed, "atom": LatestPracticesAtomFeed}


def serve_feed(library, request, kind: str, theme: str | None = None):
    """The response of one feed: `kind` is "rss" or "atom".

    A browser (it asks for HTML first) gets the feed as plain XML: as application/rss+xml,
    Chromium shows the raw text and Firefox downloads the file, while as XML both apply the
    stylesheet that explains the feed. Feed readers get the feed's own type.
    """
    response = FEEDS[kind](library, request)(request, theme=theme)
    if "text/html" in request.headers.get("Accept", ""):
        response["Content-Type"] = "application/xml; charset=utf-8"
    patch_vary_headers(response, ["Accept"])
    return response


def serve_stylesheet(library, request) -> HttpResponse:
    """The XSL stylesheet that turns a feed into a page explaining it, in the visitor's language."""
    body = render_to_string(
        "practices/feed_style.xsl",
        {"library_url": library.get_url(request=request)},
        request=request,
    )
    response = HttpResponse(body, content_type="text/xsl; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    return response
