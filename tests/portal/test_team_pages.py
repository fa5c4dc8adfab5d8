import datetime

from django.urls import reverse
from django.utils import timezone

from portal.models import AuditRecord, Membership
from tests.factories import MembershipFactory, UserFactory
from tests.portal.test_home import panel


def memberships(team):
    return sorted(team.memberships.values_list("user_id", "left_on"))


def test_head_adds_a_member(cast, login):
    team = cast.teams.commune
    response = login(cast.commune_officer).post(
        reverse("team_add_member", args=[team.pk]), {"username": "nguoinop", "position": "Thành viên"}
    )
    assert response.status_code == 302
    membership = team.memberships.get(user=cast.applicant)
    assert (membership.position, membership.joined_on, membership.left_on) == (
        "Thành viên",
        timezone.localdate(),
        None,
    )


def test_unknown_username_is_named_and_changes_nothing(cast, login):
    team = cast.teams.commune
    before, audit_count = memberships(team), AuditRecord.objects.count()
    response = login(cast.commune_officer).post(
        reverse("team_add_member", args=[team.pk]), {"username": "khong-co-ai"}
    )
    assert response.status_code == 400
    assert response.context["add_member_form"].errors["username"] == [
        "Không có người dùng đang hoạt động nào có tên đăng nhập “khong-co-ai”."
    ]
    assert "khong-co-ai" in response.content.decode()  # the input is kept
    assert memberships(team) == before and AuditRecord.objects.count() == audit_count


def test_adding_a_current_member_again_is_refused(cast, login):
    team = cast.teams.commune
    before = memberships(team)
    response = login(cast.commune_officer).post(
        reverse("team_add_member", args=[team.pk]), {"username": "xa"}
    )
    assert response.status_code == 400
    assert "Nguyễn Thị Xã đã là thành viên của tổ này." in response.content.decode()
    assert memberships(team) == before


def test_member_leaves_and_stays_in_the_list_as_former(cast, login):
    team = cast.teams.commune
    member = MembershipFactory(team=team, user=UserFactory(full_name="Lý Văn Thành Viên"))
    client = login(cast.commune_officer)
    client.post(reverse("team_end_membership", args=[team.pk, member.pk]))
    member.refresh_from_db()
    assert member.left_on == timezone.localdate()
    page = client.get(reverse("team_detail", args=[team.pk])).content.decode()
    assert "Lý Văn Thành Viên" in page


def test_the_head_cannot_be_removed_before_another_is_appointed(cast, login):
    team = cast.teams.commune
    head_membership = team.memberships.get(user=cast.commune_officer)
    response = login(cast.commune_officer).post(
        reverse("team_end_membership", args=[team.pk, head_membership.pk]), follow=True
    )
    assert (
        "Hãy chọn người đứng đầu khác trước khi cho người đứng đầu hiện tại rời tổ."
        in response.content.decode()
    )
    head_membership.refresh_from_db()
    assert head_membership.left_on is None


def test_appoint_a_new_head(cast, login):
    team = cast.teams.commune
    member = MembershipFactory(team=team)
    login(cast.standing_officer).post(reverse("team_set_head", args=[team.pk]), {"head": member.user_id})
    team.refresh_from_db()
    assert team.head == member.user


def test_only_a_current_member_can_be_head(cast, login):
    team = cast.teams.commune
    response = login(cast.standing_officer).post(
        reverse("team_set_head", args=[team.pk]), {"head": cast.applicant.pk}
    )
    assert response.status_code == 400
    team.refresh_from_db()
    assert team.head == cast.commune_officer


def test_read_only_visitor_sees_no_forms(cast, login):
    response = login(cast.district_officer).get(reverse("team_detail", args=[cast.teams.commune.pk]))
    assert response.context["is_editable"] is False
    assert "Thêm thành viên" not in response.content.decode()


def test_ended_team_cannot_be_changed_even_by_its_head(cast, login):
    team = cast.teams.commune
    team.active_until = datetime.date(2025, 6, 30)
    team.save(update_fields=["active_until"])
    before = memberships(team)
    response = login(cast.commune_officer).post(
        reverse("team_add_member", args=[team.pk]), {"username": "nguoinop"}
    )
    assert response.status_code == 403
    assert memberships(team) == before


def test_home_shows_each_official_their_own_teams(cast, login):
    def teams(page):
        return [membership.team for membership in panel(page, "portal/home_teams.html").data["memberships"]]

    assert teams(login(cast.commune_officer).get(reverse("home"))) == [cast.teams.commune]

    cast.teams.district.active_until = datetime.date(2025, 6, 30)
    cast.teams.district.save(update_fields=["active_until"])
    page = login(cast.district_officer).get(reverse("home"))
    assert teams(page) == [cast.teams.district]
    assert "Đã kết thúc ngày 30/06/2025: chỉ xem lịch sử" in page.content.decode()

    # An applicant belongs to no team: the home says nothing of teams or units.
    page = login(cast.applicant).get(reverse("home"))
    assert panel(page, "portal/home_teams.html") is None


def test_home_lists_teams_without_head_or_members_for_managers(cast, login):
    cast.teams.district.head = None
    Membership.objects.filter(team=cast.teams.other_district).delete()
    page = login(cast.standing_officer).get(reverse("home"))
    attention = panel(page, "portal/home_teams_needing_attention.html")
    flagged = {team.name for team in attention.data["teams"]}
    # Only the standing agency itself has a head among the province-level teams in the cast.
    assert "Tổ XTĐT&KN huyện Mỏ Cày Nam" in flagged
    assert "Tổ hỗ trợ ĐT&KN xã Sơn Định" not in flagged
    assert attention.to_do == len(flagged)
    page = login(cast.district_officer).get(reverse("home"))
    assert panel(page, "portal/home_teams_needing_attention.html") is None
