"""A practice's images and documents: stored under names the site chooses, in the members'
collection, in the transaction of the draft they belong to, and kept from the public until the
practice is published. Each attack or broken input from the security review is replayed here."""

import re

import pytest
from django.db import DatabaseError
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from core.uploads import MEMBER_UPLOADS
from practices import services
from practices.forms import MediaForm
from practices.models import PracticePage
from tests.factories import draft_practice, make_member, moderate
from tests.upload_files import (
    MINIMAL_PDF,
    animated_gif_bytes,
    broken_zlib_png,
    image_bytes,
    png_with_script,
    truncated_jpeg,
    upload,
)

pytestmark = pytest.mark.django_db

RANDOM_NAME = r"[0-9a-f]{32}"
NO_LINKS = {
    "links-TOTAL_FORMS": "0",
    "links-INITIAL_FORMS": "0",
    "links-MIN_NUM_FORMS": "0",
    "links-MAX_NUM_FORMS": "10",
}


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def practice(member, lille, terms, library):
    return draft_practice(member, lille, terms)


def stored_files(root) -> list[str]:
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file())


def add_files(client, practice, **fields):
    return client.post(
        reverse("practices:edit", args=[practice.pk, "media"]), {**NO_LINKS, **fields}
    )


def add_image(client, practice, name, content, alt_text="Cooks in the shared kitchen"):
    return add_files(
        client, practice, image=upload(name, content, "image/png"), image_alt_text=alt_text
    )


def add_document(client, practice, name, content, title=""):
    return add_files(client, practice, document=upload(name, content), document_title=title)


def nothing_stored(media_root) -> bool:
    return (
        not get_image_model().objects.exists()
        and not get_document_model().objects.exists()
        and stored_files(media_root) == []
    )


# --- Names the site chooses, in the members' collection ---------------------------------------


def test_uploads_get_random_names_with_the_detected_extension_and_readable_titles(
    member_client, practice, media_root
):
    response = add_image(member_client, practice, "Our kitchen (final).PNG", image_bytes())
    assert response.status_code == 302
    response = add_document(member_client, practice, "Evaluation 2023.pdf", MINIMAL_PDF)
    assert response.status_code == 302

    draft = services.latest_draft(practice)
    image = draft.images.get().image
    document = draft.documents.get().document
    assert re.fullmatch(rf"original_images/{RANDOM_NAME}\.png", image.file.name)
    assert re.fullmatch(rf"documents/{RANDOM_NAME}\.pdf", document.file.name)
    assert image.title == "Cooks in the shared kitchen"
    assert document.title == "Evaluation 2023.pdf"
    assert image.collection.name == document.collection.name == MEMBER_UPLOADS
    assert stored_files(media_root) == sorted([image.file.name, document.file.name])


# --- Stored XSS through an image upload (high) ------------------------------------------------


def test_the_stored_xss_a_real_png_named_html_is_refused_and_nothing_is_stored(
    member_client, practice, media_root
):
    response = add_image(member_client, practice, "x.html", png_with_script())
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_image_error"' in html
    assert "Not a supported image format." in html
    assert nothing_stored(media_root)


def test_the_same_png_is_stored_as_a_png_and_served_as_an_image_never_as_a_page(
    client, member_client, practice, media_root
):
    add_image(member_client, practice, "x.png", png_with_script())
    image = services.latest_draft(practice).images.get().image
    assert image.file.name.endswith(".png") and "x." not in image.file.name

    response = client.get(image.file.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_a_text_document_with_a_script_is_sent_as_a_download_that_cannot_run(
    member_client, practice, media_root
):
    script = b"<html><script>alert(document.cookie)</script></html>"
    add_document(member_client, practice, "notes.txt", script, title="Notes")
    document = services.latest_draft(practice).documents.get().document

    response = member_client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"].startswith("text/plain")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert b"".join(response.streaming_content) == script
    # The file itself is not served from /media/: only the view above, which checks who asks.
    assert member_client.get(document.file.url).status_code == 404


def test_every_document_is_sent_as_a_download_pdfs_too(member_client, practice, media_root):
    add_document(member_client, practice, "report.pdf", MINIMAL_PDF)
    document = services.latest_draft(practice).documents.get().document
    assert member_client.get(document.url)["Content-Disposition"].startswith("attachment")


# --- Damaged images and limits -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [("photo.png", broken_zlib_png()), ("photo.jpg", truncated_jpeg())],
    ids=["png-with-a-broken-zlib-stream", "truncated-jpeg"],
)
def test_damaged_image_data_gets_a_message_next_to_the_field(
    member_client, practice, media_root, name, content
):
    response = add_image(member_client, practice, name, content)
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_image_error"' in html
    assert "This image is damaged or incomplete" in html
    assert nothing_stored(media_root)
    # Nothing broken was kept, so no page that shows the practice's images fails later.
    media_step = member_client.get(reverse("practices:edit", args=[practice.pk, "media"]))
    preview = member_client.get(reverse("practices:preview", args=[practice.pk]))
    assert media_step.status_code == preview.status_code == 200


