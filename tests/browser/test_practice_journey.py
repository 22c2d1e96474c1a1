"""A practice from a city officer's draft to a visitor's message, in a real Chromium.

The demo city member submits a practice with a photo, the demo moderator approves it in the
Wagtail admin, and a visitor finds it in the library with a facet and a search and writes to
its owner through the form on the page.
"""

import io
import re

from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD

TITLE = "Night buses for shift workers"
SEARCH_WORD = "nightliner"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 79, 150)).save(buffer, "PNG")
    return buffer.getvalue()


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name=re.compile("Sign in", re.I)).click()


def sign_out(page) -> None:
    page.get_by_role("banner").get_by_text("Account", exact=True).click()
    page.get_by_role("banner").get_by_role("button", name="Sign Out").click()


def save_and_continue(page) -> None:
    page.get_by_role("button", name="Save and continue").click()


def test_member_submits_moderator_approves_visitor_finds_and_writes(page, browser, site_server):
    # --- The city member writes the practice, section by section ---------------------------
    sign_in(page, "member@urbanexchange.test")
    expect(page.get_by_role("heading", level=1)).to_have_text("My Urban Exchange")
    page.get_by_role("link", name="Submit a practice").first.click()
    expect(page.get_by_text("Section 1 of 6")).to_be_visible()

    page.get_by_label("Name of the practice").fill(TITLE)
    page.get_by_label("Summary").fill(f"The {SEARCH_WORD} brings night-shift workers home.")
    page.get_by_role("combobox", name="City").fill("Lille")
    page.get_by_role("option", name="Lille, France").click()
    page.get_by_label("Lead organisation").fill("City of Lille, mobility department")
    save_and_continue(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Themes and funding")
    page.get_by_role("group", name="Themes").get_by_label("Housing").check()
    page.get_by_role("group", name="Governance levels").get_by_label("Local").check()
    save_and_continue(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("The story")
    page.get_by_label("The problem").fill("Night-shift workers had no way home.")
    page.get_by_label("Approach and activities").fill(
        "Three night bus lines.\n\nTimetables set with the workers' unions."
    )
    save_and_continue(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Images, documents and links")
    page.get_by_label("Add an image").set_input_files(
        {"name": "bus.png", "mimeType": "image/png", "buffer": png_bytes()}
    )
    page.get_by_label("Describe the image").fill("A night bus at a stop in Fives")
    save_and_continue(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Contact")
    expect(page.get_by_label("Contact e-mail")).to_have_value("member@urbanexchange.test")
    save_and_continue(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Check and submit")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My Urban Exchange")
    card = page.locator(".card", has_text=TITLE)
    expect(card).to_contain_text("In review")
    assert "awaits your review" in site_server.all_mail(), "Wagtail tells moderators"
    sign_out(page)

    # --- The moderator approves it on the review screen -------------------------------------
    sign_in(page, "moderator@urbanexchange.test")
    page.goto("/admin/practices/review/")
    page.get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(re.compile(r"/admin/practices/review/\d+/$"))
    page.get_by_role("button", name="Approve", exact=True).click()
    expect(page).to_have_url(re.compile(r"/admin/practices/review/$"))  # back at the queue
    expect(page.get_by_text("is approved and published")).to_be_visible()
    expect(page.get_by_role("link", name=TITLE)).to_have_count(0)

    # --- A visitor finds it with a facet and a search, and writes to the owner --------------
    context = browser.new_context(base_url=site_server.url, locale="en-GB")
    visitor = context.new_page()
    visitor.goto("/practices/")
    # A facet value is a checkbox in its label; a long facet keeps the rest behind "Show N more".
    cities = visitor.get_by_role("group", name="City")
    lille = cities.get_by_role("checkbox", name=re.compile(r"^Lille\b"))
    if not lille.is_visible():
        cities.get_by_text(re.compile(r"^Show \d+ more")).click()
    lille.check()
    visitor.get_by_role("button", name="Apply filters").click()
    expect(visitor).to_have_url(re.compile(r"city=lille"))
    visitor.get_by_role("searchbox").fill(SEARCH_WORD)
    visitor.get_by_role("searchbox").press("Enter")
    expect(visitor).to_have_url(re.compile(rf"q={SEARCH_WORD}"))
    expect(visitor).to_have_url(re.compile(r"city=lille"))
    visitor.get_by_role("link", name=TITLE).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(visitor.get_by_role("img", name="A night bus at a stop in Fives")).to_be_visible()
    assert "member@urbanexchange.test" not in visitor.content()

    visitor.get_by_label("Your name").fill("Jan Novak")
    visitor.get_by_label("Your e-mail address").fill("jan.novak@brno.test")
    visitor.get_by_label("Message").fill("How did you agree the timetables with the unions?")
    visitor.get_by_role("button", name=re.compile("Send", re.I)).click()
    expect(visitor.get_by_text("Your message has been sent")).to_be_visible()
    mail = site_server.all_mail()
    assert "How did you agree the timetables with the unions?" in mail
    assert "jan.novak@brno.test" in mail
    context.close()
