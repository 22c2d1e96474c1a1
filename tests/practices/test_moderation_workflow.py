"""Moderators review practices in Wagtail's own views; the rules live in the review task.

Every test drives the admin as a moderator does: the workflow action modal (which Wagtail's
dashboard and editor open), the editor's action menu, the task's settings.
"""

import importlib
import json

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.urls import reverse
from wagtail.models import (
    GroupApprovalTask,
    Page,
    Task,
    Workflow,
    WorkflowPage,
    WorkflowState,
    WorkflowTask,
)
from wagtail.users.models import UserProfile

from core import roles
from core.models import OutgoingEmail
from practices import services
from practices.models import PracticeReviewTask
from practices.moderation import can_moderate, review_tasks
from tests.factories import (
    draft_practice,
    editor_form,
    editor_url,
    make_member,
    moderate,
    submitted,
)

QUEUE_URL = "/admin/practices/review/"


def _in_review(practice) -> bool:
    practice.refresh_from_db()
    return services.submission_of(practice).is_in_review


# --- Requesting changes needs a comment ---------------------------------------------------------


def test_the_request_changes_modal_asks_what_the_member_should_change(
    library, member, moderator, lille, terms
):
    practice = submitted(member, lille, terms)
    client = Client()
    client.force_login(moderator)
    task_state = practice.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[practice.pk, "reject", task_state.pk])
    response = client.get(url, headers={"x-requested-with": "XMLHttpRequest"})
    html = json.loads(response.content)["html"]
    assert "What should the member change?" in html
    assert "The member receives this by e-mail" in html


@pytest.mark.parametrize("comment", ["", "   \n  "])
def test_requesting_changes_without_a_comment_is_refused_next_to_the_field(
    library, member, moderator, lille, terms, comment, django_capture_on_commit_callbacks
):
    practice = submitted(member, lille, terms)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = moderate(moderator, practice, "reject", comment)
    answer = json.loads(response.content)
    assert answer["step"] == "action", "the modal stays open"
    assert "Tell the member what to change." in answer["html"]
    assert 'aria-invalid="true"' in answer["html"] or "error" in answer["html"]
    assert _in_review(practice)
    assert mail.outbox == [], "the member is not told anything"


def test_without_javascript_an_empty_request_for_changes_changes_nothing(
    library, member, moderator, lille, terms
):
    practice = submitted(member, lille, terms)
    client = Client()
    client.force_login(moderator)
    task_state = practice.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[practice.pk, "reject", task_state.pk])
    assert client.post(url, {"comment": ""}).status_code == 302
    assert _in_review(practice)


def test_the_members_email_carries_the_moderators_comment(
    library, member, moderator, lille, terms, django_capture_on_commit_callbacks
):
    practice = submitted(member, lille, terms)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = moderate(moderator, practice, "reject", "Say what the kitchen cost.")
    assert json.loads(response.content)["step"] == "success"
    submission = services.submission_of(practice)
    assert submission.changes_requested
    assert submission.moderator_comment == "Say what the kitchen cost."
    [message] = mail.outbox
    assert message.to == [member.email]
    assert "Changes requested" in message.subject
    assert "Say what the kitchen cost." in message.body


def _workflow_action_in_the_editor(client, practice, action: str, extra: dict):
    """What the editor's action menu posts: the page form, the action and the modal's data."""
    data = editor_form(client, practice)
    data["action-workflow-action"] = "true"
    data["workflow-action-name"] = action
    data["workflow-action-extra-data"] = json.dumps(extra)
    return client.post(editor_url(practice), data)


def test_the_editors_action_menu_cannot_send_a_practice_back_without_a_comment(
    library, member, moderator, lille, terms, django_capture_on_commit_callbacks
):
    """The menu opens the same modal first; a post without its comment is refused outright.

    Moderators review on the read-only review screen; the editor's menu is an admin's."""
    practice = submitted(member, lille, terms)
    client = Client()
    client.force_login(make_member("root@urbanexchange.test", is_superuser=True))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = _workflow_action_in_the_editor(client, practice, "reject", {"comment": " "})
    # Wagtail answers a refusal in the admin with its "no permission" message and its home.
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert _in_review(practice)
    assert mail.outbox == []

    response = _workflow_action_in_the_editor(client, practice, "reject", {"comment": "Add costs."})
    assert response.status_code == 302
    submission = services.submission_of(practice)
    assert submission.changes_requested and submission.moderator_comment == "Add costs."


