"""Expert opinions: only experts write, only moderators publish, only the owner replies, once;
what is not published is never public; the e-mails; bad input."""

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core import roles
from practices import opinions
from practices.models import ExpertOpinion, OpinionState, Recommendation
from practices.opinions import OpinionError, OpinionText
from practices.services import PracticeError
from tests.factories import PASSWORD, add_practice, make_expert, make_member

pytestmark = pytest.mark.django_db

TEXT = OpinionText(
    strengths="Job coaches meet newcomers in their language.",
    evidence="The city's own follow-up of the first year.",
    conditions="A partner NGO that knows the newcomers.",
    recommendation=Recommendation.WITH_CONDITIONS,
)


@pytest.fixture
def owner(db):
    return make_member("owner@mechelen.test", first_name="Olga")


@pytest.fixture
def practice(library, mechelen, owner):
    return add_practice(library, mechelen, title="Job coaches for newcomers", owner=owner)


@pytest.fixture
def expert(db):
    return make_expert(
        "expert@urbanexchange.test",
        first_name="Jonas",
        last_name="Lindqvist",
        organisation="Independent researcher",
    )


def submit(expert, practice, text=TEXT):
    return opinions.save_opinion(expert, practice, text, submit=True)


def published(expert, practice, moderator, capture=None):
    opinion = submit(expert, practice)
    return opinions.moderate_opinion(moderator, opinion, opinions.PUBLISH)


# --- Writing ------------------------------------------------------------------------------------


def test_an_expert_saves_a_draft_and_submits_it(expert, practice):
    draft = opinions.save_opinion(expert, practice, OpinionText(strengths="Close to people."))
    assert draft.state == OpinionState.DRAFT
    assert draft.strengths == "<p>Close to people.</p>"
    opinion = submit(expert, practice)
    assert opinion.pk == draft.pk
    assert opinion.state == OpinionState.SUBMITTED
    assert opinion.submitted_at is not None
    assert ExpertOpinion.objects.count() == 1


def test_a_member_who_is_not_an_expert_cannot_write(practice, owner):
    member = make_member("someone@lille.test")
    with pytest.raises(PracticeError):
        opinions.save_opinion(member, practice, TEXT)
    moderator = make_member("mod@urbanexchange.test", groups=[roles.MODERATORS])
    with pytest.raises(PracticeError):
        opinions.save_opinion(moderator, practice, TEXT)
    assert not ExpertOpinion.objects.exists()


def test_no_opinion_on_a_draft_practice_or_on_ones_own(library, mechelen, expert):
    draft = add_practice(library, mechelen, 2, live=False)
    with pytest.raises(PracticeError):
        opinions.save_opinion(expert, draft, TEXT)
    own = add_practice(library, mechelen, 3, owner=expert)
    with pytest.raises(PracticeError, match="you submitted"):
        opinions.save_opinion(expert, own, TEXT)


def test_an_incomplete_opinion_is_not_submitted_and_says_what_is_missing(expert, practice):
    with pytest.raises(OpinionError) as refused:
        submit(expert, practice, OpinionText(strengths="Good.", recommendation="conditions"))
    assert set(refused.value.field_errors) == {"evidence", "conditions"}
    assert not ExpertOpinion.objects.filter(state=OpinionState.SUBMITTED).exists()


@pytest.mark.parametrize(
    ("text", "field"),
    [
        (OpinionText(strengths="bad\x00text"), "strengths"),
        (OpinionText(evidence="x" * 20_001), "evidence"),
        (OpinionText(recommendation="maybe"), "recommendation"),
    ],
)
def test_bad_input_is_refused_with_the_field(expert, practice, text, field):
    with pytest.raises(OpinionError) as refused:
        opinions.save_opinion(expert, practice, text)
    assert field in refused.value.field_errors


def test_the_texts_are_sanitised(expert, practice):
    opinion = opinions.save_opinion(
        expert,
        practice,
        OpinionText(strengths='<p onclick="x()">Good<script>alert(1)</script></p>'),
    )
    assert opinion.strengths == "<p>Good</p>"


def test_a_submitted_or_published_opinion_cannot_be_edited(expert, practice, moderator):
    submit(expert, practice)
    with pytest.raises(OpinionError, match="with the moderators"):
        opinions.save_opinion(expert, practice, TEXT)
    opinions.moderate_opinion(moderator, ExpertOpinion.objects.get(), opinions.PUBLISH)
    with pytest.raises(OpinionError, match="published"):
        opinions.save_opinion(expert, practice, TEXT)


