"""Members who never use the admin get none of Wagtail's admin e-mails (see
`accounts.admin_notifications`): switch them off for the accounts that exist already."""

from django.db import migrations
from django.db.models import Q

NOTIFICATIONS = ("submitted", "approved", "rejected", "updated_comments")


def members_off(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    UserProfile = apps.get_model("wagtailusers", "UserProfile")
    access = Q(
        groups__permissions__content_type__app_label="wagtailadmin",
        groups__permissions__codename="access_admin",
    ) | Q(
        user_permissions__content_type__app_label="wagtailadmin",
        user_permissions__codename="access_admin",
    )
    staff = User.objects.filter(Q(is_superuser=True) | access).values("pk")
    for user in User.objects.exclude(pk__in=staff):
        UserProfile.objects.update_or_create(
            user=user, defaults={f"{name}_notifications": False for name in NOTIFICATIONS}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_experts_choose_no_media"),
        ("wagtailusers", "0015_userprofile_keyboard_shortcuts"),
    ]

    operations = [migrations.RunPython(members_off, migrations.RunPython.noop)]
