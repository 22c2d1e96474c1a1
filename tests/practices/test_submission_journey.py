"""The member's practice form as the issue's members found it: sections that save before moving,
"Edit" that opens what is still missing, a "Check and submit" that shows all that will be
published, and a preview that says it is one."""

import re
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


def test_enter_in_a_field_still_means_save_and_continue(
    member_client, member, library, lille, terms
):
    """Implicit submission uses the form's first submit button in page order: the sections
    above the form are submit buttons, so a hidden "Save and continue" comes before them."""
    practice = draft_practice(member, lille, terms)
    html = member_client.get(edit_url(practice, "story")).content.decode()
    first_submit = re.search(r'<button[^>]*type="submit"[^>]*form="practice-form"[^>]*>', html)
    assert 'value="continue"' in first_submit.group(0)
    assert 'tabindex="-1"' in first_submit.group(0), "not a second tab stop"
    assert html.index(first_submit.group(0)) < html.index('value="go:about"')


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
    assert html.count(">Change<span") == 6  # the five steps, and where the practice came from


def test_the_preview_says_it_is_not_published_and_leads_back(
    member_client, member, library, lille, terms
):
    practice = draft_practice(member, lille, terms)
    html = member_client.get(reverse("practices:preview", args=[practice.pk])).content.decode()
    assert "Preview: this practice is not published yet." in html
    assert f'href="{edit_url(practice, "review")}"' in html


# --- Funds and links: rows added and removed with buttons ----------------------------------------

FUNDS_EMPTY = {
    "funds-TOTAL_FORMS": "0",
    "funds-INITIAL_FORMS": "0",
    "funds-MIN_NUM_FORMS": "0",
    "funds-MAX_NUM_FORMS": "10",
}


def classification(terms, **extra):
    return {"themes": [terms["theme"].pk], "governance_levels": [terms["level"].pk], **extra}


def test_funds_show_no_empty_required_rows_and_no_raw_delete_box(
    member_client, member, library, lille, terms
):
    practice = draft_practice(member, lille, terms)
    html = member_client.get(edit_url(practice, "classification")).content.decode()
    # What the page shows: the <template> row is inert until the script adds it.
    funds = html[html.index('id="funds"') : html.index("<template", html.index('id="funds"'))]
    assert 'name="funds-0-fund"' not in funds, "no empty row until the member asks for one"
    assert "(required)" not in funds
    assert "No fund given." in funds
    assert 'value="add:funds"' in html
    assert "Delete" not in html and 'type="checkbox" name="funds' not in html
    added = member_client.get(edit_url(practice, "classification") + "?add=funds").content.decode()
    assert 'name="funds-0-fund"' in added
    assert ">Order<" not in added and '<input type="hidden" name="funds-0-ORDER"' in added
    assert '<input type="hidden" name="funds-__prefix__-ORDER"' in added, "the script's row too"


def test_add_a_fund_saves_the_step_and_comes_back_with_one_row(
    member_client, member, library, lille, terms
):
    practice = draft_practice(member, lille, terms)
    response = member_client.post(
        edit_url(practice, "classification"),
        classification(terms, after_saving="add:funds", **FUNDS_EMPTY),
    )
    assert response["Location"] == edit_url(practice, "classification") + "?add=funds#funds"
    html = member_client.get(response["Location"]).content.decode()
    assert 'name="funds-0-fund"' in html and 'name="funds-1-fund"' not in html
    assert 'name="funds-TOTAL_FORMS" value="1"' in html


def test_remove_takes_the_row_away_without_a_delete_box(
    member_client, member, library, lille, terms
):
    practice = draft_practice(member, lille, terms)
    member_client.post(
        edit_url(practice, "classification"),
        classification(
            terms,
            **{
                **FUNDS_EMPTY,
                "funds-TOTAL_FORMS": "1",
                "funds-0-fund": terms["fund"].pk,
                "funds-0-amount_eur": "1000",
            },
            after_saving="stay",
        ),
    )
    [fund] = services.latest_draft(practice).practice_funds.all()
    html = member_client.get(edit_url(practice, "classification")).content.decode()
    assert 'value="remove:funds-0"' in html
    assert '<input type="hidden" name="funds-0-DELETE"' in html
    response = member_client.post(
        edit_url(practice, "classification"),
        classification(
            terms,
            **{
                **FUNDS_EMPTY,
                "funds-TOTAL_FORMS": "1",
                "funds-INITIAL_FORMS": "1",
                "funds-0-id": fund.pk or "",
                "funds-0-fund": terms["fund"].pk,
                "funds-0-amount_eur": "1000",
                "funds-0-DELETE": "False",
            },
            after_saving="remove:funds-0",
        ),
    )
    assert response["Location"] == edit_url(practice, "classification") + "#funds"
    assert not services.latest_draft(practice).practice_funds.all()


def test_links_have_the_same_add_button(member_client, member, library, lille, terms):
    practice = draft_practice(member, lille, terms)
    html = member_client.get(edit_url(practice, "media") + "?add=links").content.decode()
    assert 'value="add:links"' in html and 'name="links-0-url"' in html


# --- A refused upload asks for the file again ----------------------------------------------------


def test_after_a_refused_form_the_member_is_told_to_choose_the_file_again(
    member_client, member, library, lille, terms
):
    practice = draft_practice(member, lille, terms)
    response = member_client.post(
        edit_url(practice, "media"),
        {
            # A good image, but no description: the form is refused and the file not kept.
            "image": SimpleUploadedFile("bus.png", image_bytes("PNG"), "image/png"),
            "image_alt_text": "",
            "links-TOTAL_FORMS": "0",
            "links-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose the file again: files are not kept while the form has a problem." in html
    assert html.count("Choose the file again") == 2, "in the summary and next to the field"
