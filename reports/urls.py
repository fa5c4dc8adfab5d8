"""The reports pages and the dashboard."""

from django.urls import path

from reports import dashboard, views

app_name = "reports"

urlpatterns = [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("reports/", views.report_list, name="list"),
    path("reports/request/", views.report_request, name="request"),
    path("reports/<int:pk>/", views.report_detail, name="detail"),
    path("reports/<int:pk>/progress/", views.report_progress, name="progress"),
    path("reports/<int:pk>/lessons/", views.report_lessons, name="lessons"),
    path("reports/<int:pk>/final/", views.report_finalise, name="finalise"),
    path("reports/<int:pk>/rebuild/", views.report_rebuild, name="rebuild"),
    path("reports/<int:pk>/file.<str:file_type>", views.report_file, name="file"),
]
