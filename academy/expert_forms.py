"""The experts' forms: a review (one score per published criterion and a comment) and the
feedback to a selected city.

The forms only turn what the expert typed into values; `academy.services` decides whether the
review is complete, whether the decisions are out and whether feedback may be written, and
its `AcademyError.field_errors` come back next to the fields (`apply_errors`).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import CONTROL_CHARACTERS, CleanFormMixin, IdMultipleChoiceField, is_id
from core.sanitising import editable_text
from practices.forms import RichTextArea
from practices.models import PracticePage

from .models import SCORE_MAX, SCORE_MIN, Feedback, Review, SelectionCriterion

SUMMARY_MAX_LENGTH = 600
#: At most this many practices are offered at once; a search narrows them down.
PRACTICE_CHOICES_SHOWN = 60
MAX_RECOMMENDED = 10
SEARCH_MAX_LENGTH = 100


def score_field_name(criterion: SelectionCriterion | int) -> str:
    """The field of a criterion's score, as `services.save_review` names its errors."""
    return f"score_{getattr(criterion, 'pk', criterion)}"


def apply_errors(form: forms.Form, error) -> None:
    """Put an `AcademyError` on the form: each field error next to its field, the message at
    the top (once, when no field carries it)."""
    form.add_error(None, error.message)
    for name, message in error.field_errors.items():
        if name in form.fields:
            form.add_error(name, message)


class ReviewForm(CleanFormMixin, forms.Form):
    """The expert's review of one dilemma: the scores, then the comment."""

    comment = RichTextArea(
        label=_("Your comment"),
        help_text=_(
            "What is strong about this dilemma, and what would make it a better case for the "
            "workshop. Leave a blank line between paragraphs. The editors read it; the city "
            "does not."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args, criteria: list[SelectionCriterion], review: Review | None, **kwargs):
        kwargs.setdefault("auto_id", "review_%s")
        if review is not None and not kwargs.get("data"):
            initial = {score_field_name(c): s for c, s in review.score_map.items()}
            initial["comment"] = editable_text(review.comment)
            kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        comment = self.fields.pop("comment")
        choices = [(value, str(value)) for value in range(SCORE_MIN, SCORE_MAX + 1)]
        out_of_range = _("Give a score from %(low)d to %(high)d.") % {
            "low": SCORE_MIN,
            "high": SCORE_MAX,
        }
        for criterion in self.criteria:
            scale = _("%(low)d is the weakest, %(high)d the strongest.") % {
                "low": SCORE_MIN,
                "high": SCORE_MAX,
            }
            help_text = f"{criterion.description} {scale}" if criterion.description else scale
            # Optional here: a draft may lack scores; the services ask for all of them when
            # the review is submitted, and say which one is missing.
            self.fields[score_field_name(criterion)] = forms.TypedChoiceField(
                label=criterion.name,
                help_text=help_text,
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": out_of_range},
            )
        self.fields["comment"] = comment

    @property
    def score_fields(self):
        return [self[score_field_name(c)] for c in self.criteria]

    @property
    def scores(self) -> dict[int, int | None]:
        return {c.pk: self.cleaned_data.get(score_field_name(c)) for c in self.criteria}


class PracticeChoiceField(IdMultipleChoiceField):
    """Practices by title; an id no database stores is a wrong choice (a page's key is a
    one-to-one link to Page, which `IdMultipleChoiceField` does not check by itself)."""

    def _check_values(self, value):
        for pk in value:
            if not is_id(pk):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": str(pk)[:40]},
                )
        return super()._check_values(value)

    def label_from_instance(self, obj):
        return obj.title


class FeedbackForm(CleanFormMixin, forms.Form):
    """The expert's written feedback to a selected city, with practices to look at."""

    text = RichTextArea(
        label=_("Your feedback to the city"),
        help_text=_(
            "What you advise the city, after the workshop. Leave a blank line between "
            "paragraphs. The city reads it once you send it."
        ),
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    summary = forms.CharField(
        label=_("Public summary"),
        max_length=SUMMARY_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One to three sentences for the outcome report. It is published only if the city "
            "agrees."
        ),
    )
    recommended_practices = PracticeChoiceField(
        label=_("Recommended practices from the library"),
        queryset=PracticePage.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Practices the city could learn from. Choose at most %(count)d.")
        % {"count": MAX_RECOMMENDED},
    )

    q = forms.CharField(
        label=_("Find practices by title"),
        max_length=SEARCH_MAX_LENGTH,
        required=False,
        help_text=_("Type a word of the title and press “Find practices”: what you wrote is kept."),
    )

    def __init__(self, *args, feedback: Feedback | None, search: str = "", **kwargs):
        kwargs.setdefault("auto_id", "feedback_%s")
        data = args[0] if args else kwargs.get("data")
        if data is not None:
            chosen = [pk for pk in data.getlist("recommended_practices") if is_id(pk)]
            search = str(data.get("q", ""))
        else:
            chosen = (
                [p.pk for p in feedback.recommended_practices.all()] if feedback is not None else []
            )
            kwargs["initial"] = {
                "text": editable_text(feedback.text) if feedback else "",
                "summary": feedback.summary if feedback else "",
                "recommended_practices": chosen,
                "q": search,
                **kwargs.get("initial", {}),
            }
        super().__init__(*args, **kwargs)
        # The search box right above the list it narrows.
        self.fields["recommended_practices"] = self.fields.pop("recommended_practices")
        search = search.strip()[:SEARCH_MAX_LENGTH]
        field = self.fields["recommended_practices"]
        live = PracticePage.objects.live().public()
        # Offered: what the search finds, and what is already chosen (or it would be lost).
        offered = live.order_by("title", "pk")
        if search and not CONTROL_CHARACTERS.search(search):
            offered = offered.filter(title__icontains=search)
        ids = set(offered.values_list("pk", flat=True)[:PRACTICE_CHOICES_SHOWN])
        ids.update(int(pk) for pk in chosen[: MAX_RECOMMENDED * 5])
        field.queryset = live.filter(pk__in=ids).order_by("title", "pk")
        self.search = search
        self.searched = bool(search)

    def clean_recommended_practices(self):
        practices = list(self.cleaned_data.get("recommended_practices") or [])
        if len(practices) > MAX_RECOMMENDED:
            raise forms.ValidationError(
                _("Choose at most %(count)d practices."), params={"count": MAX_RECOMMENDED}
            )
        return practices
