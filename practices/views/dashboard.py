"""What the practice library adds to "My Urban Exchange": the member's practices, each with
where it stands, and, for moderators, how many practices await their review."""

from django.urls import reverse

from core.sections import Section

from .. import opinions, services
from ..moderation import can_moderate, practices_awaiting_review


def my_practices(request) -> Section:
    """Each practice with the section "Edit" opens: the first one that is still incomplete."""
    rows = [
        (
            item,
            services.first_step_to_complete(services.latest_draft(item.practice))
            if item.can_edit
            else None,
        )
        for item in services.submissions_of(request.user)
    ]
    return Section("practices/dashboard_section.html", {"submissions": rows})


def practices_to_review(request) -> Section | None:
    """A moderator signs in on the public site: the queue is one link away, with its count.

    Everyone else sees nothing; the same rule as the admin's "Practices to review" menu.
    """
    if not can_moderate(request.user):
        return None
    return Section(
        "practices/dashboard_review_queue.html",
        {
            "count": practices_awaiting_review(request.user).count(),
            "queue_url": reverse("practices_review_queue"),
        },
    )


#: The newest opinions an expert sees on the dashboard; older ones are on the practices' pages.
MY_OPINIONS_SHOWN = 20


def my_opinions(request) -> Section | None:
    """An expert's own opinions, the last changed first, each with where it stands and the link
    to edit it (a draft, one sent back) or to read it (published)."""
    if not opinions.is_expert(request.user):
        return None
    mine = list(
        opinions.opinions_of(request.user).select_related("practice__city")[:MY_OPINIONS_SHOWN]
    )
    return Section("practices/dashboard_my_opinions.html", {"opinions": mine})


def opinions_to_moderate(request) -> Section | None:
    """Moderators see how many expert opinions wait for them, one link from the queue."""
    if not opinions.can_moderate_opinions(request.user):
        return None
    return Section(
        "practices/dashboard_opinion_queue.html",
        {
            "count": opinions.opinions_to_moderate().count(),
            "queue_url": reverse("practices_opinion_queue"),
        },
    )
