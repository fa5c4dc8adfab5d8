"""Routes of the applicant's own pages: profile, dossiers, notifications."""

from django.urls import path

from portal.views import applicants, notifications

urlpatterns = [
    path("me/profile/", applicants.applicant_profile, name="applicant_profile"),
    path("me/dossiers/", applicants.my_dossiers, name="my_dossiers"),
    path("me/dossiers/new/", applicants.dossier_new, name="dossier_new"),
    path("me/dossiers/new/<slug:procedure_code>/", applicants.dossier_start, name="dossier_start"),
    path(
        "me/dossiers/<int:pk>/documents/<int:requirement_pk>/",
        applicants.dossier_upload,
        name="dossier_upload",
    ),
    path("me/dossiers/<int:pk>/submit/", applicants.dossier_submit, name="dossier_submit"),
    path("me/dossiers/<int:pk>/supply/", applicants.dossier_supply, name="dossier_supply"),
    path("me/dossiers/<int:pk>/withdraw/", applicants.dossier_withdraw, name="dossier_withdraw"),
    path("me/dossiers/<int:pk>/rate/", applicants.dossier_rate, name="dossier_rate"),
    path("me/dossiers/<int:pk>/inquiries/", applicants.inquiry_raise, name="inquiry_raise"),
    path("me/notifications/", notifications.notification_list, name="notification_list"),
    path("me/notifications/read/", notifications.notifications_read, name="notifications_read"),
]
