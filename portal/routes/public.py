"""Routes anyone may open without signing in."""

from django.urls import path

from portal.views import applicants, lookup

urlpatterns = [
    path("accounts/register/", applicants.register, name="register"),
    path("tra-cuu/", lookup.dossier_lookup, name="dossier_lookup"),
]
