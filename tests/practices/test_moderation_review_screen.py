"""Moderators after signing in: the queue from "My Urban Exchange", a read-only review screen,
and back at the queue with a message once they have decided.

Wagtail's workflow action view does the work (the screen posts to it), so these tests post what
the screen's forms post and follow where Wagtail sends the moderator.
"""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from practices import services
from tests.factories import (
    draft_practice,
    editor_form,
    editor_url,
    make_member,
    moderate,
    submitted,
)

pytestmark = pytest.mark.django_db


def review_url(practice):
    return reverse("practices_review_submission", args=[practice.pk])


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_decision(client, practice, action, comment=""):
    """What the review screen's form for `action` posts, followed to where Wagtail sends it."""
    html = client.get(review_url(practice)).content.decode()
    practice.refresh_from_db()
    task_state = practice.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[practice.pk, action, task_state.pk])
    assert f'action="{url}"' in html, "the screen posts to Wagtail's workflow action view"
    next_url = reverse("practices_review_queue") + f"?reviewed={practice.pk}"
    assert f'name="next" value="{next_url}"' in html
    return client.post(url, {"comment": comment, "next": next_url}, follow=True)


def test_the_dashboard_shows_moderators_the_queue_count_with_a_link(
    member, moderator, library, lille, terms
):
    for title in ("First", "Second"):
        submitted(member, lille, terms, title=title)
    html = signed_in(moderator).get(reverse("accounts:dashboard")).content.decode()
    assert "2 practices are waiting for a moderator." in html
    assert f'href="{reverse("practices_review_queue")}"' in html


def test_the_dashboard_shows_no_queue_to_members(member, library, lille, terms):
    submitted(member, lille, terms)
    html = signed_in(member).get(reverse("accounts:dashboard")).content.decode()
    assert "Practices to review" not in html
    assert reverse("practices_review_queue") not in html


def test_the_queue_links_to_the_review_screen_which_shows_everything_read_only(
    member, moderator, library, lille, terms
):
    practice = submitted(member, lille, terms, title="Night buses", partners="Transpole")
    client = signed_in(moderator)
    queue = client.get(reverse("practices_review_queue")).content.decode()
    assert f'href="{review_url(practice)}"' in queue
    html = client.get(review_url(practice)).content.decode()
    assert "Night buses" in html and "Transpole" in html and "Empty factory halls." in html
    assert 'name="title"' not in html, "no field of the page to type into"
    assert "Approve" in html and "Request changes" in html


def test_requesting_changes_lands_back_at_the_queue_saying_the_member_was_told(
    member, moderator, library, lille, terms, django_capture_on_commit_callbacks
):
    practice = submitted(member, lille, terms, title="Night buses")
    client = signed_in(moderator)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_decision(client, practice, "reject", "Say what the buses cost.")
    assert response.redirect_chain[-1][0] == reverse("practices_review_queue")
    html = response.content.decode()
    assert "is back with" in html and "has been e-mailed your comment" in html
    assert services.submission_of(practice).changes_requested
    assert any(member.email in message.to for message in mail.outbox)


def test_approving_lands_back_at_the_queue_saying_the_member_was_told(
    member, moderator, library, lille, terms
):
    practice = submitted(member, lille, terms, title="Night buses")
    response = post_decision(signed_in(moderator), practice, "approve")
    assert response.redirect_chain[-1][0] == reverse("practices_review_queue")
    assert "is approved and published" in response.content.decode()
    assert "has been told by e-mail" in response.content.decode()
    practice.refresh_from_db()
    assert practice.live


def test_an_empty_request_for_changes_does_nothing_and_says_so(
    member, moderator, library, lille, terms
):
    practice = submitted(member, lille, terms, title="Night buses")
    response = post_decision(signed_in(moderator), practice, "reject", "")
    assert "Nothing was done" in response.content.decode()
    assert services.submission_of(practice).is_in_review


def test_a_resubmitted_practice_says_so_in_the_queue_and_in_the_moderators_mail(
    member, moderator, library, lille, terms, django_capture_on_commit_callbacks
):
    practice = submitted(member, lille, terms, title="Night buses")
    first = submitted(member, lille, terms, title="First time")
    moderate(moderator, practice, "reject", "Say what the buses cost.")
    client = signed_in(moderator)
    assert (
        "Resubmitted after changes"
        not in client.get(reverse("practices_review_queue")).content.decode()
    )

    draft = services.latest_draft(practice)
    draft.summary = "Night buses; they cost 2 million euro a year."
    services.save_draft(member, draft)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_for_review(member, practice)
    queue = client.get(reverse("practices_review_queue")).content.decode()
    row = queue[queue.index("Night buses") :]
    assert "Resubmitted after changes" in row[: row.index("</tr>")]
    first_row = queue[queue.index("First time") :]
    assert "Resubmitted after changes" not in first_row[: first_row.index("</tr>")]
    [to_moderator] = [message for message in mail.outbox if moderator.email in message.to]
    assert "Resubmitted" in to_moderator.subject
    assert "resubmitted after the moderators asked for changes" in to_moderator.body
    assert review_url(practice) in to_moderator.body
    review = client.get(review_url(practice)).content.decode()
    assert "Say what the buses cost." in review, "what was asked before"
    compare = re.search(r'href="([^"]*/revisions/compare/\d+\.\.\.\d+/)"', review)
    assert compare and client.get(compare.group(1)).status_code == 200
    assert first.pk != practice.pk


