"""Membership writes in the API: adding and ending a membership and setting a team's head,
each audited with its caller; refused writes say why and change nothing.
"""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from rest_framework.test import APIClient

from portal.models import AdminUnit, AuditRecord, Membership, Team
from portal.models.people import today
from tests.conftest import Cast
from tests.factories import MembershipFactory, TeamFactory, UserFactory
from tests.portal.api_helpers import *  # noqa: F403 (the empty_throttle fixture)
from tests.portal.api_helpers import api, malformed, refused


def new_member(cast: Cast) -> Membership:
    return MembershipFactory(
        team=cast.teams.commune, user=UserFactory(username="thanhvien", full_name="Lý Văn Thành Viên")
    )


def team_state():
    return (
        sorted(Membership.objects.values_list("team_id", "user_id", "position", "joined_on", "left_on")),
        sorted(Team.objects.values_list("pk", "head_id")),
        AuditRecord.objects.count(),
    )


# --- Membership writes -------------------------------------------------------------------------------------

EDITORS = ["commune_officer", "standing_officer"]


def last_audit_record(model) -> AuditRecord:
    return (
        AuditRecord.objects.filter(content_type=ContentType.objects.get_for_model(model))
        .order_by("-pk")
        .first()
    )


@pytest.mark.parametrize("role", EDITORS)
def test_editor_adds_a_member_and_the_change_is_audited(cast, role):
    editor, team = getattr(cast, role), cast.teams.commune
    # Fields the client does not own are ignored: the team comes from the URL, the date from the server.
    response = api(editor).post(
        reverse("api:team-add-member", args=[team.pk]),
        {
            "username": "nguoinop",
            "position": "Thành viên",
            "team": cast.teams.other_commune.pk,
            "joined_on": "2000-01-01",
        },
        format="json",
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 201
    membership = Membership.objects.get(user=cast.applicant)
    assert (membership.team, membership.position, membership.joined_on) == (team, "Thành viên", today())
    assert response.json() == {
        "id": membership.pk,
        "team": team.pk,
        "user": {"id": cast.applicant.pk, "full_name": "Bùi Văn Nộp"},
        "position": "Thành viên",
        "joined_on": today().isoformat(),
        "left_on": None,
    }
    record = last_audit_record(Membership)
    assert (record.actor, record.channel, record.action, record.address) == (
        editor,
        "api",
        "create",
        "203.0.113.7",
    )
    assert (record.object_id, record.parent_object_id) == (str(membership.pk), str(team.pk))


@pytest.mark.parametrize("role", EDITORS)
def test_editor_ends_a_membership_and_the_change_is_audited(cast, role):
    editor, membership = getattr(cast, role), new_member(cast)
    response = api(editor).post(
        reverse("api:team-end-membership", args=[cast.teams.commune.pk, membership.pk])
    )
    assert response.status_code == 200
    membership.refresh_from_db()
    assert membership.left_on == today()
    assert response.json()["left_on"] == today().isoformat()
    record = last_audit_record(Membership)
    assert (record.actor, record.channel, record.action) == (editor, "api", "update")
    assert record.object_id == str(membership.pk)
    assert record.after == {"left_on": today().isoformat()}


@pytest.mark.parametrize("role", EDITORS)
def test_editor_sets_the_head_and_the_change_is_audited(cast, role):
    editor, team, membership = getattr(cast, role), cast.teams.commune, new_member(cast)
    response = api(editor).post(
        reverse("api:team-set-head", args=[team.pk]), {"user": membership.user_id}, format="json"
    )
    assert response.status_code == 200
    team.refresh_from_db()
    assert team.head_id == membership.user_id
    assert response.json()["head"] == {"id": membership.user_id, "full_name": "Lý Văn Thành Viên"}
    record = last_audit_record(Team)
    assert (record.actor, record.channel, record.action) == (editor, "api", "update")
    assert (record.object_id, set(record.after)) == (str(team.pk), {"head"})


def test_session_callers_are_audited_too(cast):
    client = APIClient()
    client.force_login(cast.commune_officer)
    response = client.post(
        reverse("api:team-add-member", args=[cast.teams.commune.pk]), {"username": "nguoinop"}
    )
    assert response.status_code == 201
    record = last_audit_record(Membership)
    assert (record.actor, record.channel) == (cast.commune_officer, "api")


def test_session_writes_need_the_csrf_token(cast):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(cast.commune_officer)
    before = team_state()
    response = client.post(
        reverse("api:team-add-member", args=[cast.teams.commune.pk]), {"username": "nguoinop"}
    )
    assert response.status_code == 403
    assert team_state() == before


WRITES = {
    "add member": lambda cast, team: (
        reverse("api:team-add-member", args=[team.pk]),
        {"username": "nguoinop"},
    ),
    "end membership": lambda cast, team: (
        reverse("api:team-end-membership", args=[team.pk, team.memberships.first().pk]),
        {},
    ),
    "set head": lambda cast, team: (
        reverse("api:team-set-head", args=[team.pk]),
        {"user": team.memberships.first().user_id},
    ),
}


@pytest.mark.parametrize("write", sorted(WRITES))
@pytest.mark.parametrize(
    ("role", "team_name", "status"),
    [
        # The district officer and the fund officer see the commune team but may not change it.
        ("district_officer", "commune", 403),
        ("fund_officer", "commune", 403),
        # A member who is not the head may not change their own team.
        ("commune_officer", "district", 404),
        ("other_commune_officer", "commune", 404),
        ("applicant", "commune", 404),
        # An ended team is history: even the standing agency may no longer change it.
        ("standing_officer", "ended", 403),
    ],
)
def test_refused_write_changes_nothing(cast, write, role, team_name, status):
    if team_name == "ended":
        team = TeamFactory(unit=cast.units.district, active_until=datetime.date(2025, 6, 30))
        MembershipFactory(team=team, user=UserFactory())
    else:
        team = getattr(cast.teams, team_name)
    url, data = WRITES[write](cast, team)
    before = team_state()
    response = api(getattr(cast, role)).post(url, data, format="json")
    assert response.status_code == status
    assert team_state() == before


def test_member_who_is_not_the_head_may_not_change_their_team(cast):
    colleague = new_member(cast).user
    before = team_state()
    response = api(colleague).post(
        reverse("api:team-add-member", args=[cast.teams.commune.pk]), {"username": "nguoinop"}
    )
    assert response.status_code == 403
    assert team_state() == before


@pytest.mark.parametrize(
    ("request_for", "status", "body"),
    [
        (
            lambda cast: (reverse("api:team-add-member", args=[cast.teams.commune.pk]), {"username": "xa"}),
            409,
            refused("Nguyễn Thị Xã đã là thành viên của tổ này.", code="conflict"),
        ),
        (
            lambda cast: (
                reverse("api:team-add-member", args=[cast.teams.commune.pk]),
                {"username": "khongco"},
            ),
            400,
            malformed(
                {"username": ["Không có người dùng đang hoạt động nào có tên đăng nhập “khongco”."]},
                language="vi",
            ),
        ),
        (
            lambda cast: (reverse("api:team-add-member", args=[cast.teams.commune.pk]), {}),
            400,
            malformed({"username": ["Trường này là bắt buộc."]}, language="vi"),
        ),
        (
            lambda cast: (
                reverse(
                    "api:team-end-membership",
                    args=[
                        cast.teams.commune.pk,
                        cast.teams.commune.memberships.get(user=cast.commune_officer).pk,
                    ],
                ),
                {},
            ),
            409,
            refused(
                "Hãy chọn người đứng đầu khác trước khi cho người đứng đầu hiện tại rời tổ.", code="conflict"
            ),
        ),
        (
            # A membership of another team is not found through this team.
            lambda cast: (
                reverse(
                    "api:team-end-membership",
                    args=[cast.teams.commune.pk, cast.teams.other_commune.memberships.get().pk],
                ),
                {},
            ),
            404,
            refused("Không tìm thấy.", code="not_found"),
        ),
        (
            lambda cast: (
                reverse("api:team-set-head", args=[cast.teams.commune.pk]),
                {"user": cast.applicant.pk},
            ),
            400,
            malformed({"user": ["Người đứng đầu phải là thành viên hiện tại của tổ."]}, language="vi"),
        ),
    ],
    ids=[
        "already a member",
        "unknown user",
        "no username",
        "head leaves",
        "other team's membership",
        "head not a member",
    ],
)
def test_refusals_say_why_in_vietnamese_and_change_nothing(cast, request_for, status, body):
    url, data = request_for(cast)
    before = team_state()
    response = api(cast.standing_officer).post(url, data, format="json")
    assert (response.status_code, response.json()) == (status, body)
    assert team_state() == before


def test_ending_an_ended_membership_is_refused(cast):
    membership = MembershipFactory(team=cast.teams.commune, left_on=datetime.date(2024, 1, 1))
    before = team_state()
    response = api(cast.commune_officer, language="en").post(
        reverse("api:team-end-membership", args=[cast.teams.commune.pk, membership.pk])
    )
    assert (response.status_code, response.json()) == (
        409,
        refused("This membership has already ended.", code="conflict"),
    )
    assert team_state() == before


@pytest.mark.parametrize(
    ("method", "url_name", "with_pk"),
    [
        ("post", "api:team-list", False),
        ("put", "api:team-detail", True),
        ("patch", "api:team-detail", True),
        ("delete", "api:team-detail", True),
        ("post", "api:unit-list", False),
        ("delete", "api:unit-detail", True),
    ],
)
def test_teams_and_units_are_not_created_changed_or_deleted_through_the_api(cast, method, url_name, with_pk):
    pk = cast.teams.commune.pk if url_name.startswith("api:team") else cast.units.commune.pk
    url = reverse(url_name, args=[pk] if with_pk else [])
    before = team_state(), sorted(AdminUnit.objects.values_list("pk", "name"))
    response = getattr(api(cast.standing_officer), method)(url, {"name": "Đổi tên"}, format="json")
    assert response.status_code == 405
    assert (team_state(), sorted(AdminUnit.objects.values_list("pk", "name"))) == before
