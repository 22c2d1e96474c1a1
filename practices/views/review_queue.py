"""The moderators' screens in the Wagtail admin: the queue of practices awaiting review, the
longest-waiting first, and a read-only review screen for each.

Wagtail's dashboard panel shows the same task states newest first, among every other page; a
moderator working through submissions wants the queue in the order it arrived.

Why a read-only review screen rather than the page editor: in the editor, whatever a moderator
types into the practice's fields becomes a new revision when they approve or save, so it would
silently become the member's next draft, under the member's name, without the member knowing.
Moderators judge and comment; members write. The review screen shows the submission as it will
be published and offers the task's own actions (`PracticeReviewTask.get_actions`), posted to
Wagtail's own workflow action view, so the rules of reviewing still live in the task. A moderator
who opens the editor of a practice they review is sent here (see `wagtail_hooks`).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from wagtail.models import TaskState, WorkflowState

from core.forms import is_id

from ..models import PracticePage
from ..moderation import (
    can_moderate,
    practices_awaiting_review,
    resubmitted_practice_ids,
    task_state_to_review,
)

PAGE_SIZE = 50
ACTION_HEADINGS = {
    "reject": _lazy("Send it back to the member"),
    "approve": _lazy("Approve and publish"),
}


def review_queue(request):
    if not can_moderate(request.user):
        raise PermissionDenied
    reviewed = request.GET.get("reviewed", "")
    if reviewed:
        if is_id(reviewed):
            _tell_what_happened(request, int(reviewed))
        return redirect("practices_review_queue")
    paginator = Paginator(practices_awaiting_review(request.user), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("p"))
    task_states = list(page.object_list)
    ids = [int(state.workflow_state.object_id) for state in task_states]
    practices = PracticePage.objects.select_related("city__country", "owner").in_bulk(ids)
    resubmitted = resubmitted_practice_ids(ids)
    # A practice deleted while in review leaves no row.
    rows = [
        (state, practice, practice.pk in resubmitted)
        for state in task_states
        if (practice := practices.get(int(state.workflow_state.object_id))) is not None
    ]
    return TemplateResponse(
        request, "practices/admin/review_queue.html", {"rows": rows, "page": page}
    )


def review_submission(request, practice_id: int):
    """The submitted practice as it will be published, with the task's actions."""
    if not can_moderate(request.user):
        raise PermissionDenied
    practice = PracticePage.objects.filter(pk=practice_id).first()
    if practice is None:
        raise Http404
    task_state = task_state_to_review(practice, request.user)
    if task_state is None:
        messages.info(
            request,
            _("“%(title)s” is not waiting for your review.") % {"title": practice.draft_title},
        )
        return redirect("practices_review_queue")
    task = task_state.task.specific
    back_to_queue = reverse("practices_review_queue") + "?" + urlencode({"reviewed": practice.pk})
    actions = []
    for name, label, _needs_form in task.get_actions(practice, request.user):
        # Wagtail offers "Approve" and "Approve with comment": one form, its comment optional.
        if any(action["name"] == name for action in actions):
            continue
        form_class = task.get_form_for_action(name)
        form = form_class(auto_id=f"id_{name}_%s") if form_class else None
        if form is not None and "comment" in form.fields and not form.fields["comment"].required:
            form.fields["comment"].label = _("A word for the member (optional)")
            form.fields["comment"].help_text = _(
                "Sent with the e-mail that tells them the practice is published."
            )
        actions.append(
            {
                "name": name,
                "label": label,
                "heading": ACTION_HEADINGS.get(name, label),
                "form": form,
                "url": reverse(
                    "wagtailadmin_pages:workflow_action", args=[practice.pk, name, task_state.pk]
                ),
            }
        )
    revision = task_state.revision or practice.latest_revision
    sent_back = list(
        TaskState.objects.filter(
            workflow_state__object_id=str(practice.pk),
            workflow_state__base_content_type__app_label="wagtailcore",
            status=TaskState.STATUS_REJECTED,
        ).order_by("finished_at")
    )
    earlier_comments = [state.comment for state in sent_back if state.comment]
    # What changed since the moderators last sent it back: Wagtail's comparison of the two.
    compare_url = None
    if sent_back and revision and sent_back[-1].revision_id not in (None, revision.pk):
        compare_url = reverse(
            "wagtailadmin_pages:revisions_compare",
            args=[practice.pk, sent_back[-1].revision_id, revision.pk],
        )
    return TemplateResponse(
        request,
        "practices/admin/review_submission.html",
        {
            "practice": practice,
            "draft": revision.as_object() if revision else practice,
            "task_state": task_state,
            "task": task,
            "submitted_by": task_state.workflow_state.requested_by,
            "resubmitted": practice.pk in resubmitted_practice_ids([practice.pk]),
            "earlier_comments": earlier_comments,
            "compare_url": compare_url,
            "actions": actions,
            "next_url": back_to_queue,
        },
    )


def _tell_what_happened(request, practice_id: int) -> None:
    """After a review, say what became of the practice and that its owner was told.

    Wagtail's workflow action view sends the moderator back here without a word; the message
    reads the practice's state, so it says what really happened (nothing, if the form was
    refused), not what the moderator meant to do.
    """
    practice = PracticePage.objects.filter(pk=practice_id).select_related("owner").first()
    if practice is None:
        return
    state = (
        WorkflowState.objects.filter(
            base_content_type__app_label="wagtailcore", object_id=str(practice.pk)
        )
        .select_related("current_task_state")
        .order_by("-created_at", "-pk")
        .first()
    )
    finished = state.current_task_state if state else None
    if finished is None or finished.finished_by_id != request.user.pk:
        if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
            messages.warning(
                request,
                _(
                    "Nothing was done with “%(title)s”: to request changes, tell the member "
                    "what to change."
                )
                % {"title": practice.draft_title},
            )
        return
    owner = practice.owner.get_full_name() or practice.owner.email if practice.owner else ""
    if state.status == WorkflowState.STATUS_APPROVED:
        messages.success(
            request,
            _("“%(title)s” is approved and published. %(owner)s has been told by e-mail.")
            % {"title": practice.title, "owner": owner or _("Its owner")},
        )
    elif state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        messages.success(
            request,
            _(
                "“%(title)s” is back with %(owner)s, who has been e-mailed your comment and a "
                "link to make the changes."
            )
            % {"title": practice.draft_title, "owner": owner or _("its owner")},
        )
