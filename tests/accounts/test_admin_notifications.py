"""Wagtail's admin e-mails follow access to the admin: off for members, on for staff."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.users.models import UserProfile

from accounts.admin_notifications import WAGTAIL_NOTIFICATIONS
from accounts.models import User
from core import roles
from tests.factories import PASSWORD, make_member

pytestmark = pytest.mark.django_db


def preferences(user) -> dict[str, bool]:
    profile = UserProfile.get_for_user(user)
    return {name: getattr(profile, f"{name}_notifications") for name in WAGTAIL_NOTIFICATIONS}


ALL_OFF = dict.fromkeys(WAGTAIL_NOTIFICATIONS, False)
ALL_ON = dict.fromkeys(WAGTAIL_NOTIFICATIONS, True)


def test_a_member_who_signs_up_gets_none_of_wagtails_emails(client):
    client.post(
        reverse("account_signup"),
        {
            "email": "sofia.officer@brno.test",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "first_name": "Sofia",
            "last_name": "Novak",
            "organisation": "City of Brno",
            "organisation_type": "city",
        },
    )
    assert preferences(User.objects.get(email="sofia.officer@brno.test")) == ALL_OFF


def test_joining_a_staff_group_switches_them_on_and_leaving_it_off(member):
    moderators = Group.objects.get(name=roles.MODERATORS)
    member.groups.add(moderators)
    assert preferences(member) == ALL_ON
    member.groups.remove(moderators)
    assert preferences(member) == ALL_OFF
    moderators.user_set.add(member)  # from the group's side, as the group editor does
    assert preferences(member) == ALL_ON
    moderators.user_set.clear()
    assert preferences(member) == ALL_OFF


def test_a_staff_members_own_choice_is_kept_when_their_groups_change():
    moderator = make_member("moderator@urbanexchange.test", groups=[roles.MODERATORS])
    profile = UserProfile.get_for_user(moderator)
    profile.submitted_notifications = False
    profile.save()
    moderator.groups.add(Group.objects.get(name=roles.EXPERTS))
    assert preferences(moderator) == {**ALL_ON, "submitted": False}


def test_a_group_without_admin_access_changes_nothing(member):
    Group.objects.create(name="Newsletter")
    member.groups.add(Group.objects.get(name="Newsletter"))
    assert preferences(member) == ALL_OFF


def test_an_administrator_keeps_wagtails_defaults():
    admin = User.objects.create_superuser("root", "root@urbanexchange.test", PASSWORD)
    assert preferences(admin) == ALL_ON
