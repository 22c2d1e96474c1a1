"""The site's own address in full URLs that leave the page: the sitemap, canonical links.

Wagtail builds a full URL from the Site record's hostname and port. A Site that nobody gave a
real address keeps the placeholder of Wagtail's migration (localhost, port 80), and a sitemap
built from it sends crawlers to http://localhost/. Here such a placeholder gives way to the
host the request came to (Django has checked it against ALLOWED_HOSTS), as robots.txt does; a
real host name that someone gave the Site stays, whatever alias the request used.
"""

from urllib.parse import urlsplit, urlunsplit

from django.http import HttpRequest

# Where Wagtail's migration and a developer's machine put a site: never a real address.
LOCAL_HOSTNAMES = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})


def is_local_hostname(hostname: str | None) -> bool:
    return (hostname or "").lower() in LOCAL_HOSTNAMES


def served_url(request: HttpRequest, url: str) -> str:
    """`url` (a path, or a full URL built from a Site) with the host the site is served on."""
    parts = urlsplit(url)
    if parts.netloc and not is_local_hostname(parts.hostname):
        return url
    path = urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))
    return request.build_absolute_uri(path)
