"""The demo's expert opinion: published on CAPACITyES by the demo expert, from the seeds only,
shown on the page and in the facet, and loaded once however often load_demo runs."""

from io import StringIO

import pytest
from django.core.management import call_command

from practices.demo_opinions import CONDITIONS, EVIDENCE, STRENGTHS
from practices.models import ExpertOpinion, OpinionState, PracticePage, Recommendation

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    call_command("load_demo", stdout=StringIO())


def test_the_demo_expert_has_published_one_opinion_on_capacityes(demo):
    opinion = ExpertOpinion.objects.get()
    assert opinion.expert.email == "expert@urbanexchange.test"
    assert opinion.practice.slug == "capacityes"
    assert opinion.state == OpinionState.PUBLISHED
    assert opinion.moderated_by.email == "moderator@urbanexchange.test"
    assert opinion.recommendation == Recommendation.WITH_CONDITIONS
    assert opinion.published_at is not None


def test_the_opinion_says_only_what_the_seed_article_says(demo):
    """Each fact of the opinion is in the demo practice (from the seed article)."""
    practice = PracticePage.objects.get(slug="capacityes")
    story = (practice.approach + practice.results + practice.difficulties).replace("’", "'")
    for phrase in (
        "co-housing facility",
        "HubForKids",
        "co-designed and co-managed",
        "several municipal administration services and local partners",
        "religion or culture",
        "mothers with babies, young children and teenagers",
        "COVID-19 pandemic",
    ):
        assert phrase in story, phrase
    text = STRENGTHS + EVIDENCE + CONDITIONS
    assert "%" not in text and not any(char.isdigit() for char in text.replace("COVID-19", ""))


def test_the_page_and_the_library_show_it(demo, client):
    practice = PracticePage.objects.get(slug="capacityes")
    html = client.get(practice.url).content.decode()
    assert "Opinion of Jonas Lindqvist, Independent researcher" in html
    assert "Recommended for transfer, with conditions" in html
    library = client.get("/practices/", {"opinion": "yes"}).content.decode()
    assert "CAPACITyES" in library


def test_loading_again_changes_nothing(demo):
    before = list(ExpertOpinion.objects.values())
    call_command("load_demo", stdout=StringIO())
    assert list(ExpertOpinion.objects.values()) == before
