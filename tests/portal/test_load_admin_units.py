"""load_admin_units: Vĩnh Long (86) with former Bến Tre, Trà Vinh and Vĩnh Long as history.

The counts below were read from vietnamadminunits 1.0.4's dataset.db:
admin_units has 124 wards for provinceCode 86 (19 Phường, 105 Xã);
admin_units_legacy has 148 communes in 9 districts for Bến Tre (83),
104 in 9 for Trà Vinh (84) and 102 in 8 for Vĩnh Long (86).
"""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from portal import units_loader
from portal.management import bilingual
from portal.models import AdminUnit, AuditRecord
from portal.models.units import REFORM_DATE

FORMER_UNTIL = datetime.date(2025, 6, 30)
Level = AdminUnit.Level

pytestmark = pytest.mark.django_db


def load(*arguments: str) -> str:
    out = StringIO()
    call_command("load_admin_units", *arguments, stdout=out)
    return out.getvalue()


def unit(code: str, *, current: bool) -> AdminUnit:
    return AdminUnit.objects.get(code=code, valid_until=None if current else FORMER_UNTIL)


def names(units) -> set[str]:
    return {unit.name for unit in units}


def link_count() -> int:
    return AdminUnit.successors.through.objects.count()


def test_loading_vinh_long_creates_the_province_its_wards_and_the_history():
    output = load("86")

    province = unit("86", current=True)
    assert (province.name, province.kind, province.level) == ("Tỉnh Vĩnh Long", "Tỉnh", Level.PROVINCE)
    assert (province.valid_from, province.valid_until, province.parent) == (REFORM_DATE, None, None)
    wards = AdminUnit.objects.filter(parent=province)
    assert wards.count() == 124
    assert wards.filter(level=Level.COMMUNE, kind="Phường").count() == 19
    assert wards.filter(level=Level.COMMUNE, kind="Xã").count() == 105
    assert set(wards.values_list("valid_from", "valid_until").distinct()) == {(REFORM_DATE, None)}

    former = AdminUnit.objects.filter(valid_until=FORMER_UNTIL)
    assert set(former.values_list("valid_from", flat=True).distinct()) == {None}
    assert sorted(former.filter(level=Level.PROVINCE).values_list("code", "name")) == [
        ("83", "Tỉnh Bến Tre"),
        ("84", "Tỉnh Trà Vinh"),
        ("86", "Tỉnh Vĩnh Long"),
    ]
    assert former.filter(level=Level.DISTRICT).count() == 26
    assert former.filter(level=Level.COMMUNE).count() == 354
    assert AdminUnit.objects.count() == 1 + 124 + 3 + 26 + 354

    bentre = unit("83", current=False)
    assert sorted(bentre.children.values_list("code", "name", "kind")) == [
        ("829", "Thành phố Bến Tre", "Thành phố"),
        ("831", "Huyện Châu Thành", "Huyện"),
        ("832", "Huyện Chợ Lách", "Huyện"),
        ("833", "Huyện Mỏ Cày Nam", "Huyện"),
        ("834", "Huyện Giồng Trôm", "Huyện"),
        ("835", "Huyện Bình Đại", "Huyện"),
        ("836", "Huyện Ba Tri", "Huyện"),
        ("837", "Huyện Thạnh Phú", "Huyện"),
        ("838", "Huyện Mỏ Cày Bắc", "Huyện"),
    ]
    assert AdminUnit.objects.filter(parent__parent=bentre).count() == 148
    assert AdminUnit.objects.filter(parent__parent=unit("84", current=False)).count() == 104
    assert AdminUnit.objects.filter(parent__parent=unit("86", current=False)).count() == 102
    assert names(unit("832", current=False).children.all()) == {
        "Thị trấn Chợ Lách",
        "Xã Phú Phụng",
        "Xã Sơn Định",
        "Xã Vĩnh Bình",
        "Xã Hòa Nghĩa",
        "Xã Long Thới",
        "Xã Phú Sơn",
        "Xã Tân Thiềng",
        "Xã Vĩnh Thành",
        "Xã Vĩnh Hòa",
        "Xã Hưng Khánh Trung B",
    }
    assert "508 units created, 0 updated, 0 unchanged; 362 successor links added, 0 removed" in output


