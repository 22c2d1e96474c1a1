from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .countries import EUROPEAN_COUNTRIES


class OrganisationType(models.TextChoices):
    CITY = "city", _("City")
    METROPOLITAN_AREA = "metropolitan_area", _("Metropolitan area")
    REGION = "region", _("Region")
    NATIONAL_AUTHORITY = "national_authority", _("National authority")
    EU_INSTITUTION = "eu_institution", _("EU institution")
    NGO = "ngo", _("NGO or civil society")
    UNIVERSITY = "university", _("University")
    OTHER = "other", _("Other")


class User(AbstractUser):
    """A person with an account: a member (city officer, NGO, ministry) or staff.

    The profile lives on the user itself rather than in a one-to-one table: every page that
    shows a member needs it, and one row means one query.
    """

    email = models.EmailField(_("e-mail address"), unique=True)
    organisation = models.CharField(
        _("organisation"),
        max_length=200,
        blank=True,
        help_text=_("The city, authority or organisation you work for."),
    )
    organisation_type = models.CharField(
        _("type of organisation"),
        max_length=32,
        choices=OrganisationType.choices,
        blank=True,
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = models.CharField(_("country"), max_length=2, choices=EUROPEAN_COUNTRIES, blank=True)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the e-mails we send you."),
    )
    notify_outcome_reports = models.BooleanField(
        _("tell me about outcome reports"),
        default=True,
        help_text=_("An e-mail when an event you took part in publishes what came out of it."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.email or self.username
