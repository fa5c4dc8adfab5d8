"""The portal's URLs plus views that fail on purpose, for the tests of the error pages and answers.

Tests mark themselves ``@pytest.mark.urls("tests.portal.failing_urls")``; the error handlers are
the portal's own (portal/urls.py).
"""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path
from rest_framework import serializers
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from portal.urls import handler400, handler403, handler404, handler500  # noqa: F401 (the handlers in use)
from portal.urls import urlpatterns as portal_urlpatterns


def fails(request):
    raise RuntimeError("a fault of the portal's own")


def refuses(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("a request that makes no sense")


class Probe(serializers.Serializer):
    """A field of each kind the API's bodies and parameters have, to read DRF's messages back."""

    whole = serializers.IntegerField(min_value=0, max_value=10, required=False)
    amount = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    day = serializers.DateField(required=False)
    moment = serializers.DateTimeField(required=False)
    choice = serializers.ChoiceField(choices=["a", "b"], required=False)
    choices = serializers.MultipleChoiceField(choices=["a", "b"], allow_empty=False, required=False)
    text = serializers.CharField(min_length=3, max_length=5, required=False)
    items = serializers.ListField(child=serializers.IntegerField(), required=False)
    needed = serializers.CharField()
    not_null = serializers.CharField(required=False)


class ProbeView(APIView):
    permission_classes = [AllowAny]

    def post(self, request):
        Probe(data=request.data).is_valid(raise_exception=True)


class FailingAPIView(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        raise RuntimeError("a fault of the API's own")


class ThrottledAPIView(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        raise Throttled(wait=5)


urlpatterns = [
    path("fails/", fails),
    path("refuses/", refuses),
    path("suspicious/", suspicious),
    path("api/v1/fails/", FailingAPIView.as_view()),
    path("api/v1/throttled/", ThrottledAPIView.as_view()),
    path("api/v1/probe/", ProbeView.as_view()),
    path("api/v1/refuses/", refuses),
    *portal_urlpatterns,
]
