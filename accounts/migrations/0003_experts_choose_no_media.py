"""Experts do not see the media library's files, members' drafts included.

Wagtail's own migrations give every group that may reach the admin "choose" on the images and
documents of the root collection (to keep what older Wagtail versions did), and the Experts
group existed by then. Permissions on the root reach every collection below it, so Experts
would see members' draft photos in the image chooser. Experts review dilemmas; if they need
media later, grant it on a collection of its own.
"""

from django.db import migrations

CHOOSE = ("choose_image", "choose_document")


def remove_choose_from_experts(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    experts = Group.objects.filter(name="Experts").first()
    if experts is None:
        return
    GroupCollectionPermission.objects.filter(
        group=experts, collection__depth=1, permission__codename__in=CHOOSE
    ).delete()
    experts.permissions.remove(*experts.permissions.filter(codename__in=CHOOSE))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_roles"),
        ("wagtailimages", "0023_add_choose_permissions"),
        ("wagtaildocs", "0011_add_choose_permissions"),
    ]

    operations = [migrations.RunPython(remove_choose_from_experts, migrations.RunPython.noop)]
