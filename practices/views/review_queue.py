"""The moderators' list in the Wagtail admin: practices awaiting review, the longest-waiting first.

Wagtail's dashboard panel shows the same task states newest first, among every other page; a
moderator working through submissions wants the queue in the order it arrived.
"""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.template.response import TemplateResponse

from ..models import PracticePage
from ..moderation import can_moderate, practices_awaiting_review

PAGE_SIZE = 50


def review_queue(request):
    if not can_moderate(request.user):
        raise PermissionDenied
    paginator = Paginator(practices_awaiting_review(request.user), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("p"))
    task_states = list(page.object_list)
    practices = PracticePage.objects.select_related("city__country", "owner").in_bulk(
        [int(state.workflow_state.object_id) for state in task_states]
    )
    # A practice deleted while in review leaves no row.
    rows = [
        (state, practice)
        for state in task_states
        if (practice := practices.get(int(state.workflow_state.object_id))) is not None
    ]
    return TemplateResponse(
        request, "practices/admin/review_queue.html", {"rows": rows, "page": page}
    )
