"""A member writes a practice, step by step, and sends it to the moderators.

The views only translate between HTTP and `practices.services`: who may see a practice, what
a draft is and when it may be submitted are decided there. A practice someone else owns is a
404, whatever its state.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.views import serve as serve_page

from accounts.decorators import verified_member_required

from .. import places, services
from ..forms import STEP_SLUGS, STEPS, AboutForm, next_step, step_form, with_row_removed
from ..models import PracticePage


def _owned(request, practice_id: int) -> PracticePage:
    try:
        return services.owned_practice(request.user, practice_id)
    except PracticePage.DoesNotExist:
        raise Http404 from None


def _step_url(practice: PracticePage, step: str) -> str:
    return reverse("practices:edit", args=[practice.pk, step])


def _after_saving(request, practice: PracticePage, step: str):
    """Where the member goes once a step is saved: the section button they pressed (the
    progress list's sections save first), this step again ("Save draft"), or the next one."""
    choice = request.POST.get("after_saving", "")
    if choice == "stay":
        return redirect(_step_url(practice, step))
    if choice.startswith("add:") and choice[4:] in ("funds", "links"):
        return redirect(f"{_step_url(practice, step)}?add={choice[4:]}#{choice[4:]}")
    if choice.startswith("remove:"):
        return redirect(f"{_step_url(practice, step)}#{choice[7:].rpartition('-')[0]}")
    if choice == "find":
        # The search for the practice's original: back to the step with what was found.
        words = " ".join(str(request.POST.get("original_search", "")).split())[:100]
        return redirect(f"{_step_url(practice, step)}?{urlencode({'find': words})}#id_adapted_from")
    if choice.startswith("go:") and choice[3:] in STEP_SLUGS:
        return redirect(_step_url(practice, choice[3:]))
    return redirect(_step_url(practice, next_step(step)))


def _render_step(request, step: str, form, practice=None, draft=None, submission=None, status=200):
    return TemplateResponse(
        request,
        "practices/submission/step.html",
        {
            "form": form,
            "step": step,
            "steps": STEPS,
            "step_number": STEP_SLUGS.index(step) + 1,
            "step_title": next(s.title for s in STEPS if s.slug == step),
            "practice": practice,
            "draft": draft,
            "submission": submission,
        },
        status=status,
    )


@verified_member_required
def city_suggestions(request):
    """The cities matching what the member has typed, for the city combobox of the first step."""
    text = str(request.GET.get("q", ""))[:100]
    return JsonResponse(
        {
            "results": [
                {"value": choice.value, "label": choice.label} for choice in places.matching(text)
            ]
        }
    )


@verified_member_required
def start(request):
    """The first step of a new practice; saving it creates the member's draft."""
    form = AboutForm(request.POST or None, instance=PracticePage())
    if request.method == "POST" and form.is_valid():
        try:
            practice = services.start_practice(request.user, form.apply())
        except services.PracticeError as error:
            messages.error(request, str(error))
            return _render_step(request, "about", form, status=409)
        messages.success(request, _("Your draft has been saved. Only you can see it."))
        return _after_saving(request, practice, "about")
    return _render_step(request, "about", form, status=400 if form.errors else 200)


@verified_member_required
def edit(request, practice_id: int, step: str):
    """One step of the member's own practice."""
    if step not in STEP_SLUGS:
        raise Http404
    practice = _owned(request, practice_id)
    if step == "review":
        return review(request, practice)
    submission = services.submission_of(practice)
    if not submission.can_edit:
        messages.info(request, _("Your practice is with the moderators; you cannot change it now."))
        return redirect(_step_url(practice, "review"))
    draft = services.latest_draft(practice)
    if request.method == "POST":
        data = with_row_removed(request.POST, request.POST.get("after_saving", ""))
        form = step_form(step, draft, request.user, data, request.FILES)
        if form.is_valid():
            try:
                services.save_draft(request.user, form.apply())
            except services.PracticeError as error:
                messages.error(request, str(error))
                return redirect(_step_url(practice, "review"))
            messages.success(request, _("Your draft has been saved."))
            return _after_saving(request, practice, step)
        return _render_step(request, step, form, practice, draft, submission, status=400)
    form = step_form(
        step,
        draft,
        request.user,
        add_row=request.GET.get("add", ""),
        find=str(request.GET.get("find", ""))[:100],
    )
    return _render_step(request, step, form, practice, draft, submission)


def review(request, practice: PracticePage):
    """The whole practice on one page, what is still missing, and the button to submit it."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if request.method == "POST":
        try:
            services.submit_for_review(request.user, practice)
        except services.PracticeError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _(
                    "Thank you. Your practice has been sent to the moderators; we will e-mail "
                    "you when they have looked at it."
                ),
            )
            return redirect("accounts:dashboard")
    draft = services.latest_draft(practice)
    submission = services.submission_of(practice)
    return TemplateResponse(
        request,
        "practices/submission/review.html",
        {
            "practice": practice,
            "draft": draft,
            "submission": submission,
            "missing": services.missing_for_review(draft),
            "steps": STEPS,
            "step": "review",
            "step_number": len(STEPS),
        },
    )


@require_POST
@verified_member_required
def withdraw(request, practice_id: int):
    practice = _owned(request, practice_id)
    try:
        services.withdraw_from_review(request.user, practice)
    except services.PracticeError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Your practice is back with you. Submit it again when it is ready.")
        )
    return redirect(_step_url(practice, "review"))


@verified_member_required
def preview(request, practice_id: int):
    """The practice as the public will see it once published, from the member's latest draft."""
    practice = _owned(request, practice_id)
    draft = services.latest_draft(practice)
    return draft.make_preview_request(request, draft.default_preview_mode)


def moved(request, practice_id: int | None = None, step: str = ""):
    """An address of these forms from before they moved to /my/practices/ (old e-mails link it).

    The old addresses lie in the library's URL space, where a practice may now live (one called
    "submit"): Wagtail serves it if so, and only an address that no page answers is redirected.
    The redirect is temporary for that reason: a browser must not remember it.
    """
    try:
        return serve_page(request, request.path_info.lstrip("/"))
    except Http404:
        pass
    if practice_id is None:
        return redirect("practices:submit")
    if step in ("preview", "withdraw"):
        return redirect(f"practices:{step}", practice_id)
    return redirect("practices:edit", practice_id, step)
