"""The three staff roles. Admins put people in them from the Wagtail admin (Settings > Groups).

Wagtail's own initial data already creates Moderators and Editors with page and media
permissions on the whole tree; this adds Experts and lets all three reach the admin. Each app
grants its own model permissions to these groups in its own migrations.
"""

from django.db import migrations

ROLES = ["Moderators", "Editors", "Experts"]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    for name in ROLES:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)


def remove_experts(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Experts").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0002_initial_data"),
        ("wagtailimages", "0002_initial_data"),
        ("wagtaildocs", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(create_roles, remove_experts)]
