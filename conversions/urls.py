"""The registry of household businesses and the conversion cases."""

from django.urls import include, path

urlpatterns = [
    path("", include("conversions.import_urls")),
]
