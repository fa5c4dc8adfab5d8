"""Routes of the policy library, the eligibility checker and the programme's public pages.

All are public (no sign-in): see portal/views/policies.py for why.
"""

from django.urls import path

from portal.views import policies

urlpatterns = [
    path("chinh-sach/", policies.policy_list, name="policy_list"),
    path("chinh-sach/<int:pk>/", policies.policy_detail, name="policy_detail"),
    path("chinh-sach/<int:pk>/tep/", policies.policy_file, name="policy_file"),
    path("kiem-tra-dieu-kien/", policies.eligibility_check, name="eligibility_check"),
    path("chuong-trinh/", policies.programme_home, name="programme_home"),
    path("chuong-trinh/<slug:audience>/", policies.programme_audience, name="programme_audience"),
]
