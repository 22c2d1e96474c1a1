"""The shared vocabulary of Urban Exchange.

Every app tags its content with these snippets: practices, events and dilemmas are all about a
theme, a fund, a governance level, a city, a partnership and its actions. Editors manage them in
the Wagtail admin under "Taxonomy".
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from accounts.countries import EUROPEAN_COUNTRIES


class TaxonomyTerm(index.Indexed, models.Model):
    """A named term with a slug for URLs and filters, and an optional description."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Theme(TaxonomyTerm):
    """What a practice or event is about: housing, labour-market integration, education..."""

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


class Fund(TaxonomyTerm):
    """Where the money came from: an EU programme, a national fund or the city's own budget."""

    full_name = models.CharField(
        _("full name"),
        max_length=255,
        blank=True,
        help_text=_("For example: Asylum, Migration and Integration Fund."),
    )
    is_eu_fund = models.BooleanField(_("EU fund"), default=True)
    website = models.URLField(_("website"), blank=True)

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("fund")
        verbose_name_plural = _("funds")

    def __str__(self) -> str:
        return self.name


class GovernanceLevel(TaxonomyTerm):
    """The level of government that runs a practice: local, regional, national or EU.

    Ordered from the closest to the people outwards, not alphabetically.
    """

    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("governance level")
        verbose_name_plural = _("governance levels")


class TargetGroup(TaxonomyTerm):
    """Who a practice is for: refugees, unaccompanied minors, migrant women, Roma..."""

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")


class Country(index.Indexed, models.Model):
    """A European country, named by its ISO 3166-1 alpha-2 code."""

    code = models.CharField(_("ISO code"), max_length=2, unique=True, choices=EUROPEAN_COUNTRIES)
    name = models.CharField(_("name"), max_length=100, unique=True)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name


class PopulationBand(models.TextChoices):
    """Size classes close to Eurostat's city typology, so that cities compare like with like."""

    UNDER_50K = "lt50k", _("under 50,000")
    FROM_50K = "50k-100k", _("50,000 to 100,000")
    FROM_100K = "100k-250k", _("100,000 to 250,000")
    FROM_250K = "250k-500k", _("250,000 to 500,000")
    FROM_500K = "500k-1m", _("500,000 to 1 million")
    OVER_1M = "gt1m", _("over 1 million")


class City(index.Indexed, models.Model):
    """A city or metropolitan area that runs practices, hosts events or brings dilemmas."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True, allow_unicode=True)
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="cities"
    )
    population_band = models.CharField(
        _("population"), max_length=10, choices=PopulationBand.choices, blank=True
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        constraints = [
            models.UniqueConstraint(fields=["name", "country"], name="unique_city_per_country"),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True) | models.Q(latitude__range=(-90, 90)),
                name="city_latitude_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True) | models.Q(longitude__range=(-180, 180)),
                name="city_longitude_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country.code})"


class Partnership(TaxonomyTerm):
    """An Urban Agenda for the EU partnership: cities, Member States and the Commission
    working on one theme, with an action plan."""

    website = models.URLField(_("website"), blank=True)
    year_started = models.PositiveSmallIntegerField(_("year started"), null=True, blank=True)

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")


class Action(index.Indexed, models.Model):
    """One action of a partnership's action plan: what it will deliver, who leads, by when."""

    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.CASCADE,
        related_name="actions",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, allow_unicode=True)
    objective = models.TextField(_("objective"), blank=True)
    co_leaders = models.CharField(
        _("co-leaders"),
        max_length=255,
        blank=True,
        help_text=_("The members that steer the action, for example: Eurocities, Flanders Region."),
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    state_of_play = models.TextField(_("state of play"), blank=True)

    search_fields = [
        index.SearchField("title"),
        index.AutocompleteField("title"),
        index.SearchField("objective"),
    ]

    class Meta:
        ordering = ["partnership__name", "number"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "number"], name="unique_action_number_per_partnership"
            ),
            models.UniqueConstraint(
                fields=["partnership", "slug"], name="unique_action_slug_per_partnership"
            ),
        ]

    def __str__(self) -> str:
        return _("Action %(number)s: %(title)s") % {"number": self.number, "title": self.title}