def test_a_first_submission_mail_links_to_the_review_screen(
    member, moderator, library, lille, terms, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        practice = submitted(member, lille, terms, title="Night buses")
    [to_moderator] = [message for message in mail.outbox if moderator.email in message.to]
    assert "Resubmitted" not in to_moderator.subject
    assert "Night buses" in to_moderator.subject
    assert review_url(practice) in to_moderator.body


def test_a_moderator_opening_the_editor_of_a_practice_in_review_gets_the_review_screen(
    member, moderator, library, lille, terms
):
    practice = submitted(member, lille, terms, title="Night buses")
    client = signed_in(moderator)
    response = client.get(editor_url(practice))
    assert response.status_code == 302 and response["Location"] == review_url(practice)
    before = practice.latest_revision_id
    response = client.post(editor_url(practice), {"title": "Typed by the moderator"})
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.latest_revision_id == before, "nothing the moderator typed became a draft"
    assert services.latest_draft(practice).title == "Night buses"


def test_a_draft_not_in_review_still_opens_in_the_editor(member, moderator, library, lille, terms):
    practice = draft_practice(member, lille, terms)
    assert signed_in(moderator).get(editor_url(practice)).status_code == 200


def test_the_review_screen_refuses_members_and_what_is_not_in_review(
    member, moderator, library, lille, terms
):
    practice = draft_practice(member, lille, terms)
    response = signed_in(member).get(review_url(practice))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    response = signed_in(moderator).get(review_url(practice), follow=True)
    assert "is not waiting for your review" in response.content.decode()


def test_status_chips_tell_changes_requested_from_a_plain_draft(
    member, moderator, library, lille, terms
):
    sent_back = submitted(member, lille, terms, title="Sent back")
    draft_practice(member, lille, terms, title="Plain draft")
    moderate(moderator, sent_back, "reject", "Add the costs.")
    client = signed_in(member)
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert '<span class="status-tag status-tag--changes_requested">Changes requested</span>' in html
    assert '<span class="status-tag status-tag--draft">Draft</span>' in html
    step = client.get(reverse("practices:edit", args=[sent_back.pk, "story"])).content.decode()
    assert '<span class="status-tag status-tag--changes_requested">Changes requested</span>' in step


def test_wagtails_status_tags_tell_changes_requested_from_a_plain_draft(
    member, moderator, library, lille, terms
):
    sent_back = submitted(member, lille, terms, title="Sent back")
    plain = draft_practice(member, lille, terms, title="Plain draft")
    in_review = submitted(member, lille, terms, title="Waiting")
    moderate(moderator, sent_back, "reject", "Add the costs.")
    for practice in (sent_back, plain, in_review):
        practice.refresh_from_db()
    assert str(sent_back.status_string) == "changes requested"
    assert str(plain.status_string) == "draft"
    assert str(in_review.status_string) == "in moderation"
    listing = signed_in(moderator).get(reverse("wagtailadmin_explore", args=[library.pk]))
    html = listing.content.decode()
    assert "changes requested" in html and "in moderation" in html


def test_a_change_saved_by_someone_else_in_the_editor_is_shown_to_the_member(
    member, moderator, library, lille, terms
):
    practice = submitted(member, lille, terms, title="Night buses")
    moderate(moderator, practice, "reject", "Add the costs.")
    member_client = signed_in(member)
    notice = "A moderator or editor changed this practice in the admin"
    assert notice not in member_client.get(reverse("accounts:dashboard")).content.decode()

    admin = signed_in(make_member("root@urbanexchange.test", is_superuser=True))
    data = editor_form(admin, practice)
    data["summary"] = "Typed by an admin in the editor."
    assert admin.post(editor_url(practice), data).status_code == 302
    assert services.latest_draft(practice).summary == "Typed by an admin in the editor."

    assert notice in member_client.get(reverse("accounts:dashboard")).content.decode()
    review = member_client.get(reverse("practices:edit", args=[practice.pk, "review"]))
    assert notice in review.content.decode()
    assert "Typed by an admin in the editor." in review.content.decode()
