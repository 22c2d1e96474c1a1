"""A visitor and a new member use the site in a real Chromium."""

import re

import pytest
from playwright.sync_api import expect

from home.models import StandardPage
from tests.conftest import PASSWORD, make_member

# Transactional so that the live server's thread sees the data; serialized rollback puts back
# what migrations created (the page tree root, the groups) for the tests that follow.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

UNLABELLED_FIELDS_JS = """
() => Array.from(document.querySelectorAll('input, select, textarea'))
  .filter(el => !['hidden', 'submit', 'button'].includes(el.type))
  .filter(el => el.labels.length === 0 && !el.getAttribute('aria-label')
                && !el.getAttribute('aria-labelledby'))
  .map(el => el.name || el.id)
"""


def newest_mail(mail_dir) -> str:
    files = sorted(mail_dir.glob("*.log"), key=lambda path: path.stat().st_mtime)
    assert files, f"no mail written to {mail_dir}"
    return files[-1].read_text()


def test_visitor_opens_the_home_page_and_navigates(page, home_page):
    home_page.add_child(
        instance=StandardPage(
            title="About Urban Exchange",
            slug="about",
            show_in_menus=True,
            introduction="Cities learning from each other.",
        )
    )
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Where European cities learn from each other"
    )
    # The skip link is the first thing a keyboard reaches, and it shows when focused.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="About Urban Exchange"
    ).click()
    expect(page).to_have_url(re.compile(r"/about/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("About Urban Exchange")
    expect(page.get_by_role("main")).to_contain_text("Cities learning from each other.")


def test_a_person_signs_up_verifies_logs_in_and_edits_the_profile(page, home_page, mail_dir):
    page.goto("/accounts/signup/")
    page.get_by_label("First name").fill("Marta")
    page.get_by_label("Last name").fill("Rossi")
    page.get_by_label("Organisation", exact=True).fill("Comune di Bergamo")
    page.get_by_label("Type of organisation").select_option("city")
    page.get_by_label("Email").first.fill("marta.rossi@bergamo.test")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label(re.compile("Password \\(again\\)|Confirm password", re.I)).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign up", re.I)).click()

    # Before verifying, member pages say what to do.
    page.goto("/my/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("verify your e-mail address")

    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", newest_mail(mail_dir)).group(0)
    page.goto(re.sub(r"^https?://[^/]+", "", link))
    page.get_by_role("button", name=re.compile("Confirm", re.I)).click()

    page.get_by_role("button", name=re.compile("Log out|Sign out", re.I)).first.click()
    confirm = page.get_by_role("main").get_by_role(
        "button", name=re.compile("Log out|Sign out", re.I)
    )
    if confirm.count():
        confirm.click()

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("marta.rossi@bergamo.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in|Log in", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("My Urban Exchange")
    expect(page.get_by_role("main")).to_contain_text("Comune di Bergamo")

    page.get_by_role("main").get_by_role("link", name=re.compile("Edit profile", re.I)).click()
    page.get_by_label("Job title").fill("Social inclusion officer")
    page.get_by_label("Country").select_option("IT")
    page.get_by_role("button", name=re.compile("Save", re.I)).click()
    expect(page.get_by_role("status").first).to_contain_text("Your profile has been saved.")
    expect(page.get_by_role("main")).to_contain_text("Social inclusion officer")


def test_every_page_has_a_skip_link_and_every_field_a_label(page, home_page):
    make_member("anna@mechelen.test")
    paths = [
        "/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/no-such-page/",
    ]
    for path in paths:
        page.goto(path)
        expect(page.locator("a.skip-link[href='#main']")).to_have_count(1)
        assert page.evaluate(UNLABELLED_FIELDS_JS) == [], path

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("anna@mechelen.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in|Log in", re.I)).click()
    for path in ["/my/", "/my/profile/", "/accounts/email/", "/accounts/password/change/"]:
        page.goto(path)
        expect(page.locator("a.skip-link[href='#main']")).to_have_count(1)
        assert page.evaluate(UNLABELLED_FIELDS_JS) == [], path
