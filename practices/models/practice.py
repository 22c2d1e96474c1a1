"""The practice library: what a city did, how, with which money, and what others can reuse."""

from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from .taxonomy import Action, City, Fund, GovernanceLevel, Partnership, TargetGroup, Theme

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3"]


class PracticeStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    REGULAR_SERVICE = "regular", _("Ongoing, now a regular service")
    COMPLETED = "completed", _("Completed")


class PracticeFund(Orderable):
    """A fund that paid for a practice, with the amount where the city knows it."""

    page = ParentalKey(
        "practices.PracticePage", related_name="practice_funds", on_delete=models.CASCADE
    )
    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="+"
    )
    amount_eur = models.DecimalField(
        _("amount (EUR)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Leave empty if you do not know."),
    )

    panels = [FieldRowPanel([FieldPanel("fund"), FieldPanel("amount_eur")])]


class PracticeImage(Orderable):
    """A photo of the practice at work. The alt text describes it for people who cannot see it."""

    page = ParentalKey("practices.PracticePage", related_name="images", on_delete=models.CASCADE)
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("image"), on_delete=models.CASCADE, related_name="+"
    )
    alt_text = models.CharField(
        _("alternative text"),
        max_length=255,
        help_text=_("Describe what the image shows, for people who cannot see it."),
    )
    caption = models.CharField(_("caption"), max_length=255, blank=True)

    panels = [FieldPanel("image"), FieldPanel("alt_text"), FieldPanel("caption")]


class PracticeDocument(Orderable):
    """A report, evaluation or guide that another city can read."""

    page = ParentalKey("practices.PracticePage", related_name="documents", on_delete=models.CASCADE)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("document")]


class PracticeLink(Orderable):
    """A web page about the practice: the project site, an article, a video."""

    page = ParentalKey("practices.PracticePage", related_name="links", on_delete=models.CASCADE)
    url = models.URLField(_("address"), max_length=500)
    title = models.CharField(_("title"), max_length=255)

    panels = [FieldPanel("title"), FieldPanel("url")]


