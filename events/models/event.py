"""Events: virtual exchanges, study visits, webinars and plenary meetings, and the event index.

An event's times are written in its own time zone (a study visit in Vienna happens at 09:30 in
Vienna, whoever reads the page): editors enter a local date and time and the zone, and the page
keeps the same moment in UTC (`starts_at`, `ends_at`) so that lists and feeds can sort and
filter on it. The joining link of an online event is private: it is sent to confirmed
participants and put in their invite, never shown on a public page (`events.public` lists what
is public).
"""

from __future__ import annotations

import hashlib
import uuid
import zoneinfo
from datetime import UTC, date, datetime, time

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, get_page_models
from wagtail.search import index

from core import sections
from core.page_views import PageViews
from practices.models import Action, Partnership, PracticePage, Theme
from practices.models.practice import RICH_TEXT_FEATURES

from .. import public

DEFAULT_TIME_ZONE = "Europe/Brussels"


def time_zone_choices() -> list[tuple[str, str]]:
    """Europe's zones (the site's events happen there) and UTC for online-only events."""
    zones = sorted(zone for zone in zoneinfo.available_timezones() if zone.startswith("Europe/"))
    return [(zone, zone.replace("_", " ")) for zone in zones] + [("UTC", "UTC")]


class EventKind(models.TextChoices):
    VIRTUAL_EXCHANGE = "virtual_exchange", _("Virtual exchange")
    STUDY_VISIT = "study_visit", _("Study visit")
    WEBINAR = "webinar", _("Webinar")
    PLENARY_MEETING = "plenary_meeting", _("Plenary meeting")
    #: Set by the Urban Academy's edition pages (an event type of their own), not chosen here.
    URBAN_ACADEMY = "urban_academy", _("Urban Academy")


