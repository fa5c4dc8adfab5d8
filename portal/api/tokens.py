"""Signing an API client in and out: a new token for every sign-in, and a sign-out that revokes it.

The token endpoint checks the password through the throttled backend (portal/throttle.py), so its
failures count with the sign-in page's and the admin's, per account and per client address, and a
blocked account or address gets no token, not even with the right password. Each sign-in issues a
token of its own, so several devices may each hold one; the owner lists and revokes them on the
account page (/me/), and an administrator in the admin.
"""

from collections.abc import Mapping

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from portal.api.authentication import ExpiringTokenAuthentication
from portal.api.base import PortalAPIView
from portal.api.filters import TOO_LONG
from portal.api.serializers import DetailSerializer
from portal.middleware import client_address
from portal.services.tokens import issue_token, revoke_token
from portal.throttle import seconds_until, sign_in_blocked_until, sign_in_refusal


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, error_messages={"max_length": TOO_LONG})
    password = serializers.CharField(
        max_length=4096,
        trim_whitespace=False,
        style={"input_type": "password"},
        error_messages={"max_length": TOO_LONG},
    )
    label = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        error_messages={"max_length": TOO_LONG},
        help_text="What the token is for (a device, a program), shown where its owner lists the tokens. "
        "The client's User-Agent when left out.",
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text="Send it as the header “Authorization: Token <token>”. It is shown this once: "
        "the portal keeps only a hash of it."
    )
    label = serializers.CharField()
    prefix = serializers.CharField(help_text="The token's first characters, as its owner's list shows them.")
    idle_timeout = serializers.IntegerField(help_text="Seconds without use after which the token dies.")


class SignInBlocked(APIException):
    """429 with the time to try again in ``detail`` and its seconds in Retry-After."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "throttled"

    def __init__(self, until):
        super().__init__(sign_in_refusal(until))
        self.wait = seconds_until(until)


class WrongCredentials(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"
    default_detail = _("The username or password is not correct. Both are case-sensitive.")


class ObtainTokenView(PortalAPIView):
    """Exchange a username and password for a new API token."""

    # The credentials are in the body: no session, so no CSRF check and no login CSRF either.
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="auth_token",
        tags=["auth"],
        summary="Sign in: obtain a new API token",
        auth=[],
        request=CredentialsSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(
                description="Missing or malformed fields (the body names each one), or the username or "
                "password is not correct (``detail`` says so)."
            ),
            429: OpenApiResponse(
                DetailSerializer,
                description="Too many failed sign-ins for the account or the client's address, at this "
                "endpoint, the sign-in page or the admin's: ``detail`` says at what time to try again, "
                "Retry-After in how many seconds. Even the right password is refused until then.",
            ),
        },
    )
    def post(self, request):
        # A body that is not an object is refused by the serializer below, after the throttle.
        username = str(request.data.get("username", "")) if isinstance(request.data, Mapping) else ""
        until = sign_in_blocked_until(request, username)
        if until is not None:
            raise SignInBlocked(until)
        body = CredentialsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=body.validated_data["username"],
            password=body.validated_data["password"],
        )
        if user is None:
            raise WrongCredentials
        label = body.validated_data.get("label") or request.META.get("HTTP_USER_AGENT", "")
        token, key = issue_token(user=user, label=label, address=client_address(request))
        idle_timeout = int(settings.API_TOKEN_IDLE_TIMEOUT.total_seconds())
        return Response(
            TokenSerializer(
                {"token": key, "label": token.label, "prefix": token.prefix, "idle_timeout": idle_timeout}
            ).data
        )


class SignOutView(PortalAPIView):
    """Revoke the token the request is signed in with; the owner's other devices stay signed in."""

    authentication_classes = [ExpiringTokenAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="auth_sign_out",
        tags=["auth"],
        summary="Sign out: revoke the token this request is signed in with",
        request=None,
        responses={
            204: OpenApiResponse(description="The token is revoked; it answers 401 from now on."),
            401: OpenApiResponse(
                DetailSerializer,
                description="No token, or one that is not valid, revoked or expired (a session is not "
                "enough: this endpoint signs a token out).",
            ),
        },
    )
    def post(self, request):
        revoke_token(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)
