"""E-mails about a practice's moderation, sent from Wagtail's workflow signals.

Members never use the Wagtail admin, so Wagtail's own workflow e-mails (which link into the
admin, and are sent inside the request) would confuse them. For practices this module sends its
own instead, after the transaction commits, as tasks:

- to the moderators when a practice (or a revised one) awaits their review, linking to the admin;
- to the practice's owner at each change: received, changes requested (with the moderator's
  comment), published.

Wagtail's notifiers stay in place for every other page: `take_over_wagtail_notifications()`
registers, under Wagtail's own dispatch ids, wrappers that pass everything but practices on to
Wagtail's notifiers. Django ignores a second receiver with the same dispatch id, so this must run
before `wagtail.admin` registers its handlers; the practices app comes before it in
INSTALLED_APPS, and a test checks that a practice sends no Wagtail e-mail.
"""

import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.urls import reverse
from wagtail.admin import signal_handlers as wagtail_handlers
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_approved, workflow_rejected, workflow_submitted

from accounts.models import User
from core.mail import absolute_url, send_templated

from .models import PracticePage

logger = logging.getLogger(__name__)


def _practice_of(workflow_state: WorkflowState) -> PracticePage | None:
    content = workflow_state.content_object
    specific = getattr(content, "specific", None)
    return specific if isinstance(specific, PracticePage) else None


def _send(template: str, recipients: Iterable[User], context: dict) -> None:
    """Queue one e-mail per recipient, each in the recipient's preferred language."""
    for person in recipients:
        if person.is_active:
            send_templated(f"practices/emails/{template}", person, context)


def _moderators_of(task_state: TaskState) -> list[User]:
    task = task_state.task.specific
    groups = getattr(task, "groups", None)
    if groups is None:
        return []
    return list(
        User.objects.filter(groups__in=groups.all(), is_active=True).distinct().order_by("pk")
    )


def _context(practice: PracticePage, **extra) -> dict:
    draft = practice.get_latest_revision_as_object()
    return {
        "practice": draft,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "dashboard_url": absolute_url(reverse("accounts:dashboard")),
        "edit_url": absolute_url(reverse("practices:edit", args=[practice.pk, "about"])),
        "review_url": absolute_url(reverse("wagtailadmin_pages:edit", args=[practice.pk])),
        "queue_url": absolute_url(reverse("practices_review_queue")),
        **extra,
    }


# --- Receivers --------------------------------------------------------------------------------


def practice_submitted(sender, instance: TaskState, user=None, **kwargs) -> None:
    practice = _practice_of(instance.workflow_state)
    if practice is None:
        return
    context = _context(practice, submitter=user)
    _send(
        "review_requested",
        [person for person in _moderators_of(instance) if person != user],
        context,
    )
    if practice.owner is not None:
        _send("submission_received", [practice.owner], context)


def practice_sent_back(sender, instance: WorkflowState, user=None, **kwargs) -> None:
    practice = _practice_of(instance)
    if practice is None or practice.owner is None:
        return
    comment = instance.current_task_state.comment if instance.current_task_state else ""
    _send("changes_requested", [practice.owner], _context(practice, comment=comment))


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


# --- Taking over from Wagtail for practices ---------------------------------------------------


def _unless_practice(notifier: Callable) -> Callable:
    """Wagtail's notifier for every object but practices, which get the e-mails above."""

    def receiver(sender, instance, **kwargs):
        workflow_state = getattr(instance, "workflow_state", instance)
        try:
            is_practice = _practice_of(workflow_state) is not None
        except Exception:  # noqa: BLE001  (a broken reference must not block moderation)
            logger.exception("Could not tell whether a workflow is about a practice")
            is_practice = False
        if not is_practice:
            return notifier(sender=sender, instance=instance, **kwargs)
        return None

    return receiver


def take_over_wagtail_notifications() -> None:
    wagtail_receivers = [
        (
            task_submitted,
            TaskState,
            wagtail_handlers.task_submission_email_notifier,
            "group_approval_task_submitted_email_notification",
        ),
        (
            workflow_submitted,
            WorkflowState,
            wagtail_handlers.workflow_submission_email_notifier,
            "workflow_state_submitted_email_notification",
        ),
        (
            workflow_rejected,
            WorkflowState,
            wagtail_handlers.workflow_rejection_email_notifier,
            "workflow_state_rejected_email_notification",
        ),
        (
            workflow_approved,
            WorkflowState,
            wagtail_handlers.workflow_approval_email_notifier,
            "workflow_state_approved_email_notification",
        ),
    ]
    for signal, sender, notifier, dispatch_uid in wagtail_receivers:
        signal.connect(
            _unless_practice(notifier), sender=sender, dispatch_uid=dispatch_uid, weak=False
        )

    task_submitted.connect(
        practice_submitted, sender=TaskState, dispatch_uid="practices_review_requested"
    )
    workflow_rejected.connect(
        practice_sent_back, sender=WorkflowState, dispatch_uid="practices_changes_requested"
    )
    workflow_approved.connect(
        practice_approved, sender=WorkflowState, dispatch_uid="practices_published"
    )
