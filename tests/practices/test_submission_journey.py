"""The member's practice form as the issue's members found it: sections that save before moving,
"Edit" that opens what is still missing, a "Check and submit" that shows all that will be
published, and a preview that says it is one."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from practices import services
from practices.models import Partnership, PracticePage
from tests.factories import draft_practice, moderate, submitted
from tests.upload_files import image_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def edit_url(practice, step):
    return reverse("practices:edit", args=[practice.pk, step])


def about(lille, **overrides):
    return {
        "title": "Night buses",
        "summary": "Buses for shift workers.",
        "city": lille.pk,
        "lead_organisation": "City of Lille",
        "partners": "",
        "start_date": "2018-11-01",
        "end_date": "",
        "status": "regular",
        **overrides,
    }


# --- Moving between sections saves first ---------------------------------------------------------


def test_each_other_section_is_a_button_of_the_form_that_saves_first(
    member_client, member, library, lille, terms
):
    practice = draft_practice(member, lille, terms)
    html = member_client.get(edit_url(practice, "about")).content.decode()
    assert 'id="practice-form"' in html
    assert '<button type="submit" form="practice-form" name="after_saving" value="go:story"' in html
    assert f'href="{edit_url(practice, "story")}"' not in html, "no link that drops the typing"


def test_going_to_another_section_keeps_what_was_typed(
    member_client, member, library, lille, terms
):
    practice = draft_practice(member, lille, terms)
    response = member_client.post(
        edit_url(practice, "about"),
        about(lille, summary="Typed, then the member went to the story.", after_saving="go:story"),
    )
    assert response.status_code == 302 and response["Location"] == edit_url(practice, "story")
    assert services.latest_draft(practice).summary == "Typed, then the member went to the story."


def test_the_first_step_goes_to_the_chosen_section_once_the_draft_exists(
    member_client, library, lille
):
    response = member_client.post(
        reverse("practices:submit"), about(lille, after_saving="go:contact")
    )
    practice = PracticePage.objects.get()
    assert response["Location"] == edit_url(practice, "contact")


def test_a_section_that_does_not_exist_goes_on_to_the_next_step(
    member_client, member, library, lille, terms
):
    practice = draft_practice(member, lille, terms)
    response = member_client.post(edit_url(practice, "about"), about(lille, after_saving="go:x"))
    assert response["Location"] == edit_url(practice, "classification")


def test_going_elsewhere_with_a_mistake_keeps_the_member_on_the_step_with_the_text(
    member_client, member, library, lille, terms
):
    practice = draft_practice(member, lille, terms)
    response = member_client.post(
        edit_url(practice, "about"),
        about(lille, title="", summary="Kept despite the mistake.", after_saving="go:story"),
    )
    assert response.status_code == 400
    assert "Kept despite the mistake." in response.content.decode()


# --- "Edit" and "Check and submit" on the dashboard ----------------------------------------------


def test_edit_on_the_dashboard_opens_the_first_incomplete_section(
    member_client, member, library, lille, terms
):
    practice = draft_practice(member, lille, terms)
    draft = services.latest_draft(practice)
    draft.problem = ""
    services.save_draft(member, draft)
    html = member_client.get(reverse("accounts:dashboard")).content.decode()
    assert f'href="{edit_url(practice, "story")}"' in html
    assert f'href="{edit_url(practice, "about")}"' not in html


def test_edit_opens_the_first_section_when_nothing_is_missing(
    member_client, member, library, lille, terms
):
    practice = draft_practice(member, lille, terms)
    html = member_client.get(reverse("accounts:dashboard")).content.decode()
    assert f'href="{edit_url(practice, "about")}"' in html


def test_a_published_practice_offers_no_check_and_submit(
    member_client, member, moderator, library, lille, terms
):
    practice = submitted(member, lille, terms, title="Night buses")
    moderate(moderator, practice, "approve")
    html = member_client.get(reverse("accounts:dashboard")).content.decode()
    assert "Check and submit" not in html
    review = member_client.get(edit_url(practice, "review")).content.decode()
    assert "Submit for review" not in review
    with pytest.raises(services.PracticeError):
        services.submit_for_review(member, practice)


# --- Check and submit shows everything -----------------------------------------------------------


def test_check_and_submit_shows_everything_that_will_be_published_with_change_links(
    member_client, member, library, lille, terms
):
    practice = draft_practice(
        member, lille, terms, partners="Transpole\nUnion CGT", start_date=date(2018, 11, 1)
    )
    draft = services.latest_draft(practice)
    draft.partnership = Partnership.objects.create(name="Urban Poverty", slug="urban-poverty")
    services.save_draft(member, draft)
    member_client.post(
        edit_url(practice, "media"),
        {
            "image": SimpleUploadedFile("bus.png", image_bytes("PNG"), "image/png"),
            "image_alt_text": "A night bus at a stop",
            "image_caption": "Line N1",
            "links-TOTAL_FORMS": "1",
            "links-INITIAL_FORMS": "0",
            "links-0-title": "Timetables",
            "links-0-url": "https://example.org/night",
            "after_saving": "stay",
        },
    )
    html = member_client.get(edit_url(practice, "review")).content.decode()
    for text in (
        "Transpole<br>Union CGT",
        "1 November 2018",
        "ongoing",
        "Urban Poverty",
        "Timetables",
        "https://example.org/night",
        'alt="A night bus at a stop"',
        "Line N1",
    ):
        assert text in html, text
    for step in ("about", "classification", "story", "media", "contact"):
        assert f'href="{edit_url(practice, step)}"' in html, step
    assert html.count(">Change<span") == 5


def test_the_preview_says_it_is_not_published_and_leads_back(
    member_client, member, library, lille, terms
):
    practice = draft_practice(member, lille, terms)
    html = member_client.get(reverse("practices:preview", args=[practice.pk])).content.decode()
    assert "Preview: this practice is not published yet." in html
    assert f'href="{edit_url(practice, "review")}"' in html
