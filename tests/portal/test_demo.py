"""load_demo: the Vĩnh Long demo with one login per role."""

import datetime
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse

from portal.access import can_edit_team, get_team_for_user
from portal.models import AdminUnit, AuditRecord, Membership, Team, User
from portal.scope import scope_for

FORMER_UNTIL = datetime.date(2025, 6, 30)
LOGINS = ("hoidong", "thuongtruc", "huyen", "xa", "quy", "nguoinop", "quantri")

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def login(username: str) -> User:
    return User.objects.get(username=username)


def unit(code: str, *, current: bool) -> AdminUnit:
    return AdminUnit.objects.get(code=code, valid_until=None if current else FORMER_UNTIL)


def test_one_login_per_role_with_the_documented_password(demo):
    users = User.objects.filter(username__in=LOGINS)
    assert sorted(users.values_list("username", flat=True)) == sorted(LOGINS)
    for user in users:
        assert user.check_password("khoinghiep2026"), user.username
    assert list(User.objects.filter(is_superuser=True).values_list("username", "is_staff")) == [
        ("quantri", True)
    ]
    assert not User.objects.filter(is_staff=True).exclude(username="quantri").exists()
    # Everyone else in the demo is a name on a team, not a login.
    others = User.objects.exclude(username__in=LOGINS)
    assert others.count() == 322
    assert not any(user.has_usable_password() for user in others)
    assert "Demo logins, all with the password khoinghiep2026:" in demo
    for username in LOGINS:
        assert f"\n  {username} " in demo


def test_the_province_teams_and_people(demo):
    province = unit("86", current=True)
    council = Team.objects.get(kind=Team.Kind.COUNCIL)
    assert (council.name, council.unit, council.parent) == (
        "Hội đồng Tư vấn khởi nghiệp và phát triển doanh nghiệp tỉnh Vĩnh Long",
        province,
        None,
    )
    assert sorted(
        Team.objects.filter(kind=Team.Kind.COUNCIL_BOARD, parent=council).values_list("name", flat=True)
    ) == [
        "Ban Hỗ trợ khởi nghiệp",
        "Ban Quỹ và Nguồn lực",
        "Ban Truyền thông và Đào tạo",
    ]
    assert Team.objects.get(kind=Team.Kind.STANDING_AGENCY).name == "Sở Tài chính – Cơ quan thường trực"
    assert Team.objects.get(kind=Team.Kind.FUND).name == "Quỹ Đầu tư khởi nghiệp tỉnh"

    district_teams = Team.objects.filter(kind=Team.Kind.DISTRICT_TEAM)
    assert district_teams.count() == 9  # every former Bến Tre district
    assert set(district_teams.values_list("active_from", "active_until")) == {
        (datetime.date(2016, 7, 1), FORMER_UNTIL)
    }
    assert district_teams.filter(name="Tổ Xúc tiến đầu tư và Khởi nghiệp thành phố Bến Tre").exists()

    commune_teams = Team.objects.filter(kind=Team.Kind.COMMUNE_TEAM)
    current = commune_teams.filter(active_until=None)
    assert current.count() == 48  # every current ward that came from Bến Tre
    assert set(current.values_list("active_from", flat=True)) == {datetime.date(2025, 7, 1)}
    assert not current.exclude(unit__predecessors__parent__parent__code="83").exists()
    former = commune_teams.filter(active_until=FORMER_UNTIL)
    assert sorted(former.values_list("name", flat=True)) == [
        "Tổ hỗ trợ Đầu tư và Khởi nghiệp thị trấn Chợ Lách",
        "Tổ hỗ trợ Đầu tư và Khởi nghiệp xã Cẩm Sơn",
        "Tổ hỗ trợ Đầu tư và Khởi nghiệp xã Phong Nẫm",
        "Tổ hỗ trợ Đầu tư và Khởi nghiệp xã Phú Túc",
        "Tổ hỗ trợ Đầu tư và Khởi nghiệp xã Sơn Định",
        "Tổ hỗ trợ Đầu tư và Khởi nghiệp xã Vĩnh Thành",
    ]
    assert set(former.values_list("active_from", flat=True)) == {datetime.date(2017, 3, 1)}
    assert Team.objects.count() == 6 + 9 + 48 + 6

    xa = login("xa")
    team = Team.objects.get(unit=unit("28870", current=True))
    assert team.head == xa
    assert team.memberships.get(user=xa).position == "Tổ trưởng – Phó Chủ tịch UBND xã"
    # The first head of each district team left in 2020; the history keeps them.
    cho_lach = Team.objects.get(unit=unit("832", current=False))
    assert list(
        cho_lach.memberships.exclude(left_on=None).values_list("joined_on", "left_on", "position")
    ) == [(datetime.date(2016, 7, 1), datetime.date(2020, 10, 31), "Tổ trưởng – Phó Chủ tịch UBND huyện")]
    assert Membership.objects.count() == 333
    # Team and membership history: every row was written through save() inside the command's audit context.
    assert AuditRecord.objects.filter(channel="command", action="create").count() == 69 + 333
    assert not AuditRecord.objects.exclude(channel="command").exists()


