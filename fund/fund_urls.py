"""Funds, their regulation versions, contributions, receipts and campaigns."""

from django.urls import path

from fund.views import funds

urlpatterns = [
    path("funds/", funds.fund_list, name="fund_list"),
    path("funds/<slug:slug>/", funds.fund_detail, name="fund_detail"),
    path("funds/<slug:slug>/regulations/new/", funds.regulation_new, name="regulation_new"),
    path("fund-regulations/<int:pk>/", funds.regulation_detail, name="regulation_detail"),
    path("funds/<slug:slug>/contributions/", funds.contribution_list, name="contribution_list"),
    path("funds/<slug:slug>/contributions/new/", funds.contribution_new, name="contribution_new"),
    path("fund-contributions/<int:pk>/", funds.contribution_detail, name="contribution_detail"),
    path("fund-receipts/<int:pk>/", funds.receipt_detail, name="receipt_detail"),
    path("funds/<slug:slug>/campaigns/new/", funds.campaign_new, name="campaign_new"),
]
