"""Routes of the teams' activities."""

from django.urls import path

from portal.views import activities

urlpatterns = [
    path("activities/", activities.activity_list, name="activity_list"),
    path("activities/new/", activities.activity_new, name="activity_new"),
    path("activities/<int:pk>/", activities.activity_detail, name="activity_detail"),
    path("activities/attachments/<int:pk>/", activities.activity_attachment, name="activity_attachment"),
]
