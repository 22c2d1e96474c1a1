"""What a practice must be, whoever edits it: the member's form or the Wagtail editor.

The rules live in the model (`PracticePage.clean`, the link's validator, the panels' limits), so
each is tested through the Wagtail editor, as an editor posts it, and through the member's form,
which shows the same message next to the field.
"""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model

from core import roles
from practices import services
from practices.models import (
    MAX_IMAGES,
    Action,
    Partnership,
    PracticeImage,
    PracticeLink,
    PracticePage,
)
from tests.factories import draft_practice, editor_form, editor_url, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(db):
    client = Client()
    client.force_login(make_member("editor@urbanexchange.test", groups=[roles.EDITORS]))
    return client


@pytest.fixture
def partnerships(db):
    inclusion = Partnership.objects.create(name="Inclusion of migrants", slug="inclusion")
    poverty = Partnership.objects.create(name="Urban poverty", slug="poverty")
    return {
        "inclusion": inclusion,
        "poverty": poverty,
        "education": Action.objects.create(
            partnership=inclusion, number=1, title="Inclusive education", slug="education"
        ),
    }


def _saved(practice) -> PracticePage:
    return services.latest_draft(PracticePage.objects.get(pk=practice.pk))


def _field_error(html: str, message: str, field: str) -> bool:
    """`message` is shown in the wrapper of `field`, not only somewhere on the page."""
    start = html.find(f'data-contentpath="{field}"')
    return start >= 0 and message in html[start : start + 3000]


def png(name: str) -> ImageFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 6), (10, 120, 60)).save(buffer, "PNG")
    return ImageFile(buffer, name=name)


# --- In the Wagtail editor -----------------------------------------------------------------------


def test_the_editor_saves_a_valid_change(editor_client, library, member, lille, terms):
    practice = draft_practice(member, lille, terms)
    data = editor_form(editor_client, practice)
    data["start_date"], data["end_date"] = "2019-01-01", "2021-06-30"
    assert editor_client.post(editor_url(practice), data).status_code == 302
    assert _saved(practice).end_date == date(2021, 6, 30)


def test_the_editor_refuses_an_end_before_the_start(editor_client, library, member, lille, terms):
    practice = draft_practice(member, lille, terms)
    data = editor_form(editor_client, practice)
    data["start_date"], data["end_date"] = "2020-01-01", "2019-01-01"
    response = editor_client.post(editor_url(practice), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert _field_error(html, "The end cannot be before the start.", "end_date")
    assert _saved(practice).end_date is None


def test_the_editor_refuses_an_action_of_another_partnership(
    editor_client, library, member, lille, terms, partnerships
):
    practice = draft_practice(member, lille, terms)
    data = editor_form(editor_client, practice)
    data["partnership"] = partnerships["poverty"].pk
    data["action"] = partnerships["education"].pk
    response = editor_client.post(editor_url(practice), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert _field_error(html, "This action belongs to another partnership.", "action")
    assert _saved(practice).action is None


def test_an_action_alone_brings_its_partnership(
    editor_client, library, member, lille, terms, partnerships
):
    practice = draft_practice(member, lille, terms)
    data = editor_form(editor_client, practice)
    data["partnership"], data["action"] = "", partnerships["education"].pk
    assert editor_client.post(editor_url(practice), data).status_code == 302
    assert _saved(practice).partnership == partnerships["inclusion"]


def _with_images(data, images):
    data["images-TOTAL_FORMS"] = str(len(images))
    for number, image in enumerate(images):
        data[f"images-{number}-image"] = image.pk
        data[f"images-{number}-alt_text"] = f"Photo {number}"
        data[f"images-{number}-caption"] = ""
        data[f"images-{number}-ORDER"] = str(number + 1)
    return data


@pytest.mark.parametrize(("count", "accepted"), [(MAX_IMAGES, True), (MAX_IMAGES + 1, False)])
def test_the_editor_takes_at_most_ten_images(
    editor_client, library, member, lille, terms, count, accepted
):
    practice = draft_practice(member, lille, terms)
    images = [
        get_image_model().objects.create(title=f"Photo {n}", file=png(f"photo{n}.png"))
        for n in range(count)
    ]
    data = _with_images(editor_form(editor_client, practice), images)
    response = editor_client.post(editor_url(practice), data)
    saved = len(_saved(practice).images.all())
    if accepted:
        assert response.status_code == 302 and saved == count
    else:
        assert response.status_code == 200 and saved == 0
        assert "Please submit at most 10 forms." in response.content.decode()


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("ftp://files.lille.test/report.pdf", "Enter a web address that starts with https://"),
        ("javascript:alert(1)", "Enter a valid URL."),
    ],
)
def test_the_editor_takes_web_links_only(
    editor_client, library, member, lille, terms, address, message
):
    practice = draft_practice(member, lille, terms)
    data = editor_form(editor_client, practice)
    data["links-TOTAL_FORMS"] = "1"
    data["links-0-title"], data["links-0-url"], data["links-0-ORDER"] = "Report", address, "1"
    response = editor_client.post(editor_url(practice), data)
    assert response.status_code == 200
    assert _field_error(response.content.decode(), message, "url")
    assert not _saved(practice).links.all()


