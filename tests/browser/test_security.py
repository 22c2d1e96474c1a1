"""The Content-Security-Policy and the upload fixes, in a real Chromium.

Chromium reports every resource or script the policy blocks as a `securitypolicyviolation`
event; the pages below must work without a single one. The stored-XSS attack from the security
review is replayed from the member's form to the file's address.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD
from tests.upload_files import png_with_script

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}`);
});
"""


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name=re.compile("Sign in", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("My Urban Exchange")


def violations_on(page, url: str) -> list[str]:
    response = page.goto(url)
    assert response.status == 200, url
    assert "content-security-policy" in response.headers, url
    page.wait_for_load_state("networkidle")
    return page.evaluate("window.__violations")


@pytest.fixture
def watched_page(page):
    page.context.add_init_script(RECORD_VIOLATIONS)
    return page


def a_published_practice(site_server) -> tuple[int, str]:
    output = site_server.manage(
        "shell",
        "-c",
        "from practices.models import PracticePage; "
        "p = PracticePage.objects.live().first(); "
        "print(p.pk, p.url)",
    )
    pk, url = output.strip().splitlines()[-1].split()
    return int(pk), url


def test_public_pages_run_under_the_strict_policy(watched_page, site_server):
    _pk, practice_url = a_published_practice(site_server)
    for url in ("/", "/practices/", practice_url, "/practices/map/", "/accounts/login/"):
        assert violations_on(watched_page, url) == [], url


def test_the_admin_and_the_page_editor_work_under_their_policy(watched_page, site_server):
    page = watched_page
    sign_in(page, "admin@urbanexchange.test")
    pk, practice_url = a_published_practice(site_server)
    for url in ("/admin/", "/admin/pages/", "/admin/images/", "/admin/documents/"):
        assert violations_on(page, url) == [], url
    # The public page with Wagtail's user bar, as staff see it.
    assert violations_on(page, practice_url) == []

    assert violations_on(page, f"/admin/pages/{pk}/edit/") == []
    # The editor's scripts ran: an inline panel adds a form, the action menu opens.
    documents = page.locator("#id_documents-FORMS > [data-inline-panel-child]:not(.deleted)")
    before = documents.count()
    page.locator("#id_documents-ADD").click()
    expect(documents).to_have_count(before + 1)
    page.get_by_role("button", name="More actions").click()
    expect(page.get_by_role("button", name="Publish")).to_be_visible()
    assert page.evaluate("window.__violations") == []


def test_the_stored_xss_through_an_image_upload_no_longer_runs(watched_page, browser, site_server):
    attack = png_with_script()
    # The file is a working attack wherever no policy stops it.
    probe = browser.new_page()
    probe.set_content(attack.decode("latin-1"))
    assert probe.title() == "pwned"
    probe.close()

    page = watched_page
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, "member@urbanexchange.test")
    page.get_by_role("link", name="Submit a practice").first.click()
    page.get_by_label("Name of the practice").fill("Shared kitchens")
    page.get_by_label("Summary").fill("A food hub in Fives.")
    page.get_by_role("combobox", name="City").fill("Lille")
    page.get_by_role("option", name="Lille, France").click()
    page.get_by_label("Lead organisation").fill("City of Lille")
    page.get_by_role("button", name="Save and continue").click()
    edit_url = page.url
    page.goto(re.sub(r"/[a-z]+/$", "/media/", edit_url))

    # Named .html, the real PNG is refused next to the field.
    page.get_by_label("Add an image").set_input_files(
        {"name": "x.html", "mimeType": "text/html", "buffer": attack}
    )
    page.get_by_label("Describe the image").fill("Our kitchen")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#id_image_error")).to_contain_text("Not a supported image format")

    # Named .png, it is stored under a random name and served as an image.
    page.get_by_label("Add an image").set_input_files(
        {"name": "x.png", "mimeType": "image/png", "buffer": attack}
    )
    page.get_by_label("Describe the image").fill("Our kitchen")
    page.get_by_role("button", name="Save draft").click()
    thumbnail = page.get_by_role("img", name="Our kitchen")
    expect(thumbnail).to_be_visible()
    stored = (
        site_server.manage(
            "shell",
            "-c",
            "from wagtail.images import get_image_model; "
            "print(get_image_model().objects.get(title='Our kitchen').file.url)",
        )
        .strip()
        .splitlines()[-1]
    )
    assert re.fullmatch(r"/media/original_images/[0-9a-f]{32}\.png", stored)
    response = page.goto(stored)
    assert response.headers["content-type"] == "image/png"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert page.title() != "pwned"

    # A file stored under an HTML name before this fix is served as HTML, but cannot run.
    legacy = site_server.var_dir / "media" / "original_images" / "legacy.html"
    legacy.write_bytes(attack)
    response = page.goto("/media/original_images/legacy.html")
    assert response.headers["content-type"].startswith("text/html")
    page.wait_for_timeout(300)
    assert page.title() != "pwned"
    assert dialogs == []
