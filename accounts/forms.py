from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import CleanFormMixin, CleanModelForm

from .countries import countries_by_name
from .models import User

PROFILE_FIELDS = [
    "first_name",
    "last_name",
    "organisation",
    "organisation_type",
    "job_title",
    "city",
    "country",
    "preferred_language",
    "notify_outcome_reports",
]

#: What sign-up asks for and the profile may not leave empty: other members see who they deal
#: with, and the moderators whom a practice comes from. One list, so that the two forms agree.
REQUIRED_PROFILE_FIELDS = ("first_name", "last_name", "organisation", "organisation_type")

#: What browsers and password managers fill in for these fields (WCAG 1.3.5, "Identify Input
#: Purpose"): the HTML autocomplete tokens.
AUTOCOMPLETE = {
    "first_name": "given-name",
    "last_name": "family-name",
    "organisation": "organization",
    "job_title": "organization-title",
    "city": "address-level2",
    "country": "country",
    "email": "email",
}


def describe_inputs(form: forms.BaseForm) -> None:
    """Give `form`'s personal fields their autocomplete token and make the shared ones required."""
    for name, token in AUTOCOMPLETE.items():
        if name in form.fields:
            form.fields[name].widget.attrs["autocomplete"] = token
    for name in REQUIRED_PROFILE_FIELDS:
        if name in form.fields:
            form.fields[name].required = True


class ProfileForm(CleanModelForm):
    """What a member tells the community about themselves."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        describe_inputs(self)
        # By name in the reader's language, not by ISO code ("Bosnia" came before "Belgium").
        self.fields["country"].choices = [("", "---------"), *countries_by_name()]

    class Meta:
        model = User
        fields = PROFILE_FIELDS
        help_texts = {
            "city": _("The city you work for or in."),
        }


class SignupProfileForm(CleanFormMixin, forms.Form):
    """Extra fields on allauth's sign-up form: the name and organisation behind the address."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        help_text=_("The city, authority or organisation you work for."),
    )
    organisation_type = forms.ChoiceField(
        label=_("Type of organisation"),
        choices=[("", "---------"), *User._meta.get_field("organisation_type").choices],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        describe_inputs(self)

    def signup(self, request, user: User) -> None:
        for name in ("first_name", "last_name", "organisation", "organisation_type"):
            setattr(user, name, self.cleaned_data[name])
        user.save()
