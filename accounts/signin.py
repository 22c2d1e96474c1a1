"""The sign-in form (ACCOUNT_FORMS["login"]), in its own module: allauth's forms module imports
ACCOUNT_SIGNUP_FORM_CLASS from `accounts.forms` while it loads, so `accounts.forms` cannot
import allauth's forms in turn."""

from allauth.account.forms import LoginForm as AllauthLoginForm

from .forms import describe_inputs


class LoginForm(AllauthLoginForm):
    """allauth's sign-in form with nothing between the password and the button.

    allauth puts a "Forgot your password?" link in the password's help text, so the keyboard
    went from the password to the link and only then to the button; the sign-in page shows
    the link after the button instead (account/login.html). Members stay signed in
    (ACCOUNT_SESSION_REMEMBER), so there is no "remember me" box either.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = ""
        describe_inputs(self)
        if "login" in self.fields:
            self.fields["login"].widget.attrs["autocomplete"] = "email"
