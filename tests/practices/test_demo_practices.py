"""The demo practices: taken from the seed documents, tagged with the demo taxonomy, loaded once."""

import pytest
from wagtail.models import Page

from home.demo import load_demo_pages
from practices.demo import load_demo_taxonomy
from practices.demo_practices import DEMO_CONTACT_EMAIL, PRACTICES, load_demo_practices
from practices.models import PracticeIndexPage, PracticePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def library():
    home = load_demo_pages()
    load_demo_taxonomy()
    return load_demo_practices(home)


def test_the_library_is_published_below_the_home_page(library, client):
    assert library.title == "Practice library"
    assert library.url == "/practices/"
    assert library.live and library.live_revision is not None
    listing = client.get("/practices/").content.decode()
    assert "TAST&#x27;in FIVES" in listing
    assert "OnStage" in listing


def test_every_demo_practice_is_published_through_a_revision(library):
    practices = PracticePage.objects.child_of(library)
    assert sorted(practices.values_list("slug", flat=True)) == sorted(p.slug for p in PRACTICES)
    for practice in practices:
        assert practice.live and practice.live_revision is not None, practice.slug
        assert practice.live_revision_id == practice.latest_revision_id, practice.slug
        assert practice.first_published_at and practice.last_published_at, practice.slug
        assert not practice.has_unpublished_changes, practice.slug
        assert practice.contact_email == DEMO_CONTACT_EMAIL
        assert practice.owner is None  # linked to the demo member by the accounts loader


def test_tastin_fives_is_tagged_with_its_city_and_fund(library, client):
    practice = PracticePage.objects.get(slug="tastin-fives")

    assert practice.city.slug == "lille"
    assert [item.fund.slug for item in practice.practice_funds.all()] == ["uia-eui"]
    assert "labour-market-integration" in {theme.slug for theme in practice.themes.all()}
    assert [level.slug for level in practice.governance_levels.all()] == ["local"]
    html = client.get(practice.url).content.decode()
    assert "Fives-Cail-Babcock" in html
    assert DEMO_CONTACT_EMAIL not in html


def test_onstage_transfers_emmca_with_urbact_money(library):
    onstage = PracticePage.objects.get(slug="onstage-brno")
    emmca = PracticePage.objects.get(slug="emmca-lhospitalet")

    assert onstage.city.slug == "brno"
    assert [item.fund.slug for item in onstage.practice_funds.all()] == ["urbact"]
    assert "EMMCA" in onstage.approach
    assert emmca.city.slug == "lhospitalet-de-llobregat"


def test_partnership_practices_name_their_partnership(library):
    board = PracticePage.objects.get(slug="european-migrant-advisory-board")
    assert board.partnership.slug == "inclusion-of-migrants-and-refugees"
    assert board.status == "regular"
    rome = PracticePage.objects.get(slug="metropolitan-table-of-coexistence")
    assert rome.partnership.slug == "cities-of-equality"


def test_demo_practices_are_found_by_search(library):
    assert [page.slug for page in PracticePage.objects.live().search("kitchen")] == ["tastin-fives"]


def test_loading_again_writes_nothing(library):
    revisions = {page.pk: page.latest_revision_id for page in Page.objects.all()}
    rows = list(PracticePage.objects.order_by("pk").values())

    assert load_demo_practices(library.get_parent()) == library

    assert {page.pk: page.latest_revision_id for page in Page.objects.all()} == revisions
    assert list(PracticePage.objects.order_by("pk").values()) == rows


def test_an_edited_practice_keeps_its_edits(library):
    practice = PracticePage.objects.get(slug="capacityes")
    practice.summary = "Changed by an editor."
    practice.save_revision().publish()

    load_demo_practices(library.get_parent())

    assert PracticePage.objects.get(slug="capacityes").summary == "Changed by an editor."
    assert PracticeIndexPage.objects.count() == 1


def test_the_demo_member_has_one_practice_in_review_and_one_sent_back(library):
    from accounts.demo import load_demo_accounts
    from accounts.models import User
    from practices import services
    from practices.demo_submissions import load_demo_submissions

    load_demo_accounts()
    member = User.objects.get(email="member@urbanexchange.test")
    moderator = User.objects.get(email="moderator@urbanexchange.test")
    load_demo_submissions(library, member, moderator)
    load_demo_submissions(library, member, moderator)  # a second run adds nothing

    states = {s.practice.slug: s for s in services.submissions_of(member)}
    assert states["rotterdam-local-authority-observatory"].state == "in_review"
    sent_back = states["stockholm-local-authority-observatory"]
    assert sent_back.state == "changes_requested"
    assert "what your observatory did" in sent_back.moderator_comment
    assert not PracticePage.objects.live().filter(slug__in=states).exists()
