"""(Being written.)"""

from django.http import HttpResponse


def _todo(request, **kwargs):
    return HttpResponse(status=501)


reviews = review = feedback = _todo
