from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import BodyBlock


class StandardPage(Page):
    """A plain content page: about the site, the Urban Agenda, privacy, accessibility."""

    introduction = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("body")]
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

    Sections for practices, events and outcome reports appear as those apps arrive; until
    then the page shows nothing in their place.
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
    subpage_types = ["home.StandardPage", "practices.PracticeIndexPage", "events.EventIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")
