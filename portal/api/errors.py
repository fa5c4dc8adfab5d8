"""Every error of the API has one shape: ``{"detail", "code"}``, plus ``errors`` when fields are wrong.

``detail`` is a sentence in the caller's language; ``code`` is one of ``CODES``, stable for a
program to act on. A body or query parameters that do not validate answer 400 ``invalid`` with
``errors`` naming each field and why (the field mapping cannot sit beside ``detail`` and ``code``:
a parameter may well be called ``code``). A rule's refusal (``portal.refusals.Refused``) is 409
``conflict`` when the state of what was to change does not allow it, else 400 ``invalid``; its
own ``code`` comes along as ``rule``.

``handle`` is the one exception handler (``REST_FRAMEWORK["EXCEPTION_HANDLER"]``); the answers
that leave Django before DRF (an unknown path under /api/, a server error, a CSRF failure) are
built by ``error_response`` from ``portal/views/errors.py``, so they read alike. The OpenAPI schema
declares the same shape (``portal/api/schema.py``) and docs/api.md lists the codes.

Some of DRF's messages are English whatever the language: it formats the throttle's wait before
translating it, and says "JSON parse error - …" and "CSRF Failed: …" untranslated. ``handle``
replaces those with the portal's own messages.
"""

import re

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.utils import translation
from django.utils.translation import gettext, ngettext
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from portal.refusals import Refused

# code: what it means, for the schema's enum and docs/api.md.
CODES = {
    "invalid": "What was sent is not valid, or a rule refuses the change (400).",
    "parse_error": "The body cannot be read (400).",
    "bad_request": "The request itself is malformed (400).",
    "not_authenticated": "No session or token was given (403; 401 where only a token will do).",
    "authentication_failed": "The token is not valid (403; 401 where only a token will do).",
    "permission_denied": "The caller may not do this (403).",
    "csrf_failed": "A request signed in by session cookie lacks its CSRF token (403).",
    "not_found": "No such path, or nothing with this id in the caller's scope (404).",
    "method_not_allowed": "The path does not take this method (405).",
    "not_acceptable": "No answer in a format the Accept header allows (406).",
    "conflict": "The state of what was to change does not allow the change (409).",
    "unsupported_media_type": "The body is in a format the endpoint does not read (415).",
    "throttled": "Too many requests; Retry-After says when to try again (429).",
    "server_error": "Something failed on the portal's side (500).",
}
# The choices of the schema's ErrorCodeEnum (SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]).
CODE_CHOICES = list(CODES.items())
# DRF's own code of each of its exceptions is one of CODES; an exception of another code gets the
# code of its status.
CODE_OF_STATUS = {
    400: "invalid",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    415: "unsupported_media_type",
    429: "throttled",
}
DRF_CSRF_FAILURE = "CSRF Failed"
DRF_JSON_PARSE_ERROR = "JSON parse error - "
DRF_MULTIPART_PARSE_ERROR = "Multipart form parse error - "
JSON_POSITION = re.compile(r"line (?P<line>\d+) column (?P<column>\d+)")


def code_of_status(status_code: int) -> str:
    return CODE_OF_STATUS.get(status_code, "server_error" if status_code >= 500 else "bad_request")


def error_body(detail: str, code: str, **extra) -> dict:
    """The body of every error: ``detail`` and ``code`` (one of ``CODES``), then ``errors`` or ``rule``."""
    return {"detail": str(detail), "code": code, **extra}


def error_response(detail: str, status_code: int, *, code: str = "", headers=None) -> Response:
    """An API view's own error answer, in the shape of every other (the code of its status by default)."""
    body = error_body(detail, code or code_of_status(status_code))
    return Response(body, status=status_code, headers=headers)


def json_error(detail: str, status_code: int, *, code: str = "") -> JsonResponse:
    """The same answer outside DRF: an unknown path under /api/, a server error, a CSRF failure."""
    return JsonResponse(
        error_body(detail, code or code_of_status(status_code)),
        status=status_code,
        json_dumps_params={"ensure_ascii": False},
    )


def handle(exc, context):
    if isinstance(exc, Refused):
        set_rollback()
        extra = {"rule": exc.code} if exc.code else {}
        if exc.conflict:
            return Response(error_body(str(exc), "conflict", **extra), status=status.HTTP_409_CONFLICT)
        return Response(error_body(str(exc), "invalid", **extra), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        # Django's message names the model and is not translated.
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    if not isinstance(exc, exceptions.APIException):
        return None  # a server error: portal/views/errors.py answers it
    set_rollback()
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    return Response(_body(exc), status=exc.status_code, headers=headers)


def _body(exc: exceptions.APIException) -> dict:
    if isinstance(exc, exceptions.ValidationError):
        if isinstance(exc.detail, dict):
            detail = gettext("Some of what was sent is not valid; “errors” names each field and why.")
            return error_body(detail, "invalid", errors=exc.detail)
        messages = exc.detail if isinstance(exc.detail, list) else [exc.detail]
        return error_body(" ".join(str(message) for message in messages), "invalid")
    detail = str(exc.detail)
    code = exc.default_code if exc.default_code in CODES else code_of_status(exc.status_code)
    if isinstance(exc, exceptions.PermissionDenied) and detail.startswith(DRF_CSRF_FAILURE):
        return error_body(csrf_failure_message(), "csrf_failed")
    if isinstance(exc, exceptions.ParseError) and detail.startswith(DRF_JSON_PARSE_ERROR):
        return error_body(json_parse_error_message(detail), code)
    if isinstance(exc, exceptions.ParseError) and detail.startswith(DRF_MULTIPART_PARSE_ERROR):
        return error_body(gettext("The form data of the body cannot be read."), code)
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        return error_body(_translated_wait(detail, exc.wait), code)
    return error_body(detail, code)


def csrf_failure_message() -> str:
    return gettext(
        "Nothing was saved: a request signed in with the session cookie must carry its CSRF token. "
        "Reload the page and send it again, or sign in with an API token."
    )


def json_parse_error_message(drf_detail: str) -> str:
    """DRF's "JSON parse error - Expecting value: line 1 column 5 (char 4)" in the caller's language."""
    position = JSON_POSITION.search(drf_detail)
    if position is None:
        return gettext("The body is not valid JSON.")
    return gettext("The body is not valid JSON (line %(line)s, column %(column)s).") % position.groupdict()


def _translated_wait(detail: str, wait: int) -> str:
    """DRF's throttle message with its wait translated: DRF formats the wait before translating it,
    so its catalogue never matches and the wait is always English at the end of ``detail``."""
    throttled = exceptions.Throttled
    with translation.override(None):
        english_wait = str(throttled.extra_detail_singular if wait == 1 else throttled.extra_detail_plural)
    english_wait = english_wait.format(wait=wait)
    translated_wait = ngettext(
        "Expected available in {wait} second.", "Expected available in {wait} seconds.", wait
    ).format(wait=wait)
    return detail.removesuffix(english_wait).rstrip() + " " + translated_wait