def test_successor_links_follow_the_reform():
    load("86")
    province = unit("86", current=True)
    for code in ("83", "84", "86"):
        assert list(unit(code, current=False).successors.all()) == [province]
    # Districts were abolished: nothing succeeds them.
    assert not AdminUnit.objects.filter(level=Level.DISTRICT, successors__isnull=False).exists()
    # Every former commune went somewhere and every current ward came from somewhere.
    assert not AdminUnit.objects.filter(
        valid_until=FORMER_UNTIL, level=Level.COMMUNE, successors=None
    ).exists()
    assert not AdminUnit.objects.filter(valid_until=None, level=Level.COMMUNE, predecessors=None).exists()
    assert link_count() == 362


def test_a_former_commune_is_linked_to_the_ward_it_went_into():
    load("86")
    # Xã Chợ Lách = Thị trấn Chợ Lách + Hòa Nghĩa + Long Thới (Huyện Chợ Lách, Bến Tre).
    cho_lach = unit("28870", current=True)
    assert cho_lach.name == "Xã Chợ Lách"
    assert sorted(cho_lach.predecessors.values_list("code", "name", "parent__name")) == [
        ("28870", "Thị trấn Chợ Lách", "Huyện Chợ Lách"),
        ("28882", "Xã Hòa Nghĩa", "Huyện Chợ Lách"),
        ("28885", "Xã Long Thới", "Huyện Chợ Lách"),
    ]
    # Phường 7 of Bến Tre city went into Phường Bến Tre, which took the code of Xã Bình Phú.
    assert list(unit("28780", current=False).successors.values_list("name", flat=True)) == ["Phường Bến Tre"]
    assert sorted(unit("28789", current=True).predecessors.values_list("name", flat=True)) == [
        "Phường 7",
        "Xã Bình Phú",
        "Xã Thanh Tân",
    ]


def test_a_divided_commune_is_linked_to_each_ward_it_went_into():
    load("86")
    cai_von = unit("29770", current=False)
    assert cai_von.name == "Phường Cái Vồn"
    assert sorted(cai_von.successors.values_list("name", flat=True)) == ["Phường Bình Minh", "Phường Cái Vồn"]


def test_a_candidate_explained_by_a_namesake_commune_is_ignored():
    """The package lists both Xã Hòa Lộc (Mỏ Cày Bắc and Tam Bình) as divided between both new wards."""
    output = load("86", "--verbosity", "2")
    assert list(unit("28924", current=False).successors.values_list("name", flat=True)) == [
        "Xã Tân Thành Bình"
    ]
    assert list(unit("29734", current=False).successors.values_list("name", flat=True)) == ["Xã Hòa Hiệp"]
    assert "Xã Hòa Lộc (28924, Huyện Mỏ Cày Bắc): ignored candidate 'xahoahiep'" in output


def test_an_island_district_without_communes_is_linked_to_its_special_zone():
    load("79")
    con_dao = unit("755", current=False)
    assert (con_dao.name, con_dao.level, con_dao.children.count()) == ("Huyện Côn Đảo", Level.DISTRICT, 0)
    assert list(con_dao.successors.values_list("name", "kind")) == [("Đặc khu Côn Đảo", "Đặc khu")]


def test_running_twice_creates_and_changes_nothing():
    load("86")

    def state():
        return (
            list(
                AdminUnit.objects.order_by("pk").values_list(
                    "pk", "code", "name", "level", "kind", "parent", "valid_from", "valid_until", "sort_name"
                )
            ),
            sorted(AdminUnit.successors.through.objects.values_list("pk", "from_adminunit", "to_adminunit")),
            AuditRecord.objects.count(),
        )

    before = state()
    output = load("86")
    assert state() == before
    assert "0 units created, 0 updated, 508 unchanged; 0 successor links added, 0 removed" in output


