"""`manage.py load_demo`: demo content for a new site, and safe to run again."""

import stat
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Page, Site

from academy.demo import DISINFORMATION_DILEMMAS, LABOUR_DILEMMAS, SECOND_EXPERT
from accounts.demo import DEMO_PEOPLE, load_demo_accounts
from accounts.models import User
from accounts.services import is_verified_member
from core import roles
from home.demo import load_demo_pages
from home.management.commands.load_demo import count_rows, counted_models
from home.models import HomePage, StandardPage
from practices.demo import TARGET_GROUPS, THEMES
from practices.models import (
    Action,
    City,
    Fund,
    GovernanceLevel,
    Partnership,
    TargetGroup,
    Theme,
)

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "a-demo-password-for-tests"
EMAILS = {person.role: person.email for person in DEMO_PEOPLE}


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path, monkeypatch) -> Path:
    """Keep the credentials file out of the real var/, and DEMO_PASSWORD out of the runner's
    environment unless a test sets it."""
    settings.VAR_DIR = tmp_path
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    return tmp_path


@pytest.fixture
def demo_password(monkeypatch) -> str:
    monkeypatch.setenv("DEMO_PASSWORD", DEMO_PASSWORD)
    return DEMO_PASSWORD


def load_demo(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, list[dict]]:
    """Every row of every model the command counts, field by field."""
    return {
        label: list(model._default_manager.order_by("pk").values())
        for label, model in counted_models()
    }


