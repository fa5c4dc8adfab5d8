"""The OpenAPI schema's one error shape, declared on every operation (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]).

Every error the API answers has the body that ``portal/api/errors.py`` builds, so every 4xx and 5xx
response of the schema references the one ``Error`` component, whatever a view wrote in its
``@extend_schema`` (the view's description is kept). The errors an operation can answer whatever
its view says are added where the view left them out: 400 and 415 for a body, 400 for a list's
page parameters, 401 or 403 behind
authentication, 404 for an id in the path or a page of a list, 429 behind a throttle. A 405 (another
method than the path takes) has the same body; OpenAPI has no place for it on an operation.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny

from portal.api.errors import CODE_CHOICES


class ErrorSerializer(serializers.Serializer):
    """What every error of the API answers (portal/api/errors.py, docs/api.md)."""

    detail = serializers.CharField(help_text="What went wrong, in the caller's language.")
    code = serializers.ChoiceField(choices=CODE_CHOICES, help_text="What went wrong, for a program.")
    errors = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text="With ``invalid`` for malformed fields: each field (or ``non_field_errors``) and "
        "its messages; a list's items by position.",
    )
    rule = serializers.CharField(
        required=False, help_text="With a rule's refusal: which rule, when the rule names itself."
    )


DEFAULT_DESCRIPTIONS = {
    "400": "What was sent is not valid (``errors`` names each field) or a rule refuses it.",
    "401": "No valid token.",
    "403": "No valid session or token, or the caller may not do this.",
    "404": "Nothing with this id in the caller's scope, or no such page.",
    "409": "The change does not fit the current state of what it would change.",
    "415": "The body is in a format this operation does not read.",
    "429": "Too many requests; Retry-After says when to try again.",
}
BODY_METHODS = {"POST", "PUT", "PATCH"}


def is_error(status_code: str) -> bool:
    return status_code[:1] in {"4", "5"}


class PortalAutoSchema(AutoSchema):
    def _get_response_for_code(self, serializer, status_code, media_types=None, direction="response"):
        if is_error(status_code):
            description = serializer.description if isinstance(serializer, OpenApiResponse) else ""
            serializer = OpenApiResponse(
                ErrorSerializer, description=description or DEFAULT_DESCRIPTIONS.get(status_code, "")
            )
            media_types = None
        return super()._get_response_for_code(serializer, status_code, media_types, direction)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for status_code in self._errors_whatever_the_view_says():
            if status_code not in responses:
                responses[status_code] = self._get_response_for_code(None, status_code, direction=direction)
        return dict(sorted(responses.items()))

    def _errors_whatever_the_view_says(self) -> list[str]:
        errors = []
        if self.method in BODY_METHODS and self.get_request_serializer() is not None:
            errors += ["400", "415"]
        authenticators = self.view.get_authenticators()
        # DRF answers 401 when the first way of signing in names itself (WWW-Authenticate), else 403.
        if authenticators and authenticators[0].authenticate_header(self.view.request):
            errors.append("401")
        if authenticators or any(
            not isinstance(permission, AllowAny) for permission in self.view.get_permissions()
        ):
            errors.append("403")
        paginated = self._is_list_view() and self._get_paginator() is not None
        if paginated and "400" not in errors:
            errors.append("400")  # a page or page size that is not a number within its bounds
        if "{" in self.path or paginated:
            errors.append("404")
        if self.view.get_throttles():
            errors.append("429")
        return errors