class EventFormat(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")
    HYBRID = "hybrid", _("Hybrid")


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Text")
    CHOICE = "choice", _("Choice")
    YES_NO = "yes_no", _("Yes or no")


class EventPractice(Orderable):
    """A practice from the library presented at the event. The key points up into practices,
    whose page lists the events it was presented at through the section registry."""

    event = ParentalKey("events.EventPage", on_delete=models.CASCADE, related_name="practices")
    practice = models.ForeignKey(
        PracticePage, verbose_name=_("practice"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("practice")]

    class Meta(Orderable.Meta):
        verbose_name = _("practice presented")
        verbose_name_plural = _("practices presented")
        constraints = [
            models.UniqueConstraint(fields=["event", "practice"], name="unique_event_practice")
        ]


class EventSpeaker(Orderable):
    """Someone who speaks at the event, as the programme names them."""

    event = ParentalKey("events.EventPage", on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(
        _("role and organisation"),
        max_length=255,
        blank=True,
        help_text=_("For example: Head of integration services, City of Utrecht."),
    )

    panels = [FieldPanel("name"), FieldPanel("role")]

    class Meta(Orderable.Meta):
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self) -> str:
        return self.name


class AgendaItem(Orderable):
    """One session of the programme, in the event's local time."""

    event = ParentalKey("events.EventPage", on_delete=models.CASCADE, related_name="agenda")
    day = models.DateField(
        _("day"), null=True, blank=True, help_text=_("For events of several days.")
    )
    starts = models.TimeField(_("starts"))
    ends = models.TimeField(_("ends"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=255)
    speakers = models.CharField(_("speakers"), max_length=255, blank=True)
    practice = models.ForeignKey(
        PracticePage,
        verbose_name=_("practice presented"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    panels = [
        FieldRowPanel([FieldPanel("day"), FieldPanel("starts"), FieldPanel("ends")]),
        FieldPanel("title"),
        FieldPanel("speakers"),
        FieldPanel("practice"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("agenda")

    def clean(self):
        if self.ends and self.starts and self.ends <= self.starts:
            raise ValidationError({"ends": _("A session ends after it starts.")})


class RegistrationQuestion(Orderable):
    """A question an editor adds to one event's registration form.

    A small model of its own rather than Wagtail's form-builder fields: registration answers
    are three kinds (text, choice, yes/no) stored on the registration, and the form builder's
    fifteen field types and submission tables would be more to secure than to use.
    """

    event = ParentalKey("events.EventPage", on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(_("question"), max_length=255)
    kind = models.CharField(
        _("kind of answer"), max_length=16, choices=QuestionKind.choices, default=QuestionKind.TEXT
    )
    choices = models.TextField(
        _("choices"), blank=True, help_text=_("For a choice: one answer per line.")
    )
    required = models.BooleanField(_("required"), default=False)
    help_text = models.CharField(_("help text"), max_length=255, blank=True)

    panels = [
        FieldPanel("label"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("required")]),
        FieldPanel("choices"),
        FieldPanel("help_text"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("registration question")
        verbose_name_plural = _("registration questions")

    @property
    def key(self) -> str:
        """The answer's key in `Registration.answers`: stable while the question exists."""
        return f"q{self.pk}"

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def clean(self):
        if self.kind == QuestionKind.CHOICE and len(self.choice_list) < 2:
            raise ValidationError({"choices": _("Give at least two choices, one per line.")})


class EventPage(RoutablePageMixin, Page):
    """One event: when and where, who may come and how many, and what it is about.

    Registration (`events.services`) works on any page of this type or a subclass of it: the
    Urban Academy's editions are events too.
    """

    summary = models.CharField(
        _("summary"),
        max_length=300,
        help_text=_("One sentence: what the event is for and for whom."),
    )
    kind = models.CharField(
        _("kind"), max_length=32, choices=EventKind.choices, default=EventKind.VIRTUAL_EXCHANGE
    )
    format = models.CharField(
        _("format"), max_length=16, choices=EventFormat.choices, default=EventFormat.ONLINE
    )
    description = RichTextField(_("description"), features=RICH_TEXT_FEATURES, blank=True)

    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        choices=time_zone_choices,
        default=DEFAULT_TIME_ZONE,
        help_text=_("Where the event happens; its times are written in this zone."),
    )
    start_date = models.DateField(_("start date"))
    start_time = models.TimeField(_("start time"))
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Leave empty for an event of one day.")
    )
    end_time = models.TimeField(_("end time"))
    #: The same moments in UTC, kept by `save()`: for sorting, filtering and the calendar.
    starts_at = models.DateTimeField(_("starts at"), editable=False, db_index=True)
    ends_at = models.DateTimeField(_("ends at"), editable=False)

    venue = models.CharField(_("venue"), max_length=255, blank=True)
    address = models.TextField(_("address"), blank=True)
    joining_link = models.URLField(
        _("online joining link"),
        max_length=500,
        blank=True,
        help_text=_(
            "Sent to confirmed participants and put in their invite; never shown on the page."
        ),
    )

    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    registration_opens_at = models.DateTimeField(
        _("registration opens"), null=True, blank=True, help_text=_("Empty: open now.")
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes"), null=True, blank=True, help_text=_("Empty: when it starts.")
    )
    requires_approval = models.BooleanField(
        _("registrations need approval"),
        default=False,
        help_text=_("An editor approves each registration before it counts."),
    )
    has_waiting_list = models.BooleanField(
        _("offer a waiting list"),
        default=True,
        help_text=_("When the event is full, people join a waiting list and move up in order."),
    )

    organiser_name = models.CharField(_("organiser"), max_length=200)
    organiser_email = models.EmailField(
        _("organiser's e-mail address"),
        help_text=_("The invites' organiser; participants' replies go there."),
    )

    themes = ParentalManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="+")
    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("Urban Agenda partnership"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.ForeignKey(
        Action,
        verbose_name=_("partnership action"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    #: The iCalendar UID: made once, never changed, unique to this event.
    calendar_uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    #: iCalendar SEQUENCE: one up each time the time, place or joining link changes.
    calendar_sequence = models.PositiveIntegerField(default=0, editable=False)
    #: What the participants' invites last said about time and place (`calendar_details()`):
    #: when a publication changes it, SEQUENCE goes up and the invites are sent again.
    calendar_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True, editable=False)

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("description"),
        index.FilterField("kind"),
        index.FilterField("starts_at"),
    ]

    # Public fields only (events.public): the joining link never leaves the site.
    api_fields = public.api_fields()

    #: When, where, what about and who organises: every kind of event's editor shows these
    #: (an Urban Academy edition too, with panels of its own around them).
    detail_panels = [
        MultiFieldPanel(
            [
                FieldPanel("time_zone"),
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("start_time")]),
                FieldRowPanel([FieldPanel("end_date"), FieldPanel("end_time")]),
            ],
            heading=_("When"),
        ),
        MultiFieldPanel(
            [FieldPanel("venue"), FieldPanel("address"), FieldPanel("joining_link")],
            heading=_("Where"),
        ),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("organiser_name"), FieldPanel("organiser_email")], heading=_("Organiser")
        ),
        MultiFieldPanel(
            [FieldPanel("themes"), FieldPanel("partnership"), FieldPanel("action")],
            heading=_("Topic"),
        ),
    ]
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("format")]),
        *detail_panels,
        InlinePanel("speakers", label=_("Speakers")),
        InlinePanel("agenda", label=_("Agenda")),
        InlinePanel("practices", label=_("Practices presented")),
    ]
    registration_panels = [
        FieldPanel("capacity"),
        FieldRowPanel([FieldPanel("registration_opens_at"), FieldPanel("registration_closes_at")]),
        FieldRowPanel([FieldPanel("requires_approval"), FieldPanel("has_waiting_list")]),
        InlinePanel("questions", label=_("Registration questions")),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(registration_panels, heading=_("Registration")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    parent_page_types = ["events.EventIndexPage"]
    subpage_types = ["events.OutcomeReportPage"]

    #: The views behind the routes below, registered in `EventsConfig.ready()`.
    views = PageViews("event", ["page", "register", "calendar"])

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")

    # --- Routes --------------------------------------------------------------------------------

    @path("", name="page")
    def event_page(self, request):
        return self.views.serve("page", self, request)

    @path("register/", name="register")
    def register(self, request):
        return self.views.serve("register", self, request)

    @path("calendar/", name="calendar")
    def calendar(self, request):
        return self.views.serve("calendar", self, request)

    # --- Time ----------------------------------------------------------------------------------

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def _local(self, day: date, moment: time) -> datetime:
        return datetime.combine(day, moment, tzinfo=self.zone)

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(self.zone)

    @property
    def local_end(self) -> datetime:
        return self.ends_at.astimezone(self.zone)

    def clean(self):
        super().clean()
        errors = {}
        if self.time_zone not in zoneinfo.available_timezones():
            errors["time_zone"] = _("Choose a time zone from the list.")
        elif self.start_date and self.start_time is not None and self.end_time is not None:
            start = self._local(self.start_date, self.start_time)
            end = self._local(self.end_date or self.start_date, self.end_time)
            for name, moment in (("start_time", start), ("end_time", end)):
                if not _exists(moment):
                    errors[name] = _(
                        "This time does not exist in %(zone)s: the clocks jump forward then."
                    ) % {"zone": self.time_zone}
            if end <= start and not errors:
                errors["end_time"] = _("The event ends after it starts.")
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and self.registration_closes_at <= self.registration_opens_at
        ):
            errors["registration_closes_at"] = _("Registration closes after it opens.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.starts_at = self._local(self.start_date, self.start_time).astimezone(UTC)
        self.ends_at = self._local(self.end_date or self.start_date, self.end_time).astimezone(UTC)
        return super().save(*args, **kwargs)

    # --- Registration --------------------------------------------------------------------------

    @property
    def registration_closes(self) -> datetime:
        return self.registration_closes_at or self.starts_at

    def registration_window(self, now: datetime | None = None) -> str:
        """ "open", "not_yet", "closed" or "cancelled": whether people may register now."""
        now = now or timezone.now()
        if self.cancelled_at:
            return "cancelled"
        if self.registration_opens_at and now < self.registration_opens_at:
            return "not_yet"
        if now >= self.registration_closes:
            return "closed"
        return "open"

    def calendar_details(self) -> str:
        """A digest of what an invite says about when and where: RFC 5546 asks for a new
        SEQUENCE when these change, and only then."""
        parts = [
            self.starts_at.isoformat(),
            self.ends_at.isoformat(),
            self.time_zone,
            self.venue,
            self.address,
            self.joining_link,
        ]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()

    @property
    def report(self):
        """The live outcome report of the event, or None."""
        return OutcomeReportPage.objects.child_of(self).live().public().first()

    @property
    def is_past(self) -> bool:
        return self.ends_at <= timezone.now()


def _exists(moment: datetime) -> bool:
    """False for a local time in a daylight-saving gap (02:30 on the last Sunday of March)."""
    round_trip = moment.astimezone(UTC).astimezone(moment.tzinfo)
    return round_trip.replace(tzinfo=None) == moment.replace(tzinfo=None)


class EventIndexPage(Page):
    """/events/: upcoming events first, then past events with their outcome reports."""

    introduction = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["events.EventPage"]
    max_count = 1

    class Meta:
        verbose_name = _("event index")
        verbose_name_plural = _("event indexes")

    #: The views behind the routes below, registered in `EventsConfig.ready()`.
    views = PageViews("event index", ["list"])

    def serve(self, request, *args, **kwargs):
        return self.views.serve("list", self, request)


class ReportDocument(Orderable):
    """A presentation or document of the event, attached to its outcome report."""

    report = ParentalKey(
        "events.OutcomeReportPage", on_delete=models.CASCADE, related_name="documents"
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(
        _("title"), max_length=255, blank=True, help_text=_("Empty: the document's own title.")
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("presentation or document")
        verbose_name_plural = _("presentations and documents")

    @property
    def label(self) -> str:
        return self.title or self.document.title


class OutcomeReportPage(Page):
    """What came out of an event, published by editors afterwards: a child of the event, which
    shows the practices presented at the event.

    Attendance is not typed in: it is counted from the event's registrations (`events.charts`),
    by country and type of organisation, and never names anyone.
    """

    summary = models.CharField(_("summary"), max_length=300)
    key_takeaways = RichTextField(_("key takeaways"), features=RICH_TEXT_FEATURES, blank=True)
    recommendations = RichTextField(_("recommendations"), features=RICH_TEXT_FEATURES, blank=True)
    follow_up = RichTextField(_("follow-up actions"), features=RICH_TEXT_FEATURES, blank=True)
    participants_told_at = models.DateTimeField(null=True, blank=True, editable=False)

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("key_takeaways"),
        index.SearchField("recommendations"),
    ]

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("key_takeaways"),
        FieldPanel("recommendations"),
        FieldPanel("follow_up"),
        # The practices presented are the event's own (EventPractice): the report lists them.
        InlinePanel("documents", label=_("Presentations and documents")),
    ]

    parent_page_types = ["events.EventPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("outcome report")
        verbose_name_plural = _("outcome reports")

    @property
    def event(self) -> EventPage:
        return self.get_parent().specific

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["event"] = event = self.event
        # What the apps above add to a report (the Urban Academy's feedback summaries).
        context["sections"] = sections.sections_for(
            sections.OUTCOME_REPORT, request, report=self, event=event
        )
        return context

    @classmethod
    def clean_parent_page_models(cls):
        # Every kind of event has a report, the page types that extend EventPage (an Urban
        # Academy edition) included: they are found here, not named, as they live above.
        # (Wagtail reads `parent_page_types` through this method.)
        return [model for model in get_page_models() if issubclass(model, EventPage)]

    @classmethod
    def can_create_at(cls, parent) -> bool:
        # One report per event.
        return super().can_create_at(parent) and not parent.get_children().type(cls).exists()
