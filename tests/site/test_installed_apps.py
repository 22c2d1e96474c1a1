"""What still works without the apps the site does not install (see INSTALLED_APPS)."""

import pytest
from django.urls import reverse

from accounts.models import User
from tests.factories import add_practice, make_city, make_library

pytestmark = pytest.mark.django_db


@pytest.fixture
def practice(home_page):
    return add_practice(make_library(home_page), make_city())


def test_the_api_answers_json_to_a_browser_without_the_browsable_api(client, practice):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/api/v2/pages/", HTTP_ACCEPT=browser)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert practice.title in response.content.decode()
    # DRF's browsable pages are not offered: asking for them is a clear 404, not an error.
    assert client.get("/api/v2/pages/", {"format": "api"}).status_code == 404


@pytest.mark.parametrize(
    ("view", "date_filter"),
    [
        ("wagtailadmin_explore", "latest_revision_created_at_from"),
        ("wagtailadmin_pages:history", "timestamp_from"),
        ("wagtailadmin_reports:workflow", "created_at_from"),
        ("wagtailadmin_reports:site_history", "timestamp_from"),
    ],
)
def test_admin_date_filters_render_without_django_filters_installed(
    client, practice, view, date_filter
):
    # Wagtail's admin filters are django-filter filter sets that draw their own widgets.
    client.force_login(User.objects.create_superuser("admin", "admin@example.org", "pw-12345678"))
    args = [] if view.startswith("wagtailadmin_reports") else [practice.pk]
    response = client.get(reverse(view, args=args), {date_filter: "2024-01-01"})
    assert response.status_code == 200
    assert f'name="{date_filter}"' in response.content.decode()
