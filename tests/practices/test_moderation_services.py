"""The rules of submitting and moderating a practice, through the services alone."""

import pytest
from django.core import mail
from wagtail.models import WorkflowPage, WorkflowState

from practices import services
from practices.models import GovernanceLevel, PracticePage, Theme
from practices.moderation import WORKFLOW_NAME, practices_awaiting_review
from tests.conftest import make_member

from .conftest import make_city


@pytest.fixture
def moderator(db):
    return make_member("moderator@urbanexchange.test", groups=["Moderators"], first_name="Mia")


@pytest.fixture
def city(db):
    return make_city("Lille", "FR", "France")


@pytest.fixture
def terms(db):
    return {
        "theme": Theme.objects.create(name="Housing", slug="housing"),
        "level": GovernanceLevel.objects.create(name="Local", slug="local"),
    }


def draft_practice(member, city, terms, title="TAST'in FIVES", **fields) -> PracticePage:
    """A complete draft, as a member leaves it after the last step of the form."""
    draft = PracticePage(
        title=title,
        summary="A food hub in Fives.",
        city=city,
        lead_organisation="City of Lille",
        problem="<p>Empty factory halls.</p>",
        approach="<p>A shared kitchen.</p>",
        contact_email=member.email,
        **fields,
    )
    practice = services.start_practice(member, draft)
    draft = services.latest_draft(practice)
    draft.themes = [terms["theme"]]
    draft.governance_levels = [terms["level"]]
    services.save_draft(member, draft)
    return practice


def submitted(member, city, terms, **fields) -> PracticePage:
    practice = draft_practice(member, city, terms, **fields)
    services.submit_for_review(member, practice)
    practice.refresh_from_db()
    return practice


def test_a_new_library_gets_the_practice_moderation_workflow(library):
    assignment = WorkflowPage.objects.get(page=library)
    assert assignment.workflow.name == str(WORKFLOW_NAME)
    [task] = assignment.workflow.tasks.specific()
    assert [group.name for group in task.groups.all()] == ["Moderators"]


def test_a_draft_is_a_non_live_page_owned_by_the_member(library, member, city, terms):
    practice = draft_practice(member, city, terms)
    assert practice.owner == member
    assert not practice.live
    assert practice.get_parent().pk == library.pk
    assert [t.name for t in services.latest_draft(practice).themes.all()] == ["Housing"]
    assert services.submission_of(practice).state == services.SubmissionState.DRAFT


def test_submitting_starts_the_workflow_and_tells_moderators_and_member(
    library, member, moderator, city, terms, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        practice = submitted(member, city, terms)
    assert practice.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert services.submission_of(practice).state == services.SubmissionState.IN_REVIEW
    assert [state.workflow_state.object_id for state in practices_awaiting_review()] == [
        str(practice.pk)
    ]
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {moderator.email, member.email}, "no Wagtail e-mails as well"
    assert "Practice to review: TAST'in FIVES" in by_recipient[moderator.email].subject
    assert f"/admin/pages/{practice.pk}/edit/" in by_recipient[moderator.email].body
    assert "received" in by_recipient[member.email].subject


def test_an_incomplete_practice_cannot_be_submitted(library, member, city, terms):
    practice = services.start_practice(
        member,
        PracticePage(title="Half done", summary="s", city=city, lead_organisation="Lille"),
    )
    with pytest.raises(services.PracticeSubmissionError, match="at least one theme"):
        services.submit_for_review(member, practice)
    assert practice.current_workflow_state is None


def test_approving_publishes_and_tells_the_member(
    library, member, moderator, city, terms, django_capture_on_commit_callbacks
):
    practice = submitted(member, city, terms)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_practice(moderator, practice, comment="Lovely.")
    practice.refresh_from_db()
    assert practice.live and not practice.has_unpublished_changes
    submission = services.submission_of(practice)
    assert submission.state == services.SubmissionState.PUBLISHED
    assert submission.moderator_comment == "Lovely."
    [message] = mail.outbox
    assert message.to == [member.email]
    assert "is published" in message.subject
    assert practice.url in message.body


def test_only_moderators_can_approve(library, member, city, terms):
    practice = submitted(member, city, terms)
    other = make_member("other@brno.test")
    with pytest.raises(services.PracticeSubmissionError):
        services.approve_practice(other, practice)
    with pytest.raises(services.PracticeSubmissionError):
        services.approve_practice(member, practice)
    practice.refresh_from_db()
    assert not practice.live


def test_changes_requested_then_resubmitted(
    library, member, moderator, city, terms, django_capture_on_commit_callbacks
):
    practice = submitted(member, city, terms)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.request_changes(moderator, practice, "Please say what the kitchen cost.")
    submission = services.submission_of(practice)
    assert submission.state == services.SubmissionState.CHANGES_REQUESTED
    assert submission.moderator_comment == "Please say what the kitchen cost."
    [message] = mail.outbox
    assert message.to == [member.email]
    assert "Please say what the kitchen cost." in message.body
    assert f"/practices/submit/{practice.pk}/about/" in message.body

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

    services.approve_practice(moderator, practice)
    practice.refresh_from_db()
    assert practice.live
    assert practice.specific.resources == "<p>EUR 5 million from UIA.</p>"


def test_a_practice_in_review_cannot_change_until_withdrawn(library, member, city, terms):
    practice = submitted(member, city, terms)
    draft = services.latest_draft(practice)
    draft.summary = "Changed under the moderators' eyes"
    with pytest.raises(services.PracticeSubmissionError, match="with the moderators"):
        services.save_draft(member, draft)
    services.withdraw_from_review(member, practice)
    practice.refresh_from_db()
    services.save_draft(member, draft)
    assert services.submission_of(practice).state == services.SubmissionState.DRAFT


def test_editing_a_published_practice_keeps_the_live_version_until_approved(
    library, member, moderator, city, terms
):
    practice = submitted(member, city, terms)
    services.approve_practice(moderator, practice)
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
    services.approve_practice(moderator, practice)
    assert PracticePage.objects.get(pk=practice.pk).summary == (
        "A food hub and a training kitchen in Fives."
    )


def test_members_reach_only_their_own_practices(library, member, city, terms):
    practice = draft_practice(member, city, terms)
    other = make_member("other@brno.test")
    with pytest.raises(PracticePage.DoesNotExist):
        services.owned_practice(other, practice.pk)
    draft = services.latest_draft(practice)
    with pytest.raises(PracticePage.DoesNotExist):
        services.save_draft(other, draft)
    with pytest.raises(PracticePage.DoesNotExist):
        services.submit_for_review(other, practice)


def test_dashboard_states_take_a_fixed_number_of_queries(
    library, member, moderator, city, terms, django_assert_max_num_queries
):
    for number in range(5):
        practice = draft_practice(member, city, terms, title=f"Practice {number}")
        if number % 2:
            services.submit_for_review(member, practice)
    with django_assert_max_num_queries(3):
        states = [s.state for s in services.submissions_of(member)]
    assert sorted(states) == ["draft", "draft", "draft", "in_review", "in_review"]
