"""The inputs that gave HTTP 500 when the running site was probed (issue 7, section 5), each
sent again: every one now gets a 4xx or a message next to its field, and nothing is lost.

The property-based test in test_hostile_input.py sends random values to the same places.
"""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from core import roles
from practices.models import PracticeFund, PracticePage
from practices.services import latest_draft, missing_for_review
from tests.factories import add_practice, draft_practice, editor_form, editor_url, make_member

pytestmark = pytest.mark.django_db

TOO_BIG = "99999999999999999999"  # 20 digits: beyond any 64-bit integer column
CONTROL = "Job\x0bcoaches"  # a vertical tab, as pasted from a word processor


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def about(city, **overrides) -> dict:
    return {
        "title": "TAST'in FIVES",
        "summary": "A food hub.",
        "city": city.pk,
        "lead_organisation": "City of Lille",
        "status": "regular",
        **overrides,
    }


def funds(*rows, initial=0) -> dict:
    data = {
        "funds-TOTAL_FORMS": str(len(rows)),
        "funds-INITIAL_FORMS": str(initial),
        "funds-MIN_NUM_FORMS": "0",
        "funds-MAX_NUM_FORMS": "10",
    }
    for index, row in enumerate(rows):
        data.update({f"funds-{index}-{key}": value for key, value in row.items()})
    return data


def edit(client, practice, step, data):
    return client.post(reverse("practices:edit", args=[practice.pk, step]), data)


# --- Titles without letters, and slugs the library uses ----------------------------------------


@pytest.mark.parametrize("title", ["!!!", "🙂🙂", "---"])
def test_a_title_without_letters_gets_a_slug_of_its_own(member_client, library, lille, title):
    response = member_client.post(reverse("practices:submit"), about(lille, title=title))

    assert response.status_code == 302
    practice = PracticePage.objects.get(title=title)
    assert practice.slug == "practice"


def test_a_title_that_names_a_library_route_does_not_hide_it(member_client, library, lille):
    member_client.post(reverse("practices:submit"), about(lille, title="Map"))

    practice = PracticePage.objects.get(title="Map")
    assert practice.slug == "map-practice"
    response = member_client.get(f"{library.url}map/")
    assert "practices/includes/library_map.html" in [
        template.name for template in response.templates
    ]


def test_the_editor_cannot_give_a_practice_a_slug_the_library_uses(library, member, lille, terms):
    editor = Client()
    editor.force_login(make_member("editor@urbanexchange.test", groups=[roles.EDITORS]))
    practice = draft_practice(member, lille, terms)
    data = editor_form(editor, practice)
    data["slug"] = "feed"

    response = editor.post(editor_url(practice), data)

    assert response.status_code == 200
    assert "The library uses the address “feed” itself" in response.content.decode()


def test_every_route_of_the_library_starts_with_a_reserved_slug(library):
    first_parts = {
        str(pattern.pattern).lstrip("^").split("/")[0] for pattern in library.get_subpage_urls()
    }
    assert first_parts - {""} == type(library).ROUTE_SLUGS


# --- Integers beyond 64 bits ---------------------------------------------------------------------


@pytest.mark.parametrize("step", ["about", "preview", "withdraw"])
def test_an_id_too_big_for_the_database_in_a_url_is_404(member_client, library, step):
    path = reverse("practices:edit", args=[1, "about"]).replace("/1/about/", f"/{TOO_BIG}/{step}/")
    assert member_client.get(path).status_code == 404


def test_an_id_too_big_for_the_database_in_a_choice_is_a_wrong_choice(
    member_client, member, library, lille, terms
):
    practice = draft_practice(member, lille, terms)

    response = edit(member_client, practice, "about", {**about(lille), "city": TOO_BIG})
    assert response.status_code == 400
    assert "city" in response.context["form"].errors

    response = edit(
        member_client,
        practice,
        "classification",
        {"themes": [TOO_BIG], "governance_levels": [terms["level"].pk], **funds()},
    )
    assert response.status_code == 400
    assert "themes" in response.context["form"].errors


@pytest.mark.parametrize("parameter", ["theme", "city", "year", "page", "fund"])
def test_an_integer_too_big_in_a_library_parameter_is_ignored(client, library, parameter):
    assert client.get(library.url, {parameter: TOO_BIG}).status_code == 200


# --- Formset rows with ids that are not numbers ---------------------------------------------------


@pytest.mark.parametrize("row_id", ["abc", TOO_BIG, "-1", None])
def test_a_fund_row_with_a_tampered_id_is_a_new_row(
    member_client, member, library, lille, terms, row_id
):
    practice = draft_practice(member, lille, terms)
    row = {"fund": terms["fund"].pk, "amount_eur": "1000"}
    if row_id is not None:
        row["id"] = row_id
    data = {
        "themes": [terms["theme"].pk],
        "governance_levels": [terms["level"].pk],
        **funds(row, initial=1),
    }

    response = edit(member_client, practice, "classification", data)

    assert response.status_code == 302
    [saved] = latest_draft(PracticePage.objects.get(pk=practice.pk)).practice_funds.all()
    assert saved.fund == terms["fund"]


