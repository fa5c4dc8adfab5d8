"""The registry of household businesses and the conversion cases."""

from django.urls import include, path

from conversions.views import cases, registry

urlpatterns = [
    path("", include("conversions.import_urls")),
    # The registry.
    path("household-businesses/", registry.household_business_list, name="household_business_list"),
    path("household-businesses/new/", registry.household_business_new, name="household_business_new"),
    path(
        "household-businesses/<int:pk>/", registry.household_business_detail, name="household_business_detail"
    ),
    path(
        "household-businesses/<int:pk>/edit/",
        registry.household_business_edit,
        name="household_business_edit",
    ),
    path(
        "household-businesses/<int:pk>/identify/",
        registry.household_business_identify,
        name="household_business_identify",
    ),
    # The cases, their follow-up visits and the schedule of visits.
    path("conversions/", cases.conversion_list, name="conversion_list"),
    path("conversions/visits/", cases.conversion_visit_list, name="conversion_visit_list"),
    path("conversions/visits/<int:pk>/", cases.conversion_visit, name="conversion_visit"),
    path(
        "conversions/visits/<int:pk>/reschedule/",
        cases.conversion_visit_reschedule,
        name="conversion_visit_reschedule",
    ),
    path("conversions/visits/<int:pk>/skip/", cases.conversion_visit_skip, name="conversion_visit_skip"),
    path(
        "conversions/visits/<int:pk>/attachment/",
        cases.conversion_visit_attachment,
        name="conversion_visit_attachment",
    ),
    path("conversions/schedule/", cases.conversion_schedule, name="conversion_schedule"),
    path("conversions/<int:pk>/", cases.conversion_detail, name="conversion_detail"),
    path("conversions/<int:pk>/<slug:action>/", cases.conversion_act, name="conversion_act"),
]