class PracticePage(Page):
    """One city's practice, written by the city for other cities.

    Members draft it from the front end as a non-live page that they own; moderators review it
    through the Wagtail workflow on the library, and approval publishes it. The contact
    address is never shown: visitors write to the owner through a form on the page.
    """

    summary = models.CharField(
        _("summary"),
        max_length=300,
        help_text=_("One sentence: what the city did and for whom."),
    )
    city = models.ForeignKey(
        City,
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        related_name="practices",
        help_text=_("The city or metropolitan area where the practice runs."),
    )
    lead_organisation = models.CharField(
        _("lead organisation"),
        max_length=255,
        help_text=_("Who runs it, for example: City of Mechelen, social services department."),
    )
    partners = models.TextField(
        _("partners"),
        blank=True,
        help_text=_("Other organisations involved: NGOs, schools, employers, the region..."),
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(
        _("end"), null=True, blank=True, help_text=_("Leave empty if it is still running.")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=PracticeStatus.choices, default=PracticeStatus.RUNNING
    )
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, editable=False, db_index=True
    )
    themes = ParentalManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="practices"
    )
    governance_levels = ParentalManyToManyField(
        GovernanceLevel,
        verbose_name=_("governance levels"),
        blank=True,
        related_name="practices",
        help_text=_("The levels of government that run or fund the practice."),
    )
    target_groups = ParentalManyToManyField(
        TargetGroup, verbose_name=_("target groups"), blank=True, related_name="practices"
    )
    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("Urban Agenda partnership"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="practices",
    )
    action = models.ForeignKey(
        Action,
        verbose_name=_("partnership action"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="practices",
    )
    problem = RichTextField(
        _("the problem"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_("What was wrong, for whom, and how you knew."),
    )
    approach = RichTextField(
        _("approach and activities"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_("What you did, step by step, and who did it."),
    )
    results = RichTextField(
        _("results and evidence"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_("What changed. Say what was measured and how."),
    )
    resources = RichTextField(
        _("resources and budget"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_("Staff, money and time it took."),
    )
    difficulties = RichTextField(
        _("what was difficult"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_("What was hard and what failed. Other cities learn most from this."),
    )
    transferability = RichTextField(
        _("transferability"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_("What another city needs to reuse it: conditions, partners, legal basis."),
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(
        _("contact e-mail"),
        blank=True,
        help_text=_("Never shown on the site: visitors write through a form and we forward it."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("city"),
                FieldPanel("lead_organisation"),
                FieldPanel("partners"),
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                FieldPanel("status"),
            ],
            heading=_("Who, where and when"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("themes"),
                FieldPanel("governance_levels"),
                FieldPanel("target_groups"),
                FieldPanel("partnership"),
                FieldPanel("action"),
            ],
            heading=_("Classification"),
        ),
        InlinePanel("practice_funds", label=_("Funds")),
        FieldPanel("problem"),
        FieldPanel("approach"),
        FieldPanel("results"),
        FieldPanel("resources"),
        FieldPanel("difficulties"),
        FieldPanel("transferability"),
        InlinePanel("images", label=_("Images")),
        InlinePanel("documents", label=_("Documents")),
        InlinePanel("links", label=_("Links")),
        MultiFieldPanel(
            [FieldPanel("contact_name"), FieldPanel("contact_email")], heading=_("Contact")
        ),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("lead_organisation"),
        index.SearchField("partners"),
        index.SearchField("problem"),
        index.SearchField("approach"),
        index.SearchField("results"),
        index.SearchField("transferability"),
        index.RelatedFields("city", [index.SearchField("name")]),
        index.RelatedFields("themes", [index.SearchField("name")]),
        index.FilterField("year"),
        index.FilterField("status"),
        index.FilterField("city"),
    ]

    # Public fields only: the contact person and address never leave the site.
    api_fields = [
        APIField("summary"),
        APIField("city"),
        APIField("lead_organisation"),
        APIField("partners"),
        APIField("start_date"),
        APIField("end_date"),
        APIField("status"),
        APIField("themes"),
        APIField("governance_levels"),
        APIField("target_groups"),
        APIField("partnership"),
        APIField("action"),
        APIField("problem"),
        APIField("approach"),
        APIField("results"),
        APIField("resources"),
        APIField("difficulties"),
        APIField("transferability"),
        APIField("links"),
    ]

    parent_page_types = ["practices.PracticeIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("practice")
        verbose_name_plural = _("practices")

    def save(self, *args, **kwargs):
        # Denormalised for the library's year facet: grouping on a date part is slow on SQLite.
        self.year = self.start_date.year if self.start_date else None
        super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        library = self.get_parent()
        library_url = library.get_url(request=request) if library else "/"
        context["library_url"] = library_url
        context["taxonomy"] = self.get_taxonomy_links(library_url)
        context["related_practices"] = (
            self.get_related_practices(library, cached=not getattr(request, "is_preview", False))
            if library
            else []
        )
        return context

    def get_taxonomy_links(self, library_url: str) -> list[tuple[str, list[tuple[str, str]]]]:
        """(heading, [(term, library URL filtered by it)]) for each facet the practice has.

        Works on a preview too, where the terms come from the revision rather than the database.
        """
        from urllib.parse import urlencode

        def link(key, value, label):
            return (str(label), f"{library_url}?{urlencode({key: value})}")

        rows = [
            (_("Themes"), [link("theme", term.slug, term) for term in self.themes.all()]),
            (
                _("Governance levels"),
                [link("level", term.slug, term) for term in self.governance_levels.all()],
            ),
            (
                _("Funds"),
                [
                    link("fund", item.fund.slug, _fund_label(item))
                    for item in self.practice_funds.select_related("fund")
                ],
            ),
            (
                _("Target groups"),
                [link("group", term.slug, term) for term in self.target_groups.all()],
            ),
            (_("City"), [link("city", self.city.slug, self.city.name)]),
            (_("Country"), [link("country", self.city.country.code, self.city.country.name)]),
        ]
        if self.partnership:
            rows.append(
                (
                    _("Urban Agenda partnership"),
                    [link("partnership", self.partnership.slug, self.partnership.name)],
                )
            )
        if self.year:
            rows.append((_("Year started"), [link("year", self.year, self.year)]))
        rows.append((_("Status"), [link("status", self.status, self.get_status_display())]))
        return [(str(heading), links) for heading, links in rows if links]

    def get_related_practices(
        self, library: Page, limit: int = 4, *, cached: bool = True
    ) -> list["PracticePage"]:
        """Up to `limit` live practices of `library` sharing most themes and funds with this one.

        One query ranks them (kept in the cache for the library version), two read them.
        """
        from django.core.cache import cache

        from ..library import fetch_cards, library_version

        theme_ids = sorted({theme.pk for theme in self.themes.all()})
        fund_ids = sorted({item.fund_id for item in self.practice_funds.all()})
        if not theme_ids and not fund_ids:
            return []
        key = (
            f"practices:library:{library_version()}:related:{self.pk}:"
            f"{','.join(map(str, theme_ids))}:{','.join(map(str, fund_ids))}:{limit}"
        )
        ids = cache.get(key) if cached else None
        if ids is None:
            ids = self._rank_related(library, theme_ids, fund_ids, limit)
            if cached:
                cache.set(key, ids, 60 * 60)
        return fetch_cards(ids)

    def _rank_related(
        self, library: Page, theme_ids: list[int], fund_ids: list[int], limit: int
    ) -> list[int]:
        from django.db.models import Count, OuterRef, Q, Subquery, Value
        from django.db.models.functions import Coalesce

        from ..library import library_base, m2m_columns

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
            .exclude(pk=self.pk)
            .annotate(
                shared=Coalesce(Subquery(shared_themes), Value(0))
                + Coalesce(Subquery(shared_funds), Value(0))
            )
            .order_by("-shared", "-first_published_at", "-pk")
        )
        return list(ranked.values_list("pk", flat=True)[:limit])


def _fund_label(item: PracticeFund) -> str:
    if item.amount_eur:
        return _("%(fund)s (EUR %(amount)s)") % {
            "fund": item.fund.name,
            "amount": f"{item.amount_eur:,.0f}",
        }
    return item.fund.name


class PracticeIndexPage(RoutablePageMixin, Page):
    """The practice library at /practices/: facets, search, feeds, exports and the map.

    The listing, its feeds and exports are routes of this page (`feed/rss/`,
    `feed/<theme>/atom/`, `export/csv/`...), so they move with it; the work is done in
    `practices.library`, `practices.feeds` and `practices.exports`.
    """

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["practices.PracticePage"]
    max_count = 1

    class Meta:
        verbose_name = _("practice library")

    page_size = 20

    def get_practices(self):
        """The published practices in the library, newest first, with what a card shows."""
        return (
            PracticePage.objects.child_of(self)
            .live()
            .public()
            .select_related("city__country")
            .only("title", "url_path", "summary", "city", "first_published_at", "path", "depth")
            .order_by("-first_published_at", "-pk")
        )

    def get_context(self, request, *args, **kwargs):
        from ..library import LibraryQuery, search_library

        context = super().get_context(request, *args, **kwargs)
        library = search_library(
            self, LibraryQuery.from_querydict(request.GET), page_size=self.page_size
        )
        context["library"] = library
        context["library_view"] = "list"
        context["library_links"] = self.get_library_links(request, library.active_themes)
        return context

    def get_library_links(self, request, themes=()) -> dict:
        """The library's own URL, its feeds and exports; a feed pair for each theme in `themes`."""
        url = self.get_url(request=request) or "/"
        base = url if url.endswith("/") else url + "/"

        def route(name, **kwargs):
            return base + self.reverse_subpage(name, kwargs=kwargs)

        return {
            "page": url,
            "map": route("map"),
            "feed_rss": route("feed_rss"),
            "feed_atom": route("feed_atom"),
            "export_csv": route("export_csv"),
            "export_json": route("export_json"),
            "theme_feeds": [
                {
                    "label": theme.label,
                    "rss": route("theme_feed_rss", theme=theme.slug),
                    "atom": route("theme_feed_atom", theme=theme.slug),
                }
                for theme in themes
            ],
        }

    def route(self, request, path_components):
        # Routes of the library take precedence over child pages in RoutablePageMixin. A practice
        # that happens to be called "map" keeps its URL: children are tried first for one-part
        # paths (the child lookup is the query a practice URL costs anyway).
        if len(path_components) == 1:
            try:
                return Page.route(self, request, path_components)
            except Http404:
                pass
        return super().route(request, path_components)

    @path("")
    def library_page(self, request):
        """The library: search, facets and one page of practices."""
        return self.render(request)

    @path("map/", name="map")
    def library_map(self, request):
        """The same search and facets, with the matching practices on a map of Europe."""
        return self.render(request, context_overrides={"library_view": "map"})

    @path("feed/rss/", name="feed_rss")
    @re_path(r"^feed/(?P<theme>[-\w]+)/rss/$", name="theme_feed_rss")
    def feed_rss(self, request, theme: str | None = None):
        """RSS of the newest practices, of one theme when the URL names it."""
        from ..feeds import serve_feed

        return serve_feed(self, request, "rss", theme=theme)

    @path("feed/atom/", name="feed_atom")
    @re_path(r"^feed/(?P<theme>[-\w]+)/atom/$", name="theme_feed_atom")
    def feed_atom(self, request, theme: str | None = None):
        """Atom of the newest practices, of one theme when the URL names it."""
        from ..feeds import serve_feed

        return serve_feed(self, request, "atom", theme=theme)

    @path("export/csv/", name="export_csv")
    def export_csv(self, request):
        """Every practice matching the visitor's filters, as CSV."""
        from ..exports import export_csv

        return export_csv(self, request)

    @path("export/json/", name="export_json")
    def export_json(self, request):
        """Every practice matching the visitor's filters, as JSON."""
        from ..exports import export_json

        return export_json(self, request)
