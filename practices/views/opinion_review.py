"""The moderators' screens for expert opinions in the Wagtail admin: the submitted opinions,
the longest-waiting first, and a review screen for each with the decision form.

A screen of our own rather than a model viewset's edit form: moderators decide and comment,
they do not rewrite the expert's text, and the decision goes through
`practices.opinions.moderate_opinion`, which e-mails the expert and the practice's owner.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from .. import opinions
from ..forms import OpinionDecisionForm, apply_opinion_error
from ..models import ExpertOpinion, OpinionState
from ..services import PracticeError

PAGE_SIZE = 50

DONE = {
    opinions.PUBLISH: _("The opinion is published. The expert and the practice's owner are told."),
    opinions.SEND_BACK: _("The opinion is back with the expert, who is e-mailed your comment."),
    opinions.DECLINE: _("The opinion is declined. The expert is e-mailed your comment."),
    opinions.UNPUBLISH: _(
        "The opinion is off the practice's page and back with the expert, who is e-mailed your "
        "comment."
    ),
}

#: The two lists of the queue: what waits for a decision, and what is public now.
LISTS = {"waiting": opinions.opinions_to_moderate, "published": opinions.published_for_moderators}


def opinion_queue(request):
    if not opinions.can_moderate_opinions(request.user):
        raise PermissionDenied
    showing = request.GET.get("list")
    showing = showing if showing in LISTS else "waiting"
    paginator = Paginator(LISTS[showing]().select_related("practice__city"), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "practices/admin/opinion_queue.html",
        {"opinions": page.object_list, "page": page, "showing": showing},
    )


def opinion_review(request, opinion_id: int):
    if not opinions.can_moderate_opinions(request.user):
        raise PermissionDenied
    opinion = (
        ExpertOpinion.objects.select_related("practice__city", "expert")
        .filter(pk=opinion_id)
        .first()
    )
    if opinion is None:
        raise Http404
    status = 200
    decisions = opinions.decisions_for(opinion)
    form = OpinionDecisionForm(auto_id="decision_%s", decisions=decisions)
    if request.method == "POST":
        form = OpinionDecisionForm(request.POST, auto_id="decision_%s", decisions=decisions)
        if form.is_valid():
            decision = form.cleaned_data["decision"]
            try:
                opinions.moderate_opinion(
                    request.user, opinion, decision, form.cleaned_data["comment"]
                )
            except opinions.OpinionError as error:
                apply_opinion_error(form, error)
            except PracticeError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, str(DONE[decision]))
                return redirect("practices_opinion_queue")
        status = 400
    return TemplateResponse(
        request,
        "practices/admin/opinion_review.html",
        {
            "opinion": opinion,
            "form": form,
            "waiting": opinion.state == OpinionState.SUBMITTED,
            "decidable": bool(decisions),
        },
        status=status,
    )
