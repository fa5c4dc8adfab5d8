from django.urls import reverse

from portal.models import AdminUnit


def test_admin_refuses_a_malformed_unit_code_in_vietnamese_and_creates_nothing(
    cast, login, django_user_model
):
    superuser = django_user_model.objects.create_superuser(
        "quantri-thu", "qt@example.vn", "mat-khau-quan-tri"
    )
    before = AdminUnit.objects.count()
    response = login(superuser).post(
        reverse("admin:portal_adminunit_add"),
        {"code": "xã 1", "name": "Xã Mới", "level": "commune", "kind": "Xã"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["code"] == [
        "Mã đơn vị chỉ gồm chữ số (mã GSO) hoặc chữ in hoa, tối đa 10 ký tự."
    ]
    assert AdminUnit.objects.count() == before


def test_admin_adds_a_unit_with_its_search_and_sort_keys(cast, login, django_user_model):
    superuser = django_user_model.objects.create_superuser(
        "quantri-thu", "qt@example.vn", "mat-khau-quan-tri"
    )
    response = login(superuser).post(
        reverse("admin:portal_adminunit_add"),
        {
            "code": "99102",
            "name": "Xã Đa Phước Hội",
            "level": "commune",
            "kind": "Xã",
            "parent": cast.units.district.pk,
        },
    )
    assert response.status_code == 302
    unit = AdminUnit.objects.get(code="99102")
    assert unit.search_name == "xa da phuoc hoi"
    assert list(AdminUnit.objects.search("DA PHUOC")) == [unit]
