"""Contacting a practice's owner: the message arrives, the owner's address never shows."""

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.test import Client, RequestFactory

from core.mail import UnbuildableEmail, absolute_url, resend_failed
from core.models import OutgoingEmail
from practices.contact import MESSAGES_PER_CLIENT_PER_HOUR, MESSAGES_PER_PRACTICE_PER_DAY
from tests.factories import FAILING_MAIL_SERVER, add_practice

pytestmark = pytest.mark.django_db

OWNER = "owner@mechelen.test"
MESSAGE = "Hello! How did you find the job coaches? We would like to try this in Lille."


def contact_url(page) -> str:
    """The `contact/` route of a practice page (or where it would be on another page)."""
    return f"{page.url}contact/"


def form_data(**overrides) -> dict:
    return {
        "name": "Claire Martin",
        "email": "claire@lille.test",
        "message": MESSAGE,
        "website": "",
        **overrides,
    }


@pytest.fixture
def practice(library, mechelen):
    return add_practice(library, mechelen, title="Job coaches for newcomers")


def send(client, practice, django_capture_on_commit_callbacks, ip="192.0.2.1", **data):
    # The mail task is queued on commit; the test's transaction never commits, so run the
    # callbacks as a real commit would.
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(contact_url(practice), form_data(**data), REMOTE_ADDR=ip)


# --- Sending ------------------------------------------------------------------------------------


