import posixpath

from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.static import serve

# What the proxy sends with every file under /media/ in production, too (see the README).
MEDIA_CONTENT_SECURITY_POLICY = "default-src 'none'"


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page's <link rel="icon"> says."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


# Kept out of reach of the public: documents go through Wagtail's serve view, which decides who
# may download a draft practice's document (practices.wagtail_hooks).
PRIVATE_MEDIA_FOLDERS = ("documents/",)


def media(request, path: str):
    """Uploaded files in development, with the headers the proxy must send in production.

    `nosniff` keeps a browser from reading a file as something other than its content type
    says, and a policy of `default-src 'none'` keeps anything in it from running or loading.
    """
    if posixpath.normpath(path).lstrip("/").startswith(PRIVATE_MEDIA_FOLDERS):
        raise Http404
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = MEDIA_CONTENT_SECURITY_POLICY
    return response