# --- Moderating ---------------------------------------------------------------------------------


def test_only_moderators_publish(expert, practice, owner):
    opinion = submit(expert, practice)
    for person in (expert, owner, make_expert("other@expert.test")):
        with pytest.raises(PracticeError, match="Only moderators"):
            opinions.moderate_opinion(person, opinion, opinions.PUBLISH)
    opinion.refresh_from_db()
    assert opinion.state == OpinionState.SUBMITTED


def test_a_moderator_publishes(expert, practice, moderator):
    opinion = published(expert, practice, moderator)
    assert opinion.state == OpinionState.PUBLISHED
    assert opinion.published_at is not None
    assert opinion.moderated_by == moderator
    assert list(opinions.published_opinions(practice)) == [opinion]


def test_sending_back_needs_a_comment_and_lets_the_expert_edit(expert, practice, moderator):
    opinion = submit(expert, practice)
    with pytest.raises(OpinionError) as refused:
        opinions.moderate_opinion(moderator, opinion, opinions.SEND_BACK, "")
    assert "comment" in refused.value.field_errors
    opinions.moderate_opinion(moderator, opinion, opinions.SEND_BACK, "Say what was measured.")
    opinion.refresh_from_db()
    assert opinion.state == OpinionState.SENT_BACK
    assert opinion.moderator_comment == "Say what was measured."
    again = submit(expert, practice)
    assert again.state == OpinionState.SUBMITTED


def test_declined_is_final(expert, practice, moderator):
    opinion = submit(expert, practice)
    opinions.moderate_opinion(moderator, opinion, opinions.DECLINE, "Not an opinion.")
    with pytest.raises(OpinionError):
        opinions.moderate_opinion(moderator, opinion, opinions.PUBLISH)
    with pytest.raises(OpinionError):
        opinions.save_opinion(expert, practice, TEXT)


def test_only_a_submitted_opinion_is_moderated(expert, practice, moderator):
    draft = opinions.save_opinion(expert, practice, TEXT)
    with pytest.raises(OpinionError, match="not waiting"):
        opinions.moderate_opinion(moderator, draft, opinions.PUBLISH)
    with pytest.raises(OpinionError):
        opinions.moderate_opinion(moderator, draft, "approve-everything")


# --- The owner's reply --------------------------------------------------------------------------


def test_the_owner_replies_once(expert, practice, moderator, owner):
    opinion = published(expert, practice, moderator)
    opinions.reply_to_opinion(owner, opinion, "Thank you. We now work with two NGOs.")
    opinion.refresh_from_db()
    assert opinion.owner_reply == "<p>Thank you. We now work with two NGOs.</p>"
    assert opinion.owner_reply_at is not None
    with pytest.raises(OpinionError, match="already replied"):
        opinions.reply_to_opinion(owner, opinion, "And another thing.")


def test_only_the_owner_replies_and_only_after_publication(expert, practice, moderator, owner):
    opinion = submit(expert, practice)
    with pytest.raises(PracticeError, match="once the opinion is published"):
        opinions.reply_to_opinion(owner, opinion, "Too early.")
    opinions.moderate_opinion(moderator, opinion, opinions.PUBLISH)
    for person in (expert, moderator, make_member("someone@lille.test")):
        with pytest.raises(PracticeError, match="Only the practice's owner"):
            opinions.reply_to_opinion(person, opinion, "Not mine.")
    with pytest.raises(OpinionError):
        opinions.reply_to_opinion(owner, opinion, "<script>x</script>")
    opinion.refresh_from_db()
    assert opinion.owner_reply == ""


# --- E-mails ------------------------------------------------------------------------------------


