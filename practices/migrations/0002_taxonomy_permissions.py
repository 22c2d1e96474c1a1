"""Editors manage the whole taxonomy; moderators may add and correct terms while reviewing."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = [
    "theme",
    "fund",
    "governancelevel",
    "targetgroup",
    "country",
    "city",
    "partnership",
    "action",
]
GRANTS = {
    "Editors": ["add", "change", "delete", "view"],
    "Moderators": ["add", "change", "view"],
}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations ran; create ours now so that
    # they can be granted here.
    app_config = apps.get_app_config("practices")
    app_config.models_module = True  # the migration state's stub lacks it; Django checks it
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, actions in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        codenames = [f"{action}_{model}" for action in actions for model in MODELS]
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="practices", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GRANTS):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="practices"))


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0001_initial"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
