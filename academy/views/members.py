"""(Being written.)"""

from django.http import HttpResponse


def _todo(request, **kwargs):
    return HttpResponse(status=501)


my_dilemmas = start = dilemma = edit = submit = withdraw = summary_consent = _todo
remove_attachment = _todo
