"""The library's routes (`PracticeIndexPage`): the list, the map, the feeds and the exports.

Each view gets the request and the library page; `practices.library` finds the practices,
`practices.map`, `practices.feeds` and `practices.exports` draw them.
"""

from urllib.parse import urlencode

from django.utils.functional import SimpleLazyObject

from core.addresses import served_url

from .. import exports, feeds
from ..library import LibraryQuery, search_library
from ..map import build_map
from ..models import PracticeIndexPage
from ..transfer_map import build_transfer_map, load_transfers, transfer_pairs
from .alerts import AlertForm


def _library_context(request, library: PracticeIndexPage) -> dict:
    result = search_library(
        library, LibraryQuery.from_querydict(request.GET), page_size=library.page_size
    )
    links = library.get_library_links(request, result.active_themes)
    # The feeds follow the same filters and search (not the order or the page).
    feed_params = result.query.params(with_sort=False)
    return {
        "library": result,
        "library_links": links,
        "feed_querystring": "?" + urlencode(feed_params) if feed_params else "",
        "alert_form": AlertForm(),
        # Every filtered address names the plain one as the page to index, on the site's real
        # host, as the sitemap does.
        "canonical_url": served_url(request, library.get_full_url(request)),
    }


def library_page(request, library: PracticeIndexPage):
    """The library: search, facets and one page of practices."""
    context = _library_context(request, library)
    return library.render(request, context_overrides={**context, "library_view": "list"})


def library_map(request, library: PracticeIndexPage):
    """The same search and facets, with the matching practices on a map of Europe."""
    context = _library_context(request, library)
    result = context["library"]
    # Drawn when the template first asks for it: not at all when its HTML is in the cache.
    context["practice_map"] = SimpleLazyObject(lambda: build_map(result.cities))
    context["canonical_url"] = served_url(request, context["canonical_url"] + "map/")
    return library.render(request, context_overrides={**context, "library_view": "map"})


def library_transfers(request, library: PracticeIndexPage):
    """The same search and facets, with the matching practices' transfers on a map."""
    context = _library_context(request, library)
    result = context["library"]

    def draw():
        pairs = transfer_pairs(result.index, result.ids)
        return build_transfer_map(load_transfers(pairs), total=len(pairs))

    # Drawn when the template first asks for it: not at all when its HTML is in the cache.
    context["transfer_map"] = SimpleLazyObject(draw)
    context["canonical_url"] = served_url(request, context["canonical_url"] + "transfers/")
    return library.render(request, context_overrides={**context, "library_view": "transfers"})


def feed(request, library: PracticeIndexPage, kind: str, theme: str | None = None):
    """The RSS or Atom feed (`kind`) of the newest practices, of one theme if named."""
    return feeds.serve_feed(library, request, kind, theme=theme)


def feed_style(request, library: PracticeIndexPage):
    """The XSL stylesheet that shows a feed opened in a browser as a page explaining it."""
    return feeds.serve_stylesheet(library, request)


def export_csv(request, library: PracticeIndexPage):
    """Every practice matching the visitor's filters, as CSV."""
    return exports.export_csv(library, request)


def export_json(request, library: PracticeIndexPage):
    """Every practice matching the visitor's filters, as JSON."""
    return exports.export_json(library, request)
