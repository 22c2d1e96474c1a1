"""The practice library: what a city did, how, with which money, and what others can reuse.

The pages hold their data and their routes; the work behind the routes is done by the views
(`practices.views`), which the app registers on each page type's `views` when it is ready:
the views import these models, so the models do not import them.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, URLValidator
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, WorkflowState
from wagtail.search import index

from core import sections
from core.page_views import PageViews

from .. import public
from .taxonomy import Action, City, Fund, GovernanceLevel, Partnership, TargetGroup, Theme

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3"]

# Enough to show a practice at work and to offer its reports, and few enough to read.
MAX_IMAGES = 10
MAX_DOCUMENTS = 10


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
        validators=[MinValueValidator(0)],
        help_text=_("Leave empty if you do not know."),
    )

    panels = [FieldRowPanel([FieldPanel("fund"), FieldPanel("amount_eur")])]
    api_fields = [APIField("fund"), APIField("amount_eur")]


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
    # Other schemes (ftp:, and whatever a browser would run) have no place on a public page.
    url = models.URLField(
        _("address"),
        max_length=500,
        validators=[
            URLValidator(
                schemes=["http", "https"],
                message=_("Enter a web address that starts with https:// or http://."),
                # Not URLValidator's "invalid": forms would put their own message in its place.
                code="not_a_web_address",
            )
        ],
    )
    title = models.CharField(_("title"), max_length=255)

    panels = [FieldPanel("title"), FieldPanel("url")]
    api_fields = [APIField("title"), APIField("url")]


class PracticePage(RoutablePageMixin, Page):
    """One city's practice, written by the city for other cities.

    Members draft it from the front end as a non-live page that they own; moderators review it
    through the Wagtail workflow on the library, and approval publishes it. The contact
    address is never shown: visitors write to the owner through a form on the page, which
    posts to the page's `contact/` route.
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
    # Transfer lineage: where the practice came from. On the page itself, not in a related
    # model: it is part of what the city tells, so it is drafted, previewed, moderated and
    # published with the rest of the practice (in its revisions), and a practice has at most
    # one original. Either a practice of the library or a page outside it, never both.
    adapted_from = models.ForeignKey(
        "self",
        verbose_name=_("adapted from (a practice of the library)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reused_by",
        help_text=_("The practice of another city that this one was adapted from, if any."),
    )
    original_url = models.URLField(
        _("adapted from (address of a page outside the library)"),
        max_length=500,
        blank=True,
        validators=[
            URLValidator(
                schemes=["http", "https"],
                message=_("Enter a web address that starts with https:// or http://."),
                code="not_a_web_address",
            )
        ],
        help_text=_(
            "If the original is not in the library: its page on the URBACT, UIA or Interreg "
            "Europe site."
        ),
    )
    original_title = models.CharField(
        _("name of the original practice"), max_length=255, blank=True
    )
    original_city = models.CharField(_("city of the original practice"), max_length=200, blank=True)
    transfer_taken_over = models.TextField(
        _("what was taken over"),
        blank=True,
        max_length=5000,
        help_text=_("What you reused from the original as it was."),
    )
    transfer_changed = models.TextField(
        _("what was changed, and why"),
        blank=True,
        max_length=5000,
        help_text=_("What you did differently, and what in your city made you change it."),
    )
    transfer_help = models.TextField(
        _("what the original city helped with"),
        blank=True,
        max_length=5000,
        help_text=_("Visits, advice, documents, coaching: what the original city did for you."),
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
        MultiFieldPanel(
            [
                FieldPanel("adapted_from"),
                FieldPanel("original_url"),
                FieldRowPanel([FieldPanel("original_title"), FieldPanel("original_city")]),
                FieldPanel("transfer_taken_over"),
                FieldPanel("transfer_changed"),
                FieldPanel("transfer_help"),
            ],
            heading=_("Adapted from"),
        ),
        InlinePanel("images", label=_("Images"), max_num=MAX_IMAGES),
        InlinePanel("documents", label=_("Documents"), max_num=MAX_DOCUMENTS),
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
        # What a city says of its transfer: "adapted from the music school in L'Hospitalet".
        index.SearchField("original_title"),
        index.SearchField("original_city"),
        index.SearchField("transfer_taken_over"),
        index.SearchField("transfer_changed"),
        index.SearchField("transfer_help"),
        index.RelatedFields("city", [index.SearchField("name")]),
        index.RelatedFields("themes", [index.SearchField("name")]),
        index.FilterField("year"),
        index.FilterField("status"),
        index.FilterField("city"),
    ]

    # Public fields only (practices.public): the contact person and address never leave the site.
    api_fields = public.api_fields()

    parent_page_types = ["practices.PracticeIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("practice")
        verbose_name_plural = _("practices")

    def clean(self):
        """Rules that hold whoever edits the practice: the member's form or the Wagtail editor.

        Wagtail's editor and the member's forms show these errors next to the field. Wagtail
        checks the number of images and documents in the editor itself (the panels' `max_num`);
        the check here covers every other way in, where the children are already in memory.
        """
        super().clean()
        errors = {}
        if self.slug in PracticeIndexPage.ROUTE_SLUGS:
            errors["slug"] = _(
                "The library uses the address “%(slug)s” itself; choose another slug."
            ) % {"slug": self.slug}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end cannot be before the start.")
        if self.action_id:
            if self.partnership_id is None:
                # An action belongs to exactly one partnership: the practice contributes to it.
                self.partnership_id = self.action.partnership_id
            elif self.action.partnership_id != self.partnership_id:
                errors["action"] = _("This action belongs to another partnership.")
        errors.update(self.adaptation_errors())
        if errors:
            raise ValidationError(errors)
        too_many = []
        if len(self.images.all()) > MAX_IMAGES:
            too_many.append(
                _("A practice can show %(count)d images; remove one first.") % {"count": MAX_IMAGES}
            )
        if len(self.documents.all()) > MAX_DOCUMENTS:
            too_many.append(
                _("A practice can offer %(count)d documents; remove one first.")
                % {"count": MAX_DOCUMENTS}
            )
        if too_many:
            raise ValidationError(too_many)

    #: How far back `adaptation_errors` follows a chain of originals looking for a cycle; a
    #: longer chain is refused too, so that the check stays a bounded number of queries.
    MAX_LINEAGE_DEPTH = 50

    def adaptation_errors(self) -> dict:
        """{field: message} for what is wrong with the practice's original (transfer lineage).

        One original, in the library or outside it; one of the library must be another, live
        practice, and following the originals back from it must never come to this practice
        again (A adapted from B adapted from A, at any depth).
        """
        errors = {}
        internal = self.adapted_from_id is not None
        external = bool(self.original_url or self.original_title or self.original_city)
        if internal and external:
            errors["adapted_from"] = _(
                "Choose a practice of the library or give the address of one outside it, not both."
            )
            return errors
        if external:
            if not self.original_url:
                errors["original_url"] = _("Give the address of the original practice's page.")
            if not self.original_title.strip():
                errors["original_title"] = _("Give the name of the original practice.")
        elif not internal and (
            self.transfer_taken_over.strip()
            or self.transfer_changed.strip()
            or self.transfer_help.strip()
        ):
            errors["adapted_from"] = _("Say which practice yours was adapted from.")
        if not internal:
            return errors
        if self.pk is not None and self.adapted_from_id == self.pk:
            errors["adapted_from"] = _("A practice cannot be adapted from itself.")
            return errors
        original = (
            PracticePage.objects.filter(pk=self.adapted_from_id)
            .values_list("live", "adapted_from_id")
            .first()
        )
        if original is None or not original[0]:
            errors["adapted_from"] = _("Choose a published practice of the library.")
            return errors
        # Follow the originals back, one query a step, as the database holds them (the
        # published versions: only a published practice can be an original).
        seen = {self.adapted_from_id}
        step = original[1]
        for _depth in range(self.MAX_LINEAGE_DEPTH):
            if step is None:
                return errors
            if self.pk is not None and step == self.pk:
                errors["adapted_from"] = _(
                    "That practice was itself adapted, directly or through others, from this "
                    "one: a practice cannot be the original of its own original."
                )
                return errors
            if step in seen:  # a cycle above, not through this practice: stop
                return errors
            seen.add(step)
            step = (
                PracticePage.objects.filter(pk=step).values_list("adapted_from_id", flat=True)
            ).first()
        errors["adapted_from"] = _("That practice's chain of originals is too long to follow.")
        return errors

    def get_original(self):
        """The live practice of the library this one was adapted from, or None (one query)."""
        if self.adapted_from_id is None:
            return None
        return (
            PracticePage.objects.live()
            .public()
            .filter(pk=self.adapted_from_id)
            .select_related("city__country")
            .first()
        )

    def get_reused_by(self) -> list:
        """The live practices adapted from this one, with their cities (one query)."""
        if self.pk is None:
            return []
        return list(
            PracticePage.objects.live()
            .public()
            .filter(adapted_from_id=self.pk)
            .select_related("city__country")
            .order_by("city__name", "title")
        )

    @property
    def has_original(self) -> bool:
        return bool(self.adapted_from_id or self.original_url)

    def _set_core_field_defaults(self):
        # Wagtail calls this before every validation and save, and makes the slug from the title,
        # but leaves it empty for a title without a letter or digit ("!!!", "🙂🙂"): the save
        # then fails. It would also take a slug that one of the library's routes uses ("map"),
        # hiding that route. Both get a slug of their own here; Wagtail makes every other one.
        parent_is_known = bool(self.path or getattr(self, "_cached_parent_obj", None))
        if not self.slug and parent_is_known:
            allow_unicode = getattr(settings, "WAGTAIL_ALLOW_UNICODE_SLUGS", True)
            base = slugify(self.title, allow_unicode=allow_unicode)
            if not base or base in PracticeIndexPage.ROUTE_SLUGS:
                self.slug = self._get_autogenerated_slug(f"{base}-practice" if base else "practice")
        super()._set_core_field_defaults()

    def save(self, *args, **kwargs):
        # Denormalised for the library's year facet: grouping on a date part is slow on SQLite.
        self.year = self.start_date.year if self.start_date else None
        super().save(*args, **kwargs)

    #: The views behind the routes below, registered in `PracticesConfig.ready()`.
    views = PageViews("practice", ["contact"])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        library = self.get_parent()
        library_url = library.get_url(request=request) if library else "/"
        context["library_url"] = library_url
        context["taxonomy"] = self.get_taxonomy_links(library_url)
        context["original"] = self.get_original()
        context["reused_by"] = self.get_reused_by()
        # What the library (related practices) and the apps above add to the page.
        context["sections"] = sections.sections_for(sections.PRACTICE_PAGE, request, practice=self)
        return context

    @property
    def status_string(self):
        """Wagtail's status tag, telling a practice sent back to its owner from a plain draft.

        Wagtail calls both "draft"; a moderator browsing the library could not see which drafts
        wait for their member's changes. Only drafts ask the database, never a live practice.
        """
        status = super().status_string
        is_draft = not self.live and not (self.expired or self.approved_schedule)
        has_draft = self.live and self.has_unpublished_changes and not self.approved_schedule
        if (is_draft and not self.workflow_in_progress) or has_draft:
            sent_back = WorkflowState.objects.filter(
                base_content_type__app_label="wagtailcore",
                object_id=str(self.pk),
                status=WorkflowState.STATUS_NEEDS_CHANGES,
            ).exists()
            if sent_back:
                return _("live + changes requested") if self.live else _("changes requested")
        return status

    @property
    def published_opinions(self):
        """The expert opinions anyone may read (`practices.opinions`), the first published first;
        none while the practice itself is not live."""
        if not self.live:
            return self.expert_opinions.none()
        return (
            self.expert_opinions.published().select_related("expert").order_by("published_at", "pk")
        )

    def serve_preview(self, request, mode_name):
        # RoutablePageMixin previews through the "" route, that is Page.serve(), which marks the
        # request as no preview: the preview would then offer the contact form and fill the
        # library's cache with a draft's related practices.
        return Page.serve_preview(self, request, mode_name)

    @path("contact/", name="contact")
    def contact_owner(self, request):
        """A visitor's message to the practice's owner, sent from the form on the page."""
        return self.views.serve("contact", self, request)

    def get_taxonomy_links(self, library_url: str) -> list[tuple[str, list[tuple[str, str]]]]:
        """(heading, [(term, library URL filtered by it)]) for each facet the practice has.

        Works on a preview too, where the terms come from the revision rather than the database.
        """

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
    `feed/<theme>/atom/`, `export/csv/`...), so they move with it; the views registered on
    `views` serve them (`practices.views.library`), with `practices.library` doing the search.
    """

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["practices.PracticePage"]
    max_count = 1

    class Meta:
        verbose_name = _("practice library")

    page_size = 20

    #: The views behind the routes below, registered in `PracticesConfig.ready()`.
    views = PageViews(
        "practice library",
        ["list", "map", "transfers", "feed", "feed_style", "export_csv", "export_json"],
    )

    #: The first part of each route below: no practice may take one as its slug.
    ROUTE_SLUGS = frozenset({"map", "transfers", "feed", "export"})

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

    def get_library_links(self, request, themes=()) -> dict:
        """The library's own URL, its feeds and exports; a feed pair for each theme in `themes`."""
        url = self.get_url(request=request) or "/"
        base = url if url.endswith("/") else url + "/"

        def route(name, **kwargs):
            return base + self.reverse_subpage(name, kwargs=kwargs)

        return {
            "page": url,
            "map": route("map"),
            "transfers": route("transfers"),
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

    @path("")
    def library_page(self, request):
        """The library: search, facets and one page of practices."""
        return self.views.serve("list", self, request)

    @path("map/", name="map")
    def library_map(self, request):
        """The same search and facets, with the matching practices on a map of Europe."""
        return self.views.serve("map", self, request)

    @path("transfers/", name="transfers")
    def library_transfers(self, request):
        """The same search and facets, with how the matching practices travelled between
        cities: an arrow from each original's city to the city that adapted it."""
        return self.views.serve("transfers", self, request)

    @path("feed/rss/", name="feed_rss")
    @re_path(r"^feed/(?P<theme>[-\w]+)/rss/$", name="theme_feed_rss")
    def feed_rss(self, request, theme: str | None = None):
        """RSS of the newest practices, of one theme when the URL names it."""
        return self.views.serve("feed", self, request, kind="rss", theme=theme)

    @path("feed/atom/", name="feed_atom")
    @re_path(r"^feed/(?P<theme>[-\w]+)/atom/$", name="theme_feed_atom")
    def feed_atom(self, request, theme: str | None = None):
        """Atom of the newest practices, of one theme when the URL names it."""
        return self.views.serve("feed", self, request, kind="atom", theme=theme)

    @path("feed/style/", name="feed_style")
    def feed_style(self, request):
        """The XSL stylesheet that a browser uses to show a feed as a page explaining it."""
        return self.views.serve("feed_style", self, request)

    @path("export/csv/", name="export_csv")
    def export_csv(self, request):
        """Every practice matching the visitor's filters, as CSV."""
        return self.views.serve("export_csv", self, request)

    @path("export/json/", name="export_json")
    def export_json(self, request):
        """Every practice matching the visitor's filters, as JSON."""
        return self.views.serve("export_json", self, request)
