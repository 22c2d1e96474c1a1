"""Sign-up, verification, login and the member dashboard, through the test client."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User
from core import roles
from core.mail import resend_failed
from core.models import OutgoingEmail
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "sofia.officer@brno.test",
    "password1": PASSWORD,
    "password2": PASSWORD,
    "first_name": "Sofia",
    "last_name": "Novak",
    "organisation": "City of Brno",
    "organisation_type": "city",
}


def confirmation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body).group(1)


def test_signup_creates_an_unverified_member_and_mails_a_confirmation_link(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email=SIGNUP["email"])
    assert (user.first_name, user.organisation, user.organisation_type) == (
        "Sofia",
        "City of Brno",
        "city",
    )
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [SIGNUP["email"]]
    assert confirmation_link(mail.outbox[0])


def test_signup_errors_are_shown_next_to_the_fields(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "email": "not-an-address"})
    assert response.status_code == 200
    assert not User.objects.exists()
    form = response.context["form"]
    assert "email" in form.errors
    # What the person typed is kept.
    assert 'value="City of Brno"' in response.content.decode()


def test_unverified_member_is_refused_member_pages_with_a_clear_message(client, unverified_member):
    client.force_login(unverified_member)
    for name in ("accounts:dashboard", "accounts:edit_profile"):
        response = client.get(reverse(name))
        assert response.status_code == 403
        assert "verify your e-mail address" in response.content.decode()


def test_confirming_the_link_verifies_the_member(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), SIGNUP)
    link = confirmation_link(mail.outbox[0])
    assert client.get(link).status_code == 200  # a page with a button, never a GET side effect
    assert not EmailAddress.objects.get(email=SIGNUP["email"]).verified
    client.post(link)
    assert EmailAddress.objects.get(email=SIGNUP["email"]).verified
    assert client.get(reverse("accounts:dashboard")).status_code == 200


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("accounts:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_login_with_email_and_password(client, member):
    response = client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:dashboard")
    page = client.get(reverse("accounts:dashboard")).content.decode()
    assert "City of Mechelen" in page


def test_login_with_a_wrong_password_says_so(client, member):
    response = client.post(reverse("account_login"), {"login": member.email, "password": "nope"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_member_edits_their_profile(client, member):
    client.force_login(member)
    response = client.post(
        reverse("accounts:edit_profile"),
        {
            "first_name": "Anna",
            "last_name": "Peeters",
            "organisation": "City of Mechelen",
            "organisation_type": "city",
            "job_title": "Integration policy officer",
            "city": "Mechelen",
            "country": "BE",
            "preferred_language": "en",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("accounts:dashboard")
    member.refresh_from_db()
    assert member.job_title == "Integration policy officer"
    assert "Your profile has been saved." in response.content.decode()


def test_profile_refuses_an_unknown_country_next_to_the_field(client, member):
    client.force_login(member)
    response = client.post(
        reverse("accounts:edit_profile"),
        {
            "first_name": "Anna",
            "last_name": "",
            "organisation": "City of Mechelen",
            "organisation_type": "city",
            "country": "ZZ",
            "preferred_language": "en",
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"country", "last_name"}
    member.refresh_from_db()
    assert member.country == "BE"


def test_a_failing_mail_server_does_not_lose_the_signup(
    client, django_capture_on_commit_callbacks, monkeypatch
):
    def broken_send(self, *args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken_send)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    assert User.objects.filter(email=SIGNUP["email"]).exists()
    # The confirmation is kept as a failed e-mail, and reaches the member once re-sent.
    [kept] = OutgoingEmail.objects.filter(state=OutgoingEmail.State.FAILED)
    assert kept.to == [SIGNUP["email"]]
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        resend_failed()
    assert confirmation_link(mail.outbox[0])


def test_account_mails_name_the_site_and_link_to_the_address_it_is_served_on(
    client, settings, member, django_capture_on_commit_callbacks
):
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8123"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), SIGNUP)
        client.post(reverse("account_reset_password"), {"email": member.email})

    confirmation, reset = mail.outbox
    for message in (confirmation, reset):
        assert message.body.startswith("Hello from Urban Exchange!")
        assert "127.0.0.1:8123" in message.body  # allauth's footer: the site's address
        links = re.findall(r"https?://\S+", message.body)
        assert links and all(link.startswith("http://127.0.0.1:8123/") for link in links)
    assert OutgoingEmail.objects.filter(state=OutgoingEmail.State.SENT).count() == 2


def test_roles_exist_with_admin_access():
    from django.contrib.auth.models import Group

    for name in (roles.MODERATORS, roles.EDITORS, roles.EXPERTS):
        group = Group.objects.get(name=name)
        assert group.permissions.filter(codename="access_admin").exists()
