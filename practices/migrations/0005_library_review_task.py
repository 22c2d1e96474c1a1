"""The practice library's group approval task becomes a practice review task.

The task keeps its id, name, groups and history: the new model extends GroupApprovalTask, so
only a row in the new table is added and the task's content type changed. Workflows on a
practice library and the one named "Practice moderation" are converted; the default workflow
that Wagtail puts on the root is left alone (it serves every other page).
"""

from django.db import migrations
from django.db.models import Q

WORKFLOW_NAME = "Practice moderation"


def _content_type(apps, app_label, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]


def _library_workflow_ids(apps):
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    library = _content_type(apps, "practices", "practiceindexpage")
    on_a_library = WorkflowPage.objects.filter(page__content_type=library).values("workflow_id")
    return Workflow.objects.filter(Q(pk__in=on_a_library) | Q(name=WORKFLOW_NAME)).values("pk")


def to_review_task(apps, schema_editor):
    Task = apps.get_model("wagtailcore", "Task")
    PracticeReviewTask = apps.get_model("practices", "PracticeReviewTask")
    group_approval = _content_type(apps, "wagtailcore", "groupapprovaltask")
    review = _content_type(apps, "practices", "practicereviewtask")
    tasks = Task.objects.filter(
        content_type=group_approval, workflow_tasks__workflow__in=_library_workflow_ids(apps)
    ).distinct()
    for task in tasks:
        # raw: add the row of the new table only; the parents' rows (name, groups) stay.
        PracticeReviewTask(groupapprovaltask_ptr_id=task.pk).save_base(raw=True)
        Task.objects.filter(pk=task.pk).update(content_type=review)


def to_group_approval_task(apps, schema_editor):
    Task = apps.get_model("wagtailcore", "Task")
    PracticeReviewTask = apps.get_model("practices", "PracticeReviewTask")
    group_approval = _content_type(apps, "wagtailcore", "groupapprovaltask")
    review = _content_type(apps, "practices", "practicereviewtask")
    ids = list(PracticeReviewTask.objects.values_list("pk", flat=True))
    Task.objects.filter(pk__in=ids, content_type=review).update(content_type=group_approval)
    table = schema_editor.quote_name(PracticeReviewTask._meta.db_table)
    column = schema_editor.quote_name("groupapprovaltask_ptr_id")
    for pk in ids:
        # A queryset delete would remove the parents' rows too.
        schema_editor.execute(f"DELETE FROM {table} WHERE {column} = %s", [pk])  # noqa: S608


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0004_practice_review_task"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(to_review_task, to_group_approval_task)]
