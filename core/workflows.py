"""What happens when a Wagtail workflow is approved (the `WAGTAIL_FINISH_WORKFLOW_ACTION`).

Reviewers act through the workflow only: they have no permission to publish pages themselves,
so that nobody can publish a draft that was never submitted (Moderators, for instance, may edit
practices but not publish them). Wagtail's own finishing action publishes as the approving
reviewer and so checks that reviewer's publish permission, which would refuse every approval.
Here the approval is the permission: the workflow's tasks have decided who may give it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # Wagtail imports this module while it defines WorkflowState: no import of its models here.
    from wagtail.models import WorkflowState


def publish_approved_revision(workflow_state: WorkflowState, user=None) -> None:
    """Publish the revision the reviewers approved, recorded as published by `user`."""
    revision = workflow_state.content_object.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)
