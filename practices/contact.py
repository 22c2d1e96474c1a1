"""Writing to the owner of a practice, without ever learning their address.

A practice page ends with a form. Urban Exchange forwards what the visitor writes by e-mail to
the practice's contact address (or, when the city gave none, to the member who owns the page),
with the visitor's address as Reply-To: the owner decides whether to answer and so reveal
their own address. Visitors never see it, not even after they have written.

Everything about this lives here: the form, the rate limit and the rule that sends the message.
The view in `practices.views.contact` only connects them to a request.
"""

from email.utils import formataddr

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import ratelimit
from core.forms import CleanFormMixin
from core.mail import UnbuildableEmail, absolute_url, send_templated
from core.ratelimit import DAY, HOUR

from .models import PracticePage
from .services import PracticeError

MESSAGE_MAX_LENGTH = 5000

# Enough for a real exchange (a question, a follow-up, a colleague writing too) and few enough
# that neither one sender nor a swarm of them can flood an owner's inbox through us.
MESSAGES_PER_CLIENT_PER_HOUR = 5
MESSAGES_PER_PRACTICE_PER_DAY = 20


class ContactOwnerForm(CleanFormMixin, forms.Form):
    """What a visitor writes to a practice's owner.

    `website` is a honeypot: people never see it (the template hides it and keeps it out of
    the tab order), so anything in it was typed by a bot. Such a submission is valid, looks
    sent to whoever made it, and is dropped; see `is_from_bot`.
    """

    # autocomplete names the purpose of the fields, so browsers and assistive tools can fill
    # them in (WCAG 1.3.5).
    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("The practice owner replies to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    message = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("At most 5,000 characters."),
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    HONEYPOT = "website"

    def __init__(self, *args, **kwargs):
        # The form sits on a practice page beside other forms: its own ids avoid clashes.
        kwargs.setdefault("auto_id", "contact_%s")
        super().__init__(*args, **kwargs)

    def clean_name(self) -> str:
        # Line breaks are already refused (CleanFormMixin); runs of spaces are collapsed so the
        # name reads as one clean display name in the Reply-To header.
        return " ".join(self.cleaned_data["name"].split())

    def visible_fields(self):
        """The fields people fill in. The honeypot is drawn apart, in a hidden wrapper, so the
        site's form includes never give it a visible label."""
        return [field for field in super().visible_fields() if field.name != self.HONEYPOT]

    @property
    def honeypot(self):
        return self[self.HONEYPOT]

    @property
    def is_from_bot(self) -> bool:
        """True when the hidden field was filled in. Only meaningful once the form is valid."""
        return bool(self.cleaned_data.get(self.HONEYPOT, "").strip())


def owner_address(practice: PracticePage) -> str:
    """Where messages about `practice` go: its contact address, else its owner's. May be ""."""
    if practice.contact_email:
        return practice.contact_email
    owner = practice.owner
    return owner.email if owner is not None and owner.email else ""


def can_be_contacted(practice: PracticePage) -> bool:
    return bool(owner_address(practice))


def contact_practice_owner(
    practice: PracticePage,
    *,
    sender_name: str,
    sender_email: str,
    message: str,
    client_ip: str,
) -> None:
    """Forward `message` to the owner of `practice` once the current transaction commits.

    Raises PracticeError, with `retry_after`, when the client or the practice has had its share
    of messages. Sending runs as a task through core.mail: a mail server that is down never
    turns into an error page for the visitor, and the message is retried, then kept for an
    admin to re-send.
    """
    recipient = owner_address(practice)
    if not recipient:
        # Views check can_be_contacted() first; reaching this is a programming error.
        raise ValueError(f"Practice {practice.pk} has no address to forward messages to.")
    _take_from_rate_limit(practice, client_ip)

    owner = practice.owner
    try:
        send_templated(
            "practices/emails/contact_owner",
            recipient,
            {
                "practice": practice,
                "practice_url": absolute_url(practice.get_url() or "/"),
                "sender_name": sender_name,
                "sender_email": sender_email,
                "message": message,
            },
            # The contact address is the city's; its owner's language is the best guess.
            language=getattr(owner, "preferred_language", None),
            # Reply-To lets the owner answer the visitor without the visitor ever seeing
            # their address.
            reply_to=[formataddr((sender_name, sender_email))],
        )
    except UnbuildableEmail:
        # core.mail builds the message before it queues it: one that cannot be built is
        # refused here, in front of the visitor, rather than lost after "sent".
        raise PracticeError(
            gettext(
                "Your message could not be sent because of the text of a field. Please "
                "change it and try again; what you wrote is still here."
            )
        ) from None


def _take_from_rate_limit(practice: PracticePage, client_ip: str) -> None:
    """Count this message against the client's hourly and the practice's daily allowance.

    The client is counted first and alone: someone who is refused does not use up the
    practice's allowance for everyone else.
    """
    if not ratelimit.take(
        f"practices:contact:client:{client_ip}", limit=MESSAGES_PER_CLIENT_PER_HOUR, window=HOUR
    ):
        raise PracticeError(
            gettext(
                "You have sent as many messages as we allow in an hour. Please try again "
                "in an hour; what you wrote is still here."
            ),
            retry_after=HOUR,
        )
    if not ratelimit.take(
        f"practices:contact:practice:{practice.pk}", limit=MESSAGES_PER_PRACTICE_PER_DAY, window=DAY
    ):
        raise PracticeError(
            gettext(
                "This practice has received as many messages as we forward in a day. Please "
                "try again tomorrow; what you wrote is still here."
            ),
            retry_after=DAY,
        )
