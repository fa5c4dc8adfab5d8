"""Loan applications and their appraisal."""

from django.urls import path

from fund.views import applications

urlpatterns = [
    path("loan-applications/", applications.application_list, name="application_list"),
    path("loan-applications/new/", applications.application_new, name="application_new"),
    path("loan-applications/<int:pk>/", applications.application_detail, name="application_detail"),
    path("loan-applications/<int:pk>/assign/", applications.application_assign, name="application_assign"),
    path("loan-applications/<int:pk>/declare/", applications.application_declare, name="application_declare"),
    path("loan-applications/<int:pk>/score/", applications.application_score, name="application_score"),
    path("loan-applications/<int:pk>/visits/", applications.application_visit, name="application_visit"),
    path(
        "loan-applications/<int:pk>/recommend/",
        applications.application_recommend,
        name="application_recommend",
    ),
    path("loan-applications/<int:pk>/refuse/", applications.application_refuse, name="application_refuse"),
]