def test_running_again_repairs_what_was_changed():
    load("86")
    ward = unit("28870", current=True)
    ward.name = "Xã Chợ Lách Mới"
    ward.save(update_fields=["name"])
    stray = unit("28780", current=False)
    stray.successors.add(ward)

    output = load("86")

    ward.refresh_from_db()
    assert (ward.name, ward.search_name) == ("Xã Chợ Lách", "xa cho lach")
    assert list(stray.successors.values_list("name", flat=True)) == ["Phường Bến Tre"]
    assert "0 units created, 1 updated, 507 unchanged; 0 successor links added, 1 removed" in output


@pytest.mark.parametrize(
    "query", ["86", "vinh long", "Vĩnh Long", "TỈNH VĨNH LONG", "tinh vinh long", " vĩnh  long "]
)
def test_a_province_is_found_by_code_or_name(query):
    assert units_loader.find_province(query).code == "86"


@pytest.mark.parametrize(
    ("query", "code"),
    [("1", "01"), ("hcm", "79"), ("TP HCM", "79"), ("Thành phố Hồ Chí Minh", "79"), ("hue", "46")],
)
def test_short_names_and_codes_are_understood(query, code):
    assert units_loader.find_province(query).code == code


def test_an_unknown_province_is_refused_and_nothing_is_written():
    with pytest.raises(CommandError) as refused:
        load("86", "ben tre")
    message = str(refused.value)
    assert "Unknown province “ben tre”." in message
    assert "Close matches: Tỉnh Vĩnh Long (86), which former Tỉnh Bến Tre (83) is now part of." in message
    assert AdminUnit.objects.count() == 0
    assert link_count() == 0


def test_a_misspelt_province_gets_close_matches():
    with pytest.raises(
        CommandError, match=r"Unknown province “vin long”\. Close matches: Tỉnh Vĩnh Long \(86\)\."
    ):
        load("vin long")


def test_nonsense_gets_pointed_to_the_list():
    with pytest.raises(CommandError, match="load_admin_units --list"):
        load("xyz")
    assert AdminUnit.objects.count() == 0


def test_no_province_at_all_is_refused():
    with pytest.raises(CommandError, match="Name at least one province"):
        load()


def test_messages_show_both_languages_once_translated():
    # "name" is already in the Vietnamese catalogue.
    assert bilingual(lambda: translation.gettext("name")) == "tên / name"


def test_list_shows_the_34_provinces_with_codes():
    lines = load("--list").splitlines()
    assert len(lines) == 34
    assert lines[0] == "01  Thành phố Hà Nội"
    assert "86  Tỉnh Vĩnh Long ← Tỉnh Bến Tre, Tỉnh Trà Vinh, Tỉnh Vĩnh Long" in lines
    assert AdminUnit.objects.count() == 0


def test_search_ignores_case_and_diacritics():
    load("86")
    found = [set(AdminUnit.objects.search(text)) for text in ("ben tre", "BEN TRE", "Bến Tre", "bến  tre")]
    assert found[0] == found[1] == found[2] == found[3]
    assert names(found[0]) == {"Tỉnh Bến Tre", "Thành phố Bến Tre", "Phường Bến Tre"}
    dai = names(AdminUnit.objects.search("dai"))
    assert {"Xã Đại Điền", "Huyện Bình Đại", "Xã Bình Đại", "Thị trấn Bình Đại"} <= dai
    assert all("đại" in name.lower() or "dai" in name.lower() for name in dai)


def test_units_come_in_vietnamese_order():
    load("86")
    province = unit("86", current=True)
    ordered = list(province.children.in_vietnamese_order().values_list("name", flat=True))
    # d before đ; a, ă, â and tones compared only after the letters.
    assert ordered[:8] == [
        "Phường An Hội",
        "Phường Bến Tre",
        "Phường Bình Minh",
        "Phường Cái Vồn",
        "Phường Duyên Hải",
        "Phường Đông Thành",
        "Phường Hòa Thuận",
        "Phường Long Châu",
    ]
    assert ordered[31:36] == ["Xã Cái Ngang", "Xã Cái Nhum", "Xã Càng Long", "Xã Cầu Kè", "Xã Cầu Ngang"]
