"""The conversions' API routes, under /api/v1/ in the ``api`` namespace (portal/api/urls.py)."""

from django.urls import include, path

urlpatterns = [
    path("", include("conversions.api_import_urls")),
]
