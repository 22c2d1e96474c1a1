"""The practice library: what a city did, how, with which money, and what others can reuse."""

from django.core.paginator import Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
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


class PracticeIndexPage(Page):
    """The practice library at /practices/: facets, search, feeds, exports and the map."""

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
        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(self.get_practices(), self.page_size)
        context["practices"] = paginator.get_page(request.GET.get("page"))
        return context
