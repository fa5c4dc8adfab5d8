"""The one-stop shop's pages: the officials' queue and dossiers, the applicant's own pages, the lookup."""

from django.urls import path

from dossiers.views import applicants, desk, dossiers, inquiries, lookup, queue, slips

urlpatterns = [
    # Officials: the queue, a dossier's page and actions, slips, downloads and the inquiry queue.
    path("dossiers/", queue.dossier_list, name="dossier_list"),
    path("dossiers/reassign/", queue.dossier_reassign, name="dossier_reassign"),
    path("dossiers/desk/", desk.dossier_desk, name="dossier_desk"),
    path("dossiers/<int:pk>/", dossiers.dossier_detail, name="dossier_detail"),
    path("dossiers/<int:pk>/act/<slug:action>/", dossiers.dossier_act, name="dossier_act"),
    path(
        "dossiers/<int:pk>/documents/<int:use_pk>/review/",
        dossiers.dossier_review_document,
        name="dossier_review_document",
    ),
    path("dossiers/<int:pk>/slips/<slug:kind>/", slips.dossier_slip, name="dossier_slip"),
    path("dossiers/<int:pk>/slips/<slug:kind>.docx", slips.dossier_slip_docx, name="dossier_slip_docx"),
    path("documents/<int:pk>/", dossiers.document_download, name="document_download"),
    path("inquiries/", inquiries.inquiry_list, name="inquiry_list"),
    path("inquiries/<int:pk>/reply/", inquiries.inquiry_reply, name="inquiry_reply"),
    # The applicant's own profile and dossiers.
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
    # Anyone, without signing in.
    path("accounts/register/", applicants.register, name="register"),
    path("tra-cuu/", lookup.dossier_lookup, name="dossier_lookup"),
]
