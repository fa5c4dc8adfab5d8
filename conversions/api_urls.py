"""The conversions' API routes, under /api/v1/ in the ``api`` namespace (portal/api/urls.py).

The imports' routes (``household-businesses/imports/…``) come first, so that "imports" is never
read as a household business's id.
"""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from conversions.api import ConversionViewSet, HouseholdBusinessViewSet

router = SimpleRouter(use_regex_path=False)
router.register("household-businesses", HouseholdBusinessViewSet, basename="household-business")
router.register("conversions", ConversionViewSet, basename="conversion")

urlpatterns = [
    path("", include("conversions.api_import_urls")),
    *router.urls,
]
