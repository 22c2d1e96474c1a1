"""Expert opinions in the library: the facet "with an expert opinion" from the in-memory index,
and the opinions' public fields in the API and the exports; never an unpublished one, never the
expert's e-mail, in the page, the API, the exports or the feeds."""

import csv
import io
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from practices import opinions
from practices.demo import load_demo_taxonomy
from practices.library import bump_library_version
from practices.library.index import library_index
from practices.models import ExpertOpinion, PracticePage, Recommendation
from practices.opinions import OpinionText
from tests.factories import add_practice, make_expert, make_member

pytestmark = pytest.mark.django_db

EXPERT_EMAIL = "jonas@research.test"
TEXT = OpinionText(
    strengths="Mentors & tenants meet weekly.",
    evidence="Evaluation by the city.",
    conditions="",
    recommendation=Recommendation.YES,
)
HIDDEN = "A text still waiting for the moderators."


@pytest.fixture
def owner(db):
    return make_member("owner@mechelen.test")


@pytest.fixture
def expert(db):
    return make_expert(
        EXPERT_EMAIL, first_name="Jonas", last_name="Lindqvist", organisation="Independent"
    )


@pytest.fixture
def pages(library, mechelen, owner, expert, moderator):
    """Three practices: one with a published opinion (and a reply), one with an opinion waiting
    for the moderators, one with a draft."""
    with_opinion = add_practice(library, mechelen, 1, title="Housing mentors", owner=owner)
    waiting = add_practice(library, mechelen, 2, title="Language cafés", owner=owner)
    drafted = add_practice(library, mechelen, 3, title="Job fair", owner=owner)
    opinion = opinions.save_opinion(expert, with_opinion, TEXT, submit=True)
    opinions.moderate_opinion(moderator, opinion, opinions.PUBLISH)
    opinions.reply_to_opinion(owner, opinion, "Thank you.")
    opinions.save_opinion(
        expert, waiting, OpinionText(**{**TEXT.__dict__, "strengths": HIDDEN}), submit=True
    )
    opinions.save_opinion(expert, drafted, OpinionText(strengths=HIDDEN))
    return {"with": with_opinion, "waiting": waiting, "drafted": drafted}


def _body(response) -> str:
    assert response.status_code == 200
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


# --- The facet ----------------------------------------------------------------------------------


def test_the_facet_lists_only_practices_with_a_published_opinion(client, library, pages):
    html = _body(client.get(library.url))
    assert "Expert opinion" in html
    assert "With an expert opinion" in html
    html = _body(client.get(library.url, {"opinion": "yes"}))
    assert "Housing mentors" in html
    assert "Language cafés" not in html and "Job fair" not in html


def test_the_facet_counts_from_the_index(library, pages):
    index = library_index(library)
    assert index.values_of("opinion", [p.pk for p in pages.values()]) == {
        pages["with"].pk: ["yes"],
        pages["waiting"].pk: [],
        pages["drafted"].pk: [],
    }


def test_a_publication_updates_the_facet(client, library, pages, expert, moderator):
    assert "Language cafés" not in _body(client.get(library.url, {"opinion": "yes"}))
    before = library_index(library)
    opinion = ExpertOpinion.objects.get(practice=pages["waiting"])
    opinions.moderate_opinion(moderator, opinion, opinions.PUBLISH)
    after = library_index(library)
    assert after is not before and after.capacity == before.capacity  # updated in place
    assert "Language cafés" in _body(client.get(library.url, {"opinion": "yes"}))


@pytest.mark.parametrize("value", ["no", "", "yes\x00", "1", "YES" * 100])
def test_a_malformed_facet_value_is_ignored(client, library, pages, value):
    html = _body(client.get(library.url, {"opinion": value}))
    assert "Job fair" in html and "Housing mentors" in html


def _miss_queries(client, url, params) -> int:
    bump_library_version()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured.captured_queries)


#: The queries of a cache miss of the library page (the index's build, the vocabulary, the
#: cards...) before the facet existed, measured on this data with the library code of the
#: commit before the facet (SQLite): the facet is a column of the index's own query.
MISS_QUERIES_BEFORE = {"": 16, "theme": 16}


