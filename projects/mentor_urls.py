"""The mentors' pool, assignments to projects, declared conflicts and logged sessions."""

from django.urls import path

from projects.views import mentors

urlpatterns = [
    path("mentors/", mentors.mentor_list, name="mentor_list"),
    path("mentors/new/", mentors.mentor_new, name="mentor_new"),
    path("mentors/<int:pk>/", mentors.mentor_detail, name="mentor_detail"),
    path("mentors/<int:pk>/edit/", mentors.mentor_edit, name="mentor_edit"),
    path("projects/<int:pk>/mentors/assign/", mentors.project_mentor_assign, name="project_mentor_assign"),
    path("mentor-assignments/<int:pk>/end/", mentors.mentor_assignment_end, name="mentor_assignment_end"),
    path("projects/<int:pk>/conflicts/new/", mentors.project_conflict_new, name="project_conflict_new"),
    path("projects/<int:pk>/sessions/new/", mentors.mentor_session_new, name="mentor_session_new"),
    path("mentor-sessions/", mentors.mentor_session_list, name="mentor_session_list"),
]
