"""Events in a real Chromium: a member registers and cancels, a visitor registers through the
e-mail link, an editor approves, checks someone in and publishes an outcome report."""

import re
import uuid

from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD

UPCOMING = "/events/virtual-exchange-capacity-building/"


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name=re.compile("Sign in", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("My Urban Exchange")


def mail_link(site_server, address: str, pattern: str) -> str:
    """The newest link matching `pattern` in the mails to `address`, as a path."""
    messages = [m for m in site_server.all_mail().split("\nMIME-Version") if address in m]
    assert messages, f"no mail to {address}"
    links = re.findall(pattern, messages[-1])
    assert links, f"no link {pattern} in the mail to {address}"
    return re.sub(r"^https?://[^/]+", "", links[-1])


def shell(site_server, code: str) -> str:
    return site_server.manage("shell", "-c", code).strip()


def test_a_member_registers_then_cancels(page, site_server):
    sign_in(page, "member@urbanexchange.test")
    page.goto("/events/")
    page.get_by_role(
        "link", name="Virtual exchange: from good practices to capacity building"
    ).click()
    expect(page).to_have_url(re.compile(UPCOMING + "$"))
    page.get_by_role("main").get_by_role("link", name=re.compile("^Register")).click()
    expect(page).to_have_url(re.compile("register/$"))
    expect(page.get_by_label("First name")).not_to_have_value("")  # from the profile
    page.get_by_label(re.compile("I agree that the organisers store")).check()
    page.get_by_role("button", name="Register").click()

    expect(page.get_by_role("main")).to_contain_text("You are registered")
    mail = site_server.all_mail()
    assert 'Content-Type: text/calendar; method="REQUEST"' in mail
    assert 'filename="invite.ics"' in mail

    page.get_by_role("link", name="See or cancel your registration").click()
    expect(page.get_by_role("main")).to_contain_text("Confirmed")
    expect(page.get_by_role("main")).to_contain_text("meet.urbanexchange.test/capacity-building")
    page.get_by_role("button", name="Cancel my registration").click()
    expect(page.get_by_role("main")).to_contain_text("Your registration is cancelled.")
    assert 'method="CANCEL"' in site_server.all_mail()


def test_a_visitor_registers_and_confirms_from_the_email(page, site_server):
    address = f"visitor-{uuid.uuid4().hex[:8]}@gent.test"
    page.goto(UPCOMING)
    expect(page.get_by_role("main")).not_to_contain_text("meet.urbanexchange.test")
    page.get_by_role("main").get_by_role("link", name=re.compile("^Register")).click()
    expect(page).to_have_url(re.compile("register/$"))
    page.get_by_label("First name").fill("Vera")
    page.get_by_label("Last name").fill("Visitor")
    page.get_by_label("E-mail address").fill(address)
    page.get_by_label("Organisation", exact=True).fill("City of Gent")
    page.get_by_label(re.compile("I agree that the organisers store")).check()
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("main")).to_contain_text("Check your inbox")

    confirm = mail_link(site_server, address, r"https?://\S+/my/registrations/[^/\s]+/confirm/")
    page.goto(confirm)
    page.get_by_role("button", name="Confirm my registration").click()

    expect(page.get_by_role("main")).to_contain_text("your e-mail address is confirmed")
    expect(page.get_by_role("main")).to_contain_text("meet.urbanexchange.test/capacity-building")


def test_a_visitor_sees_what_is_wrong_next_to_the_field(page):
    page.goto(UPCOMING + "register/")
    page.get_by_label("E-mail address").fill("not an address")
    page.get_by_role("button", name="Register").click()

    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Enter a valid email address")


def test_an_editor_approves_checks_in_and_publishes_a_report(page, site_server):
    ids = shell(
        site_server,
        "from events.models import EventPage, Registration;"
        "e = EventPage.objects.get(slug='study-visit-financial-model');"
        "u = EventPage.objects.get(slug='virtual-exchange-capacity-building');"
        "u.requires_approval = True; u.save();"
        "r = Registration.objects.create(event=u, email='applicant@brno.test',"
        " first_name='Petra', last_name='Applicant', state='awaiting_approval');"
        "c = Registration.objects.filter(event=u, state='confirmed').first();"
        "second = EventPage.objects.get(slug='second-virtual-exchange-labour-market');"
        "print(c.check_in_secret, second.pk)",
    )
    check_in_secret, parent = ids.splitlines()[-1].split()
    sign_in(page, "editor@urbanexchange.test")

    # Approve, from the admin's list of registrations.
    page.goto("/admin/events_registration/?state=awaiting_approval")
    page.get_by_role("link", name=re.compile("Petra Applicant")).first.click()
    page.get_by_label("Message to the participant (optional)").fill("Welcome to the exchange.")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Petra Applicant: Confirmed.")).to_be_visible()
    assert "Welcome to the exchange." in site_server.all_mail()

    # Check in from the QR code's address, on a phone-sized screen.
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"/admin/events_registration/check-in/{check_in_secret}/")
    page.get_by_role("button", name="Check in").click()
    expect(page.get_by_text("is checked in")).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 900})

    # Publish the outcome report of a past exchange.
    page.goto(f"/admin/pages/add/events/outcomereportpage/{parent}/")
    page.locator("#id_title").fill("What came out of the second exchange")
    page.locator("#id_summary").fill("Members shared how they reach newcomers.")
    page.get_by_role("button", name="More actions").click()
    page.locator('button[name="action-publish"]').click()
    expect(page.get_by_text("created and published", exact=False).first).to_be_visible()

    page.goto("/events/second-virtual-exchange-labour-market/")
    page.get_by_role("link", name="Read the outcome report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "What came out of the second exchange"
    )
    expect(page.get_by_role("heading", name="Attendance")).to_be_visible()
