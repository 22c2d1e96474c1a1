"""A visitor and a new member use the site in a real Chromium."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD
from tests.factories import PASSWORD

UNLABELLED_FIELDS_JS = """
() => Array.from(document.querySelectorAll('input, select, textarea'))
  .filter(el => !['hidden', 'submit', 'button'].includes(el.type))
  .filter(el => el.labels.length === 0 && !el.getAttribute('aria-label')
                && !el.getAttribute('aria-labelledby'))
  .map(el => el.name || el.id)
"""


def sign_in(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("main").get_by_role("button", name=re.compile("Sign in", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("My Urban Exchange")


def test_visitor_opens_the_home_page_and_navigates(page):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Where European cities learn from each other"
    )
    # The skip link is the first thing a keyboard reaches, and it shows when focused.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()

    # The header shows the page's short menu title.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="About").click()
    expect(page).to_have_url(re.compile(r"/about/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("About Urban Exchange")
    link = page.get_by_role("navigation", name="Main").get_by_role("link", name="About")
    expect(link).to_have_attribute("aria-current", "page")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Home").click()
    expect(page).to_have_url(re.compile(r"/$"))


def test_a_person_signs_up_verifies_logs_in_and_edits_the_profile(page, site_server):
    page.goto("/")
    page.get_by_role("banner").get_by_role("link", name="Sign Up").click()
    page.get_by_label("First name").fill("Marta")
    page.get_by_label("Last name").fill("Rossi")
    page.get_by_label("Organisation", exact=True).fill("Comune di Bergamo")
    page.get_by_label("Type of organisation").select_option("city")
    page.get_by_label("Email").first.fill("marta.rossi@bergamo.test")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label(re.compile("Password \\(again\\)", re.I)).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=re.compile("Sign up", re.I)).click()

    # Before verifying, member pages say what to do.
    page.goto("/my/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("verify your e-mail address")

    mail = site_server.newest_mail()
    assert "marta.rossi@bergamo.test" in mail
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail).group(0)
    page.goto(re.sub(r"^https?://[^/]+", "", link))
    page.get_by_role("main").get_by_role("button", name=re.compile("Confirm", re.I)).click()

    page.get_by_role("banner").get_by_text("Account", exact=True).click()
    page.get_by_role("banner").get_by_role("button", name="Sign Out").click()
    expect(page.get_by_role("banner").get_by_role("link", name="Sign In")).to_be_visible()

    sign_in(page, "marta.rossi@bergamo.test", PASSWORD)
    expect(page.get_by_role("main")).to_contain_text("Comune di Bergamo")

    page.get_by_role("main").get_by_role("link", name=re.compile("Edit profile", re.I)).click()
    page.get_by_label("Job title").fill("Social inclusion officer")
    page.get_by_label("Country").select_option("IT")
    page.get_by_role("button", name=re.compile("Save", re.I)).click()
    expect(page.get_by_role("status").first).to_contain_text("Your profile has been saved.")
    expect(page.get_by_role("main")).to_contain_text("Social inclusion officer")
    expect(page.get_by_role("main")).to_contain_text("Italy")


def test_profile_errors_are_shown_next_to_the_field(page):
    sign_in(page, "member@urbanexchange.test", DEMO_PASSWORD)
    page.goto("/my/profile/")
    page.get_by_label("First name").fill("")
    page.get_by_role("button", name=re.compile("Save", re.I)).click()
    field = page.get_by_label("First name")
    expect(field).to_have_attribute("aria-invalid", "true")
    error_id = field.get_attribute("aria-describedby").split()[0]
    expect(page.locator(f"#{error_id}")).to_contain_text("This field is required.")
    # Nothing else the member typed is lost.
    expect(page.get_by_label("Last name")).to_have_value("Peeters")


def test_every_page_has_a_skip_link_and_every_field_a_label(page):
    public = ["/", "/about/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
    for path in public:
        page.goto(path)
        expect(page.locator("a.skip-link[href='#main']")).to_have_count(1)
        assert page.evaluate(UNLABELLED_FIELDS_JS) == [], path

    response = page.goto("/no-such-page/")
    assert response.status == 404
    expect(page.locator("a.skip-link[href='#main']")).to_have_count(1)

    sign_in(page, "member@urbanexchange.test", DEMO_PASSWORD)
    for path in ["/my/", "/my/profile/", "/accounts/email/", "/accounts/password/change/"]:
        page.goto(path)
        expect(page.locator("a.skip-link[href='#main']")).to_have_count(1)
        assert page.evaluate(UNLABELLED_FIELDS_JS) == [], path
