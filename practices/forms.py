"""The member's practice form, in steps, each a plain HTML form that works without JavaScript.

Each step edits the practice as last saved (the latest revision, see `services.latest_draft`) and
applies its fields to it in memory; the view then saves a new revision through the services.
Rich text is typed in plain text areas and goes through the one sanitising module. Uploaded
files are checked by `core.uploads`; the form only attaches them to the draft, and the services
store them in the transaction that saves it.
"""

from dataclasses import dataclass
from pathlib import PurePath

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.forms import childformset_factory
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from accounts.models import User
from core.forms import ChildFormSet, CleanFormMixin, CleanModelForm
from core.sanitising import editable_text, text_to_html
from core.uploads import (
    MemberImageField,
    allowed_document_extensions,
    image_extension,
    member_uploads,
    stored_name,
    validate_document_upload,
)

from . import places, services
from .models import (
    MAX_DOCUMENTS,
    MAX_IMAGES,
    Action,
    Fund,
    GovernanceLevel,
    Partnership,
    PracticeDocument,
    PracticeFund,
    PracticeImage,
    PracticeLink,
    PracticePage,
    Recommendation,
    TargetGroup,
    Theme,
)
from .public import LINEAGE_FIELDS


@dataclass(frozen=True)
class Step:
    """One section of the practice form, as the progress indicator names it."""

    slug: str
    title: str


STEPS = [
    Step("about", _("About the practice")),
    Step("classification", _("Themes and funding")),
    Step("story", _("The story")),
    Step("media", _("Images, documents and links")),
    Step("contact", _("Contact")),
    Step("review", _("Check and submit")),
]
STEP_SLUGS = [step.slug for step in STEPS]


def next_step(slug: str) -> str:
    index = STEP_SLUGS.index(slug)
    return STEP_SLUGS[min(index + 1, len(STEP_SLUGS) - 1)]


# --- Rich text in a plain text area ------------------------------------------------------------


class RichTextArea(forms.CharField):
    """A text area whose text becomes clean HTML: blank lines make paragraphs."""

    widget = forms.Textarea(attrs={"rows": 8})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 20_000)
        super().__init__(**kwargs)

    def clean(self, value):
        return text_to_html(super().clean(value))


