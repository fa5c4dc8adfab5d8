"""The pages of an import of a commune's list of household businesses."""

from django.urls import path

from conversions.views import imports

urlpatterns = [
    path("household-businesses/imports/", imports.import_list, name="household_business_import_list"),
    path(
        "household-businesses/imports/template.xlsx",
        imports.import_template,
        name="household_business_import_template",
    ),
    path("household-businesses/imports/new/", imports.import_new, name="household_business_import_new"),
    path(
        "household-businesses/imports/<int:pk>/",
        imports.import_detail,
        name="household_business_import_detail",
    ),
    path(
        "household-businesses/imports/<int:pk>/progress/",
        imports.import_progress,
        name="household_business_import_progress",
    ),
    path(
        "household-businesses/imports/<int:pk>/confirm/",
        imports.import_confirm,
        name="household_business_import_confirm",
    ),
]
