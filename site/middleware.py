"""The site's Content-Security-Policy, with the one exception Wagtail's admin needs."""

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.urls import reverse

# Wagtail's admin still writes inline scripts (the page editor's inline panels, date pickers,
# chooser modals) from widgets and templates that cannot carry a nonce, and its editor inserts
# style elements; its pages allow both. It also asks releases.wagtail.org whether an update is
# out. Everything else in the policy (sources, frames, forms, objects) stays as strict as on the
# public site, whose pages, which show what members write, allow no inline script or style.
ADMIN_POLICY_UPDATE = {
    "script-src": [UNSAFE_INLINE],
    "style-src": [UNSAFE_INLINE],
    "connect-src": ["https://releases.wagtail.org"],
}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, relaxed only under Wagtail's admin URL."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and request.path_info.startswith(reverse("wagtailadmin_home")):
            parts.update = {**ADMIN_POLICY_UPDATE, **(parts.update or {})}
        return parts
