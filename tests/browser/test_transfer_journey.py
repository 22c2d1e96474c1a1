"""Practices that travel (issue 11), in a real Chromium against the demo site.

A visitor saves the library's search as an alert and confirms it from the e-mail; the demo
member submits a practice adapted from EMMCA, found with the form's search over the library
(Enter in the search field runs the search); the moderator sees the link in review and
approves it; the demo expert writes an opinion on it, the moderator publishes it, the practice
page shows it with the expert's name and organisation, and the owner, told by e-mail, replies
once; `send_practice_alerts` sends the visitor a digest with the practice, its link and the
List-Unsubscribe headers, and the unsubscribe link works.
"""

import re

from playwright.sync_api import expect

from tests.browser.test_event_journeys import mail_link, sign_in

TITLE = "Glockenspiel orchestras in Lyon's primary schools"
SEARCH_WORD = "glockenspiel"
VISITOR = "ana.ribeiro@porto.test"


def _tab(browser, site_server, email: str | None = None):
    context = browser.new_context(base_url=site_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    if email:
        sign_in(tab, email)
    return context, tab


def _visitor_saves_and_confirms_an_alert(visitor, site_server) -> None:
    visitor.goto("/practices/")
    visitor.get_by_role("searchbox").fill(SEARCH_WORD)
    visitor.get_by_role("searchbox").press("Enter")
    expect(visitor).to_have_url(re.compile(rf"q={SEARCH_WORD}"))
    visitor.get_by_text("E-mail me when new practices match this search").click()
    visitor.get_by_label("Your e-mail address").fill(VISITOR)
    visitor.get_by_label("Daily").check()
    visitor.get_by_role("button", name="Save this search as an alert").click()
    expect(visitor.get_by_text("Check your inbox")).to_be_visible()
    visitor.goto(mail_link(site_server, VISITOR, r"https?://\S+/alerts/confirm/\S+/"))
    visitor.get_by_role("button", name="Start the alert").click()
    expect(visitor.get_by_text("Your alert is on")).to_be_visible()


def _member_submits_a_practice_adapted_from_emmca(member) -> None:
    member.get_by_role("link", name="Submit a practice").first.click()
    member.get_by_label("Name of the practice").fill(TITLE)
    member.get_by_label("Summary").fill(
        f"Every pupil plays the {SEARCH_WORD} in a school orchestra, after EMMCA's model."
    )
    member.get_by_role("combobox", name="City").fill("Lyon")
    member.get_by_role("option", name=re.compile(r"^Lyon, France")).click()
    member.get_by_label("Lead organisation").fill("City of Lyon, education department")
    member.get_by_role("button", name="Save and continue").click()

    expect(member.get_by_role("heading", level=1)).to_have_text("Themes and funding")
    member.get_by_role("group", name="Themes").get_by_role("checkbox").first.check()
    member.get_by_role("group", name="Governance levels").get_by_label("Local").check()
    member.get_by_role("button", name="Save and continue").click()

    expect(member.get_by_role("heading", level=1)).to_have_text("The story")
    member.get_by_label("The problem").fill("Few children from poor districts learn music.")
    member.get_by_label("Approach and activities").fill("Group lessons during school hours.")
    # The search for the original runs with Enter, as in any search field, and the step stays.
    search = member.get_by_label(re.compile("Find the original in the library"))
    search.fill("EMMCA")
    search.press("Enter")
    expect(member).to_have_url(re.compile(r"/story/\?find=EMMCA"))
    expect(member.get_by_role("heading", level=1)).to_have_text("The story")
    expect(member.get_by_label("The problem")).to_have_value(
        "Few children from poor districts learn music."
    )
    member.get_by_role("radio", name=re.compile(r"^EMMCA: .*\(L'Hospitalet")).check()
    member.get_by_label(re.compile("taken over", re.I)).fill("Group lessons, the repertoire.")
    member.get_by_role("button", name="Save and continue").click()

    expect(member.get_by_role("heading", level=1)).to_have_text("Images, documents and links")
    member.get_by_role("button", name="Save and continue").click()
    expect(member.get_by_role("heading", level=1)).to_have_text("Contact")
    member.get_by_role("button", name="Save and continue").click()
    expect(member.get_by_role("heading", level=1)).to_have_text("Check and submit")
    expect(member.get_by_role("main")).to_contain_text("EMMCA")
    member.get_by_role("button", name="Submit for review").click()
    expect(member.locator(".card", has_text=TITLE)).to_contain_text("In review")


def _moderator_sees_the_link_and_approves(moderator) -> None:
    moderator.goto("/admin/practices/review/")
    moderator.get_by_role("link", name=TITLE).click()
    origin = moderator.get_by_role("region", name="Adapted from")
    expect(origin).to_contain_text("EMMCA")
    expect(origin).to_contain_text("L'Hospitalet")
    moderator.get_by_role("button", name="Approve", exact=True).click()
    expect(moderator.get_by_text("is approved and published")).to_be_visible()


def test_a_practice_travels_gets_an_opinion_and_reaches_an_alert(browser, site_server):
    visitor_context, visitor = _tab(browser, site_server)
    member_context, member = _tab(browser, site_server, "member@urbanexchange.test")
    moderator_context, moderator = _tab(browser, site_server, "moderator@urbanexchange.test")
    expert_context, expert = _tab(browser, site_server, "expert@urbanexchange.test")
    try:
        _visitor_saves_and_confirms_an_alert(visitor, site_server)
        _member_submits_a_practice_adapted_from_emmca(member)
        _moderator_sees_the_link_and_approves(moderator)

        # The practice is public, and EMMCA's page lists it as a reuse.
        visitor.goto("/practices/")
        visitor.get_by_role("searchbox").fill(SEARCH_WORD)
        visitor.get_by_role("searchbox").press("Enter")
        visitor.get_by_role("link", name=TITLE).click()
        expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
        practice_path = re.sub(r"^https?://[^/]+", "", visitor.url)
        visitor.get_by_role("main").get_by_role("link", name=re.compile("^EMMCA")).first.click()
        expect(visitor.get_by_role("main")).to_contain_text(TITLE)

        # The expert writes an opinion on the published practice.
        expert.goto(practice_path)
        expert.get_by_role("link", name="Write an expert opinion").click()
        expert.get_by_label("Strengths").fill("Music for every child of the class, not a few.")
        expert.get_by_label("Evidence").fill("Two school years of attendance records.")
        expert.get_by_label("Conditions for transfer").fill("Teachers from a music school.")
        expert.get_by_label("Recommended for transfer, with conditions").check()
        expert.get_by_role("button", name="Submit to the moderators").click()
        expect(expert.get_by_text("Your opinion is with the moderators")).to_be_visible()

        # The moderator publishes it.
        moderator.goto("/admin/practices/opinions/")
        moderator.get_by_role("link", name=TITLE).click()
        moderator.get_by_label("Publish it").check()
        moderator.get_by_role("button", name="Save the decision").click()

        # The page shows it with the expert's name and organisation.
        visitor.goto(practice_path)
        opinions = visitor.get_by_role("region", name="Expert opinions")
        expect(opinions).to_contain_text("Opinion of Jonas Lindqvist, Independent researcher")
        expect(opinions).to_contain_text("Music for every child of the class")
        assert "expert@urbanexchange.test" not in visitor.content()

        # The owner is told by e-mail and replies once, in public.
        opinion_mail = [
            m
            for m in site_server.all_mail().split("\nMIME-Version")
            if "member@urbanexchange.test" in m and "Jonas Lindqvist has written" in m
        ]
        assert opinion_mail, "the owner is told of the published opinion"
        member.goto(
            mail_link(site_server, "member@urbanexchange.test", r"https?://\S+/practices/\S+")
        )
        member.get_by_label("Your reply").fill("Thank you: the music school trains our teachers.")
        member.get_by_role("button", name="Publish my reply").click()
        expect(member.get_by_role("main")).to_contain_text("the music school trains our teachers")
        expect(member.get_by_label("Your reply")).to_have_count(0)

        # The digest: the command runs as cron would run it.
        site_server.manage("send_practice_alerts")
        digests = [
            m
            for m in site_server.all_mail().split("\nMIME-Version")
            if VISITOR in m and "List-Unsubscribe" in m
        ]
        assert len(digests) == 1, "one digest for the visitor"
        digest = digests[0]
        assert TITLE in digest
        assert site_server.url + practice_path in digest
        assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in digest
        site_server.manage("send_practice_alerts")
        assert site_server.all_mail().count("List-Unsubscribe-Post") == 1, "sent once"

        # The link in the digest stops the alert.
        visitor.goto(mail_link(site_server, VISITOR, r"https?://\S+/alerts/unsubscribe/\S+/"))
        visitor.get_by_role("button", name="Stop the alert").click()
        expect(visitor.get_by_role("heading", level=1)).to_have_text("Alert stopped")
    finally:
        for context in (visitor_context, member_context, moderator_context, expert_context):
            context.close()