@pytest.mark.parametrize(
    ("name", "params"), [("", {}), ("theme", {"theme": "housing", "level": "local"})]
)
def test_a_cache_miss_costs_no_more_queries_than_before(client, library, name, params):
    load_demo_taxonomy()
    call_command("generate_practices", "60", "--seed", "3", stdout=StringIO())
    client.get("/")  # Wagtail's site cache, as a running server has it
    client.get(library.url, params)
    without = _miss_queries(client, library.url, params)
    expert = make_expert(EXPERT_EMAIL)
    for practice in PracticePage.objects.live().order_by("pk")[:20]:
        ExpertOpinion.objects.create(practice=practice, expert=expert, state="published")
    with_opinions = _miss_queries(client, library.url, params)
    filtered = _miss_queries(client, library.url, {**params, "opinion": "yes"})
    assert without == with_opinions == MISS_QUERIES_BEFORE[name]
    # Filtered, a page may show fewer cards (fewer cards' queries), never more queries.
    assert filtered <= MISS_QUERIES_BEFORE[name]


# --- The API, the exports, the feeds ------------------------------------------------------------


def test_the_api_carries_the_public_fields_of_published_opinions(client, pages):
    detail = client.get(f"/api/v2/pages/{pages['with'].pk}/").json()
    [opinion] = detail["opinions"]
    assert opinion["expert_name"] == "Jonas Lindqvist"
    assert opinion["expert_organisation"] == "Independent"
    assert opinion["recommendation"] == "yes"
    assert opinion["recommendation_label"] == "Recommended for transfer"
    assert opinion["strengths"] == "<p>Mentors &amp; tenants meet weekly.</p>"
    assert opinion["owner_reply"] == "<p>Thank you.</p>"
    assert opinion["published_at"]
    assert client.get(f"/api/v2/pages/{pages['waiting'].pk}/").json()["opinions"] == []


@pytest.mark.parametrize(
    "url",
    [
        "/api/v2/pages/?type=practices.PracticePage&fields=*",
        "/api/v2/pages/?type=practices.PracticePage&fields=opinions",
        "/api/v2/pages/{waiting}/",
        "/api/v2/pages/{drafted}/",
        "/practices/export/csv/",
        "/practices/export/json/",
        "/practices/feed/rss/",
        "/practices/feed/atom/",
        "/practices/",
        "/practices/?opinion=yes",
        "/practices/practice-2/",
        "/practices/practice-3/",
    ],
)
def test_unpublished_opinions_and_the_experts_address_are_never_public(client, pages, url):
    body = _body(client.get(url.format(waiting=pages["waiting"].pk, drafted=pages["drafted"].pk)))
    assert HIDDEN not in body
    assert EXPERT_EMAIL not in body
    assert "moderator_comment" not in body


def test_the_api_cannot_be_filtered_by_opinion(client, pages):
    response = client.get("/api/v2/pages/?type=practices.PracticePage&opinions=1")
    assert response.status_code == 400


def test_the_json_export_carries_the_opinions(client, library, pages):
    data = json.loads(_body(client.get(library.url + "export/json/")))
    by_title = {record["title"]: record for record in data}
    [opinion] = by_title["Housing mentors"]["expert_opinions"]
    assert opinion["expert_name"] == "Jonas Lindqvist"
    assert opinion["recommendation"] == "yes"
    assert opinion["evidence"] == "<p>Evaluation by the city.</p>"
    assert by_title["Language cafés"]["expert_opinions"] == []
    assert by_title["Job fair"]["expert_opinions"] == []


def test_the_csv_export_carries_the_opinions_as_text(client, library, pages):
    rows = list(csv.DictReader(io.StringIO(_body(client.get(library.url + "export/csv/")))))
    by_title = {row["\ufefftitle" if "\ufefftitle" in row else "title"]: row for row in rows}
    cell = by_title["Housing mentors"]["expert_opinions"]
    assert cell.startswith("Jonas Lindqvist (Independent), ")
    assert "Recommended for transfer" in cell
    assert "Strengths: Mentors & tenants meet weekly." in cell
    assert "Owner's reply: Thank you." in cell
    assert by_title["Language cafés"]["expert_opinions"] == ""


def test_an_export_costs_a_fixed_number_of_queries_with_opinions(
    client, library, mechelen, pages, expert, moderator
):
    def cost():
        with CaptureQueriesContext(connection) as captured:
            _body(client.get(library.url + "export/json/"))
        return len(captured)

    cost()
    few = cost()
    for number in range(10, 20):
        practice = add_practice(library, mechelen, number=number)
        ExpertOpinion.objects.create(practice=practice, expert=expert, state="published")
    bump_library_version()
    cost()
    assert cost() == few


def test_opinions_of_an_unpublished_practice_disappear(client, library, pages):
    pages["with"].unpublish()
    assert ExpertOpinion.objects.published().count() == 0
    assert "Housing mentors" not in _body(client.get(library.url, {"opinion": "yes"}))