def read_credentials(path: Path) -> dict[str, str]:
    """E-mail address -> password, from the credentials file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line.split()[1]: line.split()[2] for line in lines if line and not line.startswith("#")}


# --- Running it twice ---------------------------------------------------------------------------


def test_second_run_changes_nothing():
    load_demo()
    counts, rows = count_rows(), snapshot()

    load_demo()

    assert count_rows() == counts
    # Not only the counts: no row was saved again, no password or page revision changed.
    assert snapshot() == rows


def test_every_model_involved_is_counted_and_filled():
    load_demo()
    counts = count_rows()
    for label in [
        "pages",
        "page revisions",
        "themes",
        "funds",
        "governance levels",
        "target groups",
        "countries",
        "cities",
        "partnerships",
        "actions",
        "users",
        "e-mail addresses",
        "group memberships",
        "Academy editions",
        "dilemmas",
        "reviews",
        "feedback",
    ]:
        assert counts[label] > 0, label
    # The demo accounts, and the Academy's people who cannot sign in (a second expert, the
    # cities that submitted dilemmas).
    academy_people = [SECOND_EXPERT.email] + [
        demo.submitter.email
        for demo in DISINFORMATION_DILEMMAS + LABOUR_DILEMMAS
        if not isinstance(demo.submitter, str)
    ]
    assert counts["users"] == counts["e-mail addresses"] == len(DEMO_PEOPLE) + len(academy_people)
    assert not any(
        user.has_usable_password() for user in User.objects.filter(email__in=academy_people)
    )
    # Moderator, editor, expert: one group each; the second expert too.
    assert counts["group memberships"] == len([p for p in DEMO_PEOPLE if p.group]) + 1
    assert counts["sites"] == 1


def test_second_run_shows_no_passwords_and_says_where_they_are(var_dir):
    first = load_demo()
    passwords = read_credentials(var_dir / "demo-accounts.txt")
    assert "New demo accounts" in first
    assert all(password in first for password in passwords.values())

    second = load_demo()

    assert "nothing changed" in second
    assert "New demo accounts" not in second
    assert not any(password in second for password in passwords.values())
    assert str(var_dir / "demo-accounts.txt") in second


def test_quiet_prints_nothing_but_still_saves_the_passwords(var_dir):
    assert load_demo("--quiet") == ""
    assert set(read_credentials(var_dir / "demo-accounts.txt")) == set(EMAILS.values())


# --- Pages --------------------------------------------------------------------------------------


def test_home_page_replaces_the_wagtail_welcome_page():
    load_demo()

    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    assert isinstance(home, HomePage)
    assert home.title == "Urban Exchange"
    assert home.statement
    assert home.introduction
    assert home.live
    # The welcome page is gone: the home page is the only page below the tree root.
    assert list(Page.objects.filter(depth=2)) == [home.page_ptr]


def test_content_pages_are_published_below_the_home_page():
    load_demo()

    home = HomePage.objects.get()
    pages = {page.slug: page for page in StandardPage.objects.child_of(home)}
    assert set(pages) == {
        "about",
        "urban-agenda",
        "legal-notice",
        "privacy",
        "accessibility",
        "contact",
    }
    for page in pages.values():
        assert page.live
        assert page.live_revision is not None
        assert page.introduction
        block_types = {block.block_type for block in page.body}
        assert {"heading", "paragraph"} <= block_types
    assert pages["about"].url == "/about/"
    # The main menu has the site's content; the footer what an EU public-sector site owes.
    assert {slug for slug, page in pages.items() if page.show_in_menus} == {"about", "urban-agenda"}
    assert {slug for slug, page in pages.items() if page.show_in_footer} == {
        "legal-notice",
        "privacy",
        "accessibility",
        "contact",
    }
    assert pages["urban-agenda"].menu_title == "Urban Agenda"


def test_the_footer_pages_say_what_the_site_stores_and_how_accessible_it_is(client):
    load_demo()

    privacy = client.get("/privacy/").content.decode()
    # Sign-up's personal data and the contact messages, as the site really keeps them.
    for words in ["name, e-mail address, organisation", "contact form", "30 days", "GDPR"]:
        assert words in privacy
    accessibility = client.get("/accessibility/").content.decode()
    assert "WCAG 2.2" in accessibility
    assert "partially compliant" in accessibility
    home = client.get("/").content.decode()
    footer = home[home.index('<footer class="site-footer">') :]
    for href in ["/legal-notice/", "/privacy/", "/accessibility/", "/contact/"]:
        assert f'href="{href}"' in footer


def test_the_site_gets_its_name_and_the_address_it_is_served_on(settings):
    """E-mails greet from the site's name; the sitemap's full URLs use its host and port."""
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8123"
    load_demo_pages()

    site = Site.objects.get(is_default_site=True)
    assert (site.site_name, site.hostname, site.port) == ("Urban Exchange", "127.0.0.1", 8123)
    assert StandardPage.objects.get(slug="about").full_url == "http://127.0.0.1:8123/about/"

    # `make run PORT=8124` on the same database moves the local site along.
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8124"
    load_demo_pages()
    site.refresh_from_db()
    assert site.port == 8124


def test_a_site_with_a_real_host_name_keeps_it(settings):
    Site.objects.filter(is_default_site=True).update(
        hostname="urbanexchange.eu", port=443, site_name="Urban Exchange EU"
    )
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8123"
    load_demo_pages()

    site = Site.objects.get(is_default_site=True)
    assert (site.site_name, site.hostname, site.port) == (
        "Urban Exchange EU",
        "urbanexchange.eu",
        443,
    )


def test_refuses_to_replace_a_root_page_someone_built_on():
    welcome = Site.objects.get(is_default_site=True).root_page
    welcome.add_child(instance=Page(title="Someone's page", slug="someones-page"))

    with pytest.raises(CommandError, match="welcome page"):
        load_demo()

    # One transaction: nothing was left half done.
    assert not Theme.objects.exists()
    assert not User.objects.exists()
    assert Site.objects.get(is_default_site=True).root_page_id == welcome.pk


# --- Accounts -----------------------------------------------------------------------------------


def test_demo_accounts_can_sign_in_with_demo_password(demo_password, var_dir):
    load_demo()

    for email in EMAILS.values():
        user = authenticate(None, email=email, password=demo_password)
        assert user is not None, email
        assert user.email == email
    # A password the person chose is not written to disk.
    assert demo_password not in (var_dir / "demo-accounts.txt").read_text(encoding="utf-8")


def test_generated_passwords_are_saved_for_the_owner_only(var_dir):
    load_demo()

    path = var_dir / "demo-accounts.txt"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    passwords = read_credentials(path)
    assert set(passwords) == set(EMAILS.values())
    assert len(set(passwords.values())) == len(passwords)
    for email, password in passwords.items():
        assert authenticate(None, email=email, password=password) is not None, email

    before = path.read_text(encoding="utf-8")
    load_demo()
    assert path.read_text(encoding="utf-8") == before


def test_passwords_are_returned_on_creation_only():
    first = load_demo_accounts()
    assert [account.role for account in first] == list(EMAILS)
    assert all(account.password for account in first)

    second = load_demo_accounts()
    assert [account.password for account in second] == [None] * len(EMAILS)


def test_an_existing_account_keeps_its_password():
    # Someone made an "admin" with createsuperuser before loading the demo, and the demo
    # admin's address already had an account.
    User.objects.create_user("admin", "someone@example.org", "their-own-password")
    User.objects.create_user("member-before", EMAILS["member"], "kept-password")

    accounts = {account.role: account for account in load_demo_accounts()}

    assert accounts["member"].password is None
    assert authenticate(None, email=EMAILS["member"], password="kept-password") is not None
    assert accounts["admin"].password
    assert User.objects.get(email=EMAILS["admin"]).username == EMAILS["admin"]


def test_each_role_has_its_permissions(demo_password):
    load_demo()
    users = {role: User.objects.get(email=email) for role, email in EMAILS.items()}

    assert users["admin"].is_superuser and users["admin"].is_staff
    for role, group in [
        ("moderator", roles.MODERATORS),
        ("editor", roles.EDITORS),
        ("expert", roles.EXPERTS),
    ]:
        user = users[role]
        assert list(user.groups.values_list("name", flat=True)) == [group]
        assert not user.is_staff and not user.is_superuser
        # Wagtail's admin lets them in through the group, not through is_staff.
        assert user.has_perm("wagtailadmin.access_admin"), role
    assert not users["member"].groups.exists()
    assert not users["member"].has_perm("wagtailadmin.access_admin")


def test_member_is_verified_with_a_full_profile():
    load_demo()

    member = User.objects.get(email=EMAILS["member"])
    address = EmailAddress.objects.get(user=member)
    assert address.email == member.email
    assert address.verified and address.primary
    assert is_verified_member(member)
    assert member.organisation_type == "city"
    assert member.organisation
    assert member.job_title
    assert member.country == "BE"
    assert City.objects.filter(name=member.city, country__code=member.country).exists()


def test_every_demo_account_has_a_verified_primary_address():
    load_demo()
    for email in EMAILS.values():
        assert EmailAddress.objects.filter(email=email, verified=True, primary=True).exists()


# --- Taxonomy -----------------------------------------------------------------------------------


def test_the_four_actions_of_the_migrants_work_plan():
    load_demo()

    partnership = Partnership.objects.get(slug="inclusion-of-migrants-and-refugees")
    actions = list(partnership.actions.order_by("number"))
    assert [action.number for action in actions] == [1, 2, 3, 4]
    assert [action.co_leaders for action in actions] == [
        "Ashoka Hello Europe, Flanders Region",
        "Committee of the Regions and Council of Europe Development Bank",
        "Assembly of the Regions and Region of Flanders",
        "Eurocities and Council of Europe Development Bank",
    ]
    for action in actions:
        assert action.deadline == date(2027, 3, 31)
        assert action.objective
        assert action.state_of_play
    assert Action.objects.count() == 4


def test_taxonomy_from_the_documents():
    load_demo()

    assert set(Partnership.objects.values_list("name", flat=True)) == {
        "Inclusion of Migrants and Refugees",
        "Urban Poverty",
        "Cities of Equality",
    }
    assert list(GovernanceLevel.objects.values_list("slug", "sort_order")) == [
        ("local", 1),
        ("regional", 2),
        ("national", 3),
        ("eu", 4),
    ]
    assert set(Fund.objects.filter(is_eu_fund=False).values_list("slug", flat=True)) == {
        "national-funds",
        "own-budget",
    }
    assert all(fund.full_name for fund in Fund.objects.all())
    assert set(Theme.objects.values_list("name", flat=True)) == {name for name, _ in THEMES}
    assert set(TargetGroup.objects.values_list("name", flat=True)) == {
        name for name, _ in TARGET_GROUPS
    }


def test_cities_have_a_country_a_size_and_a_place_on_the_map():
    load_demo()

    for city in City.objects.select_related("country"):
        assert city.population_band, city
        assert 34 < city.latitude < 61, city  # Europe, from Athens to Helsinki
        assert -4 < city.longitude < 28, city
    assert City.objects.get(slug="lhospitalet-de-llobregat").country.code == "ES"
    assert City.objects.get(slug="mechelen").country.code == "BE"
