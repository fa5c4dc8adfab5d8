"""How evenly the support teams work."""

from django.urls import path

from portal.views import teamwork

urlpatterns = [
    path("work/", teamwork.teamwork_overview, name="teamwork_overview"),
    path("work/teams/<int:pk>/", teamwork.teamwork_team, name="teamwork_team"),
]
