"""The page tree's rules, and the home page a visitor sees."""

import pytest
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase

from academy.models import AcademyIndexPage
from events.models import EventIndexPage
from home.models import HomePage, StandardPage
from practices.models import PracticeIndexPage


class PageTreeRules(WagtailPageTestCase):
    def test_home_page_sits_at_the_root_only(self):
        self.assertCanCreateAt(Page, HomePage)
        self.assertCanNotCreateAt(HomePage, HomePage)
        self.assertCanNotCreateAt(StandardPage, HomePage)

    def test_home_page_takes_content_pages(self):
        self.assertAllowedSubpageTypes(
            HomePage, {StandardPage, PracticeIndexPage, EventIndexPage, AcademyIndexPage}
        )
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})

    def test_there_is_one_home_page(self):
        self.assertEqual(HomePage.max_count, 1)


@pytest.mark.django_db
def test_visitor_sees_the_home_page(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Where European cities learn from each other" in html
    assert 'href="#main"' in html  # the skip link


@pytest.mark.django_db
def test_home_page_runs_a_bounded_number_of_queries(
    client, home_page, django_assert_max_num_queries
):
    for number in range(20):
        home_page.add_child(instance=StandardPage(title=f"Page {number}", slug=f"page-{number}"))
    client.get("/")  # warm the site root cache, as any running server has
    # 8, and 2 each for the events app's and the Academy's sections finding nothing to show.
    with django_assert_max_num_queries(12):
        assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_content_page_is_served(client, home_page):
    home_page.add_child(
        instance=StandardPage(
            title="About Urban Exchange",
            slug="about",
            introduction="Who we are.",
            body=[("paragraph", "<p>Cities share what worked.</p>")],
        )
    )
    response = client.get("/about/")
    assert response.status_code == 200
    assert "Cities share what worked." in response.content.decode()


@pytest.mark.django_db
def test_unknown_address_gets_the_site_404_page(client, home_page):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert 'href="#main"' in response.content.decode()


@pytest.mark.django_db
def test_robots_txt_points_to_the_sitemap(client, home_page):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()


@pytest.mark.django_db
def test_sitemap_lists_live_pages(client, home_page):
    home_page.add_child(instance=StandardPage(title="About", slug="about"))
    draft = home_page.add_child(instance=StandardPage(title="Draft", slug="draft", live=False))
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    # The Site record still has the placeholder of Wagtail's migration: the served host wins.
    assert "<loc>http://testserver/about/</loc>" in body
    assert "localhost" not in body
    assert draft.slug not in body


@pytest.mark.django_db
def test_the_sitemap_lists_the_host_the_site_is_served_on(client, home_page, settings):
    settings.ALLOWED_HOSTS = ["urbanexchange.example"]
    home_page.add_child(instance=StandardPage(title="About", slug="about"))
    body = client.get("/sitemap.xml", HTTP_HOST="urbanexchange.example").content.decode()
    assert "<loc>http://urbanexchange.example/about/</loc>" in body
    assert "<loc>http://urbanexchange.example/</loc>" in body


@pytest.mark.django_db
def test_a_real_host_given_to_the_site_stays_in_the_sitemap(client, home_page, settings):
    settings.ALLOWED_HOSTS = ["urbanexchange.example", "www.urbanexchange.example"]
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "urbanexchange.example", 443
    site.save()
    home_page.add_child(instance=StandardPage(title="About", slug="about"))
    body = client.get("/sitemap.xml", HTTP_HOST="www.urbanexchange.example").content.decode()
    assert "<loc>https://urbanexchange.example/about/</loc>" in body
