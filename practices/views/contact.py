"""A visitor writes to a practice's owner through the form at the end of the practice page.

The form posts to the practice page's `contact/` route (`PracticePage.contact_owner`): Wagtail
has found the live page and applied its view restrictions before this view runs.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from core.ratelimit import client_ip

from ..contact import ContactOwnerForm, can_be_contacted, contact_practice_owner
from ..models import PracticePage
from ..services import PracticeError


@csrf_protect
@require_http_methods(["GET", "POST"])
def contact_owner(request, practice: PracticePage):
    # A practice nobody can be written to has no contact form, and no address to post it to.
    if not can_be_contacted(practice):
        raise Http404
    if request.method != "POST":
        # The form lives on the practice page; this address only receives it.
        return redirect(practice.get_url(request))

    form = ContactOwnerForm(request.POST)
    retry_after = None
    if form.is_valid():
        try:
            # A bot that filled in the honeypot is shown the same success and sends nothing.
            if not form.is_from_bot:
                contact_practice_owner(
                    practice,
                    sender_name=form.cleaned_data["name"],
                    sender_email=form.cleaned_data["email"],
                    message=form.cleaned_data["message"],
                    client_ip=client_ip(request),
                )
        except PracticeError as refusal:
            form.add_error(None, refusal.message)
            retry_after = refusal.retry_after
        else:
            messages.success(request, _("Your message has been sent to the practice owner."))
            return redirect(practice.get_url(request))

    response = TemplateResponse(
        request, "practices/contact_owner.html", {"practice": practice, "form": form}
    )
    if retry_after is not None:
        response.status_code = 429
        response["Retry-After"] = str(retry_after)
    return response
