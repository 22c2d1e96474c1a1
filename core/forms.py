"""What every form of the site refuses, whichever app it belongs to.

- **Control characters.** A character such as BEL or a vertical tab cannot be shown, breaks the
  XML of a feed, and a line break in a title breaks the header of an e-mail that names it. Text
  fields refuse them with a message next to the field; one-line fields refuse line breaks too.
  `guard_text_fields()` adds the checks to every text field of a form; `CleanFormMixin` calls it.
- **Ids that no database stores.** A choice of rows (a city, themes) or a formset row sent with
  an id such as `99999999999999999999` or `abc` is a wrong choice, not a database error (SQLite
  refuses integers beyond 64 bits with an exception). `formfield()` gives model forms choice
  fields that check the id first; `ChildFormSet` does the same for the rows of a formset.

What goes into a mail header or an XML document is normalised there as well (`single_line`,
`xml_safe`): text typed elsewhere (Wagtail's editor, an import) never passed these forms.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseModelFormSet, ModelFormMetaclass
from django.utils.translation import gettext_lazy as _
from modelcluster.forms import BaseChildFormSet

# C0 controls except tab, line feed and carriage return; DEL; C1 controls. XML 1.0 allows none of
# them (C1 only discouraged, but they are never typed on purpose).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]")
XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")

# The largest id a database column stores: SQLite's INTEGER and PostgreSQL's bigint are 64-bit.
MAX_ID = 2**63 - 1
_ID = re.compile(r"[0-9]{1,19}")


def is_id(value) -> bool:
    """Whether `value` (as sent by a browser) can be a row's id in any database the site uses."""
    text = str(value)
    return bool(_ID.fullmatch(text)) and 0 < int(text) <= MAX_ID


# --- Text --------------------------------------------------------------------------------------


def refuse_control_characters(value: str) -> None:
    if CONTROL_CHARACTERS.search(str(value)):
        raise ValidationError(
            _(
                "Remove the invisible control character from this text; it often comes with "
                "text pasted from another program."
            ),
            code="control_character",
        )


def refuse_line_breaks(value: str) -> None:
    if LINE_BREAKS.search(str(value)):
        raise ValidationError(_("Write this on one line."), code="line_break")


def guard_text_fields(form: forms.BaseForm) -> None:
    """Add the control-character checks to every text field of `form` (a text area may hold
    line breaks, a one-line field may not)."""
    for field in form.fields.values():
        if not isinstance(field, forms.CharField):
            continue
        checks = [refuse_control_characters]
        if not isinstance(field.widget, forms.Textarea):
            checks.append(refuse_line_breaks)
        field.validators.extend(check for check in checks if check not in field.validators)


class CleanFormMixin:
    """A form whose text fields refuse control characters (see `guard_text_fields`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_text_fields(self)


def single_line(text: str) -> str:
    """`text` as one line without control characters: for a mail header or a file name."""
    return " ".join(CONTROL_CHARACTERS.sub(" ", str(text)).split())


def xml_safe(text: str) -> str:
    """`text` without the characters that XML 1.0 cannot carry (a feed would fail to build)."""
    return XML_UNSAFE.sub("", str(text))


# --- Choices of rows ---------------------------------------------------------------------------


def _checks_ids(field) -> bool:
    return field.to_field_name is None and isinstance(
        field.queryset.model._meta.pk, models.AutoField | models.IntegerField
    )


class IdChoiceField(forms.ModelChoiceField):
    """A choice of one row, refusing ids that no database stores as a wrong choice."""

    def to_python(self, value):
        if value not in self.empty_values and _checks_ids(self) and not is_id(value):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": str(value)[:40]},
            )
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A choice of several rows, refusing ids that no database stores as a wrong choice."""

    def _check_values(self, value):
        if _checks_ids(self):
            for pk in value:
                if not is_id(pk):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": str(pk)[:40]},
                    )
        return super()._check_values(value)


def formfield(db_field, **kwargs):
    """The form field Django makes for `db_field`, with choices of rows that check their ids."""
    if isinstance(db_field, models.ForeignKey):
        kwargs.setdefault("form_class", IdChoiceField)
    elif isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", IdMultipleChoiceField)
    return db_field.formfield(**kwargs)


class _CleanModelFormMetaclass(ModelFormMetaclass):
    # Django reads `formfield_callback` from the form's own Meta only; a subclass that declares
    # its Meta (every model form does) would lose it. Give each Meta the callback unless it
    # names another one.
    def __new__(mcs, name, bases, attrs):
        meta = attrs.get("Meta")
        if meta is not None and getattr(meta, "formfield_callback", None) is None:
            meta.formfield_callback = staticmethod(formfield)
        return super().__new__(mcs, name, bases, attrs)


class CleanModelForm(CleanFormMixin, forms.ModelForm, metaclass=_CleanModelFormMetaclass):
    """A model form that refuses control characters and ids no database stores."""


class ChildFormSet(BaseChildFormSet):
    """Rows of a page's child objects (funds, links) that survive a tampered or stale form.

    modelcluster reads each row's id as sent: a missing id is a KeyError and `abc` a
    ValidationError raised out of `is_valid()`. A row whose id is missing, malformed or not one
    of this page's rows is a new row here, as Django's own model formsets treat it.
    """

    def _construct_form(self, i, **kwargs):
        if self.is_bound and i < self.initial_form_count():
            pk = self.data.get(f"{self.add_prefix(i)}-{self.model._meta.pk.name}", "")
            existing = self._existing_object(int(pk)) if is_id(pk) else None
            kwargs["instance"] = existing if existing is not None else self.model()
        elif i < self.initial_form_count() and "instance" not in kwargs:
            kwargs["instance"] = self.get_queryset()[i]
        # modelcluster's and Django's model formsets would read the id again, unchecked.
        return super(BaseModelFormSet, self)._construct_form(i, **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if index is not None and index < self.initial_form_count() and form.instance.pk is None:
            # The row became a new one above; its hidden id would only fail as a wrong choice
            # on a field the member cannot see.
            form.fields[self.model._meta.pk.name] = forms.CharField(
                required=False, widget=forms.HiddenInput
            )