def test_the_emails(expert, practice, moderator, owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        opinion = submit(expert, practice)
    assert [message.to for message in mail.outbox] == [[moderator.email]]
    assert "Job coaches for newcomers" in mail.outbox[0].subject
    assert f"/admin/practices/opinions/{opinion.pk}/" in mail.outbox[0].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        opinions.moderate_opinion(moderator, opinion, opinions.SEND_BACK, "Add the figures.")
    assert [message.to for message in mail.outbox] == [[expert.email]]
    assert "Add the figures." in mail.outbox[0].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submit(expert, practice)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        opinions.moderate_opinion(moderator, opinion, opinions.PUBLISH)
    assert sorted(message.to[0] for message in mail.outbox) == sorted([expert.email, owner.email])
    to_owner = next(message for message in mail.outbox if message.to == [owner.email])
    assert "reply" in to_owner.body
    assert "Jonas Lindqvist" in to_owner.body


# --- The practice page --------------------------------------------------------------------------


def _client(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_page_shows_published_opinions_only(expert, practice, moderator, client):
    second = make_expert("second@expert.test", first_name="Ana", last_name="Silva")
    opinions.save_opinion(second, practice, OpinionText(strengths="An unpublished draft."))
    published(expert, practice, moderator)
    other = make_expert("third@expert.test")
    submit(other, practice, OpinionText(**{**TEXT.__dict__, "strengths": "Waiting text."}))
    html = client.get(practice.url).content.decode()
    assert "Opinion of Jonas Lindqvist" in html
    assert "Independent researcher" in html
    assert "Recommended for transfer, with conditions" in html
    assert "Job coaches meet newcomers in their language." in html
    assert "An unpublished draft." not in html
    assert "Waiting text." not in html
    assert "expert@urbanexchange.test" not in html
    assert "Write an expert opinion" not in html


def test_experts_get_the_link_and_the_form(expert, practice):
    client = _client(expert)
    html = client.get(practice.url).content.decode()
    assert "Write an expert opinion" in html
    url = f"/my/practices/opinions/{practice.pk}/"
    assert url in html
    response = client.get(url)
    assert response.status_code == 200
    assert 'for="opinion_strengths"' in response.content.decode()
    response = client.post(url, {**TEXT.__dict__, "action": "submit"})
    assert response.status_code == 302
    assert ExpertOpinion.objects.get().state == OpinionState.SUBMITTED
    assert "Waiting for a moderator" in client.get(url).content.decode()


def test_the_form_shows_errors_next_to_fields_and_keeps_a_draft(expert, practice):
    client = _client(expert)
    url = f"/my/practices/opinions/{practice.pk}/"
    response = client.post(url, {"strengths": "Good.", "action": "submit"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "error-summary" in html
    assert "Say what evidence your opinion rests on." in html
    assert ExpertOpinion.objects.get().state == OpinionState.DRAFT
    response = client.post(url, {"strengths": "bad\x01", "action": "draft"})
    assert response.status_code == 400


def test_non_experts_are_refused_the_form(practice, owner, client):
    url = f"/my/practices/opinions/{practice.pk}/"
    assert client.get(url).status_code == 302  # to the login page
    assert _client(owner).get(url).status_code == 403
    response = _client(owner).post(url, {**TEXT.__dict__, "action": "submit"})
    assert response.status_code == 403
    assert not ExpertOpinion.objects.exists()


def test_the_form_of_a_draft_practice_is_not_found(library, mechelen, expert):
    draft = add_practice(library, mechelen, 2, live=False)
    assert _client(expert).get(f"/my/practices/opinions/{draft.pk}/").status_code == 404
    assert _client(expert).get("/my/practices/opinions/99999999/").status_code == 404


def test_the_owner_replies_from_the_page(expert, practice, moderator, owner):
    opinion = published(expert, practice, moderator)
    client = _client(owner)
    html = client.get(practice.url).content.decode()
    assert f"/my/practices/opinions/reply/{opinion.pk}/" in html
    url = f"/my/practices/opinions/reply/{opinion.pk}/"
    assert client.post(url, {"reply": ""}).status_code == 400
    assert client.post(url, {"reply": "We agree."}).status_code == 302
    html = client.get(practice.url).content.decode()
    assert "We agree." in html
    assert f"/my/practices/opinions/reply/{opinion.pk}/" not in html
    assert client.post(url, {"reply": "Twice."}).status_code == 400
    assert _client(expert).post(url, {"reply": "Me too."}).status_code == 403
    opinion.refresh_from_db()
    assert opinion.owner_reply == "<p>We agree.</p>"


def test_a_reply_to_an_unpublished_opinion_is_not_found(expert, practice, owner):
    opinion = submit(expert, practice)
    url = f"/my/practices/opinions/reply/{opinion.pk}/"
    assert _client(owner).post(url, {"reply": "Hi"}).status_code == 404


# --- The moderators' screens --------------------------------------------------------------------


def test_moderators_review_in_the_admin(expert, practice, moderator):
    opinion = submit(expert, practice)
    client = _client(moderator)
    queue = client.get("/admin/practices/opinions/")
    assert queue.status_code == 200
    assert f"/admin/practices/opinions/{opinion.pk}/" in queue.content.decode()
    review = f"/admin/practices/opinions/{opinion.pk}/"
    assert client.get(review).status_code == 200
    response = client.post(review, {"decision": "send_back", "comment": ""})
    assert response.status_code == 400
    assert "Tell the expert why." in response.content.decode()
    assert client.post(review, {"decision": "publish"}).status_code == 302
    opinion.refresh_from_db()
    assert opinion.state == OpinionState.PUBLISHED


def test_the_dashboard_lists_the_opinions_to_review(expert, practice, moderator):
    submit(expert, practice)
    html = _client(moderator).get("/my/").content.decode()
    assert "1 expert opinion is waiting for a moderator." in html


def test_others_cannot_open_the_moderators_screens(expert, practice):
    opinion = submit(expert, practice)
    client = _client(expert)
    for url in ("/admin/practices/opinions/", f"/admin/practices/opinions/{opinion.pk}/"):
        assert client.get(url).status_code in (302, 403)
    assert client.post(f"/admin/practices/opinions/{opinion.pk}/", {"decision": "publish"})
    opinion.refresh_from_db()
    assert opinion.state == OpinionState.SUBMITTED


def test_the_page_costs_the_same_queries_for_one_or_many_opinions(
    expert, practice, moderator, client, django_assert_max_num_queries
):
    published(expert, practice, moderator)
    client.get("/")  # Wagtail's site cache, as a running server has it
    client.get(practice.url)
    with CaptureQueriesContext(connection) as one:
        client.get(practice.url)
    for number in range(5):
        other = make_expert(f"expert{number}@expert.test", organisation=f"University {number}")
        published(other, practice, moderator)
    with django_assert_max_num_queries(len(one)):
        html = client.get(practice.url).content.decode()
    assert "University 4" in html


# --- Unpublishing and the expert's own list ----------------------------------------------------


def test_a_moderator_unpublishes_with_a_comment_back_to_the_expert(
    expert, practice, moderator, django_capture_on_commit_callbacks
):
    opinion = published(expert, practice, moderator)
    assert opinions.decisions_for(opinion) == (opinions.UNPUBLISH,)
    with pytest.raises(OpinionError, match="Tell the expert why"):
        opinions.moderate_opinion(moderator, opinion, opinions.UNPUBLISH, "")
    with pytest.raises(PracticeError, match="Only moderators"):
        opinions.moderate_opinion(expert, opinion, opinions.UNPUBLISH, "Mine.")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        opinions.moderate_opinion(moderator, opinion, opinions.UNPUBLISH, "The figures are 2019.")
    opinion.refresh_from_db()
    assert opinion.state == OpinionState.SENT_BACK
    assert opinion.published_at is None
    assert not opinions.published_opinions(practice).exists()
    assert [message.to for message in mail.outbox] == [[expert.email]]
    assert "no longer published" in mail.outbox[0].subject
    assert "The figures are 2019." in mail.outbox[0].body
    # The expert corrects it and submits again; a draft is never unpublished.
    again = submit(expert, practice)
    assert again.state == OpinionState.SUBMITTED
    with pytest.raises(OpinionError, match="not published"):
        opinions.moderate_opinion(moderator, again, opinions.UNPUBLISH, "Again.")


def test_moderators_find_published_opinions_and_unpublish_them_in_the_admin(
    expert, practice, moderator
):
    opinion = published(expert, practice, moderator)
    client = _client(moderator)
    listing = client.get("/admin/practices/opinions/?list=published").content.decode()
    assert f"/admin/practices/opinions/{opinion.pk}/" in listing
    review = f"/admin/practices/opinions/{opinion.pk}/"
    html = client.get(review).content.decode()
    assert 'value="unpublish"' in html
    assert 'value="publish"' not in html
    assert client.post(review, {"decision": "publish"}).status_code == 400
    assert client.post(review, {"decision": "unpublish", "comment": "Dated."}).status_code == 302
    opinion.refresh_from_db()
    assert opinion.state == OpinionState.SENT_BACK
    assert "Jonas" not in Client().get(practice.url).content.decode()


def test_an_expert_sees_their_opinions_on_the_dashboard(expert, practice, moderator, owner):
    client = _client(expert)
    assert "You have not written an expert opinion yet." in client.get("/my/").content.decode()
    opinions.save_opinion(expert, practice, TEXT)
    html = client.get("/my/").content.decode()
    assert "Your expert opinions" in html
    assert f"/my/practices/opinions/{practice.pk}/" in html
    assert "Draft" in html
    assert "Your expert opinions" not in _client(owner).get("/my/").content.decode()
