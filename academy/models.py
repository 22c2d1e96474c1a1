"""The Urban Academy: editions, their call for policy dilemmas, the experts' reviews, the
editors' decisions and the experts' feedback.

An edition is an event (`AcademyEditionPage` is an `events.EventPage`): registration, invites,
calendar feeds and the outcome report are the events app's own. What the Academy adds is the
call → review → selection → feedback cycle around it. Dilemmas, assignments, reviews and
feedback are private records (plain models), never pages: a dilemma is a city's unpublished
problem, shared with the experts assigned to it and with the editors, and with nobody else.
Every change to them goes through `academy.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from core import roles
from events.models import EventKind, EventPage
from practices.models import PracticePage, Theme
from practices.models.practice import RICH_TEXT_FEATURES

from . import public

#: The lowest and highest score an expert gives on a criterion.
SCORE_MIN, SCORE_MAX = 1, 5


def _private_storage() -> FileSystemStorage:
    # Outside MEDIA_ROOT: nothing serves these files but the views that check who asks.
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


def _attachment_path(attachment: DilemmaAttachment, filename: str) -> str:
    # `filename` is already the site's own choice (core.uploads.stored_name).
    return f"academy/dilemmas/{filename}"


# --- The edition ---------------------------------------------------------------------------------


class SelectionCriterion(Orderable):
    """A published criterion on which experts score every dilemma, with its weight in the
    ranking."""

    edition = ParentalKey(
        "academy.AcademyEditionPage", on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField(_("criterion"), max_length=200)
    description = models.CharField(_("what the experts look for"), max_length=500, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("From 1 to 10: how much this criterion counts in the ranking."),
    )

    panels = [FieldPanel("name"), FieldPanel("description"), FieldPanel("weight")]
    api_fields = [APIField("name"), APIField("description"), APIField("weight")]

    class Meta(Orderable.Meta):
        verbose_name = _("selection criterion")
        verbose_name_plural = _("selection criteria")

    def __str__(self) -> str:
        return self.name


class EditionExpert(ClusterableModel, Orderable):
    """An expert of the edition: a member of the Experts group, and the themes they know.

    Clusterable, as are the programme's sessions: a child of the page in the editor with
    relations of its own, which are saved with the page's revision.

    The themes decide whom the automatic assignment tries first; the expert's city and
    organisation (from their profile) decide which dilemmas they may never review.
    """

    edition = ParentalKey(
        "academy.AcademyEditionPage", on_delete=models.CASCADE, related_name="experts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("expert"),
        on_delete=models.CASCADE,
        related_name="academy_editions",
        limit_choices_to={"groups__name": roles.EXPERTS},
    )
    themes = ParentalManyToManyField(
        Theme, verbose_name=_("themes of expertise"), blank=True, related_name="+"
    )

    panels = [FieldPanel("user"), FieldPanel("themes")]

    class Meta(Orderable.Meta):
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        constraints = [
            models.UniqueConstraint(fields=["edition", "user"], name="unique_edition_expert")
        ]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.email


class ProgrammeSession(ClusterableModel, Orderable):
    """One session of the workshop's programme: when, what, and which selected dilemmas,
    experts and practices it brings together."""

    edition = ParentalKey(
        "academy.AcademyEditionPage", on_delete=models.CASCADE, related_name="programme"
    )
    day = models.DateField(_("day"))
    starts = models.TimeField(_("starts"))
    ends = models.TimeField(_("ends"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    dilemmas = ParentalManyToManyField(
        "academy.Dilemma",
        verbose_name=_("dilemmas worked on"),
        blank=True,
        related_name="sessions",
        # Only selected dilemmas can be worked on in a session.
        limit_choices_to={"state": "submitted", "decision": "selected"},
        help_text=_("Only selected dilemmas are shown, and only once the decisions are out."),
    )
    experts = ParentalManyToManyField(
        "academy.EditionExpert", verbose_name=_("experts"), blank=True, related_name="sessions"
    )
    practices = ParentalManyToManyField(
        PracticePage, verbose_name=_("practices"), blank=True, related_name="+"
    )

    panels = [
        FieldRowPanel([FieldPanel("day"), FieldPanel("starts"), FieldPanel("ends")]),
        FieldPanel("title"),
        FieldPanel("description"),
        FieldPanel("dilemmas"),
        FieldPanel("experts"),
        FieldPanel("practices"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("programme")

    def clean(self):
        if self.ends and self.starts and self.ends <= self.starts:
            raise ValidationError({"ends": _("A session ends after it starts.")})


class CallState(models.TextChoices):
    NOT_YET = "not_yet", _("Not open yet")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class AcademyEditionPage(EventPage):
    """One Urban Academy edition: a workshop of several days (an event, registration and all)
    with a call for policy dilemmas that experts review and editors select."""

    theme = models.CharField(
        _("theme of the edition"),
        max_length=255,
        help_text=_("For example: Countering disinformation about migrants and refugees."),
    )
    call_opens_at = models.DateTimeField(_("call opens"))
    call_closes_at = models.DateTimeField(_("call closes"))
    call_guidance = RichTextField(
        _("what a good dilemma looks like"), features=RICH_TEXT_FEATURES, blank=True
    )
    dilemmas_to_select = models.PositiveSmallIntegerField(
        _("dilemmas to select"), default=3, validators=[MinValueValidator(1)]
    )
    reviewers_per_dilemma = models.PositiveSmallIntegerField(
        _("experts per dilemma"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("How many experts review each dilemma."),
    )
    anonymous_review = models.BooleanField(
        _("anonymous review"),
        default=True,
        help_text=_(
            "Experts see neither the submitter's name nor their organisation nor their city "
            "until the decisions are published."
        ),
    )
    selected_take_general_seats = models.BooleanField(
        _("selected cities take general seats"),
        default=False,
        help_text=_(
            "Off: each selected city gets a place of its own, on top of the capacity. "
            "On: their places count against the capacity."
        ),
    )
    #: When the editors published the decisions: submitters were told, identities are shown.
    decisions_published_at = models.DateTimeField(
        _("decisions published"), null=True, blank=True, editable=False
    )

    call_panels = [
        FieldRowPanel([FieldPanel("call_opens_at"), FieldPanel("call_closes_at")]),
        FieldPanel("call_guidance"),
        FieldRowPanel([FieldPanel("dilemmas_to_select"), FieldPanel("reviewers_per_dilemma")]),
        FieldRowPanel([FieldPanel("anonymous_review"), FieldPanel("selected_take_general_seats")]),
        InlinePanel("criteria", label=_("Selection criteria"), min_num=1),
        InlinePanel("experts", label=_("Experts")),
    ]
    content_panels = [
        *Page.content_panels,
        FieldPanel("theme"),
        FieldPanel("summary"),
        FieldPanel("format"),
        *EventPage.detail_panels,
        InlinePanel("programme", label=_("Programme")),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(call_panels, heading=_("Call for dilemmas")),
            ObjectList(EventPage.registration_panels, heading=_("Registration")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    # Public fields only (academy.public): dilemmas and reviews never leave the site.
    api_fields = public.api_fields()

    parent_page_types = ["academy.AcademyIndexPage"]
    subpage_types = ["events.OutcomeReportPage"]

    class Meta:
        verbose_name = _("Urban Academy edition")
        verbose_name_plural = _("Urban Academy editions")

    def save(self, *args, **kwargs):
        self.kind = EventKind.URBAN_ACADEMY
        return super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.call_opens_at and self.call_closes_at and self.call_closes_at <= self.call_opens_at:
            raise ValidationError({"call_closes_at": _("The call closes after it opens.")})

    def call_state(self, now=None) -> str:
        now = now or timezone.now()
        if self.decisions_published_at:
            # Publishing the decisions ends the call, even before its closing time.
            return CallState.CLOSED
        if now < self.call_opens_at:
            return CallState.NOT_YET
        if now >= self.call_closes_at:
            return CallState.CLOSED
        return CallState.OPEN

    @property
    def call_is_open(self) -> bool:
        return self.call_state() == CallState.OPEN

    @property
    def decisions_published(self) -> bool:
        return self.decisions_published_at is not None

    @property
    def hides_identities(self) -> bool:
        """Whether experts may not see who submitted a dilemma, now."""
        return self.anonymous_review and not self.decisions_published

    def get_template(self, request, *args, **kwargs):
        return "academy/academy_edition_page.html"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["edition"] = self
        context["call_state"] = self.call_state()
        context["edition_experts"] = list(
            EditionExpert.objects.filter(edition=self).select_related("user")
        )
        context["programme_days"] = self.programme_days()
        user = getattr(request, "user", None)
        context["my_dilemmas"] = (
            list(Dilemma.objects.filter(edition=self, submitter=user).order_by("created_at"))
            if user is not None and user.is_authenticated
            else []
        )
        return context

    def programme_days(self) -> list[tuple]:
        """The sessions grouped by day, in a fixed number of queries. A session names its
        dilemmas only once the decisions are published, and only the selected ones: the
        others stay a city's private problem."""
        shown = (
            Dilemma.objects.filter(state=DilemmaState.SUBMITTED, decision=Decision.SELECTED)
            if self.decisions_published
            else Dilemma.objects.none()
        )
        sessions = (
            ProgrammeSession.objects.filter(edition=self)
            .order_by("day", "starts", "sort_order", "pk")
            .prefetch_related(
                models.Prefetch("dilemmas", queryset=shown.order_by("title", "pk")),
                models.Prefetch("experts", queryset=EditionExpert.objects.select_related("user")),
                models.Prefetch(
                    "practices", queryset=PracticePage.objects.live().order_by("title")
                ),
            )
        )
        days: dict = {}
        for session in sessions:
            days.setdefault(session.day, []).append(session)
        return list(days.items())


