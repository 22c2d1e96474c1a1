"""The moderators' step in the practice moderation workflow.

Moderators approve and request changes in Wagtail's own views (the editor's action menu, the
dashboard, the workflow action modal), so the rules of reviewing live here, where Wagtail calls
them, and nowhere else:

- who may review is the task's groups, which an admin changes under Settings > Workflow tasks;
  the "Practices to review" menu, the queue and the e-mails read the same groups;
- requesting changes needs a comment, because the member gets it by e-mail and cannot revise a
  practice without knowing what to change;
- nobody reviews a submission they made themselves, so that someone who may edit a practice
  cannot publish it by submitting it and approving it in one go.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.forms import TaskStateCommentForm
from wagtail.models import GroupApprovalTask

REQUEST_CHANGES = "reject"  # Wagtail's name for the action its buttons call "Request changes"


class ChangesRequestedForm(TaskStateCommentForm):
    """What the moderator writes when sending a practice back: required, it is the member's
    only guide to the next version."""

    comment = forms.CharField(
        label=_("What should the member change?"),
        help_text=_("The member receives this by e-mail, with a link to edit the practice."),
        widget=forms.Textarea({"rows": 4}),
        error_messages={"required": _("Tell the member what to change.")},
    )


class PracticeReviewTask(GroupApprovalTask):
    """A group approval task whose "Request changes" needs a comment for the member."""

    class Meta:
        verbose_name = _("practice review task")
        verbose_name_plural = _("practice review tasks")

    @classmethod
    def get_description(cls):
        return _(
            "Members of the chosen groups approve practices or send them back to their owner "
            "with a comment saying what to change."
        )

    def is_reviewer(self, user) -> bool:
        """True for the people who may review practices at this step: its groups' members."""
        return bool(
            user.is_authenticated
            and user.is_active
            and (user.is_superuser or self._user_in_groups(user))
        )

    def get_actions(self, obj, user):
        if self._submitted_by(obj, user) and not user.is_superuser:
            return []
        return super().get_actions(obj, user) if self.is_reviewer(user) else []

    def get_task_states_user_can_moderate(self, user, **kwargs):
        if not self.is_reviewer(user):
            return self.task_states.none()
        return super().get_task_states_user_can_moderate(user, **kwargs)

    def get_form_for_action(self, action):
        if action == REQUEST_CHANGES:
            return ChangesRequestedForm
        return super().get_form_for_action(action)

    def on_action(self, task_state, user, action_name, **kwargs):
        # The modal refuses an empty comment with a message next to the field. The editor's own
        # action menu sends the modal's data on with the page form, unchecked: a request that
        # gets here without a comment did not come from the modal, and is refused outright.
        if action_name == REQUEST_CHANGES and not str(kwargs.get("comment") or "").strip():
            raise PermissionDenied(gettext("Tell the member what to change."))
        return super().on_action(task_state, user, action_name, **kwargs)

    @staticmethod
    def _submitted_by(obj, user) -> bool:
        state = getattr(obj, "current_workflow_state", None)
        return state is not None and state.requested_by_id == getattr(user, "pk", None)
