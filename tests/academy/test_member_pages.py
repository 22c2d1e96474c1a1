"""The member's dilemma pages, through the views: start, write, submit, change, withdraw, read
the decision and the feedback; and who may not."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from academy import services
from academy.models import (
    AcademyEditionPage,
    Decision,
    Dilemma,
    DilemmaAttachment,
    DilemmaState,
)
from practices.models import Theme
from tests.factories import add_edition, add_practice, make_city, make_library, make_member
from tests.factories import submitted_dilemma as submitted

pytestmark = pytest.mark.django_db


def _close_call(edition):
    AcademyEditionPage.objects.filter(pk=edition.pk).update(
        call_closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    return AcademyEditionPage.objects.get(pk=edition.pk)


def _complete(**extra):
    return {
        "title": "Rumours about newcomers",
        "city": "Mechelen",
        "country": "BE",
        "organisation": "City of Mechelen",
        "policy_context": "A false story spread.\n\nIn a neighbourhood group.",
        "dilemma": "Answer every rumour, or build trust first?",
        "tried": "A fact-check page.",
        "expectations": "How other cities chose.",
        "consent_to_share": "on",
        **extra,
    }


def _pdf(name="Mechelen_strategy.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", "application/pdf")


@pytest.fixture
def signed_in(client, city_member):
    client.force_login(city_member)
    return client


@pytest.fixture
def draft(edition, city_member):
    return services.start_dilemma(edition, city_member)


def _edit(dilemma):
    return reverse("academy:edit", args=[dilemma.pk])


# --- Starting ----------------------------------------------------------------------------------


def test_a_member_starts_a_dilemma_from_the_confirm_page(signed_in, edition, city_member):
    url = reverse("academy:start", args=[edition.pk])
    page = signed_in.get(url)
    assert page.status_code == 200
    assert "Start my dilemma" in page.content.decode()
    assert not Dilemma.objects.exists()  # a GET changes nothing

    response = signed_in.post(url)

    dilemma = Dilemma.objects.get()
    assert response.status_code == 302 and response["Location"] == _edit(dilemma)
    assert (dilemma.submitter, dilemma.state) == (city_member, DilemmaState.DRAFT)
    form = signed_in.get(_edit(dilemma)).content.decode()
    assert 'value="Mechelen"' in form and 'value="City of Mechelen"' in form  # from the profile


def test_starting_after_the_call_closed_says_so_on_the_edition_page(signed_in, edition):
    edition = _close_call(edition)
    response = signed_in.post(reverse("academy:start", args=[edition.pk]), follow=True)
    assert response.status_code == 200
    assert "The call for dilemmas closed on" in response.content.decode()
    assert response.redirect_chain[-1][0] == edition.url
    assert not Dilemma.objects.exists()


@pytest.mark.parametrize("edition_id", ["999999", "9223372036854775807", "99999999999999999999"])
def test_starting_for_an_edition_that_does_not_exist_is_404(signed_in, edition, edition_id):
    response = signed_in.post(f"/my/dilemmas/new/{edition_id}/")
    assert response.status_code == 404


def test_an_unpublished_edition_cannot_be_started(signed_in, academy_index):
    hidden = add_edition(academy_index, 9, live=False)
    assert signed_in.post(reverse("academy:start", args=[hidden.pk])).status_code == 404


def test_visitors_are_sent_to_sign_in(client, draft, edition):
    for url in (
        reverse("academy:dilemmas"),
        reverse("academy:start", args=[edition.pk]),
        reverse("academy:dilemma", args=[draft.pk]),
        _edit(draft),
        reverse("academy:withdraw", args=[draft.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url
    response = client.post(reverse("academy:start", args=[edition.pk]))
    assert response["Location"].startswith("/accounts/login/")
    assert Dilemma.objects.count() == 1


def test_unverified_members_are_told_to_confirm_their_address(client, unverified_member, edition):
    client.force_login(unverified_member)
    for response in (
        client.get(reverse("academy:start", args=[edition.pk])),
        client.post(reverse("academy:start", args=[edition.pk])),
        client.get(reverse("academy:dilemmas")),
    ):
        assert response.status_code == 403
        assert "Please verify your e-mail address" in response.content.decode()
    assert not Dilemma.objects.exists()


# --- Writing and submitting --------------------------------------------------------------------


def test_a_member_drafts_saves_submits_edits_and_withdraws(signed_in, draft, run):
    url = _edit(draft)
    response = signed_in.post(url, {"title": "Rumours", "dilemma": "Which one?", "action": "save"})
    assert response.status_code == 302 and response["Location"] == url
    draft.refresh_from_db()
    assert draft.title == "Rumours" and draft.dilemma == "<p>Which one?</p>"
    assert draft.state == DilemmaState.DRAFT
    page = signed_in.get(url).content.decode()
    assert "Which one?</textarea>" in page  # given back as typed, not as HTML
    assert "Your draft has been saved" in page

    with_mail = run(signed_in.post, url, {**_complete(), "action": "submit"})
    assert with_mail.status_code == 302
    assert with_mail["Location"] == reverse("academy:dilemma", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.state == DilemmaState.SUBMITTED
    assert draft.policy_context == "<p>A false story spread.</p><p>In a neighbourhood group.</p>"

    response = signed_in.post(url, {**_complete(title="Rumours, revised"), "action": "submit"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.state) == ("Rumours, revised", DilemmaState.SUBMITTED)

    withdraw_url = reverse("academy:withdraw", args=[draft.pk])
    confirm = signed_in.get(withdraw_url)
    assert confirm.status_code == 200 and "You cannot undo this" in confirm.content.decode()
    draft.refresh_from_db()
    assert draft.state == DilemmaState.SUBMITTED  # the GET only asks
    assert signed_in.post(withdraw_url).status_code == 302
    draft.refresh_from_db()
    assert draft.state == DilemmaState.WITHDRAWN
    page = signed_in.get(url).content.decode()
    assert "You withdrew this dilemma" in page and "<textarea" not in page


def test_themes_practices_and_consent_are_saved(signed_in, draft, home_page):
    housing = Theme.objects.create(name="Housing", slug="housing")
    library = make_library(home_page)
    practice = add_practice(library, make_city(), title="TAST'in FIVES", slug="tastin")
    hidden = add_practice(library, make_city("Lille", "FR", "France"), 2, live=False)
    form = signed_in.get(_edit(draft)).content.decode()
    assert "TAST&#x27;in FIVES (Mechelen)" in form
    assert hidden.title not in form

    data = {
        **_complete(),
        "themes": [str(housing.pk)],
        "related_practices": [str(practice.pk)],
        "action": "save",
    }
    assert signed_in.post(_edit(draft), data).status_code == 302
    draft.refresh_from_db()
    assert list(draft.themes.all()) == [housing]
    assert list(draft.related_practices.all()) == [practice]
    assert draft.consent_to_share is True

    refused = signed_in.post(_edit(draft), {**data, "related_practices": [str(hidden.pk)]})
    assert refused.status_code == 400  # not a choice: only live practices are offered


def test_missing_answers_are_shown_next_to_their_fields_and_the_text_is_kept(signed_in, draft):
    typed = "Our own words, typed with care."
    response = signed_in.post(
        _edit(draft), {"title": "Rumours", "tried": typed, "action": "submit"}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert 'id="id_policy_context_error"' in html and 'id="id_expectations_error"' in html
    assert 'id="id_consent_to_share_error"' in html
    assert typed in html
    draft.refresh_from_db()
    assert draft.state == DilemmaState.DRAFT
    assert draft.tried == f"<p>{typed}</p>"  # saved as a draft all the same


def test_a_submitted_dilemma_cannot_lose_a_required_answer(signed_in, edition, city_member):
    dilemma = submitted(edition, city_member)
    typed = "A better title"
    response = signed_in.post(
        _edit(dilemma), {**_complete(title=typed, expectations=""), "action": "submit"}
    )
    assert response.status_code in (400, 409)
    html = response.content.decode()
    assert 'id="id_expectations_error"' in html and typed in html
    dilemma.refresh_from_db()
    assert dilemma.expectations  # nothing was saved


def test_control_characters_are_refused_next_to_the_field(signed_in, draft):
    response = signed_in.post(_edit(draft), {"title": "Bad\x07title", "action": "save"})
    assert response.status_code == 400
    assert 'id="id_title_error"' in response.content.decode()
    draft.refresh_from_db()
    assert draft.title == ""


@pytest.mark.parametrize("value", ["abc", "99999999999999999999", "-1"])
def test_impossible_theme_ids_are_a_wrong_choice(signed_in, draft, value):
    response = signed_in.post(_edit(draft), {"title": "T", "themes": [value], "action": "save"})
    assert response.status_code == 400


def test_the_submit_button_on_the_dilemma_page_submits_or_shows_what_is_missing(
    signed_in, draft, city_member, run
):
    url = reverse("academy:submit", args=[draft.pk])
    assert signed_in.get(url).status_code == 405
    response = signed_in.post(url)
    assert response.status_code == 400
    assert 'id="id_policy_context_error"' in response.content.decode()

    services.save_dilemma(
        draft,
        city_member,
        values={k: v for k, v in _complete().items() if k != "consent_to_share"},
        consent_to_share=True,
    )
    response = run(signed_in.post, url)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == DilemmaState.SUBMITTED


# --- Attachments -------------------------------------------------------------------------------


def test_attachments_are_added_one_per_save_and_removed(signed_in, draft):
    response = signed_in.post(
        _edit(draft), {"title": "With a file", "file": _pdf(), "action": "save"}
    )
    assert response.status_code == 302
    attachment = DilemmaAttachment.objects.get(dilemma=draft)
    page = signed_in.get(_edit(draft)).content.decode()
    assert "Mechelen_strategy.pdf" in page
    assert f'value="remove:{attachment.pk}"' in page

    response = signed_in.post(
        _edit(draft), {"title": "With a file", "action": f"remove:{attachment.pk}"}
    )
    assert response.status_code == 302
    assert not DilemmaAttachment.objects.exists()


def test_a_refused_file_keeps_the_text_typed_with_it(signed_in, draft):
    typed = "Words typed next to a bad file"
    bad = SimpleUploadedFile("x.html", b"<script>alert(1)</script>", "text/html")
    response = signed_in.post(
        _edit(draft), {"title": "T", "dilemma": typed, "file": bad, "action": "save"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_file_error"' in html and typed in html
    draft.refresh_from_db()
    assert draft.dilemma == f"<p>{typed}</p>"
    assert not DilemmaAttachment.objects.exists()


def test_the_separate_remove_view_is_post_only(signed_in, draft, city_member):
    attachment = services.add_attachment(draft, city_member, _pdf())
    url = reverse("academy:remove_attachment", args=[draft.pk, attachment.pk])
    assert signed_in.get(url).status_code == 405
    assert signed_in.post(url).status_code == 302
    assert not DilemmaAttachment.objects.exists()
    assert signed_in.post(url).status_code == 404


# --- After the call ----------------------------------------------------------------------------


def test_after_the_call_closed_the_form_is_read_only_and_posts_are_refused(
    signed_in, edition, city_member
):
    dilemma = submitted(edition, city_member)
    attachment = services.add_attachment(dilemma, city_member, _pdf())
    _close_call(edition)

    page = signed_in.get(_edit(dilemma))
    html = page.content.decode()
    assert page.status_code == 200
    assert "The call for dilemmas closed on" in html
    assert "<textarea" not in html and "Rumours about newcomers" in html

    typed = "Too late but not lost"
    refused = signed_in.post(_edit(dilemma), {**_complete(title=typed), "action": "save"})
    assert refused.status_code == 409
    assert "The call for dilemmas closed on" in refused.content.decode()
    assert typed in refused.content.decode()
    dilemma.refresh_from_db()
    assert dilemma.title == "Rumours about newcomers after a local incident"

    remove = reverse("academy:remove_attachment", args=[dilemma.pk, attachment.pk])
    assert signed_in.post(remove, follow=True).status_code == 200
    assert DilemmaAttachment.objects.filter(pk=attachment.pk).exists()
    # Withdrawing is still possible until the decisions are out.
    assert signed_in.post(reverse("academy:withdraw", args=[dilemma.pk])).status_code == 302


# --- Someone else's dilemma --------------------------------------------------------------------


def test_another_member_gets_404_everywhere(client, edition, city_member):
    dilemma = submitted(edition, city_member)
    attachment = services.add_attachment(dilemma, city_member, _pdf())
    other = make_member("other@gent.test", city="Gent", organisation="City of Gent")
    client.force_login(other)
    gets = [
        reverse("academy:dilemma", args=[dilemma.pk]),
        _edit(dilemma),
        reverse("academy:withdraw", args=[dilemma.pk]),
        reverse("academy:attachment", args=[dilemma.pk, attachment.pk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = [
        (_edit(dilemma), {**_complete(title="Taken over"), "action": "submit"}),
        (reverse("academy:submit", args=[dilemma.pk]), {}),
        (reverse("academy:withdraw", args=[dilemma.pk]), {}),
        (reverse("academy:summary_consent", args=[dilemma.pk]), {"agree": "on"}),
        (reverse("academy:remove_attachment", args=[dilemma.pk, attachment.pk]), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    dilemma.refresh_from_db()
    assert dilemma.state == DilemmaState.SUBMITTED and dilemma.title != "Taken over"
    assert not dilemma.summary_may_be_published
    assert DilemmaAttachment.objects.filter(pk=attachment.pk).exists()
    # Not in their list either.
    assert dilemma.title not in client.get(reverse("academy:dilemmas")).content.decode()


@pytest.mark.parametrize("pk", ["999999", "9223372036854775807", "99999999999999999999"])
def test_dilemmas_that_do_not_exist_are_404(signed_in, pk):
    assert signed_in.get(f"/my/dilemmas/{pk}/").status_code == 404
    assert signed_in.get(f"/my/dilemmas/{pk}/edit/").status_code == 404
    assert signed_in.post(f"/my/dilemmas/{pk}/withdraw/").status_code == 404


def test_an_attachment_of_another_dilemma_is_404(signed_in, edition, city_member, draft):
    other = make_member("other@gent.test")
    theirs = services.start_dilemma(edition, other)
    attachment = services.add_attachment(theirs, other, _pdf())
    # The member's own dilemma id with someone else's attachment id.
    assert signed_in.get(f"/my/dilemmas/{draft.pk}/attachments/{attachment.pk}/").status_code == 404
    url = reverse("academy:remove_attachment", args=[draft.pk, attachment.pk])
    assert signed_in.post(url).status_code == 404
    assert DilemmaAttachment.objects.filter(pk=attachment.pk).exists()


# --- The decision and the feedback -------------------------------------------------------------


def test_the_decision_shows_only_once_published(signed_in, edition, city_member, editor, run):
    dilemma = submitted(edition, city_member)
    services.decide(dilemma, Decision.SELECTED, actor=editor)
    url = reverse("academy:dilemma", args=[dilemma.pk])
    html = signed_in.get(url).content.decode()
    assert "The decisions are not published yet" in html
    assert "<strong>Selected</strong>" not in html
    assert "Not published yet" in signed_in.get(reverse("academy:dilemmas")).content.decode()

    edition = _close_call(edition)
    run(services.publish_decisions, edition, actor=editor)
    html = signed_in.get(url).content.decode()
    assert "<strong>Selected</strong>" in html
    dilemma.refresh_from_db()
    assert reverse("events:registration", args=[dilemma.registration.secret]) in html
    assert "Publishing a summary" in html
    assert "Withdraw the dilemma" not in html


def test_the_city_reads_sent_feedback_and_agrees_to_its_summary(
    signed_in, edition, city_member, editor, experts, run, home_page
):
    library = make_library(home_page)
    practice = add_practice(library, make_city(), title="Myth busters", slug="myth-busters")
    dilemma = submitted(edition, city_member)
    services.decide(dilemma, Decision.SELECTED, actor=editor)
    edition = _close_call(edition)
    run(services.publish_decisions, edition, actor=editor)
    dilemma = Dilemma.objects.get(pk=dilemma.pk)
    during = edition.starts_at + datetime.timedelta(hours=1)  # the workshop has begun
    run(
        services.write_feedback,
        dilemma,
        experts[0],
        text="<p>Build trust first.</p>",
        summary="Trust before rumours.",
        recommended_practices=[practice],
        send=True,
        now=during,
    )
    services.write_feedback(dilemma, experts[1], text="<p>Unsent draft words.</p>", now=during)

    url = reverse("academy:dilemma", args=[dilemma.pk])
    html = signed_in.get(url).content.decode()
    assert "Build trust first." in html
    assert "Unsent draft words." not in html
    assert f'href="{practice.url}"' in html

    consent = reverse("academy:summary_consent", args=[dilemma.pk])
    assert signed_in.post(consent, {"agree": "on"}).status_code == 302
    dilemma.refresh_from_db()
    assert dilemma.summary_may_be_published
    signed_in.post(consent, {})
    dilemma.refresh_from_db()
    assert not dilemma.summary_may_be_published
    assert signed_in.get(consent).status_code == 405


# --- Lists -------------------------------------------------------------------------------------


def test_my_dilemmas_lists_every_edition_in_bounded_queries(
    signed_in, academy_index, city_member, django_assert_max_num_queries
):
    editions = [add_edition(academy_index, n) for n in range(2, 6)]
    for edition in editions[:1]:
        submitted(edition, city_member, title="Dilemma one")
    url = reverse("academy:dilemmas")
    signed_in.get(url)
    with django_assert_max_num_queries(30) as few:
        assert signed_in.get(url).status_code == 200
    for n in range(20):
        submitted(editions[n % 4], city_member, title=f"Dilemma {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = signed_in.get(url).content.decode()
    assert "Dilemma 19" in html and editions[3].title in html


def test_the_dashboard_shows_the_dilemmas(signed_in, edition, city_member):
    submitted(edition, city_member, title="On the dashboard")
    html = signed_in.get(reverse("accounts:dashboard")).content.decode()
    assert "On the dashboard" in html


def test_withdrawing_after_the_decisions_were_published_is_refused_with_a_message(
    signed_in, edition, city_member, editor, run
):
    dilemma = submitted(edition, city_member)
    services.decide(dilemma, Decision.DECLINED, actor=editor)
    run(services.publish_decisions, _close_call(edition), actor=editor)
    url = reverse("academy:withdraw", args=[dilemma.pk])
    assert "can no longer be withdrawn" in signed_in.get(url).content.decode()
    response = signed_in.post(url, follow=True)
    assert response.status_code == 200
    assert "can no longer be withdrawn" in response.content.decode()
    assert "<strong>Not selected</strong>" in response.content.decode()
    dilemma.refresh_from_db()
    assert dilemma.state == DilemmaState.SUBMITTED


def test_the_start_page_says_when_the_call_is_not_open(signed_in, edition):
    edition = _close_call(edition)
    page = signed_in.get(reverse("academy:start", args=[edition.pk])).content.decode()
    assert "The call for dilemmas closed on" in page and "Start my dilemma" not in page
