"""The API's one exception handler (REST_FRAMEWORK["EXCEPTION_HANDLER"]).

A rule's refusal (``portal.refusals.Refused``) is 409 when the state of what was to change does not
allow it, else 400, with the message in ``detail`` in the caller's language. Django's 404, whose
message names the model and is not translated, becomes DRF's "Not found.", which is. Everything
else is DRF's own answer.
"""

from django.http import Http404
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import exception_handler

from portal.refusals import Refused


def handle(exc, context):
    if isinstance(exc, Refused):
        code = status.HTTP_409_CONFLICT if exc.conflict else status.HTTP_400_BAD_REQUEST
        return Response({"detail": str(exc)}, status=code)
    if isinstance(exc, Http404):
        exc = NotFound()
    return exception_handler(exc, context)
