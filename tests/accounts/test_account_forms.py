"""Sign-up, profile and sign-in forms as a keyboard, a screen reader and a browser's autofill
meet them: the same fields required in both, countries in the order of their names, autocomplete
tokens, nothing between the password and the button, focus on the error summary, and allauth's
pages in the site's sentence case."""

import re

import pytest
from django.urls import reverse

from accounts.forms import REQUIRED_PROFILE_FIELDS, ProfileForm, SignupProfileForm
from accounts.signin import LoginForm
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_signup_and_profile_require_the_same_fields(member):
    signup = SignupProfileForm()
    profile = ProfileForm(instance=member)
    shared = set(signup.fields) & set(profile.fields)
    assert shared == set(REQUIRED_PROFILE_FIELDS)
    for name in shared:
        assert signup.fields[name].required and profile.fields[name].required, name


def test_the_profile_refuses_to_drop_the_organisation(client, member):
    client.force_login(member)
    response = client.post(
        reverse("accounts:edit_profile"),
        {
            "first_name": "Anna",
            "last_name": "Peeters",
            "organisation": "",
            "preferred_language": "en",
        },
    )
    assert set(response.context["form"].errors) == {"organisation", "organisation_type"}


def test_countries_are_sorted_by_their_names(member):
    names = [str(label) for code, label in ProfileForm(instance=member).fields["country"].choices]
    assert names[0] == "---------"
    assert names[1:] == sorted(names[1:], key=str.casefold)
    assert names.index("Belgium") < names.index("Bosnia and Herzegovina")
    assert names.index("Sweden") < names.index("Switzerland") < names.index("Türkiye")


def test_personal_fields_say_what_browsers_may_fill_in(client, member):
    client.force_login(member)
    profile = client.get(reverse("accounts:edit_profile")).content.decode()
    for name, token in {
        "first_name": "given-name",
        "last_name": "family-name",
        "organisation": "organization",
        "job_title": "organization-title",
    }.items():
        assert re.search(rf'<input[^>]*name="{name}"[^>]*autocomplete="{token}"', profile) or (
            re.search(rf'<input[^>]*autocomplete="{token}"[^>]*name="{name}"', profile)
        ), name
    client.logout()
    signup = client.get(reverse("account_signup")).content.decode()
    for name, token in {
        "email": "email",
        "first_name": "given-name",
        "last_name": "family-name",
        "organisation": "organization",
    }.items():
        field = re.search(rf'<input[^>]*name="{name}"[^>]*>', signup).group(0)
        assert f'autocomplete="{token}"' in field, name


def test_the_sign_in_form_goes_email_password_button(client):
    assert list(LoginForm().fields) == ["login", "password"], "no remember-me box"
    html = client.get(reverse("account_login")).content.decode()
    form = html[html.index('<form class="form"') : html.index("</form>")]
    focusable = re.findall(r'<(input|button|a|select|textarea)\b(?![^>]*type="hidden")[^>]*>', form)
    assert focusable == ["input", "input", "button", "a"], focusable
    assert form.index('name="login"') < form.index('name="password"') < form.index("<button")
    assert form.index("<button") < form.index(reverse("account_reset_password"))


def test_after_a_refused_submit_the_error_summary_takes_the_focus(client):
    response = client.post(reverse("account_login"), {"login": "x@example.org", "password": "no"})
    html = response.content.decode()
    assert '<div class="error-summary" role="alert" tabindex="-1" autofocus>' in html


def test_allauths_pages_are_in_sentence_case(client, member):
    login = client.get(reverse("account_login")).content.decode()
    assert re.search(r"<h1>\s*Sign in\s*</h1>", login)
    assert "Sign In" not in login
    signup = client.get(reverse("account_signup")).content.decode()
    assert re.search(r"<h1>\s*Sign up\s*</h1>", signup) and "Sign Up" not in signup
    reset = client.get(reverse("account_reset_password")).content.decode()
    assert re.search(r"<h1>\s*Password reset\s*</h1>", reset)
    client.force_login(member)
    change = client.get(reverse("account_change_password")).content.decode()
    assert "Change password" in change and "Change Password" not in change
    emails = client.get(reverse("account_email")).content.decode()
    assert "Email addresses" in emails and "Email Addresses" not in emails


@pytest.mark.django_db
def test_signing_in_lasts_until_the_browser_closes(client, member):
    response = client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session.get_expire_at_browser_close()
