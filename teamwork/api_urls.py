"""The teams' API routes, under /api/v1/ in the ``api`` namespace (portal/api/urls.py)."""

from rest_framework.routers import SimpleRouter

from teamwork.api import ActivityViewSet

router = SimpleRouter(use_regex_path=False)
router.register("activities", ActivityViewSet, basename="activity")

urlpatterns = router.urls
