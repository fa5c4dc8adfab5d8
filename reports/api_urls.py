"""The reports' API routes, under /api/v1/ in the ``api`` namespace (portal/api/urls.py)."""

from rest_framework.routers import SimpleRouter

from reports.api import ReviewReportViewSet

router = SimpleRouter(use_regex_path=False)
router.register("reports", ReviewReportViewSet, basename="report")

urlpatterns = router.urls
