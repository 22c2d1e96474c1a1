from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from core import sections
from practices.models import PracticeIndexPage

from .blocks import BodyBlock

#: How many of the newest practices the home page shows.
LATEST_PRACTICES = 3


class StandardPage(Page):
    """A plain content page: about the site, the Urban Agenda, privacy, accessibility."""

    introduction = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))
    # The header has one line on a laptop: a page titled "The Urban Agenda for the EU" is
    # "Urban Agenda" there.
    menu_title = models.CharField(
        _("menu title"),
        max_length=40,
        blank=True,
        help_text=_("A short name for the main menu; the page's title when left empty."),
    )
    # What an EU public-sector site must show on every page (legal notice, privacy notice,
    # accessibility statement, contact) lives in pages editors keep up to date.
    show_in_footer = models.BooleanField(
        _("show in footer"),
        default=False,
        help_text=_(
            "Link to this page from the footer of every page, as for the legal notice, the "
            "privacy notice, the accessibility statement and the contact page."
        ),
    )

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("body")]
    promote_panels = [
        *Page.promote_panels,
        MultiFieldPanel(
            [FieldPanel("menu_title"), FieldPanel("show_in_footer")],
            heading=_("Menu title and footer"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = _("standard page")


class HomePage(Page):
    """The front door: says what Urban Exchange is and gathers the latest from each app.

    It shows what the site has: a search of the practice library, its newest practices, an
    invitation to cities to share theirs, and what the apps above add through the home page's
    section registry (upcoming events and the latest outcome reports).
    """

    statement = models.CharField(
        _("statement"),
        max_length=255,
        help_text=_("One sentence that says what the site is, shown as the main heading."),
    )
    introduction = models.TextField(
        _("introduction"), blank=True, help_text=_("A short paragraph below the statement.")
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("statement"),
        FieldPanel("introduction"),
        FieldPanel("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "home.StandardPage",
        "practices.PracticeIndexPage",
        "events.EventIndexPage",
        "academy.AcademyIndexPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        library = self.get_library()
        context["practice_library"] = library
        context["latest_practices"] = self.get_latest_practices(library)
        context["library_size"] = self.get_library_size(library)
        # What the apps above add (upcoming events, outcome reports): see core.sections.
        context["sections"] = sections.sections_for(sections.HOME_PAGE, request, home=self)
        return context

    def get_library_size(self, library: PracticeIndexPage | None) -> dict:
        """How many practices the library holds, and from how many cities (one query)."""
        if library is None:
            return {"practices": 0, "cities": 0}
        return (
            library.get_practices()
            .order_by()
            .aggregate(practices=Count("pk"), cities=Count("city", distinct=True))
        )

    def get_library(self) -> PracticeIndexPage | None:
        """The live practice library below this page, if there is one (its practices are
        checked for view restrictions in `get_practices()`)."""
        return PracticeIndexPage.objects.child_of(self).live().first()

    def get_latest_practices(self, library: PracticeIndexPage | None) -> list:
        """The newest published practices, with what a card shows, in two queries."""
        if library is None:
            return []
        practices = (
            library.get_practices()
            .prefetch_related("themes")
            .only(
                "title",
                "url_path",
                "summary",
                "city",
                "year",
                "status",
                "first_published_at",
                "path",
                "depth",
                "city__name",
                "city__country__name",
            )
        )
        return list(practices[:LATEST_PRACTICES])
