"""The policy library, the eligibility checker and the programme's pages.

All are public (no sign-in): see policies/views.py for why.
"""

from django.urls import path

from policies import views

urlpatterns = [
    path("chinh-sach/", views.policy_list, name="policy_list"),
    path("chinh-sach/<int:pk>/", views.policy_detail, name="policy_detail"),
    path("chinh-sach/<int:pk>/tep/", views.policy_file, name="policy_file"),
    path("kiem-tra-dieu-kien/", views.eligibility_check, name="eligibility_check"),
    path("chuong-trinh/", views.programme_home, name="programme_home"),
    path("chuong-trinh/<slug:audience>/", views.programme_audience, name="programme_audience"),
]
