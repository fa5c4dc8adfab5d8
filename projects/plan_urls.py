"""The poverty-escape households and their plans."""

from django.urls import path

from projects.views import plans

urlpatterns = [
    path("poverty-households/", plans.household_list, name="household_list"),
    path("poverty-households/new/", plans.household_new, name="household_new"),
    path("poverty-plans/", plans.poverty_plan_list, name="poverty_plan_list"),
    path("poverty-plans/new/", plans.poverty_plan_new, name="poverty_plan_new"),
    path("poverty-plans/<int:pk>/", plans.poverty_plan_detail, name="poverty_plan_detail"),
    path("poverty-plans/<int:pk>/edit/", plans.poverty_plan_edit, name="poverty_plan_edit"),
    path("poverty-plans/<int:pk>/approve/", plans.poverty_plan_approve, name="poverty_plan_approve"),
    path("poverty-plans/<int:pk>/review/", plans.poverty_plan_review, name="poverty_plan_review"),
]
