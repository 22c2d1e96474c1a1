"""A dilemma's attachments, served to the people who may see the dilemma and nobody else.

The files live outside MEDIA_ROOT (`PRIVATE_MEDIA_ROOT`), so no web server hands them out:
this view does, after the check. It sends them as attachments with `nosniff`, so that a file
is never shown as a page of the site, and under a neutral name to the experts of an anonymous
edition, as an uploader's file name often says who wrote it.
"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from .. import services
from ..models import DilemmaAttachment


@require_GET
@login_required
def attachment(request, pk: int, attachment_id: int):
    item = get_object_or_404(
        DilemmaAttachment.objects.select_related("dilemma__edition"),
        pk=attachment_id,
        dilemma_id=pk,
    )
    dilemma = item.dilemma
    if not services.can_see(request.user, dilemma):
        raise Http404
    name = (
        item.anonymous_name
        if services.hides_identity_from(request.user, dilemma)
        else item.original_name
    )
    try:
        handle = item.file.open("rb")
    except OSError as error:
        raise Http404 from error
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
