"""The teams' activities and how evenly the teams work."""

from django.urls import path

from teamwork.views import activities, overview

urlpatterns = [
    path("activities/", activities.activity_list, name="activity_list"),
    path("activities/new/", activities.activity_new, name="activity_new"),
    path("activities/<int:pk>/", activities.activity_detail, name="activity_detail"),
    path("activities/attachments/<int:pk>/", activities.activity_attachment, name="activity_attachment"),
    path("work/", overview.teamwork_overview, name="teamwork_overview"),
    path("work/teams/<int:pk>/", overview.teamwork_team, name="teamwork_team"),
]
