"""The Academy's demo content: what a newcomer finds after `make run`."""

import pytest
from django.core import mail
from django.core.management import call_command

from academy import services
from academy.models import AcademyEditionPage, CallState, Decision, Dilemma, DilemmaState
from events.models import Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("load_demo", quiet=True)


def test_an_open_call_with_experts_dilemmas_and_reviews(demo):
    edition = AcademyEditionPage.objects.get(slug="countering-disinformation-2027")
    assert edition.call_state() == CallState.OPEN
    assert edition.live and edition.anonymous_review
    assert {e.user.email for e in edition.experts.all()} == {
        "expert@urbanexchange.test",
        "ana.ferreira@example.test",
    }
    ranked = services.ranking(edition)
    assert len(ranked) == 3 and all(r.reviews >= 1 for r in ranked)
    # The demo expert still has a review to write.
    to_do = [
        a
        for a in services.assignments_of(edition.experts.first().user)
        if a.dilemma.edition_id == edition.pk and not hasattr(a, "review")
    ]
    assert len(to_do) == 1


def test_a_past_edition_with_selected_dilemmas_feedback_and_a_report(demo, client):
    edition = AcademyEditionPage.objects.get(slug="labour-market-integration-2026")
    assert edition.is_past and edition.decisions_published
    mine = Dilemma.objects.get(edition=edition, submitter__email="member@urbanexchange.test")
    assert mine.decision == Decision.SELECTED and mine.state == DilemmaState.SUBMITTED
    assert services.feedback_for_city(mine)
    assert Registration.objects.filter(event=edition, reserved_place=True).count() == 2
    report = edition.report
    assert report is not None
    html = client.get(report.url).content.decode()
    assert "Start job placement early" in html  # the summary the city agreed to publish
    assert "Recognise qualifications first" not in html  # no agreement, no summary


def test_loading_the_demo_sends_nothing(demo):
    assert mail.outbox == []