class AcademyIndexPage(Page):
    """/academy/: the editions, the one whose call is open first."""

    introduction = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["academy.AcademyEditionPage"]
    max_count = 1

    class Meta:
        verbose_name = _("Urban Academy index")
        verbose_name_plural = _("Urban Academy indexes")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        editions = list(
            AcademyEditionPage.objects.child_of(self).live().public().order_by("-starts_at")
        )
        now = timezone.now()
        context["open_calls"] = [e for e in editions if e.call_state(now) == CallState.OPEN]
        context["upcoming"] = [
            e for e in editions if e.call_state(now) != CallState.OPEN and e.ends_at > now
        ]
        context["past"] = [e for e in editions if e.ends_at <= now]
        return context


# --- Dilemmas ------------------------------------------------------------------------------------


class DilemmaState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Decision(models.TextChoices):
    PENDING = "pending", _("Not decided")
    SELECTED = "selected", _("Selected")
    DECLINED = "declined", _("Not selected")


class Dilemma(models.Model):
    """A city's policy dilemma, submitted to one edition's call: a private record.

    The submitter, the editors and the experts assigned to it see it; in an anonymous edition
    the experts see it without the submitter's name, organisation and city until the decisions
    are published.
    """

    edition = models.ForeignKey(
        AcademyEditionPage,
        verbose_name=_("edition"),
        on_delete=models.CASCADE,
        related_name="dilemmas",
    )
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.CASCADE,
        related_name="dilemmas",
    )
    title = models.CharField(_("title"), max_length=200)
    city = models.CharField(_("city"), max_length=120)
    country = models.CharField(_("country"), max_length=2, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200)
    policy_context = models.TextField(_("the policy context"), blank=True)
    dilemma = models.TextField(_("the dilemma"), blank=True)
    tried = models.TextField(_("what has been tried"), blank=True)
    expectations = models.TextField(_("what the city wants from the experts"), blank=True)
    related_practices = models.ManyToManyField(
        PracticePage, verbose_name=_("related practices"), blank=True, related_name="+"
    )
    consent_to_share = models.BooleanField(_("consent to share with the experts"), default=False)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="+")

    state = models.CharField(
        _("state"),
        max_length=16,
        choices=DilemmaState.choices,
        default=DilemmaState.DRAFT,
        db_index=True,
    )
    decision = models.CharField(
        _("decision"), max_length=16, choices=Decision.choices, default=Decision.PENDING
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    #: The city agrees that a summary of the feedback appears on the outcome report.
    summary_may_be_published = models.BooleanField(
        _("the feedback's summary may be published"), default=False
    )
    #: The place the selected city was given at the edition (events.Registration).
    registration = models.ForeignKey(
        "events.Registration",
        verbose_name=_("place at the edition"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("dilemma")
        verbose_name_plural = _("dilemmas")
        indexes = [models.Index(fields=["edition", "state"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_selected(self) -> bool:
        return self.decision == Decision.SELECTED

    @property
    def visible_decision(self) -> str:
        """The decision as the submitter may know it: pending until the editors publish."""
        if self.edition.decisions_published:
            return self.decision
        return Decision.PENDING


class DilemmaAttachment(models.Model):
    """A file that comes with a dilemma, stored privately under a name the site chooses.

    The uploader's file name is kept for the submitter and the editors; experts of an
    anonymous edition get a neutral name (`anonymous_name`), as a file name often says who
    wrote it ("Mechelen_strategy_2026.pdf").
    """

    dilemma = models.ForeignKey(Dilemma, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(
        _("file"), storage=_private_storage, upload_to=_attachment_path, max_length=255
    )
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"), default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name

    @property
    def extension(self) -> str:
        return self.file.name.rsplit(".", 1)[-1].lower() if "." in self.file.name else ""

    @property
    def anonymous_name(self) -> str:
        return (
            f"attachment-{self.pk}.{self.extension}" if self.extension else f"attachment-{self.pk}"
        )


# --- Review --------------------------------------------------------------------------------------


class Assignment(models.Model):
    """An expert asked to review a dilemma: by an editor's hand or by the automatic
    assignment (`academy.assignment`)."""

    dilemma = models.ForeignKey(Dilemma, on_delete=models.CASCADE, related_name="assignments")
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("expert"),
        on_delete=models.CASCADE,
        related_name="academy_assignments",
    )
    automatic = models.BooleanField(_("assigned automatically"), default=False)
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["assigned_at", "pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["dilemma", "expert"], name="one_assignment_per_expert")
        ]

    def __str__(self) -> str:
        return f"{self.expert} → {self.dilemma}"


class Review(models.Model):
    """One expert's review of one dilemma: a score per published criterion and a comment.

    A review is kept as a draft until the expert submits it; only submitted reviews count in
    the ranking. The expert may change it until the decisions are published.
    """

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="review")
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return str(self.assignment)

    @cached_property
    def score_map(self) -> dict[int, int]:
        return {score.criterion_id: score.score for score in self.scores.all()}


class Score(models.Model):
    """A review's score on one criterion, from SCORE_MIN to SCORE_MAX."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(SelectionCriterion, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="one_score_per_criterion")
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


# --- Feedback ------------------------------------------------------------------------------------


class Feedback(models.Model):
    """An expert's written feedback to a selected city after the workshop, with the practices
    from the library they recommend. The city reads it once the expert has sent it; a summary
    appears on the outcome report where the city agreed."""

    dilemma = models.ForeignKey(Dilemma, on_delete=models.CASCADE, related_name="feedback")
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("expert"),
        on_delete=models.CASCADE,
        related_name="academy_feedback",
    )
    text = models.TextField(_("feedback"))
    summary = models.CharField(
        _("public summary"),
        max_length=600,
        blank=True,
        help_text=_("Two or three sentences for the outcome report, if the city agrees."),
    )
    recommended_practices = models.ManyToManyField(
        PracticePage, verbose_name=_("recommended practices"), blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent to the city"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.UniqueConstraint(fields=["dilemma", "expert"], name="one_feedback_per_expert")
        ]

    def __str__(self) -> str:
        return f"{self.expert} → {self.dilemma}"

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None
