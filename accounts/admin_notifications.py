"""Wagtail's admin e-mails go to the people who use the admin, as their preferences say.

Wagtail e-mails the people in a workflow (a page submitted, approved, rejected, commented on),
each as their Wagtail profile allows (Account > Notifications in the admin), with links into
the admin. Members never use the admin: the apps send them e-mails of their own (a practice
received, changes requested, published). So a member's Wagtail notifications are off; they are
switched on, Wagtail's default for staff, when the person gets access to the admin through a
staff group, and off again when they lose it. In between, each person decides for themselves.

Only these two moments change the preferences: nothing else overrides what a person chose.
"""

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver
from wagtail.users.models import UserProfile

from .models import User

#: Every notification preference on Wagtail's user profile (`<name>_notifications`).
WAGTAIL_NOTIFICATIONS = ("submitted", "approved", "rejected", "updated_comments")
GROUP_CHANGES = {"pre_add", "pre_remove", "pre_clear", "post_add", "post_remove", "post_clear"}


def set_admin_notifications(user: User, enabled: bool) -> None:
    """Switch all of Wagtail's e-mail notifications for `user` on or off."""
    UserProfile.objects.update_or_create(
        user=user, defaults={f"{name}_notifications": enabled for name in WAGTAIL_NOTIFICATIONS}
    )


def _with_admin_access(user_ids) -> set[int]:
    """Those of `user_ids` who can reach the Wagtail admin."""
    access = {
        "permissions__content_type__app_label": "wagtailadmin",
        "permissions__codename": "access_admin",
    }
    can_reach = (
        Q(is_superuser=True)
        | Q(**{f"groups__{key}": value for key, value in access.items()})
        | Q(**{f"user_{key}": value for key, value in access.items()})
    )
    return set(
        User.objects.filter(can_reach, pk__in=user_ids, is_active=True).values_list("pk", flat=True)
    )


@receiver(post_save, sender=User, dispatch_uid="accounts_new_user_admin_notifications")
def _new_accounts_start_without_admin_mail(sender, instance: User, created, raw=False, **kwargs):
    # A superuser made with createsuperuser uses the admin from the start: Wagtail's defaults.
    if created and not raw and not instance.is_superuser:
        set_admin_notifications(instance, False)


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="accounts_groups_admin_mail")
def _follow_admin_access(sender, instance, action, reverse, pk_set, **kwargs):
    """Notifications on when a group change opens the admin to someone, off when it closes it."""
    if action not in GROUP_CHANGES:
        return
    # `reverse`: the change came from the group's side (group.user_set.add(...)).
    if not reverse:
        user_ids = {instance.pk}
    elif pk_set is not None:
        user_ids = set(pk_set)
    else:
        user_ids = set(instance.user_set.values_list("pk", flat=True))
    if action.startswith("pre_"):
        # Kept on the instance between the two signals of one change.
        instance._admin_access_before = (user_ids, _with_admin_access(user_ids))
        return
    user_ids, before = getattr(instance, "_admin_access_before", (user_ids, set()))
    after = _with_admin_access(user_ids)
    for user in User.objects.filter(pk__in=(after - before) | (before - after)):
        set_admin_notifications(user, user.pk in after)
