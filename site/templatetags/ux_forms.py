"""Template filters that wire a form field's help text and errors up for assistive technology.

`includes/field.html` gives the help text the id ``<field id>_helptext`` and the error list the
id ``<field id>_error`` (Django's own convention). These filters point the widget at them, so a
screen reader reads the label, then the error, then the help text when the field takes focus.
"""

from django import template
from django.forms.boundfield import BoundField

register = template.Library()


@register.filter
def describedby(field: BoundField) -> str:
    """The ids that describe `field`: any the widget already names, its errors, its help text."""
    if not field.auto_id or field.is_hidden:
        return ""
    ids = (field.field.widget.attrs.get("aria-describedby") or "").split()
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    return " ".join(dict.fromkeys(ids))


@register.filter
def ux_widget(field: BoundField) -> str:
    """Render the widget of `field` with `aria-describedby` and `aria-invalid` set.

    Widgets drawn as a group of inputs (radio buttons, several checkboxes) are wrapped in a
    fieldset by the template, which carries `aria-describedby` for the whole group instead.
    """
    attrs = {}
    if field.errors:
        attrs["aria-invalid"] = "true"
    ids = describedby(field)
    if ids and not field.use_fieldset:
        attrs["aria-describedby"] = ids
    return field.as_widget(attrs=attrs)


@register.filter
def without_placeholders(form):
    """`form` with its widgets' placeholders removed, for forms drawn with visible labels.

    django-allauth sets placeholders because its own templates may hide the labels; ours never
    do, and a placeholder beside a label only makes an empty field look filled in. Each form
    instance has its own copy of its fields, so this changes no other form.
    """
    for field in getattr(form, "fields", {}).values():
        field.widget.attrs.pop("placeholder", None)
    return form
