"""Editors write editions in Wagtail's page editor: the call's rules hold there too."""

import pytest
from django.test import Client

from academy.models import AcademyEditionPage
from tests.factories import editor_form, editor_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(editor, edition):
    client = Client()
    client.force_login(editor)
    return client


def test_an_editor_changes_the_call_in_the_page_editor(editor_client, edition):
    data = editor_form(editor_client, edition)
    data["dilemmas_to_select"] = "4"
    data["action-publish"] = "action-publish"
    response = editor_client.post(editor_url(edition), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    edition = AcademyEditionPage.objects.get(pk=edition.pk)
    assert edition.dilemmas_to_select == 4
    assert edition.kind == "urban_academy"


def test_the_editor_refuses_a_call_that_closes_before_it_opens(editor_client, edition):
    data = editor_form(editor_client, edition)
    data["call_closes_at"] = "2020-01-01 10:00"
    response = editor_client.post(editor_url(edition), data)
    assert response.status_code == 200
    assert "The call closes after it opens." in response.content.decode()
