"""Expert opinions on the public site: the expert's form (under /my/), the owner's reply, and
the section of the practice page that shows the published opinions.

The views translate between HTTP and `practices.opinions`, which decides who may do what.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import verified_member_required
from core.sections import Section

from .. import opinions
from ..forms import OpinionForm, OpinionReplyForm, apply_opinion_error
from ..models import ExpertOpinion, PracticePage
from ..services import PracticeError


def _live_practice(practice_id: int) -> PracticePage:
    practice = PracticePage.objects.live().public().filter(pk=practice_id).first()
    if practice is None:
        raise Http404
    return practice


@verified_member_required
def write_opinion(request, practice_id: int):
    """The expert's opinion on one practice: a draft to save, then to submit."""
    practice = _live_practice(practice_id)
    if not opinions.may_write_opinion(request.user, practice):
        return TemplateResponse(
            request,
            "practices/opinions/not_allowed.html",
            {"practice": practice, "is_expert": opinions.is_expert(request.user)},
            status=403,
        )
    opinion = opinions.opinion_of(request.user, practice)
    status = 200
    if request.method == "POST":
        form = OpinionForm(request.POST)
        if opinion is not None and not opinion.is_editable:
            form.is_valid()
            form.add_error(None, opinions.not_editable_message(opinion))
            status = 400
        elif form.is_valid():
            submit = request.POST.get("action") == "submit"
            try:
                opinion = opinions.save_opinion(
                    request.user,
                    practice,
                    opinions.OpinionText(**form.cleaned_data),
                    submit=submit,
                )
            except opinions.OpinionError as error:
                apply_opinion_error(form, error)
                status = 400
                if submit and not error.field_errors.keys() - set(form.fields):
                    # Not ready to submit: keep what the expert typed as a draft.
                    opinion = opinions.save_opinion(
                        request.user, practice, opinions.OpinionText(**form.cleaned_data)
                    )
            except PracticeError as error:
                form.add_error(None, error.message)
                status = 400
            else:
                if submit:
                    messages.success(
                        request,
                        _(
                            "Your opinion is with the moderators. We will e-mail you their "
                            "decision."
                        ),
                    )
                else:
                    messages.success(request, _("Your draft is saved."))
                return redirect("practices:opinion", practice.pk)
        else:
            status = 400
    else:
        form = OpinionForm(opinion=opinion)
    return TemplateResponse(
        request,
        "practices/opinions/write.html",
        {"practice": practice, "opinion": opinion, "form": form},
        status=status,
    )


@require_POST
@verified_member_required
def reply(request, opinion_id: int):
    """The practice owner's reply, posted from the form below the opinion on the page."""
    opinion = (
        ExpertOpinion.objects.select_related("practice", "expert").filter(pk=opinion_id).first()
    )
    if opinion is None or not opinion.is_published or not opinion.practice.live:
        raise Http404
    if opinion.practice.owner_id != request.user.pk:
        raise PermissionDenied
    form = OpinionReplyForm(request.POST, opinion_id=opinion.pk)
    if form.is_valid():
        try:
            opinions.reply_to_opinion(request.user, opinion, form.cleaned_data["reply"])
        except opinions.OpinionError as error:
            apply_opinion_error(form, error)
        except PracticeError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your reply is published below the opinion."))
            page_url = opinion.practice.get_url(request=request) or "/"
            return redirect(f"{page_url}#opinion-{opinion.pk}")
    return TemplateResponse(
        request,
        "practices/opinions/reply.html",
        {"practice": opinion.practice, "opinion": opinion, "form": form},
        status=400,
    )


def opinions_section(request, practice: PracticePage) -> Section | None:
    """The published opinions on a practice page, the expert's link, the owner's reply forms."""
    if getattr(request, "is_preview", False) or not practice.live:
        return None
    published = list(opinions.published_opinions(practice))
    user = request.user
    may_write = opinions.may_write_opinion(user, practice)
    own = opinions.opinion_of(user, practice) if may_write else None
    is_owner = user.is_authenticated and practice.owner_id == user.pk
    rows = [
        (
            opinion,
            OpinionReplyForm(opinion_id=opinion.pk)
            if is_owner and opinions.may_reply(user, opinion)
            else None,
        )
        for opinion in published
    ]
    if not rows and not may_write:
        return None
    return Section(
        "practices/includes/expert_opinions.html",
        {"rows": rows, "may_write": may_write, "own": own, "practice": practice},
    )