# --- In the model and the services, whichever way a change comes in ---------------------------


def test_a_link_must_be_a_web_address():
    with pytest.raises(ValidationError, match="starts with https:// or http://"):
        PracticeLink(title="Files", url="ftp://files.lille.test/").clean_fields(exclude=["page"])
    PracticeLink(title="Site", url="https://lille.test/").clean_fields(exclude=["page"])


def test_saving_a_draft_with_too_many_images_is_refused(library, member, lille, terms):
    practice = draft_practice(member, lille, terms)
    draft = services.latest_draft(practice)
    image = get_image_model().objects.create(title="Photo", file=png("photo.png"))
    draft.images = [PracticeImage(image=image, alt_text="Photo") for _ in range(MAX_IMAGES + 1)]
    with pytest.raises(ValidationError, match="can show 10 images"):
        services.save_draft(member, draft)
    assert not _saved(practice).images.all()


# --- The member's form shows the model's messages next to the field ----------------------------


@pytest.fixture
def member_client(member):
    client = Client()
    client.force_login(member)
    return client


def test_the_member_is_told_next_to_the_field_when_the_action_is_of_another_partnership(
    member_client, library, member, lille, terms, partnerships
):
    practice = draft_practice(member, lille, terms)
    response = member_client.post(
        reverse("practices:edit", args=[practice.pk, "classification"]),
        {
            "themes": [terms["theme"].pk],
            "governance_levels": [terms["level"].pk],
            "partnership": partnerships["poverty"].pk,
            "action": partnerships["education"].pk,
            "funds-TOTAL_FORMS": "0",
            "funds-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["action"] == ["This action belongs to another partnership."]


def test_the_member_is_told_next_to_the_field_that_a_link_must_be_a_web_address(
    member_client, library, member, lille, terms
):
    practice = draft_practice(member, lille, terms)
    response = member_client.post(
        reverse("practices:edit", args=[practice.pk, "media"]),
        {
            "links-TOTAL_FORMS": "1",
            "links-INITIAL_FORMS": "0",
            "links-0-title": "Files",
            "links-0-url": "ftp://files.lille.test/",
        },
    )
    assert response.status_code == 400
    [link_form] = response.context["form"].links.forms
    assert link_form.errors["url"] == ["Enter a web address that starts with https:// or http://."]


def test_a_step_shows_a_rule_broken_on_another_step_at_the_top(
    member_client, library, member, lille, terms, partnerships
):
    """A draft saved before the rules existed opens with the problem named, not an error page."""
    practice = draft_practice(member, lille, terms)
    PracticePage.objects.filter(pk=practice.pk).update(
        partnership=partnerships["poverty"], action=partnerships["education"]
    )
    draft = services.latest_draft(practice)
    draft.partnership, draft.action = partnerships["poverty"], partnerships["education"]
    draft.save_revision(user=member, clean=False)
    response = member_client.post(
        reverse("practices:edit", args=[practice.pk, "about"]),
        {
            "title": "TAST'in FIVES",
            "summary": "A food hub in Fives.",
            "city": lille.pk,
            "lead_organisation": "City of Lille",
            "status": "running",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "This action belongs to another partnership."
    ]
