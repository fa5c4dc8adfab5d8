"""The spread of support across projects, unit by unit (the review's "spread thin")."""

from django.urls import path

from projects.views import spread

urlpatterns = [
    path("projects/support-spread/", spread.support_spread, name="support_spread"),
]
