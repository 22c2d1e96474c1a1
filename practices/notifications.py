"""E-mails to a practice's owner about its moderation, sent from Wagtail's workflow signals.

Members never use the Wagtail admin, so Wagtail's own workflow e-mails, which link into the
admin, would confuse them. The owner of a practice gets these instead, after the transaction
commits, as tasks: received, changes requested (with the moderator's comment), published.

Wagtail's own notifications stay connected and do the rest, each person as their Wagtail
notification preferences say (Account > Notifications in the admin): moderators get Wagtail's
e-mail when a practice awaits their review. Members have those preferences switched off
(`accounts.admin_notifications`), so they get the e-mails below and none of Wagtail's.
"""

from collections.abc import Iterable

from django.conf import settings
from django.dispatch import receiver
from django.urls import reverse
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_approved, workflow_rejected

from accounts.models import User
from core import roles
from core.mail import absolute_url, send_templated

from .models import ExpertOpinion, PracticePage


def _practice_of(workflow_state: WorkflowState) -> PracticePage | None:
    content = workflow_state.content_object
    specific = getattr(content, "specific", None)
    return specific if isinstance(specific, PracticePage) else None


def _send(template: str, recipients: Iterable[User], context: dict) -> None:
    """Queue one e-mail per recipient, each in the recipient's preferred language."""
    for person in recipients:
        if person.is_active:
            send_templated(f"practices/emails/{template}", person, context)


def _context(practice: PracticePage, **extra) -> dict:
    draft = practice.get_latest_revision_as_object()
    return {
        "practice": draft,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "dashboard_url": absolute_url(reverse("accounts:dashboard")),
        "edit_url": absolute_url(reverse("practices:edit", args=[practice.pk, "about"])),
        **extra,
    }


# --- Receivers --------------------------------------------------------------------------------


@receiver(task_submitted, sender=TaskState, dispatch_uid="practices_submission_received")
def practice_submitted(sender, instance: TaskState, user=None, **kwargs) -> None:
    practice = _practice_of(instance.workflow_state)
    if practice is None or practice.owner is None:
        return
    _send("submission_received", [practice.owner], _context(practice, submitter=user))


@receiver(workflow_rejected, sender=WorkflowState, dispatch_uid="practices_changes_requested")
def practice_sent_back(sender, instance: WorkflowState, user=None, **kwargs) -> None:
    practice = _practice_of(instance)
    if practice is None or practice.owner is None:
        return
    comment = instance.current_task_state.comment if instance.current_task_state else ""
    _send("changes_requested", [practice.owner], _context(practice, comment=comment))


@receiver(workflow_approved, sender=WorkflowState, dispatch_uid="practices_published")
def practice_approved(sender, instance: WorkflowState, user=None, **kwargs) -> None:
    practice = _practice_of(instance)
    if practice is None or practice.owner is None:
        return
    practice.refresh_from_db()
    comment = instance.current_task_state.comment if instance.current_task_state else ""
    context = _context(
        practice, comment=comment, public_url=absolute_url(practice.get_url() or "/")
    )
    _send("published", [practice.owner], context)


# --- Expert opinions (called by `practices.opinions`) -----------------------------------------


def _moderators() -> list[User]:
    return list(
        User.objects.filter(groups__name=roles.MODERATORS, is_active=True).distinct().order_by("pk")
    )


def _opinion_context(opinion: ExpertOpinion, **extra) -> dict:
    practice = opinion.practice
    return {
        "opinion": opinion,
        "practice": practice,
        "expert_name": opinion.expert_name,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "practice_url": absolute_url(practice.get_url() or "/"),
        **extra,
    }


def opinion_submitted(opinion: ExpertOpinion) -> None:
    """The moderators learn that an expert opinion waits for them."""
    review_url = absolute_url(reverse("practices_opinion_review", args=[opinion.pk]))
    _send("opinion_submitted", _moderators(), _opinion_context(opinion, review_url=review_url))


def opinion_decided(opinion: ExpertOpinion, *, unpublished: bool = False) -> None:
    """The expert learns what the moderator decided, with the comment; `unpublished` says the
    opinion was taken off the practice's page."""
    edit_url = absolute_url(reverse("practices:opinion", args=[opinion.practice_id]))
    context = _opinion_context(opinion, edit_url=edit_url)
    context["unpublished"] = unpublished
    _send("opinion_decided", [opinion.expert], context)


def opinion_published_for_owner(opinion: ExpertOpinion) -> None:
    """The practice's owner learns that an opinion on their practice is published, and that
    they may reply once."""
    owner = opinion.practice.owner
    if owner is None:
        return
    _send("opinion_published", [owner], _opinion_context(opinion))
