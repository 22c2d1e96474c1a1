from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.template.response import TemplateResponse

from .services import is_verified_member


def verified_member_required(view):
    """Let through signed-in members whose e-mail address is verified.

    Anonymous visitors go to the login page; a member who has not yet verified their address
    gets a page (403) that says so and offers to send the link again.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_verified_member(request.user):
            return TemplateResponse(request, "accounts/verification_required.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper
