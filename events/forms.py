"""The registration form: who is coming, the event's own questions, and consent.

A member's form is filled in from their profile; a visitor types it in and then confirms the
address from an e-mail. `website` is a honeypot, as on the contact form: people never see it,
so anything in it was typed by a bot.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.countries import EUROPEAN_COUNTRIES
from accounts.models import OrganisationType
from core.forms import CleanFormMixin

from .models import EventPage, QuestionKind, RegistrationQuestion
from .services import Person

ANSWER_MAX_LENGTH = 2000
YES, NO = "yes", "no"


def retention_months() -> int:
    return getattr(settings, "EVENT_REGISTRATION_RETENTION_MONTHS", 12)


class RegistrationForm(CleanFormMixin, forms.Form):
    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Your invite and the link to manage your registration go here."),
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    organisation_type = forms.ChoiceField(
        label=_("Type of organisation"),
        choices=[("", _("Choose…")), *OrganisationType.choices],
        required=False,
    )
    country = forms.ChoiceField(
        label=_("Country"),
        choices=[("", _("Choose…")), *EUROPEAN_COUNTRIES],
        required=False,
    )
    consent = forms.BooleanField(
        label=_("I agree that the organisers store these details to run the event."),
        required=True,
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    HONEYPOT = "website"

    def __init__(self, *args, event: EventPage, user=None, **kwargs):
        kwargs.setdefault("auto_id", "registration_%s")
        if user is not None and user.is_authenticated and not kwargs.get("data"):
            kwargs["initial"] = {**Person.from_user(user).__dict__, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.event = event
        months = retention_months()
        self.fields["consent"].help_text = _(
            "Your name, e-mail address, organisation, country and answers are seen only by the "
            "organisers and editors of this site. They are deleted %(months)s months after the "
            "event; only anonymous counts are kept for the report."
        ) % {"months": months}
        self.questions = list(event.questions.all())
        for question in self.questions:
            self.fields[question.key] = _question_field(question)
        # The honeypot last, after the questions.
        self.fields[self.HONEYPOT] = self.fields.pop(self.HONEYPOT)
        # The consent box after the questions too: it is the last thing people read.
        self.fields["consent"] = self.fields.pop("consent")

    @property
    def is_from_bot(self) -> bool:
        return bool(self.cleaned_data.get(self.HONEYPOT, "").strip())

    def visible_fields(self):
        return [field for field in super().visible_fields() if field.name != self.HONEYPOT]

    @property
    def honeypot(self):
        return self[self.HONEYPOT]

    @property
    def person(self) -> Person:
        data = self.cleaned_data
        return Person(
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            organisation=data.get("organisation", ""),
            organisation_type=data.get("organisation_type", ""),
            country=data.get("country", ""),
        )

    @property
    def answers(self) -> dict[str, str]:
        """The answers by question key, with the question as it was asked."""
        answers = {}
        for question in self.questions:
            value = self.cleaned_data.get(question.key)
            if value in (None, ""):
                continue
            answers[question.key] = {"question": question.label, "answer": value}
        return answers


def _question_field(question: RegistrationQuestion) -> forms.Field:
    common = {
        "label": question.label,
        "required": question.required,
        "help_text": question.help_text,
    }
    if question.kind == QuestionKind.CHOICE:
        return forms.ChoiceField(
            choices=[("", _("Choose…")), *((c, c) for c in question.choice_list)], **common
        )
    if question.kind == QuestionKind.YES_NO:
        return forms.ChoiceField(
            choices=[(YES, _("Yes")), (NO, _("No"))], widget=forms.RadioSelect, **common
        )
    return forms.CharField(
        max_length=ANSWER_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}), **common
    )
