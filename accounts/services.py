"""Account rules: who counts as a verified member."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser

from .models import User


def is_verified_member(user: User | AnonymousUser) -> bool:
    """A member may submit and register only once they have confirmed their e-mail address."""
    if not user.is_authenticated:
        return False
    return EmailAddress.objects.filter(user=user, verified=True).exists()
