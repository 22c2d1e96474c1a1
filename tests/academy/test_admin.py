"""Editors review and select dilemmas in the Wagtail admin; nobody else sees any there, Experts
(who reach the admin for their own things) and moderators included."""

import datetime
import io
import zipfile

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ReferenceIndex

from academy import services
from academy.models import AcademyEditionPage, Assignment, Decision, Dilemma, EditionExpert
from core import roles
from tests.factories import (
    add_edition,
    add_practice,
    make_city,
    make_expert,
    make_library,
    make_member,
)
from tests.factories import submitted_dilemma as submitted

pytestmark = pytest.mark.django_db

TITLE = "Rumours about newcomers after a local incident"


@pytest.fixture
def members_of_cities(db):
    def make(n, start=0):
        return [
            make_member(
                f"officer{i}@city{i}.test",
                first_name=f"Officer{i}",
                last_name="Example",
                organisation=f"City of Town{i}",
                city=f"Town{i}",
                country="BE",
            )
            for i in range(start, start + n)
        ]

    return make


@pytest.fixture
def dilemma(edition, city_member):
    return submitted(edition, city_member)


@pytest.fixture
def expert_user(experts):
    return experts[0]


@pytest.fixture
def moderator(db):
    return make_member("mod@urbanexchange.test", groups=[roles.MODERATORS])


def _close_call(edition):
    AcademyEditionPage.objects.filter(pk=edition.pk).update(
        call_closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    return AcademyEditionPage.objects.get(pk=edition.pk)


def _review(assignment, scores, comment="<p>Clear and <em>useful</em>.</p>", submit=True):
    criteria = list(assignment.dilemma.edition.criteria.all())
    return services.save_review(
        assignment,
        assignment.expert,
        scores={c.pk: s for c, s in zip(criteria, scores, strict=True)},
        comment=comment,
        submit=submit,
    )


def _selection(edition):
    return reverse("academy_selection:edition", args=[edition.pk])


def _messages(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- The list, the export, the whole dilemma ------------------------------------------------------


def test_an_editor_finds_the_dilemmas_in_the_menu_and_filters_them(
    client, editor, edition, dilemma, academy_index, members_of_cities
):
    other_edition = add_edition(academy_index, 2)
    (other_member,) = members_of_cities(1)
    other = submitted(other_edition, other_member, title="Segregated schools")
    client.force_login(editor)

    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Urban Academy" in home and reverse("academy_dilemmas:index") in home
    assert reverse("academy_selection:index") in home

    listing = client.get(reverse("academy_dilemmas:index"))
    assert listing.status_code == 200
    page = listing.content.decode()
    assert TITLE in page and "Segregated schools" in page
    assert "Sofie Peeters" in page and "City of Mechelen" in page and "Submitted" in page

    only_one = client.get(reverse("academy_dilemmas:index"), {"edition": edition.pk}).content
    assert TITLE in only_one.decode() and "Segregated schools" not in only_one.decode()
    assert _selection(edition) in only_one.decode()  # the header button
    found = client.get(reverse("academy_dilemmas:index"), {"q": "Segregated"}).content.decode()
    assert "Segregated schools" in found and TITLE not in found
    drafts = client.get(reverse("academy_dilemmas:index"), {"state": "draft"}).content.decode()
    assert TITLE not in drafts and "Segregated schools" not in drafts
    assert other.pk


def test_the_inspect_view_shows_the_whole_dilemma_with_its_reviews(
    client, editor, edition, experts, city_member, home_page
):
    library = make_library(home_page)
    practice = add_practice(library, make_city("Ghent"))
    dilemma = submitted(
        edition, city_member, policy_context="<p>A <strong>false</strong> story spread.</p>"
    )
    services.save_dilemma(dilemma, city_member, values={}, related_practices=[practice])
    pdf = SimpleUploadedFile("Mechelen_strategy.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    attachment = services.add_attachment(dilemma, city_member, pdf)
    first = services.assign_by_hand(dilemma, experts[0], actor=editor)
    services.assign_by_hand(dilemma, experts[1], actor=editor)
    _review(first, [5, 2], comment="<p>Clear.</p><script>alert(1)</script>")
    client.force_login(editor)

    response = client.get(reverse("academy_dilemmas:inspect", args=[dilemma.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert TITLE in page and "Sofie Peeters" in page and "City of Mechelen" in page
    assert "<p>A <strong>false</strong> story spread.</p>" in page  # HTML, not escaped
    assert "Answer every rumour" in page and "A fact-check page" in page
    assert "How other cities chose" in page
    assert reverse("academy:attachment", args=[dilemma.pk, attachment.pk]) in page
    assert "Mechelen_strategy.pdf" in page
    assert practice.title in page
    assert "Jonas Expert" in page and "Ines Expert" in page
    assert "Relevance for other cities" in page and "<p>Clear.</p>" in page
    assert "<script>alert(1)</script>" not in page
    assert "Not reviewed yet." in page
    assert _selection(edition) in page
    # The editor downloads the attachment under its own name.
    download = client.get(reverse("academy:attachment", args=[dilemma.pk, attachment.pk]))
    assert download.status_code == 200
    assert "Mechelen_strategy.pdf" in download["Content-Disposition"]


def test_editors_export_the_list_as_csv_and_xlsx(client, editor, edition, city_member):
    submitted(edition, city_member, title='=HYPERLINK("http://evil.test")')
    client.force_login(editor)

    csv = client.get(reverse("academy_dilemmas:index"), {"export": "csv"})
    assert csv.status_code == 200
    content = b"".join(csv.streaming_content).decode()
    assert "sofie@mechelen.test" in content and "Mechelen" in content
    assert "'=HYPERLINK" in content  # never a formula in a spreadsheet
    xlsx = client.get(reverse("academy_dilemmas:index"), {"export": "xlsx"})
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    data = b"".join(xlsx.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        sheet = "".join(
            book.read(name).decode() for name in book.namelist() if name.startswith("xl/")
        )
    assert "sofie@mechelen.test" in sheet


# --- Nobody else ----------------------------------------------------------------------------------


def _every_url(edition, dilemma, assignment):
    pk = dilemma.pk
    return {
        "get": [
            reverse("academy_dilemmas:index"),
            reverse("academy_dilemmas:index") + "?export=csv",
            reverse("academy_dilemmas:index") + "?export=xlsx",
            reverse("academy_dilemmas:index_results"),
            reverse("academy_dilemmas:inspect", args=[pk]),
            reverse("academy_dilemmas:edit", args=[pk]),
            reverse("academy_dilemmas:delete", args=[pk]),
            reverse("academy_dilemmas:history", args=[pk]),
            reverse("academy_dilemmas:usage", args=[pk]),
            reverse("academy_dilemmas:add"),
            reverse("academy_selection:index"),
            reverse("academy_selection:edition", args=[edition.pk]),
            reverse("academy_selection:publish", args=[edition.pk]),
        ],
        "post": [
            (reverse("academy_dilemmas:decide", args=[pk]), {"decision": "selected"}),
            (reverse("academy_dilemmas:assign", args=[pk]), {"expert": assignment.expert_id}),
            (reverse("academy_dilemmas:unassign", args=[assignment.pk]), {}),
            (reverse("academy_dilemmas:delete", args=[pk]), {}),
            (reverse("academy_dilemmas:edit", args=[pk]), {}),
            (reverse("academy_selection:assign_automatically", args=[edition.pk]), {}),
            (reverse("academy_selection:publish", args=[edition.pk]), {}),
        ],
    }


@pytest.mark.parametrize("who", ["expert", "moderator", "member"])
def test_nobody_but_editors_sees_a_dilemma_in_the_admin(
    client,
    who,
    edition,
    dilemma,
    experts,
    editor,
    moderator,
    city_member,
    django_capture_on_commit_callbacks,
):
    assignment = services.assign_by_hand(dilemma, experts[0], actor=editor)
    user = {"expert": experts[0], "moderator": moderator, "member": city_member}[who]
    client.force_login(user)

    home = client.get(reverse("wagtailadmin_home"))
    assert reverse("academy_dilemmas:index") not in home.content.decode()
    assert reverse("academy_selection:index") not in home.content.decode()
    urls = _every_url(edition, dilemma, assignment)
    for url in urls["get"]:
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        body = response.content if not response.streaming else b"".join(response.streaming_content)
        assert TITLE.encode() not in body, url
        assert b"sofie@mechelen.test" not in body, url
    with django_capture_on_commit_callbacks(execute=True):
        for url, data in urls["post"]:
            response = client.post(url, data)
            assert response.status_code in (302, 403, 404), url
            assert TITLE.encode() not in response.content, url
    dilemma.refresh_from_db()
    assert dilemma.decision == Decision.PENDING
    assert Assignment.objects.filter(pk=assignment.pk).exists()
    assert Dilemma.objects.filter(pk=dilemma.pk).exists()
    edition.refresh_from_db()
    assert edition.decisions_published_at is None
    # Nor on the edition's page in the page editor, nor in Wagtail's search.
    editor_page = client.get(reverse("wagtailadmin_pages:edit", args=[edition.pk]))
    assert _selection(edition) not in editor_page.content.decode()
    search = client.get(reverse("wagtailadmin_pages:search"), {"q": "Rumours"})
    assert TITLE.encode() not in search.content


def test_a_dilemma_is_in_no_reference_index(dilemma):
    # Else an edition's or a practice's "usage" would list the dilemmas that mention it.
    assert not ReferenceIndex.objects.filter(
        content_type__model="dilemma", content_type__app_label="academy"
    ).exists()
    assert not ReferenceIndex.objects.filter(
        base_content_type__model="dilemma", base_content_type__app_label="academy"
    ).exists()


def test_the_edition_page_has_the_selection_button_for_editors(client, editor, edition):
    client.force_login(editor)
    page = client.get(reverse("wagtailadmin_pages:edit", args=[edition.pk])).content.decode()
    assert _selection(edition) in page
    explorer = client.get(reverse("wagtailadmin_explore", args=[edition.pk])).content.decode()
    assert _selection(edition) in explorer


# --- The ranking ----------------------------------------------------------------------------------


def test_the_ranking_with_means_spread_counts_and_experts(
    client, editor, edition, experts, members_of_cities
):
    first, second, third = [submitted(edition, m) for m in members_of_cities(3)]
    Dilemma.objects.filter(pk=second.pk).update(title="Second dilemma")
    Dilemma.objects.filter(pk=third.pk).update(title="Unreviewed dilemma")
    for dilemma in (first, second):
        for expert in experts:
            services.assign_by_hand(dilemma, expert, actor=editor)
    a1, a2 = Assignment.objects.filter(dilemma=first).order_by("expert_id")
    _review(a1, [5, 2])  # 4.0
    _review(a2, [3, 4])  # 3.333...
    b1, _b2 = Assignment.objects.filter(dilemma=second).order_by("expert_id")
    _review(b1, [5, 5])
    client.force_login(editor)

    response = client.get(_selection(edition))

    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Second dilemma") < page.index(TITLE) < page.index("Unreviewed dilemma")
    assert "5.00" in page and "3.67" in page and "0.67" in page
    assert "2 / 2" in page and "1 / 2" in page and "0 / 0" in page
    assert "Jonas Expert" in page and "Ines Expert" in page
    assert "Assign experts automatically" in page
    assert "Publish the decisions" in page


def test_the_ranking_and_the_list_take_a_bounded_number_of_queries(
    client, editor, academy_index, members_of_cities, django_assert_max_num_queries
):
    experts = [
        make_expert(f"expert{i}@research.test", city=f"Far {i}", organisation=f"Lab {i}")
        for i in range(3)
    ]
    edition = add_edition(academy_index, 5, experts=experts, reviewers_per_dilemma=2)
    for member in members_of_cities(20):
        submitted(edition, member)
    services.assign_automatically(edition, actor=editor)
    for assignment in Assignment.objects.filter(dilemma__edition=edition)[:25]:
        _review(assignment, [4, 3])
    client.force_login(editor)
    client.get(_selection(edition))  # warm up the session and the site

    with django_assert_max_num_queries(25):
        response = client.get(_selection(edition))
    assert response.status_code == 200
    assert response.content.decode().count('<tr id="dilemma-') == 20
    with django_assert_max_num_queries(25):
        assert client.get(reverse("academy_dilemmas:index")).status_code == 200


# --- Assigning experts ----------------------------------------------------------------------------


def test_an_editor_assigns_automatically_through_the_view(
    client, editor, academy_index, members_of_cities, django_capture_on_commit_callbacks
):
    experts = [
        make_expert(f"expert{i}@research.test", city=f"Far {i}", organisation=f"Lab {i}")
        for i in range(3)
    ]
    edition = add_edition(academy_index, 3, experts=experts, reviewers_per_dilemma=2)
    for member in members_of_cities(3):
        submitted(edition, member)
    mail.outbox.clear()
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("academy_selection:assign_automatically", args=[edition.pk]), follow=True
        )

    assert response.status_code == 200
    assert "6 assignments made" in " ".join(_messages(response))
    assert Assignment.objects.filter(dilemma__edition=edition).count() == 6
    assert sorted(m.to[0] for m in mail.outbox) == sorted(e.email for e in experts)

    again = client.post(
        reverse("academy_selection:assign_automatically", args=[edition.pk]), follow=True
    )
    assert "No new assignment was needed." in _messages(again)


def test_an_editor_assigns_and_removes_by_hand_and_the_conflict_rule_holds(
    client, editor, edition, experts, dilemma, django_capture_on_commit_callbacks
):
    local = make_expert("local@mechelen.test", city="Mechelen", organisation="KU Leuven")
    EditionExpert.objects.create(edition=edition, user=local)
    mail.outbox.clear()
    client.force_login(editor)
    assign = reverse("academy_dilemmas:assign", args=[dilemma.pk])

    assert f'<option value="{local.pk}">' in client.get(_selection(edition)).content.decode()
    refused = client.post(assign, {"expert": local.pk}, follow=True)
    assert refused.status_code == 200
    (message,) = list(refused.context["messages"])
    assert "cannot review this dilemma" in str(message) and message.level_tag == "error"
    assert not Assignment.objects.filter(dilemma=dilemma).exists()

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(assign, {"expert": experts[0].pk}, follow=True)
    assert any("reviews" in m for m in _messages(done))
    assignment = Assignment.objects.get(dilemma=dilemma)
    assert assignment.expert == experts[0] and not assignment.automatic
    assert [m.to[0] for m in mail.outbox] == [experts[0].email]

    # Someone who is not an expert of the edition, and nobody at all.
    outsider = make_member("outsider@else.test")
    assert "is not an expert of this edition" in " ".join(
        _messages(client.post(assign, {"expert": outsider.pk}, follow=True))
    )
    for value in ("", "abc", "999999999999999999", "99999999999999999999999"):
        response = client.post(assign, {"expert": value}, follow=True)
        assert response.status_code == 200
        assert "Choose one of the edition's experts" in " ".join(_messages(response))

    removed = client.post(reverse("academy_dilemmas:unassign", args=[assignment.pk]), follow=True)
    assert any("no longer reviews" in m for m in _messages(removed))
    assert not Assignment.objects.filter(pk=assignment.pk).exists()


def test_a_reviewed_assignment_cannot_be_removed(client, editor, edition, experts, dilemma):
    assignment = services.assign_by_hand(dilemma, experts[0], actor=editor)
    _review(assignment, [4, 4])
    client.force_login(editor)

    response = client.post(reverse("academy_dilemmas:unassign", args=[assignment.pk]), follow=True)

    assert "already reviewed" in " ".join(_messages(response))
    assert Assignment.objects.filter(pk=assignment.pk).exists()


# --- Decisions and their publication --------------------------------------------------------------


def test_select_decline_undecide_and_no_more_than_the_edition_selects(
    client, editor, edition, members_of_cities
):
    AcademyEditionPage.objects.filter(pk=edition.pk).update(dilemmas_to_select=1)
    first, second = [submitted(edition, m) for m in members_of_cities(2)]
    client.force_login(editor)

    def decide(dilemma, value):
        return client.post(
            reverse("academy_dilemmas:decide", args=[dilemma.pk]), {"decision": value}, follow=True
        )

    assert decide(first, "selected").status_code == 200
    refused = decide(second, "selected")
    assert any("selected already" in m for m in _messages(refused))
    decide(second, "declined")
    assert Dilemma.objects.get(pk=first.pk).decision == Decision.SELECTED
    assert Dilemma.objects.get(pk=second.pk).decision == Decision.DECLINED
    decide(first, "pending")
    assert Dilemma.objects.get(pk=first.pk).decision == Decision.PENDING
    assert Dilemma.objects.get(pk=first.pk).decided_at is None


def test_publishing_asks_first_then_tells_every_submitter(
    client, editor, edition, experts, members_of_cities, django_capture_on_commit_callbacks
):
    dilemmas = [submitted(edition, m) for m in members_of_cities(3)]
    services.decide(dilemmas[0], Decision.SELECTED, actor=editor)
    services.decide(dilemmas[1], Decision.SELECTED, actor=editor)
    client.force_login(editor)
    publish = reverse("academy_selection:publish", args=[edition.pk])

    # Not decided yet, call still open: the page says so, the service refuses.
    page = client.get(publish).content.decode()
    assert "1 dilemma is not decided yet" in page and "still open" in page
    refused = client.post(publish, follow=True)
    assert any("still open" in m for m in _messages(refused))
    edition = _close_call(edition)
    undecided = client.post(publish, follow=True)
    assert any("1 dilemma is not decided yet" in m for m in _messages(undecided))
    services.decide(dilemmas[2], Decision.DECLINED, actor=editor)

    confirm = client.get(publish).content.decode()
    assert "3 submitters will be e-mailed" in confirm
    assert "2 dilemmas are selected: their cities get a place at the edition" in confirm
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(publish, follow=True)

    assert any("3 submitters are told" in m for m in _messages(response))
    edition.refresh_from_db()
    assert edition.decisions_published_at is not None
    told = {m.to[0] for m in mail.outbox if "dilemma" in m.subject.lower()}
    assert told == {d.submitter.email for d in dilemmas}
    assert Dilemma.objects.filter(edition=edition, registration__isnull=False).count() == 2
    after = client.get(_selection(edition)).content.decode()
    assert "The decisions were published on" in after
    assert "Assign experts automatically" not in after
    assert 'name="decision"' not in after
    # Publishing twice changes nothing.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        twice = client.post(publish, follow=True)
    assert "already published" in " ".join(_messages(twice))
    assert not mail.outbox


# --- Bad input ------------------------------------------------------------------------------------


def test_bad_input_gives_404_400_or_405_never_500(client, editor, edition, dilemma, experts):
    assignment = services.assign_by_hand(dilemma, experts[0], actor=editor)
    client.force_login(editor)
    huge = 999999999999999999

    for url in (
        reverse("academy_dilemmas:inspect", args=[huge]),
        reverse("academy_selection:edition", args=[huge]),
        reverse("academy_selection:publish", args=[huge]),
        reverse("academy_selection:edition", args=[edition.get_parent().pk]),  # not an edition
        "/admin/academy/editions/99999999999999999999999/",
        "/admin/academy/dilemmas/inspect/99999999999999999999999/",
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        reverse("academy_dilemmas:decide", args=[huge]),
        reverse("academy_dilemmas:assign", args=[huge]),
        reverse("academy_dilemmas:unassign", args=[huge]),
        reverse("academy_selection:assign_automatically", args=[huge]),
        reverse("academy_selection:publish", args=[huge]),
    ):
        assert (
            client.post(url, {"decision": "selected", "expert": experts[0].pk}).status_code == 404
        )
    for url in (
        reverse("academy_dilemmas:decide", args=[dilemma.pk]),
        reverse("academy_dilemmas:assign", args=[dilemma.pk]),
        reverse("academy_dilemmas:unassign", args=[assignment.pk]),
        reverse("academy_selection:assign_automatically", args=[edition.pk]),
    ):
        assert client.get(url).status_code == 405, url
    decide = reverse("academy_dilemmas:decide", args=[dilemma.pk])
    for value in ("maybe", "", "SELECTED", "x" * 10000):
        assert client.post(decide, {"decision": value}).status_code == 400
    assert client.post(decide, {}).status_code == 400
    dilemma.refresh_from_db()
    assert dilemma.decision == Decision.PENDING
    # Editors do not add, edit or delete dilemmas here either.
    for url in (
        reverse("academy_dilemmas:add"),
        reverse("academy_dilemmas:edit", args=[dilemma.pk]),
        reverse("academy_dilemmas:delete", args=[dilemma.pk]),
    ):
        assert client.get(url).status_code in (302, 403), url
        assert client.post(url, {}).status_code in (302, 403), url
    assert Dilemma.objects.filter(pk=dilemma.pk).exists()


def test_a_withdrawn_dilemma_cannot_be_selected(client, editor, edition, dilemma, city_member):
    services.withdraw(dilemma, city_member)
    client.force_login(editor)

    response = client.post(
        reverse("academy_dilemmas:decide", args=[dilemma.pk]), {"decision": "selected"}, follow=True
    )

    assert response.status_code == 200
    assert "Only submitted dilemmas" in " ".join(_messages(response))


def test_a_superuser_outside_the_editors_group_is_an_editor(client, edition, dilemma):
    admin = make_member("root@urbanexchange.test", is_superuser=True)
    client.force_login(admin)

    assert TITLE in client.get(reverse("academy_dilemmas:index")).content.decode()
    assert TITLE in client.get(_selection(edition)).content.decode()


def test_an_editor_may_close_the_call_by_publishing_the_decisions(
    client, editor, edition, members_of_cities, django_capture_on_commit_callbacks
):
    (dilemma,) = [submitted(edition, m) for m in members_of_cities(1)]
    services.decide(dilemma, Decision.SELECTED, actor=editor)
    client.force_login(editor)
    publish = reverse("academy_selection:publish", args=[edition.pk])
    page = client.get(publish).content.decode()
    assert 'name="close_call"' in page and "Close the call now" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(publish, {"close_call": "1"}, follow=True)

    assert any("1 submitter is told" in m for m in _messages(response))
    edition.refresh_from_db()
    assert edition.decisions_published_at is not None
    assert edition.call_state() == "closed"
