"""The API under /api/.

Public routes (no sign-in needed), for the project's list of public routes:

- ``api:token``: exchanging a username and password for a token is how a client signs in.
- ``api:lookup``: anyone may look a dossier up by its code and the last four digits of the
  applicant's phone (status, procedure and due date only; throttled like the web lookup).

Everything else needs a session or a token, the schema and its docs included: the
API serves officials who have accounts, and the public needs neither. The
docs page is the split Swagger view, so it needs no inline script under the
site's Content-Security-Policy (``script-src 'self'``).
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import SimpleRouter

from portal.api import activities, dossiers, policies, views
from reports.api import ReviewReportViewSet

app_name = "api"

router = SimpleRouter(use_regex_path=False)
router.register("units", views.UnitViewSet, basename="unit")
router.register("teams", views.TeamViewSet, basename="team")
router.register("procedures", dossiers.ProcedureViewSet, basename="procedure")
router.register("dossiers", dossiers.DossierViewSet, basename="dossier")
router.register("inquiries", dossiers.InquiryViewSet, basename="inquiry")
router.register("policies", policies.PolicyDocumentViewSet, basename="policy")
router.register("entitlements", policies.EntitlementViewSet, basename="entitlement")
router.register("activities", activities.ActivityViewSet, basename="activity")
router.register("targets", activities.TargetViewSet, basename="target")
router.register("reports", ReviewReportViewSet, basename="report")

urlpatterns = [
    path("api/v1/", include(router.urls)),
    path("api/v1/auth/token/", views.ObtainTokenView.as_view(), name="token"),
    path("api/v1/lookup/", dossiers.LookupView.as_view(), name="lookup"),
    path("api/v1/eligibility/", policies.EligibilityCheckView.as_view(), name="eligibility-check"),
    path("api/schema/", SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]), name="schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", permission_classes=[IsAuthenticated]),
        name="docs",
    ),
]
