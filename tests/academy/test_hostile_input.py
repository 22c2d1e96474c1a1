"""Random and hostile values in every field of the Academy's forms (the member's dilemma, the
expert's review and feedback, the editors' decisions) find no server error; see
tests/practices/test_hostile_input.py for the values and the reasoning."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given

from academy import services
from academy.forms import DilemmaForm
from academy.models import AcademyEditionPage, Decision, Dilemma
from tests.factories import submitted_dilemma
from tests.practices.test_hostile_input import EXAMPLES, assert_no_server_error, parameters

pytestmark = pytest.mark.django_db

DILEMMA_FIELDS = [*DilemmaForm.base_fields, "action"]
REVIEW_FIELDS = ["comment", "action", "score_1", "score_2", "score_999"]
FEEDBACK_FIELDS = ["text", "summary", "recommended_practices", "q", "action"]


def _client(user):
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


@EXAMPLES
@given(data=parameters(DILEMMA_FIELDS))
def test_the_dilemma_form(edition, city_member, data):
    dilemma = submitted_dilemma(edition, city_member)
    client = _client(city_member)
    assert_no_server_error(client.post(reverse("academy:edit", args=[dilemma.pk]), data))
    assert_no_server_error(client.post(reverse("academy:submit", args=[dilemma.pk]), data))
    assert_no_server_error(client.post(reverse("academy:summary_consent", args=[dilemma.pk]), data))


@EXAMPLES
@given(data=parameters(REVIEW_FIELDS))
def test_the_review_form(edition, experts, editor, city_member, data):
    dilemma = submitted_dilemma(edition, city_member)
    assignment = services.assign_by_hand(dilemma, experts[0], actor=editor)
    client = _client(experts[0])
    assert_no_server_error(client.post(reverse("academy:review", args=[assignment.pk]), data))


@EXAMPLES
@given(data=parameters(FEEDBACK_FIELDS))
def test_the_feedback_form(edition, experts, editor, city_member, data):
    # The database lives as long as the test, across hypothesis's examples: set up once.
    dilemma = Dilemma.objects.filter(edition=edition).first()
    if dilemma is None:
        dilemma = submitted_dilemma(edition, city_member)
        services.assign_by_hand(dilemma, experts[0], actor=editor)
        services.decide(dilemma, Decision.SELECTED, actor=editor)
        services.publish_decisions(edition, actor=editor, close_call=True)
        AcademyEditionPage.objects.filter(pk=edition.pk).update(
            starts_at=timezone.now() - datetime.timedelta(days=1)
        )
    client = _client(experts[0])
    url = reverse("academy:feedback", args=[dilemma.pk])
    assert_no_server_error(client.post(url, data))
    assert_no_server_error(client.get(url, data))


@EXAMPLES
@given(data=parameters(["decision", "expert", "close_call"]))
def test_the_editors_actions(edition, editor, city_member, data):
    # One dilemma for every example: a publication in one closes the call for the next.
    dilemma = Dilemma.objects.filter(edition=edition).first() or submitted_dilemma(
        edition, city_member
    )
    client = _client(editor)
    for name in ("academy_dilemmas:decide", "academy_dilemmas:assign"):
        assert_no_server_error(client.post(reverse(name, args=[dilemma.pk]), data))
    for name in ("academy_selection:assign_automatically", "academy_selection:publish"):
        assert_no_server_error(client.post(reverse(name, args=[edition.pk]), data))
