"""The sitemap: Wagtail's, with every URL on the site's real host (see `core.addresses`)."""

from wagtail.contrib.sitemaps.sitemap_generator import Sitemap

from core.addresses import served_url


class PageSitemap(Sitemap):
    """Every live, public page of the site the request is for.

    Served by Wagtail's sitemap view, which hands it the request: Django's own view would not,
    and the sitemap would then list the default site on its Site record's host.
    """

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        if self.request is not None:
            for url_info in urls:
                url_info["location"] = served_url(self.request, url_info["location"])
        return urls
