"""The policy library's API routes, under /api/v1/ in the ``api`` namespace (portal/api/urls.py)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from policies.api import EligibilityCheckView, EntitlementViewSet, PolicyDocumentViewSet

router = SimpleRouter(use_regex_path=False)
router.register("policies", PolicyDocumentViewSet, basename="policy")
router.register("entitlements", EntitlementViewSet, basename="entitlement")

urlpatterns = [*router.urls, path("eligibility/", EligibilityCheckView.as_view(), name="eligibility-check")]