class DraftStepForm(CleanModelForm):
    """A step of the practice form, bound to the practice as last saved."""

    rich_text_fields: tuple[str, ...] = ()

    def __init__(self, *args, instance: PracticePage, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        for name in self.rich_text_fields:
            self.initial[name] = editable_text(getattr(instance, name))

    def _update_errors(self, errors):
        # `PracticePage.clean` checks the whole practice. An error about a field of another
        # step (a draft saved before the rule existed) goes at the top of this one: Django
        # refuses to attach an error to a field that the form does not have.
        if hasattr(errors, "error_dict"):
            shown, elsewhere = {}, []
            for field, messages in errors.error_dict.items():
                if field in self.fields:
                    shown[field] = messages
                else:
                    elsewhere.extend(messages)
            if elsewhere:
                shown[NON_FIELD_ERRORS] = elsewhere
            errors = ValidationError(shown)
        super()._update_errors(errors)

    def apply(self) -> PracticePage:
        """Write the cleaned fields onto the practice in memory (saved by the services)."""
        practice = self.save(commit=False)
        self.save_m2m()  # sets ParentalManyToManyFields in memory, kept in the revision
        return practice


# --- The steps ---------------------------------------------------------------------------------


class CityNameField(forms.CharField):
    """The typed city: required, but `AboutForm.clean` says so, as the hidden choice may stand
    in for it (a form that sends the city's id only)."""

    def validate(self, value):
        pass


class AboutForm(DraftStepForm):
    """The practice's name, place and period.

    The city is typed, not picked from a list of the library's cities: a member may name any
    European city (`practices.places`). With JavaScript the name field is a combobox that
    suggests cities as the member types and fills in the hidden `city` field; without it, the
    member types a name and, if several cities answer to it, chooses among them on the next
    step (the hidden field becomes radio buttons). A city named for the first time becomes a
    `City` when the step is saved.
    """

    city_name = CityNameField(
        label=_("City"),
        max_length=200,
        help_text=_(
            "Start typing and choose the city: any European city of more than 15,000 "
            "inhabitants. For a metropolitan area, name its main city."
        ),
    )
    city = forms.CharField(label=_("Which city do you mean?"), required=False, max_length=40)

    field_order = ["title", "summary", "city_name", "city"]

    class Meta:
        model = PracticePage
        fields = [
            "title",
            "summary",
            "lead_organisation",
            "partners",
            "start_date",
            "end_date",
            "status",
        ]
        labels = {"title": _("Name of the practice")}
        help_texts = {
            "title": _("Short, as people call it: for example TAST'in FIVES."),
            "start_date": _("When it started; the first day of the month is fine."),
        }
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
            "partners": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].max_length = 120
        self.fields["city"].widget = forms.HiddenInput()
        self.fields["city_name"].widget.attrs.update(
            {
                "autocomplete": "off",
                "spellcheck": "false",
                "data-places-url": reverse("practices:places"),
                "data-places-value": self.add_prefix("city"),
                "data-one-found": _("1 city found; use the arrow keys to choose it"),
                "data-many-found": _("%s cities found; use the arrow keys to choose one"),
                "data-none-found": _("No city found"),
                "data-suggestions-label": _("Suggested places"),
            }
        )
        if self.instance.city_id:
            self.initial.setdefault("city_name", places.city_label(self.instance.city))
            self.initial.setdefault("city", str(self.instance.city_id))
        self.city_choice: places.Choice | None = None

    def clean(self):
        cleaned = super().clean()
        text = " ".join(str(cleaned.get("city_name") or "").split())
        value = cleaned.get("city") or ""
        chosen = places.choice_for(value) if value else None
        if value and chosen is None:
            self.add_error("city", _("Choose one of the cities offered."))
            return cleaned
        if not text:
            if chosen is None:
                self.add_error("city_name", _("Type the name of the city."))
            self.city_choice = chosen
            return cleaned
        if chosen is not None and places.folded(text) in (
            places.folded(chosen.label),
            places.folded(chosen.label.rpartition(",")[0]),
        ):
            self.city_choice = chosen
            return cleaned
        candidates = places.matching(text)
        if chosen is not None and chosen.value in {candidate.value for candidate in candidates}:
            self.city_choice = chosen
            return cleaned
        exact = [
            candidate
            for candidate in candidates
            if places.folded(candidate.label.rpartition(",")[0]) == places.folded(text)
        ]
        if len(candidates) == 1 or len(exact) == 1:
            self.city_choice = exact[0] if len(exact) == 1 else candidates[0]
            return cleaned
        if not candidates:
            self.add_error("city_name", places.no_match_message(text))
            return cleaned
        # The next step of the form without JavaScript: choose among the matching cities.
        self.fields["city"].widget = forms.RadioSelect(
            choices=[(candidate.value, candidate.label) for candidate in candidates]
        )
        self.add_error(
            "city_name",
            _("Several cities match “%(name)s”: choose yours below.") % {"name": text},
        )
        return cleaned

    def apply(self) -> PracticePage:
        practice = super().apply()
        if self.city_choice is not None:
            practice.city = services.city_of(self.city_choice)
        return practice


