import re

from django.conf import settings
from django.urls import include, path, re_path
from django.views.generic import TemplateView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from events import urls as events_urls
from practices import urls as practices_urls

from . import views
from .api import api_router
from .sitemaps import PageSitemap

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("api/v2/", api_router.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("my/practices/", include("practices.urls")),
    path("alerts/", include("practices.alert_urls")),
    path("my/registrations/", include("events.urls")),
    *events_urls.feed_urlpatterns,
    path("my/", include("academy.urls")),
    path("my/", include("accounts.urls")),
    # Old addresses of the member's forms; they give way to any page that lives there now.
    path("practices/submit/", include((practices_urls.moved_urlpatterns, "practices_moved"))),
    path("i18n/", include("django.conf.urls.i18n")),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": PageSitemap}}, name="sitemap"),
    path("favicon.ico", views.favicon),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots_txt",
    ),
]

if settings.SERVE_MEDIA and not settings.MEDIA_URL.startswith(("http://", "https://", "//")):
    media_prefix = re.escape(settings.MEDIA_URL.lstrip("/"))
    urlpatterns += [re_path(rf"^{media_prefix}(?P<path>.*)$", views.media)]

if settings.DEBUG:
    urlpatterns += [
        path("404/", TemplateView.as_view(template_name="404.html")),
        path("500/", TemplateView.as_view(template_name="500.html")),
    ]

# Wagtail's page serving comes last: it matches every remaining path.
urlpatterns += [path("", include(wagtail_urls))]
