"""The rules of submitting a practice, through the services; moderators act in Wagtail's own
workflow views (see test_moderation_workflow.py for the rules of reviewing)."""

import re

import pytest
from django.core import mail
from wagtail.models import WorkflowPage, WorkflowState

from core import roles
from core.models import OutgoingEmail
from practices import services
from practices.models import PracticePage, PracticeReviewTask
from practices.moderation import WORKFLOW_NAME, practices_awaiting_review
from tests.factories import FAILING_MAIL_SERVER, draft_practice, make_member, moderate, submitted


def test_a_new_library_gets_the_practice_moderation_workflow(library):
    assignment = WorkflowPage.objects.get(page=library)
    assert assignment.workflow.name == str(WORKFLOW_NAME)
    [task] = assignment.workflow.tasks.specific()
    assert isinstance(task, PracticeReviewTask)
    assert [group.name for group in task.groups.all()] == [roles.MODERATORS]


def test_a_draft_is_a_non_live_page_owned_by_the_member(library, member, lille, terms):
    practice = draft_practice(member, lille, terms)
    assert practice.owner == member
    assert not practice.live
    assert practice.get_parent().pk == library.pk
    assert [t.name for t in services.latest_draft(practice).themes.all()] == ["Housing"]
    assert services.submission_of(practice).state == services.SubmissionState.DRAFT


def test_submitting_starts_the_workflow_and_tells_moderators_and_member(
    library, member, moderator, lille, terms, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        practice = submitted(member, lille, terms)
    assert practice.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert services.submission_of(practice).state == services.SubmissionState.IN_REVIEW
    assert [state.workflow_state.object_id for state in practices_awaiting_review()] == [
        str(practice.pk)
    ]
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [moderator.email, member.email]
    ), "one e-mail each"
    # The moderator's is Wagtail's own, which their notification preferences govern, in the
    # practice's words and linking to the review screen.
    to_moderator = by_recipient[moderator.email]
    assert 'The practice "TAST\'in FIVES" awaits your review' in to_moderator.subject
    assert f"/admin/practices/review/{practice.pk}/" in to_moderator.body
    assert "received" in by_recipient[member.email].subject


def test_moderation_mails_link_to_the_address_the_site_is_served_on(
    library, member, moderator, lille, terms, settings, django_capture_on_commit_callbacks
):
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8123"
    with django_capture_on_commit_callbacks(execute=True):
        submitted(member, lille, terms)

    # The member's e-mail is the library's own; the moderator's is Wagtail's, which takes its
    # links from the same setting.
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [member.email, moderator.email]
    )
    for message in mail.outbox:
        links = re.findall(r"https?://\S+", message.body)
        assert links and all(link.startswith("http://127.0.0.1:8123/") for link in links)
        if message.to == [member.email]:
            assert message.body.rstrip().endswith("Urban Exchange")


def test_an_incomplete_practice_cannot_be_submitted(library, member, lille, terms):
    practice = services.start_practice(
        member,
        PracticePage(title="Half done", summary="s", city=lille, lead_organisation="Lille"),
    )
    with pytest.raises(services.PracticeError, match="at least one theme"):
        services.submit_for_review(member, practice)
    assert practice.current_workflow_state is None


def test_approving_publishes_and_tells_the_member(
    library, member, moderator, lille, terms, django_capture_on_commit_callbacks
):
    practice = submitted(member, lille, terms)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moderate(moderator, practice, "approve", "Lovely.")
    practice.refresh_from_db()
    assert practice.live and not practice.has_unpublished_changes
    submission = services.submission_of(practice)
    assert submission.state == services.SubmissionState.PUBLISHED
    assert submission.moderator_comment == "Lovely."
    [message] = mail.outbox
    assert message.to == [member.email]
    assert "is published" in message.subject
    assert practice.url in message.body


def test_only_moderators_can_approve(library, member, lille, terms):
    practice = submitted(member, lille, terms)
    other = make_member("other@brno.test")
    editor = make_member("editor@urbanexchange.test", groups=[roles.EDITORS])
    for person in (other, member, editor):
        response = moderate(person, practice, "approve")
        assert response.status_code in (302, 403), person
    practice.refresh_from_db()
    assert not practice.live
    assert services.submission_of(practice).is_in_review


