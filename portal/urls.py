"""The project's URLs: the ground's own pages, then each app's, then the API."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from portal.views import accounts, errors, health, home, notifications, profile, teams, units

urlpatterns = [
    path("", home.home, name="home"),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", accounts.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("units/", units.unit_list, name="unit_list"),
    path("units/<int:pk>/", units.unit_detail, name="unit_detail"),
    path("teams/", teams.team_list, name="team_list"),
    path("teams/<int:pk>/", teams.team_detail, name="team_detail"),
    path("teams/<int:pk>/members/", teams.team_add_member, name="team_add_member"),
    path(
        "teams/<int:pk>/members/<int:membership_pk>/end/",
        teams.team_end_membership,
        name="team_end_membership",
    ),
    path("teams/<int:pk>/head/", teams.team_set_head, name="team_set_head"),
    path("me/", profile.my_account, name="my_account"),
    path("me/tokens/<int:pk>/revoke/", profile.token_revoke, name="token_revoke"),
    path("me/notifications/", notifications.notification_list, name="notification_list"),
    path("me/notifications/read/", notifications.notifications_read, name="notifications_read"),
    path("healthz", health.healthz, name="healthz"),
    path("", include("dossiers.urls")),
    path("", include("teamwork.urls")),
    path("", include("policies.urls")),
    path("", include("conversions.urls")),
    path("", include("projects.urls")),
    path("", include("fund.urls")),
    path("", include("reports.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("portal.api.urls")),
]

# Errors in the portal's layout and the visitor's language; under /api/, JSON (portal/views/errors.py).
handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
