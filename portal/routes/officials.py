"""The officials' pages: the dossier queue and pages, slips, document downloads and the inquiry queue."""

from django.urls import path

from portal.views import desk, dossiers, inquiries, slips

urlpatterns = [
    path("dossiers/", dossiers.dossier_list, name="dossier_list"),
    path("dossiers/reassign/", dossiers.dossier_reassign, name="dossier_reassign"),
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
]
