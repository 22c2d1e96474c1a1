"""The header and the footer every page carries: the main menu, the admin link, footer pages."""

import re

import pytest

from core import roles
from home.models import StandardPage
from tests.factories import make_member


def _header(html: str) -> str:
    return html[html.index('<header class="site-header">') : html.index("</header>")]


def _footer(html: str) -> str:
    return html[html.index('<footer class="site-footer">') : html.index("</footer>")]


@pytest.mark.django_db
def test_the_navigation_folds_into_a_menu_button_that_works_without_script(client, home_page):
    header = _header(client.get("/").content.decode())
    # A <details> disclosure: its <summary> opens the navigation with no JavaScript at all.
    menu = re.search(r'<details class="site-menu"[^>]*>\s*<summary[^>]*>(.*?)</summary>', header)
    assert menu is not None
    assert "Menu" in menu.group(1)
    assert header.index("site-menu") < header.index('aria-label="Main"')
    assert header.index('aria-label="Main"') < header.index('aria-label="Account"')


@pytest.mark.django_db
def test_a_page_shows_its_short_menu_title_in_the_header(client, home_page):
    home_page.add_child(
        instance=StandardPage(
            title="The Urban Agenda for the EU",
            slug="urban-agenda",
            menu_title="Urban Agenda",
            show_in_menus=True,
        )
    )
    home_page.add_child(instance=StandardPage(title="Long page", slug="long", show_in_menus=True))
    nav = _header(client.get("/").content.decode())
    assert ">Urban Agenda</a>" in nav
    assert 'title="The Urban Agenda for the EU"' in nav
    assert ">Long page</a>" in nav


@pytest.mark.django_db
def test_staff_who_may_open_the_admin_find_it_in_the_header(client, home_page):
    moderator = make_member("moderator@urbanexchange.test", groups=[roles.MODERATORS])
    client.force_login(moderator)
    header = _header(client.get("/").content.decode())
    assert re.search(r'<a href="/admin/">Admin</a>', header)


@pytest.mark.django_db
def test_members_and_visitors_get_no_admin_link(client, home_page, member):
    assert 'href="/admin/"' not in _header(client.get("/").content.decode())
    client.force_login(member)
    assert 'href="/admin/"' not in _header(client.get("/").content.decode())


@pytest.mark.django_db
def test_the_footer_links_the_pages_editors_marked_for_it(client, home_page):
    for title, slug in [("Legal notice", "legal-notice"), ("Privacy notice", "privacy")]:
        home_page.add_child(instance=StandardPage(title=title, slug=slug, show_in_footer=True))
    home_page.add_child(instance=StandardPage(title="About", slug="about"))
    home_page.add_child(
        instance=StandardPage(title="Old notice", slug="old", show_in_footer=True, live=False)
    )
    footer = _footer(client.get("/").content.decode())
    assert '<a href="/legal-notice/">Legal notice</a>' in footer
    assert '<a href="/privacy/">Privacy notice</a>' in footer
    assert "About" not in footer
    assert "Old notice" not in footer  # a draft is no link
