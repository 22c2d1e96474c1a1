from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from core import sections

from .decorators import verified_member_required
from .forms import ProfileForm


@verified_member_required
def dashboard(request):
    """My Urban Exchange: the member's own corner. Later apps add their sections here."""
    return TemplateResponse(
        request,
        "accounts/dashboard.html",
        {"member": request.user, "sections": sections.sections_for(sections.DASHBOARD, request)},
    )


@verified_member_required
def edit_profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:dashboard")
    return TemplateResponse(request, "accounts/profile_form.html", {"form": form})
