"""The one-stop shop's API routes, under /api/v1/ in the ``api`` namespace (portal/api/urls.py)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from dossiers.api import views

router = SimpleRouter(use_regex_path=False)
router.register("procedures", views.ProcedureViewSet, basename="procedure")
router.register("dossiers", views.DossierViewSet, basename="dossier")
router.register("inquiries", views.InquiryViewSet, basename="inquiry")

urlpatterns = [
    *router.urls,
    # Public: anyone may look a dossier up by its code and the last four digits of the phone.
    path("lookup/", views.LookupView.as_view(), name="lookup"),
]