def test_changes_requested_then_resubmitted(
    library, member, moderator, lille, terms, django_capture_on_commit_callbacks
):
    practice = submitted(member, lille, terms)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moderate(moderator, practice, "reject", "Please say what the kitchen cost.")
    submission = services.submission_of(practice)
    assert submission.state == services.SubmissionState.CHANGES_REQUESTED
    assert submission.moderator_comment == "Please say what the kitchen cost."
    [message] = mail.outbox
    assert message.to == [member.email]
    assert "Please say what the kitchen cost." in message.body
    assert f"/my/practices/{practice.pk}/about/" in message.body

    draft = services.latest_draft(practice)
    draft.resources = "<p>EUR 5 million from UIA.</p>"
    services.save_draft(member, draft)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_for_review(member, practice)
    practice.refresh_from_db()
    state = practice.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert WorkflowState.objects.filter(object_id=str(practice.pk)).count() == 1, "resumed"
    assert {m.to[0] for m in mail.outbox} == {moderator.email, member.email}

    moderate(moderator, practice, "approve")
    practice.refresh_from_db()
    assert practice.live
    assert practice.specific.resources == "<p>EUR 5 million from UIA.</p>"


def test_a_practice_in_review_cannot_change_until_withdrawn(library, member, lille, terms):
    practice = submitted(member, lille, terms)
    draft = services.latest_draft(practice)
    draft.summary = "Changed under the moderators' eyes"
    with pytest.raises(services.PracticeError, match="with the moderators"):
        services.save_draft(member, draft)
    services.withdraw_from_review(member, practice)
    practice.refresh_from_db()
    services.save_draft(member, draft)
    assert services.submission_of(practice).state == services.SubmissionState.DRAFT


def test_editing_a_published_practice_keeps_the_live_version_until_approved(
    library, member, moderator, lille, terms
):
    practice = submitted(member, lille, terms)
    moderate(moderator, practice, "approve")
    practice.refresh_from_db()

    draft = services.latest_draft(practice)
    draft.summary = "A food hub and a training kitchen in Fives."
    services.save_draft(member, draft)
    practice.refresh_from_db()
    assert practice.live and practice.has_unpublished_changes
    assert PracticePage.objects.get(pk=practice.pk).summary == "A food hub in Fives."
    submission = services.submission_of(practice)
    assert submission.state == services.SubmissionState.DRAFT and submission.is_live

    services.submit_for_review(member, practice)
    practice.refresh_from_db()
    assert PracticePage.objects.get(pk=practice.pk).summary == "A food hub in Fives."
    moderate(moderator, practice, "approve")
    assert PracticePage.objects.get(pk=practice.pk).summary == (
        "A food hub and a training kitchen in Fives."
    )


def test_members_reach_only_their_own_practices(library, member, lille, terms):
    practice = draft_practice(member, lille, terms)
    other = make_member("other@brno.test")
    with pytest.raises(PracticePage.DoesNotExist):
        services.owned_practice(other, practice.pk)
    draft = services.latest_draft(practice)
    with pytest.raises(PracticePage.DoesNotExist):
        services.save_draft(other, draft)
    with pytest.raises(PracticePage.DoesNotExist):
        services.submit_for_review(other, practice)


def test_dashboard_states_take_a_fixed_number_of_queries(
    library, member, moderator, lille, terms, django_assert_max_num_queries
):
    for number in range(5):
        practice = draft_practice(member, lille, terms, title=f"Practice {number}")
        if number % 2:
            services.submit_for_review(member, practice)
    with django_assert_max_num_queries(3):
        states = [s.state for s in services.submissions_of(member)]
    assert sorted(states) == ["draft", "draft", "draft", "in_review", "in_review"]


def test_a_failing_mail_server_does_not_lose_the_submission(
    library, member, moderator, lille, terms, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_DELIVERY_BACKEND = FAILING_MAIL_SERVER
    with django_capture_on_commit_callbacks(execute=True):
        practice = submitted(member, lille, terms)
    assert services.submission_of(practice).state == services.SubmissionState.IN_REVIEW
    # Both e-mails (the member's and Wagtail's to the moderator) failed, and wait to be re-sent.
    failed = OutgoingEmail.objects.filter(state=OutgoingEmail.State.FAILED)
    assert sorted(address for email in failed for address in email.to) == sorted(
        [moderator.email, member.email]
    )


def test_a_submission_says_where_it_stands_in_properties(library, member, moderator, lille, terms):
    practice = draft_practice(member, lille, terms)
    states = ["is_draft", "is_in_review", "changes_requested", "is_published"]

    def flags():
        practice.refresh_from_db()
        submission = services.submission_of(practice)
        return [name for name in states if getattr(submission, name)]

    assert flags() == ["is_draft"]
    services.submit_for_review(member, practice)
    assert flags() == ["is_in_review"] and not services.submission_of(practice).can_edit
    moderate(moderator, practice, "reject", "Add the costs.")
    assert flags() == ["changes_requested"]
    services.submit_for_review(member, practice)
    moderate(moderator, practice, "approve")
    assert flags() == ["is_published"]
    assert not services.submission_of(practice).has_published_version
