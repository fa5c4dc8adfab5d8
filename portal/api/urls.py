"""The API under /api/.

Public routes (no sign-in needed), for the project's list of public routes:

- ``api:token``: exchanging a username and password for a token is how a client signs in
  (``api:sign-out`` needs the token it revokes).
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

from portal.api import targets, tokens, views

app_name = "api"

router = SimpleRouter(use_regex_path=False)
router.register("units", views.UnitViewSet, basename="unit")
router.register("teams", views.TeamViewSet, basename="team")
router.register("targets", targets.TargetViewSet, basename="target")

urlpatterns = [
    path("api/v1/", include(router.urls)),
    path("api/v1/auth/token/", tokens.ObtainTokenView.as_view(), name="token"),
    path("api/v1/auth/sign-out/", tokens.SignOutView.as_view(), name="sign-out"),
    # Each app registers its own routes, named in this namespace.
    path("api/v1/", include("dossiers.api_urls")),
    path("api/v1/", include("policies.api_urls")),
    path("api/v1/", include("teamwork.api_urls")),
    path("api/v1/", include("conversions.api_urls")),
    path("api/v1/", include("projects.api_urls")),
    path("api/v1/", include("fund.api_urls")),
    path("api/v1/", include("reports.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]), name="schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", permission_classes=[IsAuthenticated]),
        name="docs",
    ),
]
