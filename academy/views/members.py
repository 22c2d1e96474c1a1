"""The member's dilemmas for the Urban Academy's calls: start, write, submit, withdraw, and
read the decision and the experts' feedback.

The views only translate between HTTP and `academy.services`, which decide what may change and
when (the call's dates, the dilemma's state, who is asking). A dilemma someone else submitted
is a 404, whatever its state: editors use the admin, experts their own area.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import verified_member_required

from .. import services
from ..forms import DilemmaForm, SummaryConsentForm
from ..models import (
    AcademyEditionPage,
    Dilemma,
    DilemmaAttachment,
    DilemmaState,
)

MAX_LISTED = 200


def _own_dilemma(request, pk: int) -> Dilemma:
    """The member's own dilemma, or 404: someone else's is as unknown as a missing one."""
    return get_object_or_404(
        Dilemma.objects.select_related("edition", "registration"),
        pk=pk,
        submitter=request.user,
    )


def _locked_reason(dilemma: Dilemma) -> str:
    """Why the dilemma can no longer be changed, or "" while it can (the services' rule)."""
    return services.edit_refusal(dilemma)


def _submitted_message() -> str:
    return _(
        "Thank you: your dilemma has been submitted. You can still change it until the call closes."
    )


def _attachments(dilemma: Dilemma) -> list[DilemmaAttachment]:
    return list(dilemma.attachments.all())


# --- The list --------------------------------------------------------------------------------


@require_GET
@verified_member_required
def my_dilemmas(request):
    dilemmas = list(
        Dilemma.objects.filter(submitter=request.user)
        .select_related("edition")
        .order_by("-created_at", "pk")[:MAX_LISTED]
    )
    open_calls = [
        edition
        for edition in AcademyEditionPage.objects.live().public().order_by("call_closes_at")[:20]
        if edition.call_is_open
    ]
    return TemplateResponse(
        request,
        "academy/members/my_dilemmas.html",
        {"dilemmas": dilemmas, "open_calls": open_calls},
    )


# --- Starting a dilemma ----------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@verified_member_required
def start(request, edition_id: int):
    edition = get_object_or_404(AcademyEditionPage.objects.live().public(), pk=edition_id)
    if request.method != "POST":
        return TemplateResponse(
            request,
            "academy/members/start.html",
            {
                "edition": edition,
                "call_state": edition.call_state(),
                "existing": list(
                    Dilemma.objects.filter(edition=edition, submitter=request.user).exclude(
                        state=DilemmaState.WITHDRAWN
                    )
                ),
            },
        )
    try:
        dilemma = services.start_dilemma(edition, request.user)
    except services.AcademyError as error:
        messages.error(request, error.message)
        return redirect(edition.get_url(request) or reverse("academy:dilemmas"))
    messages.success(
        request, _("Your draft dilemma has been started. Only you can see it until you submit it.")
    )
    return redirect("academy:edit", pk=dilemma.pk)


# --- Writing it ------------------------------------------------------------------------------


def _render_form(request, dilemma: Dilemma, form: DilemmaForm | None, *, status: int = 200):
    locked = _locked_reason(dilemma)
    return TemplateResponse(
        request,
        "academy/members/edit.html",
        {
            "dilemma": dilemma,
            "edition": dilemma.edition,
            # A refused post keeps its form, even once the call has closed: nothing typed is lost.
            "form": form if form is not None or locked else DilemmaForm(dilemma=dilemma),
            "locked": locked if form is None else "",
            "attachments": _attachments(dilemma),
            "missing": services.missing_to_submit(dilemma) if locked and form is None else {},
        },
        status=status,
    )


def _attachment_to_remove(request, dilemma: Dilemma) -> DilemmaAttachment | None:
    action = str(request.POST.get("action", ""))
    if not action.startswith("remove:"):
        return None
    return dilemma.attachments.filter(pk=_int(action[7:])).first()


def _int(text: str) -> int:
    return int(text) if text.isdigit() and len(text) < 19 else 0


@require_http_methods(["GET", "HEAD", "POST"])
@verified_member_required
def edit(request, pk: int):
    dilemma = _own_dilemma(request, pk)
    if request.method != "POST":
        return _render_form(request, dilemma, None)
    form = DilemmaForm(request.POST, request.FILES, dilemma=dilemma)
    if not form.text_is_valid:
        return _render_form(request, dilemma, form, status=400)
    action = str(request.POST.get("action", "save"))
    # The text first: a refused file or submission must not cost the member what they typed.
    try:
        dilemma = services.save_dilemma(
            dilemma,
            request.user,
            values=form.values(),
            related_practices=form.cleaned_data.get("related_practices") or [],
            themes=form.cleaned_data.get("themes") or [],
            consent_to_share=bool(form.cleaned_data.get("consent_to_share")),
        )
    except services.AcademyError as error:
        form.show_refusal(error)
        return _render_form(request, dilemma, form, status=409 if error.code else 400)
    upload = form.cleaned_data.get("file")
    if upload:
        try:
            services.add_attachment(dilemma, request.user, upload)
        except services.AcademyError as error:
            form.show_refusal(error)
            messages.warning(request, _("Your text has been saved, but the file was not added."))
            return _render_form(request, dilemma, form, status=400)
    removed = _attachment_to_remove(request, dilemma)
    if removed is not None:
        try:
            services.remove_attachment(removed, request.user)
        except services.AcademyError as error:
            form.show_refusal(error)
            return _render_form(request, dilemma, form, status=409)
        messages.success(
            request, _("The file %(name)s has been removed.") % {"name": removed.original_name}
        )
        return redirect(reverse("academy:edit", args=[dilemma.pk]) + "#attachments")
    if action == "submit":
        was_submitted = dilemma.state == DilemmaState.SUBMITTED
        try:
            services.submit(dilemma, request.user)
        except services.AcademyError as error:
            form.show_refusal(error)
            messages.warning(request, _("Your draft has been saved, but it is not submitted yet."))
            return _render_form(request, dilemma, form, status=400)
        messages.success(
            request,
            _("Your changes have been saved.") if was_submitted else _submitted_message(),
        )
        return redirect("academy:dilemma", pk=dilemma.pk)
    if dilemma.state == DilemmaState.SUBMITTED:
        messages.success(request, _("Your changes have been saved."))
    else:
        messages.success(request, _("Your draft has been saved. Only you can see it."))
    return redirect("academy:edit", pk=dilemma.pk)


@require_POST
@verified_member_required
def submit(request, pk: int):
    dilemma = _own_dilemma(request, pk)
    try:
        services.submit(dilemma, request.user)
    except services.AcademyError as error:
        if error.field_errors and not _locked_reason(dilemma):
            # The answers it lacks, next to their fields on the form.
            form = DilemmaForm(dilemma=dilemma)
            form = DilemmaForm(_as_data(form), dilemma=dilemma)
            form.full_clean()
            form.show_refusal(error)
            return _render_form(request, dilemma, form, status=400)
        messages.error(request, error.message)
        return redirect("academy:dilemma", pk=dilemma.pk)
    messages.success(request, _submitted_message())
    return redirect("academy:dilemma", pk=dilemma.pk)


def _as_data(form: DilemmaForm):
    """The form's initial values as a browser would post them."""
    data = QueryDict(mutable=True)
    for name in form.fields:
        value = form.initial.get(name)
        if name == "file" or value in (None, False):
            continue
        if isinstance(value, list | tuple):
            data.setlist(name, [str(v) for v in value])
        elif value is True:
            data[name] = "on"
        else:
            data[name] = str(value)
    return data


# --- Withdrawing, attachments, consent -------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@verified_member_required
def withdraw(request, pk: int):
    dilemma = _own_dilemma(request, pk)
    if request.method != "POST":
        return TemplateResponse(
            request,
            "academy/members/withdraw.html",
            {"dilemma": dilemma, "edition": dilemma.edition},
        )
    try:
        services.withdraw(dilemma, request.user)
    except services.AcademyError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your dilemma has been withdrawn."))
    return redirect("academy:dilemma", pk=dilemma.pk)


@require_POST
@verified_member_required
def remove_attachment(request, pk: int, attachment_id: int):
    dilemma = _own_dilemma(request, pk)
    attachment = get_object_or_404(DilemmaAttachment, pk=attachment_id, dilemma=dilemma)
    try:
        services.remove_attachment(attachment, request.user)
    except services.AcademyError as error:
        messages.error(request, error.message)
        return redirect("academy:dilemma", pk=dilemma.pk)
    messages.success(
        request, _("The file %(name)s has been removed.") % {"name": attachment.original_name}
    )
    return redirect(reverse("academy:edit", args=[dilemma.pk]) + "#attachments")


@require_POST
@verified_member_required
def summary_consent(request, pk: int):
    dilemma = _own_dilemma(request, pk)
    form = SummaryConsentForm(request.POST)
    agree = bool(form.is_valid() and form.cleaned_data["agree"])
    try:
        services.set_summary_consent(dilemma, request.user, agree=agree)
    except services.AcademyError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Thank you: a summary of the feedback may appear on the outcome report.")
            if agree
            else _("The feedback's summary will not be published."),
        )
    return redirect("academy:dilemma", pk=dilemma.pk)


# --- Reading it ------------------------------------------------------------------------------


@require_GET
@verified_member_required
def dilemma(request, pk: int):
    item = _own_dilemma(request, pk)
    edition = item.edition
    published = edition.decisions_published
    return TemplateResponse(
        request,
        "academy/members/dilemma.html",
        {
            "dilemma": item,
            "edition": edition,
            "decision": item.visible_decision,
            "decisions_published": published,
            "locked": _locked_reason(item),
            "attachments": _attachments(item),
            "themes": list(item.themes.all()),
            "related_practices": list(item.related_practices.live()),
            "feedback": services.feedback_for_city(item) if published else [],
            "consent_form": SummaryConsentForm(initial={"agree": item.summary_may_be_published}),
            "can_withdraw": item.state != DilemmaState.WITHDRAWN and not published,
        },
    )