def test_message_reaches_the_owner_with_the_visitor_as_reply_to(
    client, practice, django_capture_on_commit_callbacks
):
    response = send(client, practice, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == practice.url
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [OWNER]
    assert sent.reply_to == ["Claire Martin <claire@lille.test>"]
    assert "Job coaches for newcomers" in sent.subject
    assert MESSAGE in sent.body
    assert absolute_url(practice.url) in sent.body
    assert "without sharing your e-mail address" in sent.body
    # The practice page says so once the visitor is back on it.
    followed = client.get(response["Location"]).content.decode()
    assert "Your message has been sent to the practice owner." in followed


def test_the_link_in_the_message_is_on_the_address_the_site_is_served_on(
    client, practice, settings, django_capture_on_commit_callbacks
):
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8123"

    send(client, practice, django_capture_on_commit_callbacks)

    assert f"http://127.0.0.1:8123{practice.url}" in mail.outbox[0].body


def test_without_a_contact_address_the_page_owner_receives_it(
    client, library, mechelen, member, django_capture_on_commit_callbacks
):
    practice = add_practice(library, mechelen, contact_email="", owner=member)

    response = send(client, practice, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert mail.outbox[0].to == [member.email]


def test_a_practice_nobody_can_be_written_to_has_no_form(client, library, mechelen):
    practice = add_practice(library, mechelen, contact_email="")

    assert client.post(contact_url(practice), form_data()).status_code == 404
    html = render_to_string("practices/includes/contact_owner.html", {"page": practice})
    assert "<form" not in html


def test_a_name_with_a_line_break_is_refused_next_to_the_field(
    client, practice, django_capture_on_commit_callbacks
):
    response = send(
        client, practice, django_capture_on_commit_callbacks, name="Claire\r\nBcc: x@evil.test"
    )

    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["Write this on one line."]
    # What the visitor wrote is still in the form, and nothing was sent or queued.
    assert MESSAGE in response.content.decode()
    assert not OutgoingEmail.objects.exists()


def test_a_title_with_a_line_break_still_gives_a_one_line_subject(
    client, library, mechelen, django_capture_on_commit_callbacks
):
    # Titles typed in Wagtail's editor (or imported) never passed the member's form.
    practice = add_practice(library, mechelen, title="Job coaches\r\nBcc: x@evil.test")

    response = send(client, practice, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    [sent] = mail.outbox
    assert "Job coaches Bcc: x@evil.test" in sent.subject
    assert sent.message()["Bcc"] is None


def test_a_message_that_cannot_be_built_is_an_error_the_visitor_sees(
    client, practice, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise UnbuildableEmail("Header values can't contain newlines")

    monkeypatch.setattr("practices.contact.send_templated", refuse)

    response = send(client, practice, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert "could not be sent" in response.content.decode()
    assert MESSAGE in response.content.decode()
    assert not mail.outbox


def test_a_failing_mail_server_does_not_break_the_page(
    client, practice, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_DELIVERY_BACKEND = FAILING_MAIL_SERVER

    response = send(client, practice, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    # The message is not lost: it waits as a failed e-mail until an admin sends it again.
    [kept] = OutgoingEmail.objects.filter(state=OutgoingEmail.State.FAILED)
    assert MESSAGE in kept.body
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        resend_failed()
    assert [message.to for message in mail.outbox] == [[OWNER]]
    assert mail.outbox[0].reply_to == ["Claire Martin <claire@lille.test>"]


# --- What visitors see --------------------------------------------------------------------------


def test_the_form_at_the_end_of_the_practice_page_never_shows_the_address(client, practice):
    request = RequestFactory().get(practice.url)
    html = render_to_string(
        "practices/includes/contact_owner.html", {"page": practice}, request=request
    )

    assert "Contact the practice owner" in html
    assert f'action="{contact_url(practice)}"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    for label in ["Your name", "Your e-mail address", "Your message"]:
        assert label in html
    assert OWNER not in html


def test_the_practice_page_ends_with_the_form_and_never_shows_the_address(client, practice):
    html = client.get(practice.url).content.decode()

    assert "Contact the practice owner" in html
    assert f'action="{contact_url(practice)}"' in html
    assert OWNER not in html


def test_the_honeypot_is_hidden_from_people(practice):
    html = render_to_string("practices/includes/contact_owner.html", {"page": practice})

    hidden = html[html.index('<div class="visually-hidden" aria-hidden="true">') :]
    hidden = hidden[: hidden.index("</div>")]
    assert 'name="website"' in hidden
    assert 'tabindex="-1"' in hidden
    assert 'autocomplete="off"' in hidden
    assert "Leave this field empty" in hidden
    # Only once: the site's form include does not draw it again as a visible field.
    assert html.count('name="website"') == 1


def test_a_bot_filling_the_honeypot_is_told_it_worked_and_nothing_is_sent(
    client, practice, django_capture_on_commit_callbacks
):
    response = send(
        client, practice, django_capture_on_commit_callbacks, website="https://spam.test"
    )

    assert response.status_code == 302
    assert response["Location"] == practice.url
    assert mail.outbox == []


def test_invalid_address_is_shown_beside_the_field_and_nothing_typed_is_lost(
    client, practice, django_capture_on_commit_callbacks
):
    response = send(client, practice, django_capture_on_commit_callbacks, email="not-an-address")

    html = response.content.decode()
    assert response.status_code == 200
    assert mail.outbox == []
    assert 'id="contact_email_error"' in html
    assert 'aria-describedby="contact_email_error contact_email_helptext"' in html
    assert 'aria-invalid="true"' in html
    assert 'value="not-an-address"' in html
    assert 'value="Claire Martin"' in html
    assert MESSAGE in html
    assert OWNER not in html


def test_an_overlong_message_is_refused_with_an_error(
    client, practice, django_capture_on_commit_callbacks
):
    response = send(client, practice, django_capture_on_commit_callbacks, message="x" * 5001)

    assert response.status_code == 200
    assert 'id="contact_message_error"' in response.content.decode()
    assert mail.outbox == []


# --- Rate limits --------------------------------------------------------------------------------


def test_the_sixth_message_in_an_hour_from_one_client_is_refused(
    client, practice, django_capture_on_commit_callbacks
):
    for _ in range(MESSAGES_PER_CLIENT_PER_HOUR):
        assert send(client, practice, django_capture_on_commit_callbacks).status_code == 302

    response = send(client, practice, django_capture_on_commit_callbacks)

    html = response.content.decode()
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert "as many messages as we allow in an hour" in html
    assert MESSAGE in html  # what the visitor wrote is still there
    assert len(mail.outbox) == MESSAGES_PER_CLIENT_PER_HOUR
    # Someone else may still write.
    assert (
        send(client, practice, django_capture_on_commit_callbacks, ip="192.0.2.2").status_code
        == 302
    )


def test_a_forged_forwarded_for_header_does_not_escape_the_limit(
    client, practice, django_capture_on_commit_callbacks
):
    for number in range(MESSAGES_PER_CLIENT_PER_HOUR + 1):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                contact_url(practice),
                form_data(),
                REMOTE_ADDR="192.0.2.1",
                HTTP_X_FORWARDED_FOR=f"198.51.100.{number}",
            )
    assert response.status_code == 429


def test_behind_trusted_proxies_the_forwarded_address_counts(
    client, practice, settings, django_capture_on_commit_callbacks
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for number in range(MESSAGES_PER_CLIENT_PER_HOUR + 1):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                contact_url(practice),
                form_data(),
                REMOTE_ADDR="10.0.0.1",  # the proxy
                HTTP_X_FORWARDED_FOR=f"forged, 198.51.100.{number}",
            )
        assert response.status_code == 302
    assert len(mail.outbox) == MESSAGES_PER_CLIENT_PER_HOUR + 1


def test_a_practice_receives_at_most_twenty_messages_a_day(
    client, practice, django_capture_on_commit_callbacks
):
    for number in range(MESSAGES_PER_PRACTICE_PER_DAY):
        response = send(client, practice, django_capture_on_commit_callbacks, ip=f"10.0.0.{number}")
        assert response.status_code == 302

    response = send(client, practice, django_capture_on_commit_callbacks, ip="10.0.1.1")

    assert response.status_code == 429
    assert "try again tomorrow" in response.content.decode()
    assert len(mail.outbox) == MESSAGES_PER_PRACTICE_PER_DAY


# --- Which pages, which requests ----------------------------------------------------------------


def test_drafts_and_other_pages_cannot_be_contacted(client, library, mechelen, home_page):
    draft = add_practice(library, mechelen, number=2, live=False)

    assert client.post(contact_url(draft), form_data()).status_code == 404
    assert client.get(contact_url(draft)).status_code == 404
    assert client.post(contact_url(library), form_data()).status_code == 404
    assert client.post(contact_url(home_page), form_data()).status_code == 404
    assert mail.outbox == []


def test_get_goes_back_to_the_practice(client, practice):
    response = client.get(contact_url(practice))

    assert response.status_code == 302
    assert response["Location"] == practice.url


def test_posting_needs_the_csrf_token(practice):
    client = Client(enforce_csrf_checks=True)

    assert client.post(contact_url(practice), form_data()).status_code == 403
    assert mail.outbox == []
