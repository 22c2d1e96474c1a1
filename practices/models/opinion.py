"""Expert opinions on published practices: what an expert of the Urban Academy thinks of one.

Interreg Europe's Policy Learning Platform publishes an expert opinion on each good practice;
here members of the Experts group write one on a live practice, moderators publish it, and the
practice's owner may answer once, in public. The rules are in `practices.opinions`.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .practice import PracticePage


class Recommendation(models.TextChoices):
    """Whether the expert recommends the practice to another city."""

    YES = "yes", _("Recommended for transfer")
    WITH_CONDITIONS = "conditions", _("Recommended for transfer, with conditions")
    NO = "no", _("Not recommended for transfer")


class OpinionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for a moderator")
    SENT_BACK = "sent_back", _("Sent back for changes")
    PUBLISHED = "published", _("Published")
    DECLINED = "declined", _("Declined")


class OpinionQuerySet(models.QuerySet):
    def published(self):
        """The opinions anyone may read: published, on a live practice."""
        return self.filter(state=OpinionState.PUBLISHED, practice__live=True)

    def submitted(self):
        return self.filter(state=OpinionState.SUBMITTED)


class ExpertOpinion(models.Model):
    """One expert's opinion on one practice: strengths, evidence, conditions, recommendation.

    Why a moderation state on a plain model rather than a Wagtail workflow: Wagtail's workflows
    moderate revisions of pages (and of snippets with revisions and drafts), whose approval
    publishes the page. An opinion is not a page with a URL of its own, has no revisions to
    compare and one moderator's decision ends its review; a workflow would bring revisions,
    locking and publishing machinery for a text with a single step, and would put the rule
    "only an expert writes, never on their own practice" where Wagtail's views, not our
    services, call it. A state field with the services in front of it keeps every rule in one
    place and the public read a single filter (`state = published`).

    The texts are stored as clean HTML (`core.sanitising.text_to_html`). The owner's reply is
    one, public, written once after publication.
    """

    practice = models.ForeignKey(
        PracticePage,
        verbose_name=_("practice"),
        on_delete=models.CASCADE,
        related_name="expert_opinions",
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("expert"),
        on_delete=models.CASCADE,
        related_name="practice_opinions",
    )
    strengths = models.TextField(_("strengths"), blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    conditions = models.TextField(_("conditions for transfer"), blank=True)
    recommendation = models.CharField(
        _("recommendation"), max_length=16, choices=Recommendation.choices, blank=True
    )
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=OpinionState.choices,
        default=OpinionState.DRAFT,
        db_index=True,
    )
    moderator_comment = models.TextField(_("moderator's comment"), blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    owner_reply = models.TextField(_("owner's reply"), blank=True)
    owner_reply_at = models.DateTimeField(_("replied"), null=True, blank=True)

    objects = OpinionQuerySet.as_manager()

    class Meta:
        verbose_name = _("expert opinion")
        verbose_name_plural = _("expert opinions")
        ordering = ["-published_at", "-pk"]
        constraints = [
            # One opinion per expert and practice: the expert edits theirs.
            models.UniqueConstraint(
                fields=["practice", "expert"], name="practices_one_opinion_per_expert"
            ),
        ]

    def __str__(self) -> str:
        return _("Opinion of %(expert)s on “%(practice)s”") % {
            "expert": self.expert_name,
            "practice": self.practice.title,
        }

    @property
    def expert_name(self) -> str:
        return self.expert.get_full_name() or self.expert.username

    @property
    def expert_organisation(self) -> str:
        return self.expert.organisation

    @property
    def is_published(self) -> bool:
        return self.state == OpinionState.PUBLISHED

    @property
    def is_editable(self) -> bool:
        """The expert may change a draft and an opinion sent back; the rest is with a moderator
        or decided."""
        return self.state in (OpinionState.DRAFT, OpinionState.SENT_BACK)
