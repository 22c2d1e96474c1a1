"""The practice library's moderation workflow: moderators approve what members submit.

The library page carries its own Wagtail workflow, "Practice moderation", with one practice
review task (`PracticeReviewTask`) for the Moderators group. Wagtail's default workflow on the
root would catch practices too, but it is shared with every other page and an editor may change
it for their own pages; a named workflow on the library says what happens to a submission and
keeps it that way.

A new library gets the workflow when it is created (see the receiver below), so neither a
migration nor an editor has to remember it.

Who may moderate is the review task's groups, and only them: the admin menu, the queue and the
workflow actions all ask the task (`can_moderate`, `practices_awaiting_review`), so an admin who
changes the task's groups changes all of them at once.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from wagtail.models import GroupPagePermission, TaskState, Workflow, WorkflowPage, WorkflowTask

from core import roles

from .models import PracticeIndexPage, PracticePage, PracticeReviewTask

WORKFLOW_NAME = _("Practice moderation")
TASK_NAME = _("Moderators' review")


def practice_moderation_workflow() -> Workflow:
    """The workflow every practice goes through, created with its task the first time."""
    workflow, created = Workflow.objects.get_or_create(name=str(WORKFLOW_NAME))
    if created:
        task = PracticeReviewTask.objects.create(name=str(TASK_NAME))
        task.groups.set(Group.objects.filter(name=roles.MODERATORS))
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow


@transaction.atomic
def assign_moderation_workflow(library: PracticeIndexPage) -> Workflow:
    """Put the practice moderation workflow on `library`, unless an editor chose another one."""
    assigned = WorkflowPage.objects.filter(page=library).select_related("workflow").first()
    if assigned is not None:
        return assigned.workflow
    workflow = practice_moderation_workflow()
    WorkflowPage.objects.create(page=library, workflow=workflow)
    return workflow


def let_moderators_browse(library: PracticeIndexPage) -> None:
    """Moderators may edit practices but not publish them (see migration 0006): Wagtail needs a
    page permission to show them the library and the revisions of what they review."""
    moderators = Group.objects.filter(name=roles.MODERATORS).first()
    if moderators is None:
        return
    GroupPagePermission.objects.get_or_create(
        group=moderators,
        page=library,
        permission=Permission.objects.get(
            content_type__app_label="wagtailcore", codename="change_page"
        ),
    )


# --- Who moderates ------------------------------------------------------------------------------


def review_tasks() -> QuerySet[PracticeReviewTask]:
    """The active review tasks of the workflows on the practice library."""
    library_workflows = WorkflowPage.objects.filter(
        page__in=PracticeIndexPage.objects.all(), workflow__active=True
    ).values("workflow_id")
    return (
        PracticeReviewTask.objects.filter(
            active=True, workflow_tasks__workflow_id__in=library_workflows
        )
        .distinct()
        .order_by("pk")
    )


def can_moderate(user) -> bool:
    """True if `user` is a reviewer of the practice library's workflow."""
    if not (user.is_authenticated and user.is_active):
        return False
    return any(task.is_reviewer(user) for task in review_tasks())


def practices_awaiting_review(user=None) -> QuerySet[TaskState]:
    """Task states of practices waiting for a moderator, the longest-waiting first.

    With `user`, only those that `user` may review: the same rule that Wagtail's workflow
    actions and its dashboard apply.
    """
    states = TaskState.objects.filter(
        status=TaskState.STATUS_IN_PROGRESS,
        workflow_state__base_content_type__app_label="wagtailcore",
        workflow_state__content_type__app_label="practices",
        workflow_state__content_type__model=PracticePage._meta.model_name,
    )
    if user is not None:
        reviewed = [task.pk for task in review_tasks() if task.is_reviewer(user)]
        states = states.filter(task_id__in=reviewed)
    return states.select_related("workflow_state__requested_by").order_by("started_at", "pk")


def resubmitted_practice_ids(practice_ids) -> set[int]:
    """Which of these practices a moderator sent back before: what comes now is a revision.

    A practice sent back and submitted again resumes its workflow, whose earlier task state
    stays "rejected"; one withdrawn and started afresh keeps its old workflow state too. Either
    way a rejected task state for the page means the moderators have seen it and asked for
    changes, and a moderator reading it again wants to know.
    """
    ids = [str(pk) for pk in practice_ids]
    if not ids:
        return set()
    return {
        int(object_id)
        for object_id in TaskState.objects.filter(
            status=TaskState.STATUS_REJECTED,
            workflow_state__base_content_type__app_label="wagtailcore",
            workflow_state__object_id__in=ids,
        ).values_list("workflow_state__object_id", flat=True)
    }


def task_state_to_review(practice: PracticePage, user) -> TaskState | None:
    """The open review of `practice` that `user` may act on, or None."""
    return (
        practices_awaiting_review(user)
        .filter(workflow_state__object_id=str(practice.pk))
        .select_related("task")
        .first()
    )


@receiver(post_save, sender=PracticeIndexPage, dispatch_uid="practices_assign_moderation_workflow")
def _assign_workflow_to_new_library(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        assign_moderation_workflow(instance)
        let_moderators_browse(instance)
