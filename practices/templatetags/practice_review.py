"""`{% practice_review page as review %}`: what Wagtail's moderator e-mails add for a practice.

Wagtail's "submitted for moderation" e-mail says the same thing for every page and links to the
editor. For a practice it should say whether the moderators sent it back before (a revision is
read differently from a first submission) and link to the read-only review screen.
"""

from django import template
from django.urls import reverse

from ..models import PracticePage
from ..moderation import resubmitted_practice_ids

register = template.Library()


@register.simple_tag
def practice_review(page) -> dict | None:
    """None for any other page; for a practice, `resubmitted` and `review_path`."""
    if not isinstance(page, PracticePage):
        return None
    return {
        "resubmitted": page.pk in resubmitted_practice_ids([page.pk]),
        "review_path": reverse("practices_review_submission", args=[page.pk]),
    }
