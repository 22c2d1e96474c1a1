"""What every response tells the browser: a Content-Security-Policy on every page, uploads that
can only be what they are, and no third party told who uses the admin."""

import json

import pytest
from django.urls import reverse

from core import roles
from tests.factories import make_member
from tests.site.test_settings import run_django
from tests.upload_files import png_with_script

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


@pytest.mark.parametrize(
    "url", ["/", "/accounts/login/", "/accounts/signup/", "/robots.txt", "/no-such-page/"]
)
def test_every_public_page_forbids_inline_script_and_foreign_sources(client, home_page, url):
    policy = directives(client.get(url))
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]


def test_the_sites_templates_have_no_inline_script_or_style(client, home_page):
    # What the policy forbids must not be needed: the base template uses files only.
    html = client.get("/").content.decode()
    assert "<script>" not in html and "<script " not in html.replace("<script src=", "")
    assert "<style" not in html and " style=" not in html
    assert " onclick=" not in html and " onload=" not in html


def test_the_admin_allows_inline_script_and_style_but_nothing_else_more(client, home_page):
    editor = make_member("editor@urbanexchange.test", groups=[roles.EDITORS])
    client.force_login(editor)
    editor_page = reverse("wagtailadmin_pages:edit", args=[home_page.pk])
    for url in (reverse("wagtailadmin_home"), editor_page):
        response = client.get(url)
        assert response.status_code == 200
        policy = directives(response)
        assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
        assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
        assert policy["connect-src"] == ["'self'", "https://releases.wagtail.org"]
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'self'"]
        assert policy["img-src"] == ["'self'", "data:"]


def test_the_admin_shows_no_gravatar(client, home_page, settings):
    assert settings.WAGTAIL_GRAVATAR_PROVIDER_URL is None
    editor = make_member("editor@urbanexchange.test", groups=[roles.EDITORS])
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "gravatar" not in html.lower()
    assert "wagtailadmin/images/default-user-avatar" in html


# --- /media/ in development: the headers production's proxy sends -----------------------------


@pytest.fixture
def media_file(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "original_images").mkdir()
    (tmp_path / "original_images" / "photo.png").write_bytes(png_with_script())
    # A file stored under an HTML name before names were the site's to choose.
    (tmp_path / "original_images" / "x.html").write_bytes(png_with_script())
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "report.pdf").write_bytes(b"%PDF-1.4\n")
    return tmp_path


def test_media_is_served_with_nosniff_and_a_policy_that_runs_nothing(client, media_file):
    response = client.get("/media/original_images/photo.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_an_old_file_with_an_html_name_cannot_run_a_script(client, media_file):
    response = client.get("/media/original_images/x.html")
    assert response["Content-Type"].startswith("text/html")
    # The browser may render it, but the policy lets no script in it run.
    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_documents_are_not_served_from_media(client, media_file):
    # Only Wagtail's document view serves them, after asking who may see a draft's document.
    assert client.get("/media/documents/report.pdf").status_code == 404
    assert client.get("/media/original_images/../documents/report.pdf").status_code == 404
    assert client.get("/media/original_images/%2e%2e/documents/report.pdf").status_code == 404


def test_media_refuses_paths_outside_its_folder(client, media_file):
    for url in ("/media/../manage.py", "/media/%2e%2e/manage.py", "/media//etc/passwd"):
        response = client.get(url)
        assert response.status_code in {400, 404}, url


def test_production_leaves_media_to_the_proxy():
    code = (
        "import django; django.setup(); from django.urls import Resolver404, resolve\n"
        "try: print(resolve('/media/original_images/photo.png').func.__name__)\n"
        "except Resolver404: print('nothing')"
    )
    production = run_django(
        "urbanexchange.settings.production", code, SECRET_KEY="x" * 64, ALLOWED_HOSTS="example.org"
    )
    assert production.returncode == 0, production.stderr
    assert production.stdout.strip() == "nothing"
    development = run_django("urbanexchange.settings.dev", code)
    assert development.stdout.strip() == "media"


def test_images_may_come_from_a_media_origin_of_their_own():
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))"
    )
    result = run_django(
        "urbanexchange.settings.dev", code, MEDIA_URL="https://media.urbanexchange.eu/files/"
    )
    assert json.loads(result.stdout) == ["'self'", "data:", "https://media.urbanexchange.eu"]
