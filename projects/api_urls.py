"""The projects' API routes, under /api/v1/ in the ``api`` namespace (portal/api/urls.py)."""

from rest_framework.routers import SimpleRouter

from projects.api.mentors import MentorSessionViewSet, MentorViewSet
from projects.api.plans import PovertyPlanViewSet
from projects.api.projects import ProjectViewSet
from projects.api.showcase import SuccessModelViewSet

router = SimpleRouter(use_regex_path=False)
router.register("projects", ProjectViewSet, basename="project")
router.register("poverty-plans", PovertyPlanViewSet, basename="poverty-plan")
router.register("mentors", MentorViewSet, basename="mentor")
router.register("mentor-sessions", MentorSessionViewSet, basename="mentor-session")
router.register("models", SuccessModelViewSet, basename="success-model")

urlpatterns = router.urls
