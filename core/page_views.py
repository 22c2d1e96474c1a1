"""The views behind a page's routes, registered from above so that the models need not import them.

A Wagtail page is a model, and Wagtail serves it by calling its methods: the routes of
`RoutablePageMixin` (`feed/rss/`, `export/csv/`, `contact/`) are methods of the page class.
The views that do the work import the models, so the models cannot import them back. A page
type therefore declares a `PageViews`; its app registers the views in `AppConfig.ready()`, and
each route hands the request on by name:

    # practices/models/practice.py
    class PracticeIndexPage(RoutablePageMixin, Page):
        views = PageViews("practice library", ["list", "map", ...])

        @path("map/", name="map")
        def library_map(self, request):
            return self.views.serve("map", self, request)

    # practices/apps.py, in ready()
    PracticeIndexPage.views.register(list=library.library_page, map=library.library_map, ...)

The URLs stay routes of the page, so they move with it in the tree.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

#: A view of a page's route: `view(request, page, **route_kwargs)`.
PageView = Callable[..., HttpResponse]


class PageViews:
    """The named views of one page type's routes."""

    def __init__(self, page_type: str, names: Iterable[str]):
        self.page_type = page_type
        self.names = tuple(names)
        self._views: dict[str, PageView] = {}

    def register(self, **views: PageView) -> None:
        """Register `name=view` pairs; a name the page type does not declare is a mistake."""
        unknown = set(views) - set(self.names)
        if unknown:
            raise ImproperlyConfigured(
                f"The {self.page_type} page has no route called {', '.join(sorted(unknown))}."
            )
        self._views.update(views)

    def missing(self) -> list[str]:
        """The declared names that no view has been registered for."""
        return [name for name in self.names if name not in self._views]

    def serve(self, name: str, page, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        """The response of the view registered as `name`, for `page`."""
        try:
            view = self._views[name]
        except KeyError:
            raise ImproperlyConfigured(
                f"No view is registered for the {name!r} route of the {self.page_type} page; "
                "its app registers them in AppConfig.ready()."
            ) from None
        return view(request, page, **kwargs)
