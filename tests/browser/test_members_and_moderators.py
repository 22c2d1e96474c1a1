"""The journeys of issue 8 for moderators and members, in a real Chromium.

A moderator signs in, finds the review queue on "My Urban Exchange", sends a practice back with
a comment on the read-only review screen and lands back at the queue, told that the member was
e-mailed. A member writes a practice, moves between sections through the numbered section
buttons without losing what they typed, and names a city that the demo data does not have.
"""

import re

from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD

IN_REVIEW = "Rotterdam's Local Authority Observatory on active inclusion"  # from load_demo


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My Urban Exchange")


def test_moderator_finds_the_queue_and_requests_changes_with_a_comment(page, site_server):
    sign_in(page, "moderator@urbanexchange.test")
    queue = page.get_by_role("region", name="Practices to review")
    expect(queue).to_contain_text(re.compile(r"\d+ practices? (is|are) waiting for a moderator"))
    queue.get_by_role("link", name="Open the review queue").click()
    expect(page).to_have_url(re.compile(r"/admin/practices/review/$"))

    page.get_by_role("link", name=IN_REVIEW).click()
    expect(page).to_have_url(re.compile(r"/admin/practices/review/\d+/$"))
    # Read-only: the submission is shown, not offered in the page's own fields.
    expect(page.get_by_role("heading", name="The story")).to_be_visible()
    expect(page.locator('input[name="title"]')).to_have_count(0)

    page.get_by_label("What should the member change?").fill(
        "Say how many people the observatory reached in its first year."
    )
    page.get_by_role("button", name="Request changes").click()
    expect(page).to_have_url(re.compile(r"/admin/practices/review/$"))
    expect(page.get_by_text("has been e-mailed your comment")).to_be_visible()
    expect(page.get_by_role("link", name=IN_REVIEW)).to_have_count(0)
    assert "Say how many people the observatory reached" in site_server.all_mail()


def test_member_moves_between_sections_without_losing_text_and_names_a_new_city(page, site_server):
    sign_in(page, "member@urbanexchange.test")
    page.get_by_role("link", name="Submit a practice").first.click()
    page.get_by_label("Name of the practice").fill("Saunas for newcomers")
    page.get_by_label("Summary").fill("Public saunas where newcomers meet their neighbours.")

    # The combobox offers a city the demo data does not have.
    city = page.get_by_role("combobox", name="City")
    city.fill("Tamper")
    option = page.get_by_role("option", name="Tampere, Finland")
    expect(option).to_be_visible()
    city.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    city.press("Enter")
    expect(city).to_have_value("Tampere, Finland")
    page.get_by_label("Lead organisation").fill("City of Tampere")

    # A numbered section is a button that saves first: nothing typed is lost.
    sections = page.get_by_role("navigation", name="Sections of the practice form")
    sections.get_by_role("button", name="The story").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The story")
    page.get_by_label("The problem").fill("Newcomers had nowhere to meet their neighbours.")
    sections = page.get_by_role("navigation", name="Sections of the practice form")
    sections.get_by_role("button", name="About the practice").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("About the practice")
    expect(page.get_by_label("Name of the practice")).to_have_value("Saunas for newcomers")
    expect(page.get_by_role("combobox", name="City")).to_have_value("Tampere, Finland")
    page.get_by_role("navigation", name="Sections of the practice form").get_by_role(
        "button", name="The story"
    ).click()
    expect(page.get_by_label("The problem")).to_have_value(
        "Newcomers had nowhere to meet their neighbours."
    )

    # Funds: a row is added in place, its first field focused; no empty rows before that.
    page.get_by_role("navigation", name="Sections of the practice form").get_by_role(
        "button", name="Themes and funding"
    ).click()
    funds = page.get_by_role("group", name="Funds")
    expect(funds.get_by_label("Fund", exact=True)).to_have_count(0)
    url = page.url
    funds.get_by_role("button", name="Add a fund").click()
    expect(funds.get_by_label("Fund", exact=True)).to_be_focused()
    assert page.url == url, "added in place"
    funds.get_by_role("button", name=re.compile("^Remove")).click()
    expect(funds.get_by_label("Fund", exact=True)).to_be_hidden()
    expect(funds.get_by_role("button", name="Add a fund")).to_be_focused()

    # The new city exists now, with what the map needs.
    out = site_server.manage(
        "shell",
        "-c",
        "from practices.models import City; c = City.objects.get(name='Tampere'); "
        "print(c.country.code, c.latitude is not None, c.population_band)",
    )
    assert out.strip().splitlines()[-1].split() == ["FI", "True", "250k-500k"]


def test_sign_in_goes_email_password_button_and_a_refusal_focuses_the_errors(page):
    page.goto("/accounts/login/")
    email = page.get_by_label("Email")
    email.fill("member@urbanexchange.test")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type("not the password")
    page.keyboard.press("Tab")
    expect(
        page.get_by_role("main").get_by_role("button", name="Sign in", exact=True)
    ).to_be_focused()
    page.keyboard.press("Enter")
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
