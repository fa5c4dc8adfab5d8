"""What every API view stands on: the acting user for the audit, the page of rows, the shared answers.

Every API view derives from ``PortalAPIView`` or ``PortalViewSet``. Once DRF has authenticated the
caller (a session or a token), ``ActingUser`` opens the audit context for the rest of the request,
so every audited change a service makes is recorded with its actor, from the caller's address,
through the ``api`` channel; a view never opens it itself.
"""

import contextlib

from drf_spectacular.utils import OpenApiResponse
from rest_framework import viewsets
from rest_framework.views import APIView

from portal.api.pagination import PortalPagination
from portal.api.serializers import DetailSerializer
from portal.audit import audit_context
from portal.middleware import client_address

MALFORMED_PARAMETER = OpenApiResponse(
    description="A query parameter is malformed; the body names each one and why."
)
NOT_SIGNED_IN = OpenApiResponse(DetailSerializer, description="No valid session or token.")
CONFLICT = OpenApiResponse(
    DetailSerializer,
    description="The change does not fit the current state of what it would change (``detail`` says why).",
)


class ActingUser:
    """Records every audited change of the request as the authenticated caller's."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self._acting = contextlib.ExitStack()
        self._acting.enter_context(
            audit_context(actor=request.user, address=client_address(request), channel="api")
        )

    def finalize_response(self, request, response, *args, **kwargs):
        acting = getattr(self, "_acting", None)
        if acting is not None:
            acting.close()
        return super().finalize_response(request, response, *args, **kwargs)


class PortalAPIView(ActingUser, APIView):
    pass


class PortalGenericViewSet(ActingUser, viewsets.GenericViewSet):
    pagination_class = PortalPagination
    lookup_value_converter = "int"


class PortalViewSet(ActingUser, viewsets.ReadOnlyModelViewSet):
    pagination_class = PortalPagination
    lookup_value_converter = "int"