# --- Who moderates: the task's groups, in one place ---------------------------------------------


def _sees_the_queue_in_the_menu(person) -> bool:
    client = Client()
    client.force_login(person)
    return QUEUE_URL in client.get(reverse("wagtailadmin_home")).content.decode()


def _can_open_the_queue(person) -> bool:
    client = Client()
    client.force_login(person)
    return client.get(QUEUE_URL).status_code == 200


def test_the_menu_the_queue_and_the_actions_follow_the_tasks_groups(
    library, member, moderator, lille, terms
):
    editor = make_member("editor@urbanexchange.test", groups=[roles.EDITORS])
    practice = submitted(member, lille, terms, title="Who reviews me")
    assert _sees_the_queue_in_the_menu(moderator) and _can_open_the_queue(moderator)
    assert not _sees_the_queue_in_the_menu(editor) and not _can_open_the_queue(editor)

    # An admin gives the review to the Editors in Settings > Workflow tasks.
    [task] = review_tasks()
    admin = Client()
    admin.force_login(make_member("root@urbanexchange.test", is_superuser=True))
    response = admin.post(
        reverse("wagtailadmin_workflows:edit_task", args=[task.pk]),
        {"name": task.name, "groups": [Group.objects.get(name=roles.EDITORS).pk]},
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    assert not can_moderate(moderator) and can_moderate(editor)
    assert not _sees_the_queue_in_the_menu(moderator) and not _can_open_the_queue(moderator)
    assert _sees_the_queue_in_the_menu(editor) and _can_open_the_queue(editor)
    client = Client()
    client.force_login(editor)
    assert "Who reviews me" in client.get(QUEUE_URL).content.decode()

    assert moderate(moderator, practice, "approve").status_code == 403
    assert _in_review(practice)
    moderate(editor, practice, "approve")
    practice.refresh_from_db()
    assert practice.live


def test_whichever_group_the_task_names_reviews_and_a_disabled_task_lets_nobody(
    library, member, moderator, lille, terms
):
    submitted(member, lille, terms, title="Not for you")
    [task] = review_tasks()
    task.groups.set([Group.objects.get(name=roles.EXPERTS)])
    expert = make_member("expert@urbanexchange.test", groups=[roles.EXPERTS])
    client = Client()
    client.force_login(expert)
    assert "Not for you" in client.get(QUEUE_URL).content.decode()
    task.deactivate()
    assert not can_moderate(expert)


# --- Moderators act through the workflow only ---------------------------------------------------


def test_a_moderator_cannot_publish_a_draft_that_was_never_submitted(
    library, member, moderator, lille, terms
):
    practice = draft_practice(member, lille, terms, title="Not submitted")
    client = Client()
    client.force_login(moderator)
    editor = client.get(editor_url(practice))
    assert editor.status_code == 200
    assert 'name="action-publish"' not in editor.content.decode(), "no Publish button"

    data = editor_form(client, practice)
    data["action-publish"] = "action-publish"
    client.post(editor_url(practice), data)
    practice.refresh_from_db()
    assert not practice.live and practice.first_published_at is None

    bulk = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    client.post(f"{bulk}?id={practice.pk}", {})
    practice.refresh_from_db()
    assert not practice.live


def test_a_moderator_cannot_approve_what_they_submitted_themselves(
    library, member, moderator, lille, terms
):
    practice = draft_practice(member, lille, terms, title="Submitted by the moderator")
    client = Client()
    client.force_login(moderator)
    data = editor_form(client, practice)
    data["action-submit"] = "action-submit"
    assert client.post(editor_url(practice), data).status_code == 302
    assert _in_review(practice)
    assert moderate(moderator, practice, "approve").status_code == 403
    practice.refresh_from_db()
    assert not practice.live

    colleague = make_member("colleague@urbanexchange.test", groups=[roles.MODERATORS])
    moderate(colleague, practice, "approve")
    practice.refresh_from_db()
    assert practice.live


def test_a_moderator_without_publish_permission_approves_and_that_publishes(
    library, member, moderator, lille, terms
):
    practice = submitted(member, lille, terms, title="Approve me")
    assert not practice.permissions_for_user(moderator).can_publish()
    response = moderate(moderator, practice, "approve")
    assert response.status_code == 200
    practice.refresh_from_db()
    assert practice.live and not practice.has_unpublished_changes
    assert practice.current_workflow_state is None
    assert WorkflowState.objects.get(object_id=str(practice.pk)).status == "approved"


# --- E-mails: Wagtail's own for moderators, the practice's own for members ----------------------


def test_moderators_get_wagtails_email_as_their_preferences_say(
    library, member, moderator, lille, terms, django_capture_on_commit_callbacks
):
    quiet = make_member("quiet@urbanexchange.test", groups=[roles.MODERATORS])
    profile = UserProfile.get_for_user(quiet)
    profile.submitted_notifications = False
    profile.save()
    make_member("root@urbanexchange.test", is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        submitted(member, lille, terms)
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted([moderator.email, member.email]), "not quiet, not the admin"


def test_members_get_the_practice_emails_and_none_of_wagtails(
    library, member, moderator, lille, terms, django_capture_on_commit_callbacks
):
    profile = UserProfile.get_for_user(member)
    assert not any(
        [
            profile.submitted_notifications,
            profile.approved_notifications,
            profile.rejected_notifications,
            profile.updated_comments_notifications,
        ]
    )

    def members_mail():
        return [message.subject for message in mail.outbox if message.to == [member.email]]

    with django_capture_on_commit_callbacks(execute=True):
        practice = submitted(member, lille, terms)
    [subject] = members_mail()
    assert "received" in subject
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moderate(moderator, practice, "reject", "Add the costs.")
    [subject] = members_mail()
    assert "Changes requested" in subject, "not Wagtail's 'has been rejected'"
    services.submit_for_review(member, practice)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moderate(moderator, practice, "approve")
    [subject] = members_mail()
    assert "is published" in subject, "not Wagtail's 'has been approved'"


def test_other_pages_keep_wagtails_workflow_emails(
    library, moderator, home_page, django_capture_on_commit_callbacks
):
    """Nothing is taken over: an editor's page in Wagtail's default workflow mails as before,
    through the site's queue (core.mail.QueueingBackend), so these are retried too."""
    editor = make_member("editor@urbanexchange.test", groups=[roles.EDITORS])
    workflow = Workflow.objects.create(name="Pages")
    task = GroupApprovalTask.objects.create(name="Check")
    task.groups.set([Group.objects.get(name=roles.MODERATORS)])
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(page=home_page, workflow=workflow)
    home_page.save_revision(user=editor)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.start(home_page, editor)
    assert [message.to for message in mail.outbox] == [[moderator.email]]
    assert "has been submitted for approval" in mail.outbox[0].subject
    assert OutgoingEmail.objects.filter(to=[moderator.email], state="sent").exists()
    mail.outbox.clear()
    task_state = Page.objects.get(pk=home_page.pk).current_workflow_task_state
    with django_capture_on_commit_callbacks(execute=True):
        task_state.task.specific.on_action(task_state, moderator, "reject", comment="")
    assert [message.to for message in mail.outbox] == [[editor.email]]
    assert "has been rejected" in mail.outbox[0].subject


# --- The library's existing task becomes a review task -----------------------------------------


def test_the_migration_turns_the_librarys_group_approval_task_into_a_review_task(library):
    # A library from before this task existed: a plain group approval task, and Wagtail's
    # default workflow on the root beside it.
    WorkflowPage.objects.filter(page=library).delete()
    old = Workflow.objects.create(name="Older practice moderation")
    task = GroupApprovalTask.objects.create(name="Moderators' review (old)")
    task.groups.set([Group.objects.get(name=roles.MODERATORS)])
    WorkflowTask.objects.create(workflow=old, task=task, sort_order=0)
    WorkflowPage.objects.create(page=library, workflow=old)
    default_task_ids = set(
        Task.objects.filter(workflow_tasks__workflow__name="Moderators approval").values_list(
            "pk", flat=True
        )
    )

    migration = importlib.import_module("practices.migrations.0005_library_review_task")
    migration.to_review_task(apps, schema_editor=None)

    converted = Task.objects.get(pk=task.pk).specific
    assert isinstance(converted, PracticeReviewTask)
    assert [group.name for group in converted.groups.all()] == [roles.MODERATORS]
    assert converted.name == "Moderators' review (old)"
    assert list(review_tasks()) == [converted]
    for pk in default_task_ids:
        assert type(Task.objects.get(pk=pk).specific) is GroupApprovalTask
