"""Anonymous review: in an anonymous edition an expert learns neither the submitter's name,
nor their organisation or city, nor the uploader's file name, wherever they look (the list,
the review page's whole HTML, the download's file name, the e-mails), until the decisions
are published. In an edition that is not anonymous, all of it is shown from the start."""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from academy import services
from academy.models import AcademyEditionPage, Decision
from tests.factories import add_edition, add_practice, make_city, make_library
from tests.factories import submitted_dilemma as submitted

pytestmark = pytest.mark.django_db

#: What gives the submitter away: `city_member`'s name, e-mail, organisation and city, and the
#: name of the file they uploaded.
IDENTITY = ("Sofie", "Peeters", "sofie@", "Mechelen", "mechelen", "Strategy_2026")


@pytest.fixture
def anonymous_case(edition, experts, editor, city_member, home_page, run):
    """A dilemma of an anonymous edition with an attachment and a related practice, assigned
    to experts[0] by hand and to experts[1] automatically (each told by e-mail)."""
    library = make_library(home_page)
    practice = add_practice(library, make_city("Ghent"), title="Myth-busting street talks")
    dilemma = submitted(edition, city_member)
    services.save_dilemma(dilemma, city_member, values={}, related_practices=[practice])
    pdf = SimpleUploadedFile("Mechelen_Strategy_2026.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    attachment = services.add_attachment(dilemma, city_member, pdf)
    mail.outbox.clear()
    assignment = run(services.assign_by_hand, dilemma, experts[0], actor=editor)
    run(services.assign_automatically, edition, actor=editor)
    return assignment, attachment, practice


def _leaks(text: str) -> list[str]:
    return [word for word in IDENTITY if word.lower() in text.lower()]


def _pages(client, assignment):
    return {
        "list": client.get(reverse("academy:reviews")),
        "review": client.get(reverse("academy:review", args=[assignment.pk])),
        "dashboard": client.get(reverse("accounts:dashboard")),
    }


def test_the_anonymous_edition_hides_identity_everywhere_an_expert_looks(
    client, experts, anonymous_case
):
    assignment, attachment, practice = anonymous_case
    assert assignment.dilemma.edition.hides_identities
    client.force_login(experts[0])
    for name, response in _pages(client, assignment).items():
        assert response.status_code == 200, name
        # The whole HTML: text, <title>, meta tags, attributes and links.
        assert _leaks(response.content.decode()) == [], name

    page = _pages(client, assignment)["review"].content.decode()
    assert "Rumours about newcomers" in page
    assert "Myth-busting street talks" in page  # the related practice, linked to the library
    assert practice.url in page
    assert attachment.anonymous_name in page
    assert "Anonymous review" in page

    download = client.get(
        reverse("academy:attachment", args=[assignment.dilemma.pk, attachment.pk])
    )
    assert download.status_code == 200
    assert attachment.anonymous_name in download["Content-Disposition"]
    assert _leaks(download["Content-Disposition"]) == []


def test_the_experts_e_mails_carry_no_identity(experts, anonymous_case):
    told = [m for m in mail.outbox if set(m.to) & {e.email for e in experts}]
    assert {m.to[0] for m in told} == {e.email for e in experts}
    for message in told:
        assert _leaks(message.subject) == [] and _leaks(message.body) == []
        for body, _type in getattr(message, "alternatives", []):
            assert _leaks(body) == []
        assert reverse("academy:reviews") in message.body


def test_after_the_decisions_identities_are_shown(client, experts, editor, anonymous_case, run):
    assignment, attachment, _practice = anonymous_case
    dilemma = assignment.dilemma
    services.decide(dilemma, Decision.SELECTED, actor=editor)
    AcademyEditionPage.objects.filter(pk=dilemma.edition_id).update(
        call_closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    run(
        services.publish_decisions,
        AcademyEditionPage.objects.get(pk=dilemma.edition_id),
        actor=editor,
    )

    client.force_login(experts[0])
    pages = _pages(client, assignment)
    for name in ("list", "review"):
        page = pages[name].content.decode()
        assert "Sofie Peeters" in page, name
        assert "City of Mechelen" in page, name
    assert "Mechelen_Strategy_2026.pdf" in pages["review"].content.decode()
    download = client.get(reverse("academy:attachment", args=[dilemma.pk, attachment.pk]))
    assert "Mechelen_Strategy_2026.pdf" in download["Content-Disposition"]


def test_an_edition_that_is_not_anonymous_shows_identities_from_the_start(
    client, academy_index, experts, editor, city_member
):
    edition = add_edition(academy_index, 2, experts=experts, anonymous_review=False)
    dilemma = submitted(edition, city_member)
    pdf = SimpleUploadedFile("Mechelen_Strategy_2026.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    attachment = services.add_attachment(dilemma, city_member, pdf)
    assignment = services.assign_by_hand(dilemma, experts[0], actor=editor)
    client.force_login(experts[0])
    pages = _pages(client, assignment)
    for name in ("list", "review"):
        page = pages[name].content.decode()
        assert "Sofie Peeters" in page and "City of Mechelen" in page, name
    assert "Mechelen_Strategy_2026.pdf" in pages["review"].content.decode()
    assert "Anonymous review" not in pages["review"].content.decode()
    download = client.get(reverse("academy:attachment", args=[dilemma.pk, attachment.pk]))
    assert "Mechelen_Strategy_2026.pdf" in download["Content-Disposition"]


def test_errors_on_the_review_form_do_not_reveal_identity(client, experts, anonymous_case):
    assignment, _attachment, _practice = anonymous_case
    client.force_login(experts[0])
    response = client.post(
        reverse("academy:review", args=[assignment.pk]), {"action": "submit", "comment": ""}
    )
    assert response.status_code == 400
    assert _leaks(response.content.decode()) == []


def test_the_submitters_own_page_is_not_the_experts(client, experts, anonymous_case, city_member):
    # The submitter has no review to open, even of their own dilemma.
    assignment, _attachment, _practice = anonymous_case
    client.force_login(city_member)
    assert client.get(reverse("academy:review", args=[assignment.pk])).status_code == 404
