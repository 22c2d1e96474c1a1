from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import CleanFormMixin, CleanModelForm

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
]


class ProfileForm(CleanModelForm):
    """What a member tells the community about themselves."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Other members see who they deal with: a name is not optional on Urban Exchange.
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True

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

    def signup(self, request, user: User) -> None:
        for name in ("first_name", "last_name", "organisation", "organisation_type"):
            setattr(user, name, self.cleaned_data[name])
        user.save()
