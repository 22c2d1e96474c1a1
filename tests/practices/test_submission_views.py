"""A member's practice form, step by step, as a browser without JavaScript uses it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import WorkflowState

from practices import services
from practices.models import PracticePage
from tests.factories import draft_practice, make_member, moderate, submitted
from tests.upload_files import image_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def edit_url(practice, step):
    return reverse("practices:edit", args=[practice.pk, step])


ABOUT = {
    "title": "TAST'in FIVES",
    "summary": "A food hub in a former factory in Fives.",
    "lead_organisation": "City of Lille",
    "partners": "",
    "start_date": "2018-11-01",
    "end_date": "",
    "status": "regular",
}


def start(client, lille, **overrides):
    response = client.post(reverse("practices:submit"), {**ABOUT, "city": lille.pk, **overrides})
    return response


def test_anonymous_visitors_are_sent_to_sign_in(client, library):
    response = client.get(reverse("practices:submit"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_unverified_members_are_told_to_confirm_their_address(client, library, unverified_member):
    client.force_login(unverified_member)
    response = client.get(reverse("practices:submit"))
    assert response.status_code == 403


def test_the_first_step_shows_the_sections_and_labels(member_client, library):
    html = member_client.get(reverse("practices:submit")).content.decode()
    assert "Section 1 of 6" in html
    assert 'aria-current="step"' in html
    assert '<label class="field__label" for="id_title">Name of the practice</label>' in html


def test_saving_the_first_step_creates_a_private_draft(member_client, member, library, lille):
    response = start(member_client, lille)
    practice = PracticePage.objects.get()
    assert response.status_code == 302
    assert response["Location"] == edit_url(practice, "classification")
    assert practice.owner == member and not practice.live
    assert member_client.get(practice.url).status_code == 404, "a draft is not served"


def test_errors_appear_next_to_the_field_and_nothing_typed_is_lost(member_client, library, lille):
    response = start(member_client, lille, title="", end_date="2010-01-01")
    html = response.content.decode()
    assert response.status_code == 400
    assert 'aria-invalid="true"' in html
    assert "The end cannot be before the start." in html
    assert "A food hub in a former factory in Fives." in html
    assert not PracticePage.objects.exists()


def test_the_member_fills_in_every_step_and_submits(
    member_client, member, library, lille, terms, django_capture_on_commit_callbacks
):
    start(member_client, lille)
    practice = PracticePage.objects.get()

    response = member_client.post(
        edit_url(practice, "classification"),
        {
            "themes": [terms["theme"].pk],
            "governance_levels": [terms["level"].pk],
            "funds-TOTAL_FORMS": "3",
            "funds-INITIAL_FORMS": "0",
            "funds-MIN_NUM_FORMS": "0",
            "funds-MAX_NUM_FORMS": "10",
            "funds-0-fund": terms["fund"].pk,
            "funds-0-amount_eur": "5000000",
            "after_saving": "continue",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == edit_url(practice, "story")

    member_client.post(
        edit_url(practice, "story"),
        {
            "problem": "Empty factory halls.\n\nNo jobs <script>alert(1)</script> nearby.",
            "approach": '<p onclick="steal()">A shared kitchen, <a href="javascript:x()">see</a>'
            "<style>body{}</style></p>",
            "after_saving": "continue",
        },
    )
    draft = services.latest_draft(practice)
    assert draft.problem == "<p>Empty factory halls.</p><p>No jobs  nearby.</p>"
    assert "onclick" not in draft.approach and "javascript" not in draft.approach
    assert "<style>" not in draft.approach and "A shared kitchen" in draft.approach
    assert [item.amount_eur for item in draft.practice_funds.all()] == [5000000]

    # Text typed as paragraphs comes back as text, not as markup.
    story = member_client.get(edit_url(practice, "story")).content.decode()
    assert "Empty factory halls.\n\nNo jobs  nearby." in story

    response = member_client.post(
        edit_url(practice, "media"),
        {
            "image": SimpleUploadedFile("kitchen.png", image_bytes(), content_type="image/png"),
            "image_alt_text": "Cooks in the shared kitchen",
            "image_caption": "",
            "document_title": "",
            "links-TOTAL_FORMS": "2",
            "links-INITIAL_FORMS": "0",
            "links-MIN_NUM_FORMS": "0",
            "links-MAX_NUM_FORMS": "10",
            "links-0-title": "Project site",
            "links-0-url": "https://www.uia-initiative.eu/",
            "after_saving": "continue",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    draft = services.latest_draft(practice)
    assert [item.alt_text for item in draft.images.all()] == ["Cooks in the shared kitchen"]
    assert [link.title for link in draft.links.all()] == ["Project site"]

    contact = member_client.get(edit_url(practice, "contact")).content.decode()
    assert member.email in contact, "the member's own address is offered"
    member_client.post(
        edit_url(practice, "contact"),
        {"contact_name": "Anna Peeters", "contact_email": member.email, "action": "continue"},
    )

    review = member_client.get(edit_url(practice, "review")).content.decode()
    assert "Before you submit" not in review
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(edit_url(practice, "review"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:dashboard")
    practice.refresh_from_db()
    assert practice.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS

    dashboard = member_client.get(reverse("accounts:dashboard")).content.decode()
    assert "TAST&#x27;in FIVES" in dashboard and "In review" in dashboard

    # While it is in review the steps are closed; withdrawing opens them again.
    response = member_client.get(edit_url(practice, "about"))
    assert response.status_code == 302 and response["Location"] == edit_url(practice, "review")
    member_client.post(reverse("practices:withdraw", args=[practice.pk]))
    assert member_client.get(edit_url(practice, "about")).status_code == 200


def test_review_lists_what_is_missing_and_refuses_to_submit(member_client, library, lille):
    start(member_client, lille)
    practice = PracticePage.objects.get()
    html = member_client.get(edit_url(practice, "review")).content.decode()
    assert "Choose at least one theme." in html
    response = member_client.post(edit_url(practice, "review"))
    assert response.status_code == 200
    practice.refresh_from_db()
    assert practice.current_workflow_state is None


def test_a_fake_image_is_refused_next_to_the_field_and_the_rest_is_kept(
    member_client, library, lille
):
    start(member_client, lille)
    practice = PracticePage.objects.get()
    response = member_client.post(
        edit_url(practice, "media"),
        {
            "image": SimpleUploadedFile("photo.png", b"<?php echo 1; ?>", "image/png"),
            "image_alt_text": "A kept description",
            "links-TOTAL_FORMS": "2",
            "links-INITIAL_FORMS": "0",
            "links-MIN_NUM_FORMS": "0",
            "links-MAX_NUM_FORMS": "10",
            "links-0-title": "A kept link",
            "links-0-url": "https://example.org/kept",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_image_error"' in html
    assert "A kept description" in html and "A kept link" in html
    assert not services.latest_draft(practice).images.all()


def test_a_document_that_is_not_what_it_says_is_refused_next_to_the_field(
    member_client, library, lille
):
    start(member_client, lille)
    practice = PracticePage.objects.get()
    response = member_client.post(
        edit_url(practice, "media"),
        {
            "document": SimpleUploadedFile(
                "report.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"
            ),
            "document_title": "Evaluation report",
            "links-TOTAL_FORMS": "0",
            "links-INITIAL_FORMS": "0",
            "links-MIN_NUM_FORMS": "0",
            "links-MAX_NUM_FORMS": "10",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_document_error"' in html
    assert "its content is not" in html
    assert "Evaluation report" in html, "the title typed is kept"
    assert not services.latest_draft(practice).documents.all()


def test_an_image_needs_a_description(member_client, library, lille):
    start(member_client, lille)
    practice = PracticePage.objects.get()
    response = member_client.post(
        edit_url(practice, "media"),
        {
            "image": SimpleUploadedFile("kitchen.png", image_bytes(), content_type="image/png"),
            "image_alt_text": "",
            "links-TOTAL_FORMS": "0",
            "links-INITIAL_FORMS": "0",
            "links-MIN_NUM_FORMS": "0",
            "links-MAX_NUM_FORMS": "10",
        },
    )
    assert response.status_code == 400
    assert "Describe the image for people who cannot see it." in response.content.decode()


@pytest.mark.parametrize("step", ["about", "story", "review", "preview", "withdraw"])
def test_other_members_and_visitors_get_404_for_a_draft(client, member, library, lille, step):
    client.force_login(member)
    start(client, lille)
    practice = PracticePage.objects.get()
    other = make_member("other@brno.test")
    client.force_login(other)
    if step == "preview":
        url = reverse("practices:preview", args=[practice.pk])
    elif step == "withdraw":
        url = reverse("practices:withdraw", args=[practice.pk])
    else:
        url = edit_url(practice, step)
    response = client.post(url) if step == "withdraw" else client.get(url)
    assert response.status_code == 404
    client.logout()
    assert client.get(practice.url).status_code == 404


def test_the_owner_previews_the_draft_as_the_public_will_see_it(member_client, library, lille):
    start(member_client, lille)
    practice = PracticePage.objects.get()
    response = member_client.get(reverse("practices:preview", args=[practice.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "A food hub in a former factory in Fives." in html
    assert "Contact the practice owner" not in html, "a draft cannot be written to yet"


def test_an_unknown_step_is_404(member_client, library, lille):
    start(member_client, lille)
    practice = PracticePage.objects.get()
    assert member_client.get(edit_url(practice, "nonsense")).status_code == 404


def test_the_dashboard_shows_the_moderators_comment(
    client, member, moderator, library, lille, terms
):
    practice = submitted(member, lille, terms, title="OnStage")
    moderate(moderator, practice, "reject", "Add the number of pupils.")
    client.force_login(member)
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert "Changes requested" in html
    assert "Add the number of pupils." in html
    step = client.get(edit_url(practice, "about")).content.decode()
    assert "Add the number of pupils." in step


def test_the_dashboard_says_when_a_published_version_stays_online(
    client, member, moderator, library, lille, terms
):
    practice = submitted(member, lille, terms, title="OnStage")
    moderate(moderator, practice, "approve")
    client.force_login(member)
    assert (
        "A published version is online"
        not in client.get(reverse("accounts:dashboard")).content.decode()
    )
    draft = services.latest_draft(practice)
    draft.summary = "Theatre for newcomers, now in three schools."
    services.save_draft(member, draft)
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert "A published version is online" in html and "Draft" in html


def test_moderators_see_the_queue_oldest_first_and_approve_in_the_admin(
    client, member, moderator, library, lille, terms
):
    practices = [
        submitted(member, lille, terms, title=title) for title in ["First in", "Second in"]
    ]

    client.force_login(member)
    refused = client.get(reverse("practices_review_queue"))
    assert refused.status_code == 302, "a member has no access to the admin"
    assert refused["Location"].startswith(reverse("account_login"))

    client.force_login(moderator)
    html = client.get(reverse("practices_review_queue")).content.decode()
    assert html.index("First in") < html.index("Second in")
    assert "City of Mechelen" in html, "the submitter's organisation"

    first = practices[0]
    first.refresh_from_db()
    task_state = first.current_workflow_state.current_task_state
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[first.pk, "approve", task_state.pk]),
        {"comment": "Welcome to the library."},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.live
    html = client.get(reverse("practices_review_queue")).content.decode()
    assert "First in" not in html and "Second in" in html


def test_the_moderator_can_open_a_submission_in_the_admin_editor(
    client, member, moderator, library, lille, terms
):
    practice = draft_practice(member, lille, terms, title="Open me")
    client.force_login(moderator)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[practice.pk]))
    assert response.status_code == 200
