"""The member's dilemma form: one page, in fieldsets, that works without JavaScript.

The form only reads what the member typed; `academy.services` decides what may be saved and
submitted, and when. Rich text is typed in plain text areas and becomes clean HTML through the
one sanitising module. The attachment is not checked here: the services check it after the
text has been saved, so that a refused file never costs the member what they typed.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.countries import EUROPEAN_COUNTRIES
from core.forms import CleanFormMixin, IdMultipleChoiceField
from core.sanitising import editable_text
from practices.forms import RichTextArea
from practices.models import PracticePage, Theme

from . import services
from .models import Dilemma

NEEDED = _("Needed before you submit.")


class PracticeChoiceField(IdMultipleChoiceField):
    """Live practices of the library, labelled so that typing in the list finds them."""

    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.city.name})" if obj.city_id else obj.title


class UploadField(forms.FileField):
    """A file field that leaves the checks to the services (type, size, content): a refused
    file is reported next to the field after the text has been saved."""

    def to_python(self, data):
        return data or None

    def validate(self, value):
        pass


class DilemmaForm(CleanFormMixin, forms.Form):
    title = forms.CharField(
        label=_("Title of the dilemma"),
        max_length=200,
        required=False,
        help_text=_("One line that says what the city has to choose. %(needed)s")
        % {"needed": NEEDED},
    )
    city = forms.CharField(label=_("City"), max_length=120, required=False, help_text=NEEDED)
    country = forms.ChoiceField(
        label=_("Country"), choices=[("", _("Choose…")), *EUROPEAN_COUNTRIES], required=False
    )
    organisation = forms.CharField(
        label=_("Organisation"), max_length=200, required=False, help_text=NEEDED
    )
    policy_context = RichTextArea(
        label=_("The policy context"),
        help_text=_(
            "The situation in your city: who is concerned, which policies and partners. "
            "Leave a blank line between paragraphs. %(needed)s"
        )
        % {"needed": NEEDED},
    )
    dilemma = RichTextArea(
        label=_("The dilemma"),
        help_text=_("The choice the city faces, and why it is hard. %(needed)s")
        % {"needed": NEEDED},
    )
    tried = RichTextArea(
        label=_("What has been tried"),
        help_text=_("What the city or others have tried already, and what came of it."),
    )
    expectations = RichTextArea(
        label=_("What the city wants from the experts"),
        help_text=_("The advice, examples or contacts you hope for. %(needed)s")
        % {"needed": NEEDED},
    )
    themes = IdMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("They help us find the experts who know the subject."),
    )
    related_practices = PracticeChoiceField(
        label=_("Related practices from the library"),
        queryset=PracticePage.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_(
            "Practices of other cities close to your dilemma; at most %(count)d. Hold Ctrl "
            "(or Cmd) to choose several; typing a name jumps to it."
        )
        % {"count": services.MAX_RELATED_PRACTICES},
    )
    file = UploadField(
        label=_("Add an attachment"),
        required=False,
        help_text=_(
            "One file each time you save: a PDF, an office document or an image, at most "
            "%(count)d files. Only you, the editors and the dilemma's experts can open them."
        )
        % {"count": services.MAX_ATTACHMENTS},
    )
    consent_to_share = forms.BooleanField(
        label=_("I agree that the Academy's experts read this dilemma and its attachments"),
        required=False,
        help_text=_("Needed before you submit: the experts can only review what you share."),
    )

    #: (legend, field names): the page's fieldsets, in order.
    FIELDSETS = (
        (_("About the dilemma"), ("title", "city", "country", "organisation")),
        (_("The dilemma"), ("policy_context", "dilemma", "tried", "expectations")),
        (_("Themes and practices"), ("themes", "related_practices")),
        (_("Attachments"), ("file",)),
        (_("Sharing with the experts"), ("consent_to_share",)),
    )

    def __init__(self, *args, dilemma: Dilemma, **kwargs):
        super().__init__(*args, **kwargs)
        self.dilemma = dilemma
        self.fields["related_practices"].queryset = (
            PracticePage.objects.live().public().select_related("city").order_by("title")
        )
        for name in ("title", "city", "country", "organisation"):
            self.initial.setdefault(name, getattr(dilemma, name))
        for name in services.RICH_TEXT_FIELDS:
            self.initial.setdefault(name, editable_text(getattr(dilemma, name)))
        self.initial.setdefault("consent_to_share", dilemma.consent_to_share)
        if dilemma.pk:
            self.initial.setdefault("themes", [t.pk for t in dilemma.themes.all()])
            self.initial.setdefault(
                "related_practices", [p.pk for p in dilemma.related_practices.all()]
            )

    def fieldsets(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.FIELDSETS]

    @property
    def text_is_valid(self) -> bool:
        """Whether everything but the file may be saved."""
        return not any(name != "file" for name in self.errors)

    def values(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name in services.EDITABLE_FIELDS}

    def show_refusal(self, error: services.AcademyError) -> None:
        """The services' refusal: each message next to its field, the rest at the top."""
        if not error.field_errors or error.message not in error.field_errors.values():
            self.add_error(None, error.message)
        for name, message in error.field_errors.items():
            self.add_error(name if name in self.fields else None, message)


class SummaryConsentForm(forms.Form):
    agree = forms.BooleanField(
        label=_(
            "I agree that a summary of the experts' feedback appears on the edition's outcome "
            "report, with our city's name."
        ),
        required=False,
    )
