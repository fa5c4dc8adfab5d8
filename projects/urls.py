"""The startup projects, their plans, the mentors' pool and the success models."""

from django.urls import include, path

from projects.views import projects

urlpatterns = [
    path("projects/", projects.project_list, name="project_list"),
    path("projects/new/", projects.project_new, name="project_new"),
    path("projects/<int:pk>/", projects.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", projects.project_edit, name="project_edit"),
    path("projects/<int:pk>/step/", projects.project_step, name="project_step"),
    path("projects/<int:pk>/correct/", projects.project_correct, name="project_correct"),
    path("projects/<int:pk>/supports/new/", projects.project_support_new, name="project_support_new"),
    path("projects/<int:pk>/visits/new/", projects.project_visit_new, name="project_visit_new"),
    path("projects/<int:pk>/dossiers/link/", projects.project_dossier_link, name="project_dossier_link"),
    path("", include("projects.plan_urls")),
    path("", include("projects.mentor_urls")),
    path("", include("projects.model_urls")),
    path("", include("projects.spread_urls")),
]
