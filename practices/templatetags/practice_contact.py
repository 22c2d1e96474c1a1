"""`{% contact_owner_form page as contact_form %}`: the form at the end of a practice page.

The practice page's context comes from Wagtail and has no form in it; this tag supplies one, so
that `practices/includes/contact_owner.html` can be included anywhere a practice is shown, and
`{% contact_owner_url page %}` says where it posts.
"""

from django import template

from ..contact import ContactOwnerForm, can_be_contacted
from ..models import PracticePage

register = template.Library()


@register.simple_tag
def contact_owner_form(practice: PracticePage, form: ContactOwnerForm | None = None):
    """`form` when given (bound, as the contact page passes it back with its errors), else a
    fresh one; None when the practice has no one to forward messages to."""
    if not isinstance(practice, PracticePage) or not can_be_contacted(practice):
        return None
    return form if isinstance(form, ContactOwnerForm) else ContactOwnerForm()


@register.simple_tag(takes_context=True)
def contact_owner_url(context, practice: PracticePage) -> str:
    """The practice page's `contact/` route, where the form posts (with or without a request)."""
    url = practice.get_url(request=context.get("request")) or ""
    if not url.endswith("/"):
        url += "/"
    return url + practice.reverse_subpage("contact")
