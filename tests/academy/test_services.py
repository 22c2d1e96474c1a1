"""The Academy's rules, called as the views call them: the call, review, ranking, decisions,
seats for selected cities and feedback."""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from academy import services
from academy.models import (
    AcademyEditionPage,
    Assignment,
    Decision,
    Dilemma,
    DilemmaState,
    EditionExpert,
)
from academy.services import AcademyError
from events import services as events
from events.models import EventKind, Registration, RegistrationState
from tests.factories import add_practice, make_city, make_library, make_member
from tests.factories import submitted_dilemma as submitted

pytestmark = pytest.mark.django_db

LATER = datetime.timedelta(days=8)


def _close_call(edition):
    AcademyEditionPage.objects.filter(pk=edition.pk).update(
        call_closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    return AcademyEditionPage.objects.get(pk=edition.pk)


def _review(assignment, scores, submit=True):
    criteria = list(assignment.dilemma.edition.criteria.all())
    return services.save_review(
        assignment,
        assignment.expert,
        scores={c.pk: s for c, s in zip(criteria, scores, strict=True)},
        comment="<p>Clear and useful.</p><script>alert(1)</script>",
        submit=submit,
    )


# --- The call ----------------------------------------------------------------------------------


def test_an_edition_is_an_event_of_its_own_kind(edition):
    assert edition.kind == EventKind.URBAN_ACADEMY
    assert edition.registration_window() == "open"


def test_a_member_drafts_edits_and_submits_a_dilemma(edition, city_member, run):
    dilemma = services.start_dilemma(edition, city_member)
    assert dilemma.state == DilemmaState.DRAFT
    assert (dilemma.city, dilemma.organisation) == ("Mechelen", "City of Mechelen")

    services.save_dilemma(
        dilemma,
        city_member,
        values={"title": "Rumours", "dilemma": "<p>Which?</p><img src=x onerror=alert(1)>"},
    )
    dilemma.refresh_from_db()
    assert dilemma.dilemma == "<p>Which?</p>"  # through the shared sanitiser

    with pytest.raises(AcademyError) as refused:
        services.submit(dilemma, city_member)
    assert set(refused.value.field_errors) == {"policy_context", "expectations", "consent_to_share"}

    services.save_dilemma(
        dilemma,
        city_member,
        values={"policy_context": "<p>Context</p>", "expectations": "<p>Advice</p>"},
        consent_to_share=True,
    )
    run(services.submit, dilemma, city_member)
    dilemma.refresh_from_db()
    assert dilemma.state == DilemmaState.SUBMITTED and dilemma.submitted_at
    assert mail.outbox[-1].to == [city_member.email]
    assert "has been submitted" in mail.outbox[-1].subject

    # Still editable while the call is open, but not emptied.
    services.save_dilemma(dilemma, city_member, values={"title": "Rumours after an incident"})
    with pytest.raises(AcademyError) as refused:
        services.save_dilemma(dilemma, city_member, values={"dilemma": "<p> </p>"})
    assert "dilemma" in refused.value.field_errors


def test_an_unverified_member_cannot_start_a_dilemma(edition, unverified_member):
    with pytest.raises(AcademyError) as refused:
        services.start_dilemma(edition, unverified_member)
    assert refused.value.code == "unverified"


def test_nobody_edits_anothers_dilemma(edition, city_member, member):
    dilemma = submitted(edition, city_member)
    for action in (
        lambda: services.save_dilemma(dilemma, member, values={"title": "Mine now"}),
        lambda: services.submit(dilemma, member),
        lambda: services.withdraw(dilemma, member),
    ):
        with pytest.raises(AcademyError) as refused:
            action()
        assert refused.value.code == "not_yours"


def test_the_call_closes_in_the_services(edition, city_member):
    dilemma = submitted(edition, city_member)
    draft = services.start_dilemma(edition, city_member)
    edition = _close_call(edition)
    with pytest.raises(AcademyError) as refused:
        services.start_dilemma(edition, city_member)
    assert refused.value.code == "closed"
    assert "closed" in refused.value.message
    with pytest.raises(AcademyError):
        services.save_dilemma(dilemma, city_member, values={"title": "Too late"})
    with pytest.raises(AcademyError):
        services.submit(draft, city_member)
    assert Dilemma.objects.get(pk=dilemma.pk).title != "Too late"


def test_a_call_not_yet_open_refuses_with_its_date(academy_index, experts, city_member):
    from tests.factories import add_edition

    edition = add_edition(
        academy_index,
        2,
        experts=experts,
        call_opens_at=timezone.now() + datetime.timedelta(days=3),
        call_closes_at=timezone.now() + LATER,
    )
    with pytest.raises(AcademyError) as refused:
        services.start_dilemma(edition, city_member)
    assert refused.value.code == "not_yet"


def test_withdraw_until_the_decisions_are_published(edition, city_member, editor):
    dilemma = submitted(edition, city_member)
    services.withdraw(dilemma, city_member)
    assert Dilemma.objects.get(pk=dilemma.pk).state == DilemmaState.WITHDRAWN
    with pytest.raises(AcademyError):
        services.save_dilemma(dilemma, city_member, values={"title": "Back"})


def test_attachments_are_checked_and_stored_under_a_name_the_site_chooses(edition, city_member):
    dilemma = submitted(edition, city_member)
    pdf = SimpleUploadedFile("Mechelen_strategy.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    attachment = services.add_attachment(dilemma, city_member, pdf)
    assert attachment.original_name == "Mechelen_strategy.pdf"
    assert "Mechelen" not in attachment.file.name and attachment.file.name.endswith(".pdf")
    assert attachment.anonymous_name == f"attachment-{attachment.pk}.pdf"

    page = SimpleUploadedFile("x.html", b"<script>alert(1)</script>", "text/html")
    with pytest.raises(AcademyError) as refused:
        services.add_attachment(dilemma, city_member, page)
    assert "file" in refused.value.field_errors
    fake = SimpleUploadedFile("fake.pdf", b"<html>", "application/pdf")
    with pytest.raises(AcademyError):
        services.add_attachment(dilemma, city_member, fake)


# --- Assignment --------------------------------------------------------------------------------


def test_assignment_by_hand_keeps_the_conflict_rule(edition, experts, editor, city_member):
    local = make_member(
        "local@mechelen.test", groups=["Experts"], city="mechelen ", organisation="KU Leuven"
    )
    EditionExpert.objects.create(edition=edition, user=local)
    dilemma = submitted(edition, city_member)
    with pytest.raises(AcademyError) as refused:
        services.assign_by_hand(dilemma, local, actor=editor)
    assert refused.value.code == "conflict"
    assignment = services.assign_by_hand(dilemma, experts[0], actor=editor)
    assert not assignment.automatic
    with pytest.raises(AcademyError):
        services.assign_by_hand(dilemma, experts[0], actor=city_member)  # not an editor


def test_automatic_assignment_fills_balances_and_keeps_hand_made_ones(
    academy_index, editor, members_of_cities, run
):
    from tests.factories import add_edition, make_expert

    experts = [
        make_expert(f"expert{i}@research.test", city=f"Town {i}", organisation=f"Lab {i}")
        for i in range(3)
    ]
    edition = add_edition(academy_index, 3, experts=experts, reviewers_per_dilemma=2)
    dilemmas = [submitted(edition, m) for m in members_of_cities(5)]
    services.assign_by_hand(dilemmas[0], experts[2], actor=editor)

    made = run(services.assign_automatically, edition, actor=editor)
    assert made == 9
    per_dilemma = {d.pk: set() for d in dilemmas}
    for a in Assignment.objects.filter(dilemma__edition=edition):
        per_dilemma[a.dilemma_id].add(a.expert_id)
    assert all(len(chosen) == 2 for chosen in per_dilemma.values())
    assert experts[2].pk in per_dilemma[dilemmas[0].pk]
    loads = [Assignment.objects.filter(expert=e).count() for e in experts]
    assert max(loads) - min(loads) <= 1
    # Each expert told once, without a submitter's name.
    told = [m for m in mail.outbox if "to review" in m.subject]
    assert sorted(m.to[0] for m in told) == sorted(e.email for e in experts)
    assert not any("Officer" in m.body for m in told)

    # Running it again changes nothing.
    assert services.assign_automatically(edition, actor=editor) == 0


# --- Review and ranking -------------------------------------------------------------------------


def test_scores_per_criterion_weighted_ranking_spread(edition, experts, editor, members_of_cities):
    first, second = [submitted(edition, m) for m in members_of_cities(2)]
    for dilemma in (first, second):
        for expert in experts:
            services.assign_by_hand(dilemma, expert, actor=editor)
    a1, a2 = Assignment.objects.filter(dilemma=first).order_by("expert_id")
    # Criteria weights 2 and 1: (5*2 + 2)/3 = 4 and (3*2 + 3)/3 = 3.
    review = _review(a1, [5, 2])
    assert "<script>" not in review.comment
    _review(a2, [3, 3])
    b1, b2 = Assignment.objects.filter(dilemma=second).order_by("expert_id")
    _review(b1, [4, 4])
    _review(b2, [1, 1], submit=False)  # a draft does not count

    ranking = services.ranking(edition)
    assert [r.dilemma.pk for r in ranking] == [second.pk, first.pk]
    assert ranking[0].score == pytest.approx(4.0) and ranking[0].reviews == 1
    assert ranking[1].score == pytest.approx(3.5)
    assert ranking[1].spread == pytest.approx(1.0)
    assert ranking[1].assigned == 2


def test_a_review_needs_every_criterion_and_scores_in_range(edition, experts, editor, city_member):
    dilemma = submitted(edition, city_member)
    assignment = services.assign_by_hand(dilemma, experts[0], actor=editor)
    criteria = list(edition.criteria.all())
    with pytest.raises(AcademyError) as refused:
        services.save_review(
            assignment, experts[0], scores={criteria[0].pk: 4}, comment="", submit=True
        )
    assert f"score_{criteria[1].pk}" in refused.value.field_errors
    with pytest.raises(AcademyError):
        services.save_review(assignment, experts[0], scores={criteria[0].pk: 9}, comment="")
    with pytest.raises(AcademyError) as refused:
        services.save_review(assignment, experts[1], scores={}, comment="")
    assert refused.value.code == "not_assigned"


# --- Decisions, places, feedback ----------------------------------------------------------------


def _decided_edition(edition, experts, editor, members, *, select=1, run=None):
    dilemmas = [submitted(edition, m) for m in members]
    for dilemma in dilemmas:
        services.assign_by_hand(dilemma, experts[0], actor=editor)
    for i, dilemma in enumerate(dilemmas):
        decision = Decision.SELECTED if i < select else Decision.DECLINED
        services.decide(dilemma, decision, actor=editor)
    return dilemmas


def test_decisions_publish_once_tell_everyone_and_give_places(
    edition, experts, editor, members_of_cities, run
):
    AcademyEditionPage.objects.filter(pk=edition.pk).update(capacity=1)
    edition = AcademyEditionPage.objects.get(pk=edition.pk)
    participant = make_member("someone@else.test", first_name="Some", last_name="One")
    run(events.register, edition, events.Person.from_user(participant), user=participant)

    dilemmas = _decided_edition(edition, experts, editor, members_of_cities(3), select=2)
    with pytest.raises(AcademyError) as refused:
        services.publish_decisions(edition, actor=editor)
    assert refused.value.code == "call_open"
    edition = _close_call(edition)
    mail.outbox.clear()
    assert run(services.publish_decisions, edition, actor=editor) == 3
    assert services.publish_decisions(edition, actor=editor) == 0

    subjects = sorted(m.subject for m in mail.outbox if "dilemma" in m.subject.lower())
    assert len([s for s in subjects if "has been selected" in s]) == 2
    assert len([s for s in subjects if "The decision" in s]) == 1
    # The selected cities have a confirmed place with the invite, on top of the one seat.
    places = Registration.objects.filter(event=edition, reserved_place=True)
    assert places.count() == 2
    assert all(p.state == RegistrationState.CONFIRMED for p in places)
    invites = [m for m in mail.outbox if any(a[0] == "invite.ics" for a in m.attachments)]
    assert {m.to[0] for m in invites} == {d.submitter.email for d in dilemmas[:2]}
    assert events.seats_left(edition) == 0
    assert Dilemma.objects.get(pk=dilemmas[0].pk).registration.reserved_place


def test_an_edition_may_count_selected_cities_against_the_capacity(
    edition, experts, editor, members_of_cities, run
):
    AcademyEditionPage.objects.filter(pk=edition.pk).update(
        capacity=10, selected_take_general_seats=True
    )
    edition = AcademyEditionPage.objects.get(pk=edition.pk)
    _decided_edition(edition, experts, editor, members_of_cities(2), select=1)
    edition = _close_call(edition)
    run(services.publish_decisions, edition, actor=editor)
    assert events.seats_left(edition) == 9


def test_no_more_selected_than_the_edition_selects(edition, experts, editor, members_of_cities):
    AcademyEditionPage.objects.filter(pk=edition.pk).update(dilemmas_to_select=1)
    edition = AcademyEditionPage.objects.get(pk=edition.pk)
    first, second = [submitted(edition, m) for m in members_of_cities(2)]
    services.decide(first, Decision.SELECTED, actor=editor)
    with pytest.raises(AcademyError) as refused:
        services.decide(second, Decision.SELECTED, actor=editor)
    assert refused.value.code == "enough_selected"


def test_publishing_needs_every_dilemma_decided(edition, experts, editor, city_member):
    submitted(edition, city_member)
    edition = _close_call(edition)
    with pytest.raises(AcademyError) as refused:
        services.publish_decisions(edition, actor=editor)
    assert refused.value.code == "undecided"


def test_feedback_after_the_workshop_visible_to_the_city_once_sent(
    edition, experts, editor, members_of_cities, run
):
    library = make_library(edition.get_parent().get_parent().specific)
    practice = add_practice(library, make_city(), title="Myth-busting street talks")
    selected, declined = _decided_edition(edition, experts, editor, members_of_cities(2))
    edition = _close_call(edition)
    run(services.publish_decisions, edition, actor=editor)

    with pytest.raises(AcademyError):  # the workshop has not begun
        services.write_feedback(selected, experts[0], text="<p>Early</p>")
    AcademyEditionPage.objects.filter(pk=edition.pk).update(
        starts_at=timezone.now() - datetime.timedelta(days=1)
    )
    selected = Dilemma.objects.get(pk=selected.pk)
    with pytest.raises(AcademyError):  # not selected
        services.write_feedback(
            Dilemma.objects.get(pk=declined.pk), experts[0], text="<p>No</p>"
        )
    draft = services.write_feedback(
        selected, experts[0], text="<p>Start small.</p>", recommended_practices=[practice]
    )
    assert services.feedback_for_city(selected) == []
    mail.outbox.clear()
    run(
        services.write_feedback,
        selected,
        experts[0],
        text="<p>Start small.</p>",
        summary="Start with one neighbourhood.",
        recommended_practices=[practice],
        send=True,
    )
    assert [f.pk for f in services.feedback_for_city(selected)] == [draft.pk]
    assert mail.outbox[-1].to == [selected.submitter.email]

    # On the report and the practice page only where the city agrees.
    assert services.public_summaries(edition) == []
    recommended = services.recommendations_of(practice)
    assert [f.pk for f in recommended] == [draft.pk]
    services.set_summary_consent(selected, selected.submitter, agree=True)
    summaries = services.public_summaries(edition)
    assert [(d.pk, [f.summary for f in fb]) for d, fb in summaries] == [
        (selected.pk, ["Start with one neighbourhood."])
    ]


@pytest.fixture
def members_of_cities(db):
    def make(n):
        return [
            make_member(
                f"officer{i}@city{i}.test",
                first_name=f"Officer{i}",
                last_name="Example",
                organisation=f"City of Town{i}",
                city=f"Town{i}",
                country="BE",
            )
            for i in range(n)
        ]

    return make
