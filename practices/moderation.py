"""The practice library's moderation workflow: moderators approve what members submit.

The library page carries its own Wagtail workflow, "Practice moderation", with one group approval
task for the Moderators group. Wagtail's default workflow on the root would catch practices too,
but it is shared with every other page and an editor may change it for their own pages; a named
workflow on the library says what happens to a submission and keeps it that way.

A new library gets the workflow when it is created (see `PracticesConfig.ready`), so neither a
migration nor an editor has to remember it.
"""

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from wagtail.models import GroupApprovalTask, TaskState, Workflow, WorkflowPage, WorkflowTask

from core import roles

from .models import PracticeIndexPage, PracticePage

MODERATORS_GROUP = roles.MODERATORS
WORKFLOW_NAME = _("Practice moderation")
TASK_NAME = _("Moderators' review")


def practice_moderation_workflow() -> Workflow:
    """The workflow every practice goes through, created with its task the first time."""
    workflow, created = Workflow.objects.get_or_create(name=str(WORKFLOW_NAME))
    if created:
        task = GroupApprovalTask.objects.create(name=str(TASK_NAME))
        task.groups.set(Group.objects.filter(name=MODERATORS_GROUP))
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


def practices_awaiting_review():
    """Task states of practices waiting for a moderator, the longest-waiting first."""
    return (
        TaskState.objects.filter(
            status=TaskState.STATUS_IN_PROGRESS,
            workflow_state__base_content_type__app_label="wagtailcore",
            workflow_state__content_type__app_label="practices",
            workflow_state__content_type__model=PracticePage._meta.model_name,
        )
        .select_related("workflow_state__requested_by")
        .order_by("started_at", "pk")
    )


@receiver(post_save, sender=PracticeIndexPage, dispatch_uid="practices_assign_moderation_workflow")
def _assign_workflow_to_new_library(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        assign_moderation_workflow(instance)
