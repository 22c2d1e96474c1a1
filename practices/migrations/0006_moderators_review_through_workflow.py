"""Moderators act through the workflow only.

Wagtail's initial data lets Moderators add, edit, lock and publish every page of the tree, so a
moderator could publish a member's draft that was never submitted. The review task gives its
reviewers what a review needs while a practice is with them: the editor, preview, comments,
locking and the approval that publishes. Outside it, Moderators keep only the right to edit
practices, which Wagtail needs to show them the library in the page explorer and to let them
compare a practice's revisions; without publishing, an edit becomes public only through the
workflow. `practices.moderation` grants the same to a library created later.
"""

from django.db import migrations

MODERATORS = "Moderators"
# What wagtailcore's 0002_initial_data and 0005_add_page_lock_permission_to_moderators give.
WAGTAIL_DEFAULTS = ["add_page", "change_page", "lock_page", "publish_page", "unlock_page"]


def _page_permission(apps, codename):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)


def through_workflow_only(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    PracticeIndexPage = apps.get_model("practices", "PracticeIndexPage")
    moderators = Group.objects.filter(name=MODERATORS).first()
    if moderators is None:
        return
    # Only what Wagtail gave on the root: permissions an admin granted by hand stay.
    GroupPagePermission.objects.filter(
        group=moderators, page__depth=1, permission__codename__in=WAGTAIL_DEFAULTS
    ).delete()
    change = _page_permission(apps, "change_page")
    for library in PracticeIndexPage.objects.all():
        GroupPagePermission.objects.get_or_create(
            group=moderators, page_id=library.pk, permission=change
        )


def wagtail_defaults(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Page = apps.get_model("wagtailcore", "Page")
    moderators = Group.objects.filter(name=MODERATORS).first()
    root = Page.objects.filter(depth=1).first()
    if moderators is None or root is None:
        return
    GroupPagePermission.objects.filter(
        group=moderators,
        page__content_type__app_label="practices",
        permission__codename="change_page",
    ).delete()
    for codename in WAGTAIL_DEFAULTS:
        GroupPagePermission.objects.get_or_create(
            group=moderators, page=root, permission=_page_permission(apps, codename)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0005_library_review_task"),
        ("accounts", "0002_roles"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(through_workflow_only, wagtail_defaults)]
