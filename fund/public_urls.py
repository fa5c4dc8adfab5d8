"""The funds' public pages (no sign-in): the funds, and each fund's disclosure."""

from django.urls import path

from fund.views import public

urlpatterns = [
    path("quy/", public.public_fund_list, name="public_fund_list"),
    path("quy/<slug:slug>/cong-khai/", public.fund_disclosure, name="fund_disclosure"),
]
