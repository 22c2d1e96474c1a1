"""The experts' area (/my/reviews/): who comes in, the list by edition, the review form with a
score per criterion, and the feedback to selected cities after the workshop began."""

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
    EditionExpert,
    Feedback,
    Review,
)
from tests.factories import add_practice, make_city, make_expert, make_library, make_member
from tests.factories import submitted_dilemma as submitted

pytestmark = pytest.mark.django_db

HUGE_ID = 99999999999999999999


def _close_call(edition):
    AcademyEditionPage.objects.filter(pk=edition.pk).update(
        call_closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    return AcademyEditionPage.objects.get(pk=edition.pk)


def _start_workshop(edition):
    AcademyEditionPage.objects.filter(pk=edition.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    return AcademyEditionPage.objects.get(pk=edition.pk)


def _publish(edition, editor, run, *, selected=(), declined=()):
    for dilemma in selected:
        services.decide(dilemma, Decision.SELECTED, actor=editor)
    for dilemma in declined:
        services.decide(dilemma, Decision.DECLINED, actor=editor)
    edition = _close_call(edition)
    run(services.publish_decisions, edition, actor=editor)
    return AcademyEditionPage.objects.get(pk=edition.pk)


@pytest.fixture
def other_city(db):
    return make_member(
        "marta@gdansk.test",
        first_name="Marta",
        last_name="Nowak",
        organisation="City of Gdansk",
        city="Gdansk",
        country="PL",
    )


@pytest.fixture
def assigned(edition, experts, editor, city_member, other_city):
    """Two dilemmas: the first assigned to experts[0], the second to experts[1]."""
    mine = submitted(edition, city_member, title="Rumours after an incident")
    theirs = submitted(edition, other_city, title="Housing lists and trust")
    return (
        services.assign_by_hand(mine, experts[0], actor=editor),
        services.assign_by_hand(theirs, experts[1], actor=editor),
    )


def _review_url(assignment):
    return reverse("academy:review", args=[assignment.pk])


def _score_data(edition, scores, action="submit", comment="A clear case."):
    data = {"action": action, "comment": comment}
    for criterion, score in zip(edition.criteria.all(), scores, strict=False):
        data[f"score_{criterion.pk}"] = str(score)
    return data


# --- Who comes in ---------------------------------------------------------------------------


def test_the_list_asks_visitors_to_sign_in(client):
    response = client.get(reverse("academy:reviews"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_members_who_are_not_experts_get_a_page_that_explains(client, member, editor):
    for person in (member, editor):
        client.force_login(person)
        response = client.get(reverse("academy:reviews"))
        assert response.status_code == 403
        assert "experts who review" in response.content.decode()


def test_the_list_is_read_only(client, experts):
    client.force_login(experts[0])
    assert client.post(reverse("academy:reviews")).status_code == 405


def test_an_expert_sees_only_the_dilemmas_assigned_to_them(client, experts, assigned):
    mine, theirs = assigned
    client.force_login(experts[0])
    page = client.get(reverse("academy:reviews")).content.decode()
    assert "Rumours after an incident" in page
    assert _review_url(mine) in page
    assert "Housing lists and trust" not in page
    assert _review_url(theirs) not in page
    assert "Not started" in page


def test_nobody_but_the_assigned_expert_opens_a_review(
    client, experts, assigned, editor, city_member, member
):
    mine, _theirs = assigned
    url = _review_url(mine)
    # The other expert, the editor (who has the admin), the submitter, another member.
    for person in (experts[1], editor, city_member, member):
        client.force_login(person)
        assert client.get(url).status_code == 404
        assert client.post(url, _score_data(mine.dilemma.edition, [5, 5])).status_code == 404
    assert not Review.objects.exists()
    client.force_login(experts[0])
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("assignment_id", [999999, HUGE_ID, 0])
def test_review_ids_that_do_not_exist_are_404(client, experts, assignment_id):
    client.force_login(experts[0])
    assert client.get(f"/my/reviews/{assignment_id}/").status_code == 404
    assert client.get(f"/my/reviews/feedback/{assignment_id}/").status_code == 404
    assert client.get("/my/reviews/abc/").status_code == 404


def test_attachments_only_for_the_assigned_expert(client, experts, assigned, city_member):
    mine, _theirs = assigned
    pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    attachment = services.add_attachment(mine.dilemma, city_member, pdf)
    url = reverse("academy:attachment", args=[mine.dilemma.pk, attachment.pk])
    client.force_login(experts[1])
    assert client.get(url).status_code == 404
    client.force_login(experts[0])
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    page = client.get(_review_url(mine)).content.decode()
    assert url in page


def test_a_withdrawn_dilemma_is_no_longer_shown(client, experts, assigned, city_member):
    mine, _theirs = assigned
    services.withdraw(mine.dilemma, city_member)
    client.force_login(experts[0])
    assert (
        "Rumours after an incident" not in client.get(reverse("academy:reviews")).content.decode()
    )
    response = client.get(_review_url(mine))
    assert response.status_code == 410
    assert "withdrew" in response.content.decode()
    assert "answer every rumour" not in response.content.decode().lower()


# --- Scoring through the form ---------------------------------------------------------------


def test_the_form_has_a_fieldset_per_criterion_with_radio_buttons(client, experts, assigned):
    mine, _theirs = assigned
    client.force_login(experts[0])
    page = client.get(_review_url(mine)).content.decode()
    for criterion in mine.dilemma.edition.criteria.all():
        assert f'name="score_{criterion.pk}"' in page
        assert criterion.name in page
        for value in range(1, 6):
            assert f'name="score_{criterion.pk}" value="{value}"' in page
    assert page.count("<fieldset") >= 2
    assert "Save draft" in page and "Submit review" in page


def test_a_draft_keeps_missing_scores_and_submitting_scores_everything(client, experts, assigned):
    mine, _theirs = assigned
    edition = mine.dilemma.edition
    first, second = edition.criteria.all()
    client.force_login(experts[0])

    response = client.post(_review_url(mine), _score_data(edition, [4], action="draft"))
    assert response.status_code == 302
    review = Review.objects.get(assignment=mine)
    assert review.submitted_at is None
    assert review.score_map == {first.pk: 4}
    assert "Draft" in client.get(reverse("academy:reviews")).content.decode()

    # Submitting with the second score missing: an error next to it, what was typed kept.
    response = client.post(
        _review_url(mine), _score_data(edition, [4], comment="Keep this comment")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "error-summary" in page
    assert f'id="review_score_{second.pk}_error"' in page
    assert "Score this criterion before you submit." in page
    assert f'id="review_score_{first.pk}_error"' not in page
    assert "Keep this comment" in page
    assert Review.objects.get(pk=review.pk).submitted_at is None

    response = client.post(_review_url(mine), _score_data(edition, [4, 2]))
    assert response.status_code == 302 and response["Location"] == reverse("academy:reviews")
    review = Review.objects.get(pk=review.pk)
    assert review.submitted_at is not None
    assert review.score_map == {first.pk: 4, second.pk: 2}
    assert review.comment == "<p>A clear case.</p>"
    page = client.get(_review_url(mine)).content.decode()
    assert "Save changes" in page and "Save draft" not in page


@pytest.mark.parametrize("bad", ["9", "0", "-1", "abc", "3.5", "99999999999999999999999"])
def test_out_of_range_scores_are_refused_next_to_the_field(client, experts, assigned, bad):
    mine, _theirs = assigned
    edition = mine.dilemma.edition
    first, second = edition.criteria.all()
    client.force_login(experts[0])
    data = _score_data(edition, [bad, 3])
    response = client.post(_review_url(mine), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="review_score_{first.pk}_error"' in page
    assert "Give a score from 1 to 5." in page
    assert not Review.objects.exists()


def test_control_characters_in_the_comment_are_refused(client, experts, assigned):
    mine, _theirs = assigned
    client.force_login(experts[0])
    data = _score_data(mine.dilemma.edition, [3, 3], comment="bad\x07bell")
    response = client.post(_review_url(mine), data)
    assert response.status_code == 400
    assert 'id="review_comment_error"' in response.content.decode()


def test_after_the_decisions_the_review_is_read_only(
    client, experts, assigned, editor, run, city_member
):
    mine, theirs = assigned
    edition = mine.dilemma.edition
    client.force_login(experts[0])
    client.post(_review_url(mine), _score_data(edition, [5, 4]))
    _publish(edition, editor, run, selected=[mine.dilemma], declined=[theirs.dilemma])

    page = client.get(_review_url(mine)).content.decode()
    assert "can no longer be changed" in page
    assert '<form class="form" method="post"' not in page
    assert "5 out of 5" in page
    response = client.post(_review_url(mine), _score_data(edition, [1, 1]))
    assert response.status_code == 302
    assert Review.objects.get(assignment=mine).score_map[edition.criteria.first().pk] == 5
    assert "Selected" in client.get(reverse("academy:reviews")).content.decode()


# --- Feedback -------------------------------------------------------------------------------


@pytest.fixture
def practices(home_page):
    library = make_library(home_page)
    city = make_city("Ghent")
    return [
        add_practice(library, city, 1, title="Myth-busting street talks"),
        add_practice(library, city, 2, title="Neighbourhood ambassadors"),
        add_practice(library, city, 3, title="Draft practice", live=False),
    ]


def test_feedback_only_for_selected_dilemmas_after_the_workshop_began(
    client, experts, assigned, editor, run
):
    mine, theirs = assigned
    edition = mine.dilemma.edition
    url = reverse("academy:feedback", args=[mine.dilemma.pk])
    client.force_login(experts[0])
    # Before the decisions: nothing to see.
    assert client.get(url).status_code == 404

    edition = _publish(edition, editor, run, selected=[mine.dilemma], declined=[theirs.dilemma])
    # Decided, but the workshop is in two months: a page that says when.
    response = client.get(url)
    assert response.status_code == 403
    assert "once the workshop has begun" in response.content.decode()
    assert client.post(url, {"text": "Early", "action": "send"}).status_code == 403
    assert not Feedback.objects.exists()

    _start_workshop(edition)
    assert client.get(url).status_code == 200
    assert "Write feedback" in client.get(reverse("academy:reviews")).content.decode()
    # Not selected: 404, even for its own expert.
    client.force_login(experts[1])
    assert client.get(reverse("academy:feedback", args=[theirs.dilemma.pk])).status_code == 404


def test_feedback_is_404_for_people_outside_the_edition(
    client, experts, assigned, editor, run, member, city_member
):
    mine, theirs = assigned
    edition = _publish(
        mine.dilemma.edition, editor, run, selected=[mine.dilemma], declined=[theirs.dilemma]
    )
    _start_workshop(edition)
    url = reverse("academy:feedback", args=[mine.dilemma.pk])
    outsider = make_expert("outsider@research.test", city="Riga", organisation="Lab")
    for person in (outsider, member, city_member, editor):
        client.force_login(person)
        assert client.get(url).status_code == 404
        assert client.post(url, {"text": "Hi", "action": "send"}).status_code == 404
    # An expert of the edition who did not review it may write too (the workshop's experts),
    # and finds it in their list.
    client.force_login(experts[1])
    assert client.get(url).status_code == 200
    page = client.get(reverse("academy:reviews")).content.decode()
    assert "Feedback to the other selected cities" in page
    assert url in page
    client.force_login(outsider)
    assert url not in client.get(reverse("academy:reviews")).content.decode()


def test_writing_sending_and_correcting_feedback(
    client, experts, assigned, editor, run, practices, django_capture_on_commit_callbacks
):
    from django.core import mail

    mine, theirs = assigned
    edition = _publish(
        mine.dilemma.edition, editor, run, selected=[mine.dilemma], declined=[theirs.dilemma]
    )
    _start_workshop(edition)
    url = reverse("academy:feedback", args=[mine.dilemma.pk])
    client.force_login(experts[0])

    page = client.get(url).content.decode()
    assert "Myth-busting street talks" in page and "Neighbourhood ambassadors" in page
    assert "Draft practice" not in page  # only live practices
    assert "Send to the city" in page and "Save draft" in page

    # The search narrows the list and keeps what was typed and chosen.
    response = client.post(
        url,
        {
            "text": "Start small.",
            "q": "ambassadors",
            "recommended_practices": [practices[0].pk],
            "action": "search",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Neighbourhood ambassadors" in page
    assert "Myth-busting street talks" in page  # chosen, so still offered
    assert "Start small." in page
    assert not Feedback.objects.exists()
    # The same search by GET.
    page = client.get(url, {"q": "ambassadors"}).content.decode()
    assert "Neighbourhood ambassadors" in page and "Myth-busting" not in page

    # Sending nothing is refused next to the field.
    response = client.post(url, {"text": " ", "action": "send"})
    assert response.status_code == 400
    assert 'id="feedback_text_error"' in response.content.decode()

    response = client.post(
        url, {"text": "Start small.", "recommended_practices": [practices[0].pk], "action": "draft"}
    )
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.sent_at is None and feedback.text == "<p>Start small.</p>"

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "text": "Start small.\n\nThen grow.",
                "summary": "Start with one neighbourhood.",
                "recommended_practices": [practices[0].pk, practices[1].pk],
                "action": "send",
            },
        )
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.is_sent
    assert feedback.summary == "Start with one neighbourhood."
    assert set(feedback.recommended_practices.all()) == {practices[0], practices[1]}
    assert [m.to for m in mail.outbox] == [[mine.dilemma.submitter.email]]

    page = client.get(url).content.decode()
    assert "Sent to the city on" in page and "Save corrections" in page
    assert "Sent: see or correct" in client.get(reverse("academy:reviews")).content.decode()
    response = client.post(
        url, {"text": "Start small, then grow.", "summary": "", "action": "send"}
    )
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.text == "<p>Start small, then grow.</p>" and feedback.is_sent


def test_feedback_refuses_practices_that_do_not_exist_and_too_many(
    client, experts, assigned, editor, run, practices
):
    mine, theirs = assigned
    edition = _publish(
        mine.dilemma.edition, editor, run, selected=[mine.dilemma], declined=[theirs.dilemma]
    )
    _start_workshop(edition)
    url = reverse("academy:feedback", args=[mine.dilemma.pk])
    client.force_login(experts[0])
    for bad in ([str(HUGE_ID)], ["abc"], [str(practices[2].pk)]):
        response = client.post(
            url, {"text": "Fine.", "recommended_practices": bad, "action": "draft"}
        )
        assert response.status_code == 400
        assert 'id="feedback_recommended_practices_error"' in response.content.decode()
    assert not Feedback.objects.exists()
    assert client.post(url, {"text": "x" * 30_000, "action": "draft"}).status_code == 400


# --- The dashboard and bounded queries ------------------------------------------------------


def test_the_dashboard_shows_the_reviews_to_do(client, experts, assigned):
    client.force_login(experts[0])
    page = client.get(reverse("accounts:dashboard")).content.decode()
    assert "Dilemmas to review" in page
    assert "1 review to write or finish." in page
    assert _review_url(assigned[0]) in page
    assert "Gdansk" not in page and "Mechelen" not in page


def test_the_list_takes_a_bounded_number_of_queries(
    client, academy_index, editor, run, django_assert_max_num_queries
):
    expert = make_expert("many@research.test", city="Oslo", organisation="Nordic Lab")
    editions = [
        add_edition_with_expert(academy_index, n, expert, anonymous_review=n == 1) for n in (1, 2)
    ]
    assignments = []
    for i in range(20):
        member = make_member(f"officer{i}@town{i}.test", city=f"Town{i}", organisation=f"Org{i}")
        dilemma = submitted(editions[i % 2], member, title=f"Dilemma {i}")
        assignments.append(services.assign_by_hand(dilemma, expert, actor=editor))
    for assignment in assignments[:5]:
        criteria = list(assignment.dilemma.edition.criteria.all())
        services.save_review(
            assignment, expert, scores={c.pk: 3 for c in criteria}, comment="", submit=True
        )
    # The second edition: decided, published, workshop begun, so feedback links are asked for.
    second = editions[1]
    theirs = list(Dilemma.objects.filter(edition=second))
    AcademyEditionPage.objects.filter(pk=second.pk).update(dilemmas_to_select=3)
    for i, dilemma in enumerate(theirs):
        services.decide(dilemma, Decision.SELECTED if i < 3 else Decision.DECLINED, actor=editor)
    second = _close_call(second)
    run(services.publish_decisions, second, actor=editor)
    _start_workshop(second)

    client.force_login(expert)
    client.get(reverse("academy:reviews"))  # warm up (session, site root paths)
    # About ten for any page of the site (session, user, menu, permissions), one per edition
    # (whether the expert is an editor) and one per selected dilemma whose feedback is open
    # (at most the edition's few selected ones), whatever the number of assignments.
    with django_assert_max_num_queries(20):
        response = client.get(reverse("academy:reviews"))
    page = response.content.decode()
    assert page.count("/my/reviews/") >= 20
    assert page.count("Write feedback") == 3
    assert "Town1" in page  # the second edition (odd numbers): not anonymous, published
    assert "Town2" not in page  # the first (even numbers): anonymous, not published


def add_edition_with_expert(index, number, expert, **fields):
    from tests.factories import add_edition

    return add_edition(index, number, experts=[expert], **fields)


def test_the_review_page_takes_a_bounded_number_of_queries(
    client, experts, assigned, city_member, django_assert_max_num_queries
):
    mine, _theirs = assigned
    for n in range(3):
        pdf = SimpleUploadedFile(f"plan{n}.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
        services.add_attachment(mine.dilemma, city_member, pdf)
    client.force_login(experts[0])
    client.get(_review_url(mine))
    with django_assert_max_num_queries(20):
        assert client.get(_review_url(mine)).status_code == 200


def test_an_expert_of_the_edition_only_is_listed_nothing(client, edition):
    lonely = make_expert("lonely@research.test", city="Bern", organisation="Swiss Lab")
    EditionExpert.objects.create(edition=edition, user=lonely)
    client.force_login(lonely)
    page = client.get(reverse("academy:reviews")).content.decode()
    assert "No dilemma is assigned to you" in page


def test_the_practice_search_survives_the_worst_input(client, experts, assigned, editor, run):
    mine, theirs = assigned
    edition = _publish(
        mine.dilemma.edition, editor, run, selected=[mine.dilemma], declined=[theirs.dilemma]
    )
    _start_workshop(edition)
    url = reverse("academy:feedback", args=[mine.dilemma.pk])
    client.force_login(experts[0])
    for query in ("\x00\x07", "%" * 5000, "' OR 1=1 --"):
        assert client.get(url, {"q": query}).status_code == 200
        response = client.post(
            url, {"q": query, "recommended_practices": ["abc", str(HUGE_ID)], "action": "search"}
        )
        assert response.status_code == 200
    assert not Feedback.objects.exists()