def test_council_member_and_standing_officer_see_and_manage_the_whole_province(demo):
    everything = frozenset(AdminUnit.objects.values_list("pk", flat=True))
    for username in ("hoidong", "thuongtruc"):
        scope = scope_for(login(username))
        assert scope.readable_unit_ids == scope.writable_unit_ids == everything
        assert scope.manages_teams
    fund_scope = scope_for(login("quy"))
    assert fund_scope.readable_unit_ids == everything
    assert not fund_scope.manages_teams


def test_commune_head_sees_their_ward_and_the_communes_it_replaced(demo):
    xa = login("xa")
    ward = unit("28870", current=True)
    assert list(AdminUnit.objects.visible_to(xa).current()) == [ward]
    assert sorted(AdminUnit.objects.visible_to(xa).values_list("name", flat=True)) == [
        "Thị trấn Chợ Lách",
        "Xã Chợ Lách",
        "Xã Hòa Nghĩa",
        "Xã Long Thới",
    ]
    assert scope_for(xa).writable_unit_ids == scope_for(xa).readable_unit_ids
    own_team = Team.objects.get(unit=ward)
    assert sorted(Team.objects.visible_to(xa).values_list("name", flat=True)) == [
        "Tổ hỗ trợ Đầu tư và Khởi nghiệp thị trấn Chợ Lách",
        "Tổ hỗ trợ Đầu tư và Khởi nghiệp xã Chợ Lách",
    ]
    assert can_edit_team(xa, own_team)


def test_district_officer_reads_the_former_district_but_cannot_write(demo):
    huyen = login("huyen")
    district = unit("832", current=False)
    scope = scope_for(huyen)
    assert scope.readable_unit_ids == {district.pk, *district.children.values_list("pk", flat=True)}
    assert len(scope.readable_unit_ids) == 12
    assert scope.writable_unit_ids == frozenset()
    team = Team.objects.get(unit=district)
    assert get_team_for_user(huyen, team.pk) == team
    with pytest.raises(PermissionDenied):
        get_team_for_user(huyen, team.pk, for_write=True)
    assert list(Team.objects.visible_to(huyen).in_vietnamese_order().values_list("name", flat=True)) == [
        "Tổ hỗ trợ Đầu tư và Khởi nghiệp thị trấn Chợ Lách",
        "Tổ hỗ trợ Đầu tư và Khởi nghiệp xã Sơn Định",
        "Tổ hỗ trợ Đầu tư và Khởi nghiệp xã Vĩnh Thành",
        "Tổ Xúc tiến đầu tư và Khởi nghiệp huyện Chợ Lách",
    ]


def test_applicant_has_no_team_and_sees_no_units(demo):
    nguoinop = login("nguoinop")
    assert not nguoinop.memberships.exists()
    assert not AdminUnit.objects.visible_to(nguoinop).exists()


def test_home_page_shows_teams_that_need_attention(demo, client):
    client.force_login(login("hoidong"))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert [team.name for team in response.context["teams_needing_attention"]] == [
        "Tổ hỗ trợ Đầu tư và Khởi nghiệp phường Sơn Đông",
        "Tổ hỗ trợ Đầu tư và Khởi nghiệp xã Tân Thủy",
        "Tổ hỗ trợ Đầu tư và Khởi nghiệp xã Thạnh Hải",
    ]


def test_running_twice_changes_nothing(demo):
    def state():
        return (
            list(
                User.objects.order_by("pk").values_list(
                    "pk", "username", "full_name", "password", "is_superuser"
                )
            ),
            list(Team.objects.order_by("pk").values_list()),
            list(Membership.objects.order_by("pk").values_list()),
            AdminUnit.objects.count(),
            AdminUnit.successors.through.objects.count(),
            AuditRecord.objects.count(),
        )

    before = state()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert state() == before
    output = out.getvalue()
    assert "Users:       0 created, 0 updated, 329 unchanged." in output
    assert "Teams:       0 created, 0 updated, 69 unchanged." in output
    assert "Memberships: 0 created, 0 updated, 333 unchanged." in output


def test_refused_in_production_and_nothing_written(settings):
    settings.PORTAL_ENV = "production"
    with pytest.raises(
        CommandError, match=r"Demo logins exist only in the demo database; this one is production\."
    ):
        call_command("load_demo", stdout=StringIO())
    assert not User.objects.exists()
    assert not AdminUnit.objects.exists()
