"""The Urban Academy in a real Chromium, with the demo accounts: a member submits a dilemma, an
expert scores it without learning who wrote it, an editor selects it and publishes the
decisions, the member sees the decision, and after the workshop reads the expert's feedback."""

import re

from playwright.sync_api import expect

from tests.browser.test_event_journeys import shell, sign_in

EDITION = "countering-disinformation-2027"
TITLE = "Close the welcome centre's chat group, or moderate it?"


def _as(browser, site_server, email: str):
    context = browser.new_context(base_url=site_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    sign_in(tab, email)
    return context, tab


def test_a_dilemma_from_the_call_to_the_feedback(browser, site_server):
    member_context, member = _as(browser, site_server, "member@urbanexchange.test")
    expert_context, expert = _as(browser, site_server, "expert@urbanexchange.test")
    editor_context, editor = _as(browser, site_server, "editor@urbanexchange.test")
    try:
        # The member finds the call from the home page and submits a dilemma.
        member.goto("/")
        member.get_by_role("region", name=re.compile("Urban Academy")).get_by_role(
            "link", name=re.compile("countering disinformation")
        ).click()
        expect(member.get_by_role("heading", level=1)).to_contain_text("disinformation")
        member.get_by_role("main").get_by_role(
            "link", name=re.compile("Submit a dilemma")
        ).first.click()
        member.get_by_role("button", name=re.compile("Start (my|another) dilemma")).click()
        member.get_by_label("Title of the dilemma").fill(TITLE)
        # From the profile.
        expect(member.get_by_label("City", exact=True)).to_have_value("Mechelen")
        member.get_by_label("The policy context").fill(
            "Newcomers at the welcome centre share rumours in a chat group we host."
        )
        member.get_by_label("The dilemma", exact=True).fill(
            "Close the group and lose the channel, or moderate it and answer the rumours?"
        )
        member.get_by_label("What the city wants from the experts").fill(
            "How other cities moderate such groups."
        )
        member.get_by_role("button", name="Save and submit").click()
        # Without the consent nothing is submitted, the text stays, the error is at the field.
        expect(member.get_by_role("main")).to_contain_text("not submitted yet")
        expect(member.get_by_label("Title of the dilemma")).to_have_value(TITLE)
        member.get_by_label(re.compile("I agree that the Academy's experts read")).check()
        member.get_by_role("button", name="Save and submit").click()
        expect(member.get_by_role("main")).to_contain_text("Submitted")

        # The editor assigns the demo expert to it.
        editor.goto("/admin/")
        editor.get_by_role("button", name="Urban Academy").click()
        editor.get_by_role("link", name="Review and selection").click()
        editor.get_by_role("link", name=re.compile("countering disinformation")).click()
        selection_url = editor.url
        row = editor.get_by_role("row").filter(has_text=TITLE)
        row.get_by_label(re.compile("Expert to assign")).select_option(label="Jonas Lindqvist")
        row.get_by_role("button", name="Assign").click()
        expect(editor.get_by_role("row").filter(has_text=TITLE)).to_contain_text("Jonas Lindqvist")

        # The expert scores it, and cannot tell who wrote it.
        expert.goto("/my/reviews/")
        expert.get_by_role("link", name=TITLE).click()
        main = expert.get_by_role("main")
        expect(main).to_contain_text("moderate it and answer the rumours")
        html = expert.content()
        assert "Mechelen" not in html and "Sofie" not in html and "Peeters" not in html
        for criterion, score in (
            ("Relevance for other cities", "5"),
            ("A real choice", "4"),
            ("Room to act", "5"),
        ):
            expert.get_by_role("group", name=re.compile(criterion)).get_by_label(
                score, exact=True
            ).check()
        expert.get_by_label("Your comment").fill("A real choice that many cities face.")
        expert.get_by_role("button", name="Submit review").click()
        expect(expert.get_by_role("main")).to_contain_text(re.compile("submitted", re.I))

        # The editor sees it ranked, selects it, declines the others and publishes.
        editor.goto(selection_url)
        row = editor.get_by_role("row").filter(has_text=TITLE)
        expect(row).to_contain_text("4.71")  # (5*3 + 4*2 + 5*2) / 7
        row.get_by_role("button", name=re.compile("^Select")).click()
        for other in (
            "Train every department",
            "Answer each false story",
            "Who answers: the region",
        ):
            editor.get_by_role("row").filter(has_text=other).get_by_role(
                "button", name=re.compile("^Decline")
            ).click()
        editor.get_by_role("link", name="Publish the decisions").click()
        editor.get_by_label("Close the call now").check()
        editor.get_by_role("button", name="Publish the decisions and e-mail the submitters").click()
        expect(editor.get_by_text(re.compile("The decisions are published"))).to_be_visible()

        # The member is told, and sees the decision and the place at the edition.
        mail = site_server.all_mail()
        assert "Your dilemma has been selected" in mail
        assert 'filename="invite.ics"' in mail
        member.goto("/my/dilemmas/")
        member.get_by_role("link", name=TITLE).click()
        expect(member.get_by_role("main")).to_contain_text("Selected")

        # After the workshop, the expert writes feedback and sends it to the city.
        shell(
            site_server,
            "import datetime; from django.utils import timezone; "
            "from academy.models import AcademyEditionPage as E; "
            f"E.objects.filter(slug='{EDITION}').update("
            "starts_at=timezone.now() - datetime.timedelta(days=1))",
        )
        expert.goto("/my/reviews/")
        expert.get_by_role("row").filter(has_text=TITLE).get_by_role(
            "link", name=re.compile("Write feedback")
        ).click()
        expert.get_by_label("Your feedback to the city").fill(
            "Keep the group, with two moderators and a weekly answer to the rumours."
        )
        expert.get_by_label("Public summary").fill("Moderate, do not close.")
        expert.get_by_role("button", name="Send to the city").click()
        expect(expert.get_by_role("main")).to_contain_text(re.compile("sent", re.I))

        # The city reads it.
        member.goto("/my/dilemmas/")
        member.get_by_role("link", name=TITLE).click()
        expect(member.get_by_role("main")).to_contain_text("Keep the group, with two moderators")
        assert "Feedback from the experts" in site_server.all_mail()
    finally:
        for context in (member_context, expert_context, editor_context):
            context.close()