class FundForm(CleanModelForm):
    class Meta:
        model = PracticeFund
        fields = ["fund", "amount_eur"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = Fund.objects.order_by("name")


class RowsFormSet(ChildFormSet):
    """Rows the member adds and removes with buttons, not empty rows and "Delete" boxes.

    No empty row is shown until the member asks for one ("Add a fund" saves and comes back with
    one; with JavaScript it appears in place). Each row's "Remove" button marks its hidden
    DELETE field: the view does it from the button's value without JavaScript
    (`with_row_removed`), the script in place.
    """

    def __init__(self, *args, add_row: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # Read when the rows are first built: one empty row when the member asked for it, or
        # when there is none yet and it would otherwise only be a button.
        self.extra = 1 if add_row else 0

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # modelcluster orders the rows of an Orderable whatever `can_order` says: the rows keep
        # the order they are shown in, so the "Order" number need not be typed.
        for name in ("DELETE", "ORDER"):
            if name in form.fields:
                form.fields[name].widget = forms.HiddenInput()


def with_row_removed(data, choice: str, prefixes: tuple[str, ...] = ("funds", "links")):
    """`data` with the row named by a "Remove" button's value (`remove:funds-2`) marked deleted."""
    if not choice.startswith("remove:"):
        return data
    row = choice.removeprefix("remove:")
    prefix, _, index = row.rpartition("-")
    if prefix not in prefixes or not index.isdigit() or len(index) > 3:
        return data
    data = data.copy()
    data[f"{row}-DELETE"] = "on"
    return data


FundFormSet = childformset_factory(
    PracticePage,
    PracticeFund,
    form=FundForm,
    formset=RowsFormSet,
    extra=0,
    max_num=10,
    validate_max=True,
    can_delete=True,
)


class ClassificationForm(DraftStepForm):
    class Meta:
        model = PracticePage
        fields = ["themes", "governance_levels", "target_groups", "partnership", "action"]
        widgets = {
            "themes": forms.CheckboxSelectMultiple,
            "governance_levels": forms.CheckboxSelectMultiple,
            "target_groups": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, add_row: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Theme.objects.order_by("name")
        self.fields["governance_levels"].queryset = GovernanceLevel.objects.all()
        self.fields["target_groups"].queryset = TargetGroup.objects.order_by("name")
        self.fields["partnership"].queryset = Partnership.objects.order_by("name")
        self.fields["action"].queryset = Action.objects.select_related("partnership").order_by(
            "partnership__name", "number"
        )
        self.fields["partnership"].help_text = _(
            "If the practice contributes to an Urban Agenda for the EU partnership."
        )
        self.funds = FundFormSet(
            self.data or None, instance=self.instance, prefix="funds", add_row=add_row == "funds"
        )

    def is_valid(self) -> bool:
        return all([super().is_valid(), self.funds.is_valid()])

    def apply(self) -> PracticePage:
        practice = super().apply()
        self.funds.save(commit=False)
        return practice


STORY_FIELDS = ("problem", "approach", "results", "resources", "difficulties", "transferability")


ORIGIN_FIELDS = ("original_search", *LINEAGE_FIELDS)
#: How many practices a search for the original offers at most.
MAX_ORIGINAL_CHOICES = 20


class OriginalChoiceField(forms.ModelChoiceField):
    """A published practice of the library, shown as "title (city)"."""

    def label_from_instance(self, obj):
        return _("%(title)s (%(city)s)") % {"title": obj.title, "city": obj.city.name}


class StoryForm(DraftStepForm):
    """The story, and where the practice came from (transfer lineage).

    The original is found with a search over the library that works without JavaScript: the
    member types words and presses "Find", the step is saved and comes back with the matching
    published practices as radio buttons (`find`). The rules (one original, live, no cycle)
    are `PracticePage.clean`'s, which this form's validation runs.
    """

    rich_text_fields = STORY_FIELDS
    origin_field_names = ORIGIN_FIELDS
    problem = RichTextArea(label=_("The problem"))
    approach = RichTextArea(label=_("Approach and activities"))
    results = RichTextArea(label=_("Results and evidence"))
    resources = RichTextArea(label=_("Resources and budget"))
    difficulties = RichTextArea(label=_("What was difficult"))
    transferability = RichTextArea(label=_("Transferability"))
    original_search = forms.CharField(
        label=_("Was your practice adapted from another city's? Find the original in the library"),
        required=False,
        max_length=100,
        help_text=_(
            "Type words of its name or its city and press “Find”, then choose it below. If it "
            "is not in the library, give the address of its page instead."
        ),
    )
    adapted_from = OriginalChoiceField(
        label=_("Adapted from (a practice of the library)"),
        queryset=PracticePage.objects.none(),
        required=False,
        empty_label=_("Not adapted from a practice of the library"),
        widget=forms.RadioSelect,
    )
    original_url = forms.URLField(
        label=_("Or: address of the original's page outside the library"),
        max_length=500,
        required=False,
        assume_scheme="https",
        widget=forms.URLInput,
        help_text=_("Its page on the URBACT, UIA or Interreg Europe site, for example."),
    )

    class Meta:
        model = PracticePage
        fields = [
            *STORY_FIELDS,
            "adapted_from",
            "original_url",
            "original_title",
            "original_city",
            "transfer_taken_over",
            "transfer_changed",
            "transfer_help",
        ]
        widgets = {
            "transfer_taken_over": forms.Textarea(attrs={"rows": 4}),
            "transfer_changed": forms.Textarea(attrs={"rows": 4}),
            "transfer_help": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, find: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        # The model's help text tells a city officer what to write; keep it on the form.
        typing_hint = _("Leave a blank line between paragraphs.")
        for name in self.rich_text_fields:
            model_help = PracticePage._meta.get_field(name).help_text
            self.fields[name].help_text = f"{model_help} {typing_hint}"
        field = self.fields["adapted_from"]
        # Any other published practice is a valid answer (the choice sent is checked against
        # them all); the radio buttons offer the current one and those the search found.
        field.queryset = services.possible_originals(self.instance)
        find = " ".join(str(find or self.data.get("original_search", "") or "").split())[:100]
        self.initial.setdefault("original_search", find)
        offered = services.find_originals(self.instance, find, limit=MAX_ORIGINAL_CHOICES)
        current = self.instance.adapted_from_id
        if current and current not in {practice.pk for practice in offered}:
            original = field.queryset.filter(pk=current).first()
            if original is not None:
                offered.insert(0, original)
        field.widget.choices = [
            ("", field.empty_label),
            *((practice.pk, field.label_from_instance(practice)) for practice in offered),
        ]
        self.found_nothing = bool(find) and not offered
        if self.found_nothing:
            field.help_text = _("No published practice matches “%(words)s”.") % {"words": find}
        self.order_fields([*STORY_FIELDS, *ORIGIN_FIELDS])


class LinkForm(CleanModelForm):
    url = forms.URLField(
        label=_("Address"), max_length=500, assume_scheme="https", widget=forms.URLInput
    )

    class Meta:
        model = PracticeLink
        fields = ["title", "url"]


LinkFormSet = childformset_factory(
    PracticePage,
    PracticeLink,
    form=LinkForm,
    formset=RowsFormSet,
    extra=0,
    max_num=10,
    validate_max=True,
    can_delete=True,
)


class MediaForm(CleanFormMixin, forms.Form):
    """Add one image and one document at a time, and change the links.

    One upload of each per submit keeps the form usable without JavaScript: the member adds a
    file, saves, and the step comes back with it listed and an empty slot for the next one.
    """

    image = MemberImageField(
        label=_("Add an image"),
        required=False,
        help_text=_("A photo of the practice at work: JPEG, PNG, WebP or GIF, up to 10 MB."),
    )
    image_alt_text = forms.CharField(
        label=_("Describe the image"),
        required=False,
        max_length=255,
        help_text=_("For people who cannot see it: what does it show?"),
    )
    image_caption = forms.CharField(label=_("Caption"), required=False, max_length=255)
    document = forms.FileField(
        label=_("Add a document"),
        required=False,
        help_text=_("A report, evaluation or guide: PDF or office file, up to 20 MB."),
    )
    document_title = forms.CharField(
        label=_("Document title"),
        required=False,
        max_length=255,
        help_text=_("Leave empty to use the file name."),
    )
    remove_images = forms.MultipleChoiceField(
        label=_("Remove images"), required=False, widget=forms.CheckboxSelectMultiple
    )
    remove_documents = forms.MultipleChoiceField(
        label=_("Remove documents"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, instance: PracticePage, member: User, add_row: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.member = member
        self.current_images = list(instance.images.all())
        self.current_documents = list(instance.documents.all())
        self.fields["remove_images"].choices = [
            (str(index), item.alt_text) for index, item in enumerate(self.current_images)
        ]
        self.fields["remove_documents"].choices = [
            (str(index), item.document.title) for index, item in enumerate(self.current_documents)
        ]
        # Nothing to remove yet: the boxes would only be an empty question.
        if not self.current_images:
            del self.fields["remove_images"]
        if not self.current_documents:
            del self.fields["remove_documents"]
        self.fields["document"].widget.attrs["accept"] = ",".join(
            f".{extension}" for extension in allowed_document_extensions()
        )
        self.links = LinkFormSet(
            self.data or None, instance=instance, prefix="links", add_row=add_row == "links"
        )

    def is_valid(self) -> bool:
        valid = all([super().is_valid(), self.links.is_valid()])
        if not valid:
            self._ask_for_files_again()
        return valid

    def _ask_for_files_again(self) -> None:
        """A browser does not send a file again when the form comes back with a problem: say
        so next to each file field the member had filled in, or they would think it was kept."""
        again = str(_("Choose the file again: files are not kept while the form has a problem."))
        for name in ("image", "document"):
            if self.files.get(name) and again not in self.errors.get(name, []):
                self.add_error(name, again)

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if upload and len(self.current_images) >= MAX_IMAGES:
            raise ValidationError(
                _("A practice can show %(count)d images; remove one first.") % {"count": MAX_IMAGES}
            )
        return upload

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if upload:
            validate_document_upload(upload)
            if len(self.current_documents) >= MAX_DOCUMENTS:
                raise ValidationError(
                    _("A practice can offer %(count)d documents; remove one first.")
                    % {"count": MAX_DOCUMENTS}
                )
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("image") and not cleaned.get("image_alt_text", "").strip():
            self.add_error(
                "image_alt_text",
                _("Describe the image for people who cannot see it."),
            )
        return cleaned

    def apply(self) -> PracticePage:
        """Write the changes onto the practice in memory, new files attached but not stored.

        A new file gets a name the site chooses; its readable name becomes the title. The
        services store it (`services.save_draft`) in the transaction that saves the draft.
        """
        practice = self.instance
        removed_images = {int(i) for i in self.cleaned_data.get("remove_images", [])}
        removed_documents = {int(i) for i in self.cleaned_data.get("remove_documents", [])}
        images = [item for i, item in enumerate(self.current_images) if i not in removed_images]
        documents = [
            item for i, item in enumerate(self.current_documents) if i not in removed_documents
        ]
        new_image, new_document = self.cleaned_data.get("image"), self.cleaned_data.get("document")
        collection = member_uploads() if new_image or new_document else None
        if upload := new_image:
            upload.name = stored_name(image_extension(upload))
            image = get_image_model()(
                title=self.cleaned_data["image_alt_text"][:255],
                file=upload,
                collection=collection,
                uploaded_by_user=self.member,
            )
            images.append(
                PracticeImage(
                    image=image,
                    alt_text=self.cleaned_data["image_alt_text"],
                    caption=self.cleaned_data["image_caption"],
                )
            )
        if upload := new_document:
            title = self.cleaned_data["document_title"] or upload.name
            # The extension was checked against the content: it names the detected format.
            upload.name = stored_name(PurePath(upload.name).suffix.lstrip("."))
            document = get_document_model()(
                title=title[:255],
                file=upload,
                collection=collection,
                uploaded_by_user=self.member,
            )
            documents.append(PracticeDocument(document=document))
        for order, item in enumerate(images):
            item.sort_order = order
        for order, item in enumerate(documents):
            item.sort_order = order
        practice.images = images
        practice.documents = documents
        self.links.save(commit=False)
        return practice


class ContactForm(DraftStepForm):
    class Meta:
        model = PracticePage
        fields = ["contact_name", "contact_email"]
        help_texts = {
            "contact_name": _("The person visitors should write to, usually you."),
        }


STEP_FORMS = {
    "about": AboutForm,
    "classification": ClassificationForm,
    "story": StoryForm,
    "media": MediaForm,
    "contact": ContactForm,
}


def step_form(
    step: str,
    practice: PracticePage,
    member: User,
    data=None,
    files=None,
    add_row: str = "",
    find: str = "",
):
    """The form for `step`, bound to `data` and `files` when the member has sent them.

    `add_row` names the rows ("funds", "links") that get one empty row for the member to fill;
    `find` the words of a search for the practice's original (the story step).
    """
    form_class = STEP_FORMS[step]
    if form_class is MediaForm:
        return MediaForm(data, files, instance=practice, member=member, add_row=add_row)
    if form_class is ClassificationForm:
        return ClassificationForm(data, files, instance=practice, add_row=add_row)
    if form_class is ContactForm and data is None and not practice.contact_email:
        return ContactForm(
            instance=practice,
            initial={"contact_name": member.get_full_name(), "contact_email": member.email},
        )
    if form_class is StoryForm:
        return StoryForm(data, files, instance=practice, find=find)
    return form_class(data, files, instance=practice)


# --- Expert opinions --------------------------------------------------------------------------


class OpinionForm(CleanFormMixin, forms.Form):
    """An expert's opinion on a practice. The texts stay as typed here: `practices.opinions`
    cleans them and decides what a submitted opinion must say."""

    strengths = forms.CharField(
        label=_("Strengths"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What works well, and for whom. Leave a blank line between paragraphs."),
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What your opinion rests on: results measured, reports, what you saw."),
    )
    conditions = forms.CharField(
        label=_("Conditions for transfer"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "What another city needs to reuse it: partners, money, legal basis, skills. "
            "Required if you recommend it with conditions."
        ),
    )
    recommendation = forms.ChoiceField(
        label=_("Do you recommend it for transfer to another city?"),
        required=False,
        choices=Recommendation.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, opinion=None, **kwargs):
        if opinion is not None and not kwargs.get("data") and not args:
            kwargs["initial"] = {
                "strengths": editable_text(opinion.strengths),
                "evidence": editable_text(opinion.evidence),
                "conditions": editable_text(opinion.conditions),
                "recommendation": opinion.recommendation,
            }
        kwargs.setdefault("auto_id", "opinion_%s")
        super().__init__(*args, **kwargs)


class OpinionReplyForm(CleanFormMixin, forms.Form):
    """The practice owner's one public reply to a published opinion."""

    reply = forms.CharField(
        label=_("Your reply"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Shown in public below the opinion. You can reply once."),
    )

    def __init__(self, *args, opinion_id: int, **kwargs):
        kwargs.setdefault("auto_id", f"reply_{opinion_id}_%s")
        super().__init__(*args, **kwargs)


class OpinionDecisionForm(CleanFormMixin, forms.Form):
    """A moderator's decision on a submitted opinion, or on a published one (`decisions`: what
    `practices.opinions.decisions_for` allows now)."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("publish", _("Publish it")),
            ("send_back", _("Send it back to the expert for changes")),
            ("decline", _("Decline it")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment for the expert"),
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required to send it back or decline it: the expert reads it."),
    )

    UNPUBLISH_CHOICE = ("unpublish", _("Unpublish it and send it back to the expert"))

    def __init__(self, *args, decisions=("publish", "send_back", "decline"), **kwargs):
        super().__init__(*args, **kwargs)
        offered = [*self.fields["decision"].choices, self.UNPUBLISH_CHOICE]
        self.fields["decision"].choices = [c for c in offered if c[0] in decisions]
        if decisions == ("unpublish",):
            self.fields["comment"].help_text = _(
                "Required: the expert reads why their opinion was taken off the practice's page."
            )


def apply_opinion_error(form: forms.Form, error) -> None:
    """An `OpinionError`'s message at the top, each field error next to its field."""
    field_errors = getattr(error, "field_errors", {})
    shown = {name: message for name, message in field_errors.items() if name in form.fields}
    if not shown or len(shown) < len(field_errors):
        form.add_error(None, error.message)
    for name, message in shown.items():
        form.add_error(name, message)
