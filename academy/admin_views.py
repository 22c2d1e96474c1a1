"""Editors' views of the Urban Academy in the Wagtail admin: the dilemmas (list, export, the whole
dilemma with its reviews) and, per edition, the review and selection (ranking, assigning
experts, decisions, publishing them).

Dilemmas are a city's unpublished problems: editors see them here, nobody else does, Experts
included, although they reach the admin for other things. The permission policy
(`DilemmaPolicy`) says so for Wagtail's generic views and menu; the views of the selection check
it before they look anything up, so a stranger learns nothing from a 404. The rules themselves
are `academy.services` functions, which check the editor once more; these views only call them
and turn an `AcademyError` into a message.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import BadRequest, PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import HeaderButton
from wagtail.permission_policies.base import BasePermissionPolicy

from core import roles
from core.sanitising import clean_html

from . import services
from .models import (
    AcademyEditionPage,
    Assignment,
    CallState,
    Decision,
    Dilemma,
    DilemmaState,
)
from .services import AcademyError


class DilemmaPolicy(BasePermissionPolicy):
    """Editors (the Editors group and superusers) see every dilemma and decide on them; nobody
    else sees any. Nobody adds, edits or deletes one here: members write dilemmas, and the
    decisions go through `academy.services`."""

    actions = {"view", "decide"}

    def __init__(self):
        super().__init__(Dilemma)

    @staticmethod
    def is_editor(user) -> bool:
        # Asked several times per admin page (menu, header, views): once per request's user.
        cached = getattr(user, "_academy_is_editor", None)
        if cached is None:
            cached = services.is_editor(user)
            if user.is_authenticated:
                user._academy_is_editor = cached
        return cached

    def user_has_permission(self, user, action):
        return action in self.actions and self.is_editor(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def instances_user_has_permission_for(self, user, action):
        dilemmas = Dilemma.objects.all()
        return dilemmas if self.user_has_permission(user, action) else dilemmas.none()

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        if not self.actions.intersection(actions):
            return users.none()
        return users.filter(Q(is_superuser=True) | Q(groups__name=roles.EDITORS)).distinct()


POLICY = DilemmaPolicy()


def check_editor(user) -> None:
    if not POLICY.user_has_permission(user, "decide"):
        raise PermissionDenied


def selection_url(edition_id: int, dilemma_id: int | None = None) -> str:
    url = reverse("academy_selection:edition", args=[edition_id])
    return f"{url}#dilemma-{dilemma_id}" if dilemma_id else url


class EditorsOnlyMixin:
    """Refuses everyone but editors before anything is looked up."""

    def dispatch(self, request, *args, **kwargs):
        check_editor(request.user)
        return super().dispatch(request, *args, **kwargs)


# --- Dilemmas: list, export, inspect ------------------------------------------------------------

#: Characters that make a spreadsheet read a cell as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class DilemmaIndexView(IndexView):
    def get_base_queryset(self):
        return (
            POLICY.instances_user_has_permission_for(self.request.user, "view")
            .select_related("edition", "submitter")
            .order_by("-submitted_at", "-created_at", "-pk")
        )

    def get_header_buttons(self):
        buttons = list(super().get_header_buttons())
        if POLICY.user_has_permission(self.request.user, "decide"):
            edition = self.request.GET.get("edition", "")
            url = (
                selection_url(int(edition))
                if edition.isdigit() and len(edition) <= 18
                else reverse("academy_selection:index")
            )
            buttons.append(HeaderButton(_("Review and selection"), url=url, icon_name="tasks"))
        return buttons

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        # Titles and names are typed by members: a cell must never become a formula.
        if (
            export_format == self.FORMAT_CSV
            and isinstance(value, str)
            and value[:1] in (FORMULA_STARTS)
        ):
            return "'" + value
        return value


#: The dilemma's texts, written by the member as HTML, cleaned by the sanitiser.
TEXT_FIELDS = (
    ("policy_context", _("The policy context")),
    ("dilemma", _("The dilemma")),
    ("tried", _("What has been tried")),
    ("expectations", _("What the city wants from the experts")),
)


class DilemmaInspectView(InspectView):
    template_name = "academy/admin/dilemma_inspect.html"

    def get_object(self, queryset=None):
        # Before the lookup: a stranger learns nothing, not even whether the dilemma exists.
        check_editor(self.request.user)
        return get_object_or_404(
            Dilemma.objects.select_related("edition", "submitter", "decided_by"), pk=self.pk
        )

    def _when(self, moment):
        return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else "–"

    def get_submitted_at_display_value(self):
        return self._when(self.object.submitted_at)

    def get_decided_at_display_value(self):
        return self._when(self.object.decided_at)

    def get_decided_by_display_value(self):
        return str(self.object.decided_by or "–")

    def get_consent_to_share_display_value(self):
        return _("Yes") if self.object.consent_to_share else _("No")

    def get_summary_may_be_published_display_value(self):
        return _("Yes") if self.object.summary_may_be_published else _("No")

    def get_header_buttons(self):
        return [
            HeaderButton(
                _("Review and selection"),
                url=selection_url(self.object.edition_id, self.object.pk),
                icon_name="tasks",
            )
        ]

    def get_context_data(self, **kwargs):
        dilemma = self.object
        criteria = list(dilemma.edition.criteria.all())
        assignments = list(
            dilemma.assignments.select_related("expert", "assigned_by", "review").prefetch_related(
                "review__scores"
            )
        )
        reviews = []
        for assignment in assignments:
            review = getattr(assignment, "review", None)
            submitted = review is not None and review.submitted_at is not None
            reviews.append(
                {
                    "assignment": assignment,
                    "review": review if submitted else None,
                    "draft": review is not None and not submitted,
                    "scores": [(c, review.score_map.get(c.pk)) for c in criteria]
                    if submitted
                    else [],
                    "comment": mark_safe(clean_html(review.comment)) if submitted else "",  # noqa: S308
                }
            )
        attachments = [
            (item, reverse("academy:attachment", args=[dilemma.pk, item.pk]))
            for item in dilemma.attachments.all()
        ]
        texts = [
            # Stored cleaned by the services; cleaned again here, as the one sanitiser is cheap
            # and the admin is where a slip would do most harm.
            (label, mark_safe(clean_html(getattr(dilemma, name))))  # noqa: S308
            for name, label in TEXT_FIELDS
        ]
        return super().get_context_data(
            dilemma=dilemma,
            texts=texts,
            attachments=attachments,
            practices=list(dilemma.related_practices.all()),
            themes=list(dilemma.themes.all()),
            reviews=reviews,
            criteria=criteria,
            selection_url=selection_url(dilemma.edition_id, dilemma.pk),
            **kwargs,
        )


# --- Review and selection, per edition ----------------------------------------------------------


class EditionsView(EditorsOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    """The editions, newest first, with how far their review and selection have come."""

    template_name = "academy/admin/editions.html"
    page_title = _("Review and selection")
    header_icon = "tasks"

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        submitted = Q(dilemmas__state=DilemmaState.SUBMITTED)
        editions = AcademyEditionPage.objects.annotate(
            submitted_count=Count("dilemmas", filter=submitted),
            selected_count=Count(
                "dilemmas", filter=submitted & Q(dilemmas__decision=Decision.SELECTED)
            ),
        ).order_by("-starts_at", "-pk")[:200]
        return super().get_context_data(editions=editions, **kwargs)


class EditionMixin:
    """Refuses everyone but editors, then finds the edition (404 for anything else)."""

    def dispatch(self, request, *args, **kwargs):
        check_editor(request.user)
        self.edition = get_object_or_404(AcademyEditionPage, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse("academy_selection:index"), "label": _("Review and selection")},
            {"url": "", "label": self.edition.title},
        ]


class SelectionView(EditionMixin, WagtailAdminTemplateMixin, TemplateView):
    """The ranking of one edition, with its assignments, the decisions and their publication."""

    template_name = "academy/admin/selection.html"
    header_icon = "tasks"

    def get_page_title(self):
        return _("Review and selection")

    def get_page_subtitle(self):
        return self.edition.title

    def get_header_buttons(self):
        return [
            HeaderButton(
                _("Dilemmas"),
                url=reverse("academy_dilemmas:index") + f"?edition={self.edition.pk}",
                icon_name="doc-full",
            ),
            HeaderButton(
                _("Edit the edition"),
                url=reverse("wagtailadmin_pages:edit", args=[self.edition.pk]),
                icon_name="edit",
            ),
        ]

    def get_context_data(self, **kwargs):
        edition = self.edition
        ranked = services.ranking(edition)
        experts = services.edition_experts(edition)
        rows = []
        for rank, item in enumerate(ranked, start=1):
            assignments = list(item.dilemma.assignments.all())
            taken = {a.expert_id for a in assignments}
            rows.append(
                {
                    "rank": rank if item.score is not None else None,
                    "item": item,
                    "dilemma": item.dilemma,
                    "assignments": [
                        {
                            "assignment": a,
                            "reviewed": getattr(a, "review", None) is not None
                            and a.review.submitted_at is not None,
                        }
                        for a in assignments
                    ],
                    "free_experts": [e for e in experts if e.user_id not in taken],
                }
            )
        counts = {d: 0 for d in Decision.values}
        for item in ranked:
            counts[item.dilemma.decision] += 1
        return super().get_context_data(
            edition=edition,
            rows=rows,
            experts=experts,
            selected=counts[Decision.SELECTED],
            declined=counts[Decision.DECLINED],
            undecided=counts[Decision.PENDING],
            published=edition.decisions_published,
            call_closed=edition.call_state() == CallState.CLOSED,
            decisions=DECISION_BUTTONS,
            **kwargs,
        )


class PostOnlyMixin:
    http_method_names = ["post"]


class AssignAutomaticallyView(EditionMixin, PostOnlyMixin, TemplateView):
    def post(self, request, pk):
        try:
            made = services.assign_automatically(self.edition, actor=request.user)
        except AcademyError as error:
            messages.error(request, error.message)
        else:
            if made:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d assignment made; the experts concerned are told by e-mail.",
                        "%(count)d assignments made; the experts concerned are told by e-mail.",
                        made,
                    )
                    % {"count": made},
                )
            else:
                messages.success(request, _("No new assignment was needed."))
        return redirect(selection_url(self.edition.pk))


class DilemmaMixin:
    """Refuses everyone but editors, then finds the dilemma."""

    def dispatch(self, request, *args, **kwargs):
        check_editor(request.user)
        self.dilemma = get_object_or_404(Dilemma.objects.select_related("edition"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def back(self):
        return redirect(selection_url(self.dilemma.edition_id, self.dilemma.pk))


class AssignForm(forms.Form):
    expert = forms.IntegerField(
        label=_("Expert"),
        min_value=1,
        max_value=2**63 - 1,
        error_messages={"required": _("Choose an expert to assign.")},
    )


class AssignView(DilemmaMixin, PostOnlyMixin, TemplateView):
    """An editor assigns one expert of the edition to one dilemma."""

    def post(self, request, pk):
        form = AssignForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose one of the edition's experts to assign."))
            return self.back()
        expert = get_user_model().objects.filter(pk=form.cleaned_data["expert"]).first()
        if expert is None:
            messages.error(request, _("Choose one of the edition's experts to assign."))
            return self.back()
        try:
            services.assign_by_hand(self.dilemma, expert, actor=request.user)
        except AcademyError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("%(expert)s reviews “%(dilemma)s”.")
                % {"expert": expert, "dilemma": self.dilemma.title},
            )
        return self.back()


class UnassignView(EditorsOnlyMixin, PostOnlyMixin, TemplateView):
    """An editor takes an expert off a dilemma."""

    def post(self, request, pk):
        assignment = get_object_or_404(
            Assignment.objects.select_related("dilemma__edition", "expert"), pk=pk
        )
        dilemma = assignment.dilemma
        try:
            services.unassign(assignment, actor=request.user)
        except AcademyError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("%(expert)s no longer reviews “%(dilemma)s”.")
                % {"expert": assignment.expert, "dilemma": dilemma.title},
            )
        return redirect(selection_url(dilemma.edition_id, dilemma.pk))


#: The decision buttons, in the order they appear, with their labels.
DECISION_BUTTONS = [
    (Decision.SELECTED, _("Select")),
    (Decision.DECLINED, _("Decline")),
    (Decision.PENDING, _("Undecide")),
]


class DecideView(DilemmaMixin, PostOnlyMixin, TemplateView):
    """Select, decline or undecide one dilemma; nobody is told until the decisions are out."""

    def post(self, request, pk):
        decision = request.POST.get("decision", "")
        if decision not in Decision.values:
            # Only a hand-made request sends something the buttons do not offer.
            raise BadRequest("Unknown decision")
        try:
            dilemma = services.decide(self.dilemma, decision, actor=request.user)
        except AcademyError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("“%(dilemma)s”: %(decision)s.")
                % {"dilemma": dilemma.title, "decision": dilemma.get_decision_display()},
            )
        return self.back()


class PublishView(EditionMixin, WagtailAdminTemplateMixin, TemplateView):
    """Asks, then publishes the edition's decisions: every submitter is e-mailed and the
    selected cities get their place. A confirmation step, because it cannot be undone."""

    template_name = "academy/admin/publish.html"
    page_title = _("Publish the decisions")
    header_icon = "warning"

    def get_page_subtitle(self):
        return self.edition.title

    def get_context_data(self, **kwargs):
        counts = dict(
            Dilemma.objects.filter(edition=self.edition, state=DilemmaState.SUBMITTED)
            .values_list("decision")
            .annotate(n=Count("pk"))
            .order_by()
        )
        selected = counts.get(Decision.SELECTED, 0)
        declined = counts.get(Decision.DECLINED, 0)
        return super().get_context_data(
            edition=self.edition,
            told=selected + declined + counts.get(Decision.PENDING, 0),
            selected=selected,
            declined=declined,
            undecided=counts.get(Decision.PENDING, 0),
            call_closed=self.edition.call_state() == CallState.CLOSED,
            back_url=selection_url(self.edition.pk),
            **kwargs,
        )

    def post(self, request, pk):
        try:
            told = services.publish_decisions(
                self.edition, actor=request.user, close_call=request.POST.get("close_call") == "1"
            )
        except AcademyError as error:
            messages.error(request, error.message)
        else:
            if told:
                messages.success(
                    request,
                    ngettext(
                        "The decisions are published: %(count)d submitter is told by e-mail.",
                        "The decisions are published: %(count)d submitters are told by e-mail.",
                        told,
                    )
                    % {"count": told},
                )
            else:
                messages.info(request, _("The decisions were already published."))
        return redirect(selection_url(self.edition.pk))