def test_a_link_row_with_an_id_that_is_not_a_number_does_not_break_the_step(
    member_client, member, library, lille, terms
):
    practice = draft_practice(member, lille, terms)
    data = {
        "links-TOTAL_FORMS": "1",
        "links-INITIAL_FORMS": "1",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "10",
        "links-0-id": "zz",
        "links-0-title": "The food hub",
        "links-0-url": "https://tastinfives.example.org/",
    }

    response = edit(member_client, practice, "media", data)

    assert response.status_code == 302
    [link] = latest_draft(PracticePage.objects.get(pk=practice.pk)).links.all()
    assert link.url == "https://tastinfives.example.org/"


# --- The API's parameters ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        {"search": "\x00"},
        {"search": "housing", "search_operator": "xor"},
        {"type": "practices.PracticePage", "first_published_at": "yesterday"},
        {"type": "practices.PracticePage", "start_date": "2020-13-45"},
        {"type": "practices.PracticePage", "city": TOO_BIG},
        {"type": "practices.PracticePage", "year": TOO_BIG},
        {"id": TOO_BIG},
        {"offset": TOO_BIG},
        {"title": "a\x00b"},
    ],
)
def test_the_api_answers_malformed_parameters_with_400_and_a_message(client, library, query):
    response = client.get("/api/v2/pages/", query)

    assert response.status_code == 400
    assert response.json()["message"]


@pytest.mark.parametrize("query", [{"html_path": "/\x00/"}, {"id": ""}, {"id": TOO_BIG}])
def test_the_api_find_view_refuses_what_names_no_page(client, library, query):
    # The empty id was found by the property-based test in test_hostile_input.py.
    assert client.get("/api/v2/pages/find/", query).status_code == 400


def test_the_api_still_takes_well_formed_filters(client, library, mechelen):
    add_practice(library, mechelen, title="Job coaches", start_date=date(2020, 3, 1))
    response = client.get(
        "/api/v2/pages/",
        {"type": "practices.PracticePage", "year": "2020", "search_operator": "or", "offset": "0"},
    )
    assert response.status_code == 200
    assert [item["title"] for item in response.json()["items"]] == ["Job coaches"]


# --- Control characters -------------------------------------------------------------------------


def test_a_control_character_in_a_title_is_refused_next_to_the_field(member_client, library, lille):
    response = member_client.post(reverse("practices:submit"), about(lille, title=CONTROL))

    assert response.status_code == 400
    assert "control character" in response.context["form"].errors["title"][0]
    assert not PracticePage.objects.filter(title=CONTROL).exists()


def test_a_line_break_in_a_one_line_field_is_refused(member_client, library, lille):
    response = member_client.post(
        reverse("practices:submit"), about(lille, lead_organisation="City of\r\nLille")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["lead_organisation"] == ["Write this on one line."]


def test_text_areas_keep_their_line_breaks(member_client, library, lille):
    response = member_client.post(
        reverse("practices:submit"), about(lille, partners="Lille Métropole\r\nMEL")
    )
    assert response.status_code == 302


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_a_control_character_in_a_title_from_the_editor_does_not_break_the_feeds(
    client, library, mechelen, kind
):
    add_practice(library, mechelen, title=CONTROL, summary="Bell\x07 and form feed\x0c.")

    response = client.get(f"{library.url}feed/{kind}/")

    assert response.status_code == 200
    assert "Jobcoaches" in response.content.decode()


def test_a_control_character_in_the_profile_is_refused(member_client):
    response = member_client.post(
        reverse("accounts:edit_profile"),
        {"first_name": "Anna\x00", "last_name": "Peeters", "preferred_language": "en"},
    )
    assert response.status_code == 200
    assert "first_name" in response.context["form"].errors


# --- Smaller findings ----------------------------------------------------------------------------


def test_a_negative_fund_amount_is_refused_next_to_the_field(
    member_client, member, library, lille, terms
):
    practice = draft_practice(member, lille, terms)
    data = {
        "themes": [terms["theme"].pk],
        "governance_levels": [terms["level"].pk],
        **funds({"fund": terms["fund"].pk, "amount_eur": "-5"}),
    }

    response = edit(member_client, practice, "classification", data)

    assert response.status_code == 400
    assert "amount_eur" in response.context["form"].funds.forms[0].errors
    assert not PracticeFund.objects.exists()


def test_a_story_that_sanitises_to_nothing_is_still_missing(
    member_client, member, library, lille, terms
):
    practice = draft_practice(member, lille, terms)

    response = edit(
        member_client,
        practice,
        "story",
        {"problem": "<script>alert(1)</script>", "approach": "<p><img src=x onerror=alert(1)></p>"},
    )

    assert response.status_code == 302
    draft = latest_draft(PracticePage.objects.get(pk=practice.pk))
    assert draft.problem == "" and draft.approach == ""
    messages = [message for _, message in missing_for_review(draft)]
    assert "Describe the problem the practice answers." in messages
    assert "Describe the approach and activities." in messages


def test_an_empty_paragraph_from_the_editor_counts_as_missing(member, library, lille, terms):
    practice = draft_practice(member, lille, terms)
    draft = latest_draft(practice)
    draft.problem = "<p></p><p>&nbsp;</p>"
    assert ("story", "Describe the problem the practice answers.") in missing_for_review(draft)