def test_the_pages_that_show_an_accepted_image_make_its_renditions(
    member_client, practice, media_root
):
    add_image(member_client, practice, "kitchen.png", image_bytes(size=(1200, 800)))
    media_step = member_client.get(reverse("practices:edit", args=[practice.pk, "media"]))
    preview = member_client.get(reverse("practices:preview", args=[practice.pk]))
    assert media_step.status_code == preview.status_code == 200
    renditions = [name for name in stored_files(media_root) if name.startswith("images/")]
    assert any(".fill-160x120" in name for name in renditions)
    assert any(".width-960" in name for name in renditions)


def test_a_40_megapixel_photo_is_refused_next_to_the_field(member_client, practice, media_root):
    photo = image_bytes("PNG", (7_746, 5_164), mode="1")
    response = add_image(member_client, practice, "photo.png", photo)
    assert response.status_code == 400
    assert 'id="id_image_error"' in response.content.decode()
    assert "This file has too many pixels (40000344)" in response.content.decode()
    assert nothing_stored(media_root)


def test_a_3000_frame_gif_is_refused_next_to_the_field(member_client, practice, media_root):
    response = add_image(member_client, practice, "anim.gif", animated_gif_bytes(3_000, (2, 2)))
    assert response.status_code == 400
    assert 'id="id_image_error"' in response.content.decode()
    assert "This animation has 3000 frames; the limit is 100." in response.content.decode()
    assert nothing_stored(media_root)


# --- Files are stored in the transaction of their draft ---------------------------------------


def draft_with_new_files(member, practice):
    form = MediaForm(
        {**NO_LINKS, "image_alt_text": "Cooks", "document_title": "Report"},
        {
            "image": upload("kitchen.png", image_bytes()),
            "document": upload("report.pdf", MINIMAL_PDF),
        },
        instance=services.latest_draft(practice),
        member=member,
    )
    assert form.is_valid(), form.errors
    return form.apply()


def test_a_refused_save_leaves_no_file_and_no_row_behind(member, practice, media_root):
    draft = draft_with_new_files(member, practice)
    # Meanwhile, in another tab, the member sends the practice to the moderators.
    services.submit_for_review(member, practice)
    with pytest.raises(services.PracticeError):
        services.save_draft(member, draft)
    assert nothing_stored(media_root)


def test_a_failing_revision_save_leaves_no_file_and_no_row_behind(
    member, practice, media_root, monkeypatch
):
    draft = draft_with_new_files(member, practice)

    def fail(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(PracticePage, "save_revision", fail)
    with pytest.raises(DatabaseError):
        services.save_draft(member, draft)
    assert nothing_stored(media_root)


def test_a_saved_draft_keeps_its_files(member, practice, media_root):
    services.save_draft(member, draft_with_new_files(member, practice))
    draft = services.latest_draft(practice)
    assert draft.images.get().image.file.storage.exists(draft.images.get().image.file.name)
    assert len(stored_files(media_root)) == 2


# --- Documents of drafts are private ----------------------------------------------------------


def test_a_drafts_document_is_served_only_to_its_owner_and_staff(
    client, member, practice, moderator, media_root
):
    services.save_draft(member, draft_with_new_files(member, practice))
    url = services.latest_draft(practice).documents.get().document.url

    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    client.force_login(make_member("someone@else.test"))
    assert client.get(url).status_code == 404
    client.force_login(member)
    assert client.get(url).status_code == 200
    client.force_login(moderator)
    assert client.get(url).status_code == 200


def test_a_published_practices_document_is_public_and_a_new_unapproved_one_is_not(
    client, member, practice, moderator, media_root
):
    services.save_draft(member, draft_with_new_files(member, practice))
    services.submit_for_review(member, practice)
    moderate(moderator, practice, "approve")
    published_url = PracticePage.objects.get(pk=practice.pk).documents.get().document.url
    assert client.get(published_url).status_code == 200

    # The owner adds a second document; it waits for the moderators with the rest of the change.
    add_document_to = MediaForm(
        {**NO_LINKS, "document_title": "Annex"},
        {"document": upload("annex.pdf", MINIMAL_PDF)},
        instance=services.latest_draft(practice),
        member=member,
    )
    assert add_document_to.is_valid(), add_document_to.errors
    services.save_draft(member, add_document_to.apply())
    annex = services.latest_draft(practice).documents.get(document__title="Annex").document
    assert client.get(annex.url).status_code == 302
    assert client.get(published_url).status_code == 200
