"""The API: scope, role × route, audited membership writes, filters, tokens, schema, query counts."""

import datetime
import re

import pytest
import yaml
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from drf_spectacular.validation import validate_schema
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from portal.models import AdminUnit, AuditRecord, Membership, Team
from portal.models.people import today
from tests.conftest import PASSWORD, Cast
from tests.factories import AdminUnitFactory, MembershipFactory, TeamFactory, UserFactory
from tests.routes import all_routes


@pytest.fixture(autouse=True)
def empty_throttle():
    cache.clear()
    yield
    cache.clear()


def api(user=None, *, language: str | None = None) -> APIClient:
    """A client that authenticates like an integration does: with a token (anonymous for None)."""
    client = APIClient()
    if user is not None:
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    if language is not None:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def names(response) -> list[str]:
    return [row["name"] for row in response.json()["results"]]


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


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


# --- Anonymous clients ------------------------------------------------------------------------------------
# What each role gets from each API route is in tests/portal/test_role_routes.py, with every other route.

# The API routes anyone may use without signing in: the token endpoint is how a client signs in.
PUBLIC_API_ROUTES = {"api:token", "api:lookup"}


def api_routes():
    return [route for route in all_routes() if route.name.startswith("api:")]


@pytest.mark.django_db
@pytest.mark.parametrize("route", api_routes(), ids=lambda route: route.name)
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_refused_everywhere_but_the_public_api_routes(route, method):
    response = getattr(APIClient(), method)(route.sample_url())
    if route.name in PUBLIC_API_ROUTES:
        assert response.status_code in {400, 405}, (
            f"{route.name} is public: it must judge the request, not the caller"
        )
    else:
        assert response.status_code == 403, (
            f"{route.name} answered {response.status_code} to an anonymous client"
        )


# --- What each role sees -----------------------------------------------------------------------------------

ALL_UNITS = ("province", "district", "other_district", "commune", "other_commune")
ALL_TEAMS = ("council", "standing_agency", "fund", "district", "other_district", "commune", "other_commune")
VISIBLE = {
    # role: (units, teams)
    "council_member": (ALL_UNITS, ALL_TEAMS),
    "standing_officer": (ALL_UNITS, ALL_TEAMS),
    "fund_officer": (ALL_UNITS, ALL_TEAMS),
    "district_officer": (("district", "commune"), ("district", "commune")),
    "other_district_officer": (("other_district", "other_commune"), ("other_district", "other_commune")),
    "commune_officer": (("commune",), ("commune",)),
    "other_commune_officer": (("other_commune",), ("other_commune",)),
    "applicant": ((), ()),
    "other_applicant": ((), ()),
}


@pytest.mark.parametrize("role", sorted(VISIBLE))
def test_each_role_sees_exactly_its_units_and_teams(cast, role):
    unit_names, team_names = VISIBLE[role]
    client = api(getattr(cast, role))
    units = client.get(reverse("api:unit-list"))
    teams = client.get(reverse("api:team-list"))
    assert ids(units) == {getattr(cast.units, name).pk for name in unit_names}
    assert ids(teams) == {getattr(cast.teams, name).pk for name in team_names}
    assert units.json()["count"] == len(unit_names)
    assert teams.json()["count"] == len(team_names)


def test_outside_scope_is_not_found_and_read_only_is_forbidden_in_the_callers_language(cast):
    outside = api(cast.other_commune_officer).get(reverse("api:team-detail", args=[cast.teams.commune.pk]))
    assert (outside.status_code, outside.json()) == (404, {"detail": "Không tìm thấy."})
    read_only = api(cast.district_officer).post(
        reverse("api:team-set-head", args=[cast.teams.commune.pk]), {"user": 1}
    )
    assert (read_only.status_code, read_only.json()) == (
        403,
        {"detail": "Bạn không được cấp quyền để thực hiện hành động này."},
    )
    english = api(cast.other_commune_officer, language="en").get(
        reverse("api:unit-detail", args=[cast.units.commune.pk])
    )
    assert english.json() == {"detail": "Not found."}


def test_unit_is_presented_with_its_parent_and_successors(cast):
    old = AdminUnitFactory(
        code="99102",
        name="Xã Cũ",
        parent=cast.units.district,
        valid_from=datetime.date(2008, 1, 1),
        valid_until=datetime.date(2025, 6, 30),
    )
    old.successors.add(cast.units.commune)
    response = api(cast.district_officer).get(reverse("api:unit-detail", args=[old.pk]))
    assert response.json() == {
        "id": old.pk,
        "code": "99102",
        "name": "Xã Cũ",
        "level": "commune",
        "kind": "Xã",
        "parent": cast.units.district.pk,
        "valid_from": "2008-01-01",
        "valid_until": "2025-06-30",
        "successors": [cast.units.commune.pk],
    }


def test_team_is_presented_with_its_current_members_and_no_personal_data(cast):
    team = cast.teams.commune
    MembershipFactory(team=team, user=UserFactory(full_name="Đỗ Văn Đông"), position="Thành viên")
    MembershipFactory(
        team=team, user=UserFactory(full_name="Dương Thị Dung"), joined_on=datetime.date(2024, 3, 1)
    )
    # Neither a former member nor one who joins later is a current member.
    MembershipFactory(
        team=team, user=UserFactory(full_name="Cao Văn Cũ"), left_on=today() - datetime.timedelta(days=1)
    )
    MembershipFactory(
        team=team, user=UserFactory(full_name="Cao Văn Sau"), joined_on=today() + datetime.timedelta(days=1)
    )
    response = api(cast.commune_officer).get(reverse("api:team-detail", args=[team.pk]))
    memberships = {
        membership.user.full_name: membership for membership in team.memberships.select_related("user")
    }

    def member(full_name, position="", joined_on=None):
        membership = memberships[full_name]
        return {
            "id": membership.user_id,
            "membership_id": membership.pk,
            "full_name": full_name,
            "position": position,
            "joined_on": joined_on,
        }

    assert response.json() == {
        "id": team.pk,
        "name": "Tổ hỗ trợ ĐT&KN xã Sơn Định",
        "kind": "commune_team",
        "unit": {"id": cast.units.commune.pk, "name": "Xã Sơn Định"},
        "parent": None,
        "active_from": None,
        "active_until": None,
        "head": {"id": cast.commune_officer.pk, "full_name": "Nguyễn Thị Xã"},
        # Vietnamese order: d before đ, then n.
        "members": [
            member("Dương Thị Dung", joined_on="2024-03-01"),
            member("Đỗ Văn Đông", position="Thành viên"),
            member("Nguyễn Thị Xã"),
        ],
    }


def test_units_come_in_vietnamese_order(cast):
    for name in ("Xã Đại Điền", "Xã Dương", "Xã Ấp Mới", "Xã An Bình"):
        AdminUnitFactory(name=name, parent=cast.units.district)
    response = api(cast.district_officer).get(reverse("api:unit-list"), {"level": "commune"})
    assert names(response) == ["Xã An Bình", "Xã Ấp Mới", "Xã Dương", "Xã Đại Điền", "Xã Sơn Định"]


# --- Filters -----------------------------------------------------------------------------------------------


@pytest.fixture
def reformed(cast):
    """A commune merged on 1 July 2025 into a new one directly under the province."""
    old = AdminUnitFactory(
        code="99102", name="Xã Cũ", parent=cast.units.district, valid_until=datetime.date(2025, 6, 30)
    )
    new = AdminUnitFactory(
        code="99301", name="Xã Mới", parent=cast.units.province, valid_from=datetime.date(2025, 7, 1)
    )
    old.successors.add(new)
    return old, new


@pytest.mark.parametrize(
    ("parameters", "expected"),
    [
        ({"q": "son dinh"}, ["Xã Sơn Định"]),
        ({"q": "SƠN ĐỊNH"}, ["Xã Sơn Định"]),
        ({"q": "99101"}, ["Xã Sơn Định"]),
        (
            {"q": "  "},
            [
                "Huyện Chợ Lách",
                "Huyện Mỏ Cày Nam",
                "Tỉnh Thử Nghiệm",
                "Xã Cẩm Sơn",
                "Xã Cũ",
                "Xã Mới",
                "Xã Sơn Định",
            ],
        ),
        ({"level": "district"}, ["Huyện Chợ Lách", "Huyện Mỏ Cày Nam"]),
        ({"code": "991"}, ["Huyện Chợ Lách"]),
        ({"valid_on": "2025-06-30", "level": "commune"}, ["Xã Cẩm Sơn", "Xã Cũ", "Xã Sơn Định"]),
        ({"valid_on": "2025-07-01", "level": "commune"}, ["Xã Cẩm Sơn", "Xã Mới", "Xã Sơn Định"]),
        ({"current": "true", "level": "commune"}, ["Xã Cẩm Sơn", "Xã Mới", "Xã Sơn Định"]),
        ({"current": "false"}, ["Xã Cũ"]),
    ],
)
def test_unit_filters(cast, reformed, parameters, expected):
    response = api(cast.council_member).get(reverse("api:unit-list"), parameters)
    assert response.status_code == 200
    assert names(response) == expected


def test_unit_filter_by_parent(cast, reformed):
    response = api(cast.council_member).get(reverse("api:unit-list"), {"parent": cast.units.district.pk})
    assert names(response) == ["Xã Cũ", "Xã Sơn Định"]


def test_filters_stay_inside_the_scope(cast):
    response = api(cast.commune_officer).get(
        reverse("api:unit-list"), {"parent": cast.units.other_district.pk}
    )
    assert response.json()["results"] == []


MALFORMED_UNIT_FILTERS = [
    ({"level": "village"}, {"level": ["“village” is not one of: province, district, commune."]}),
    ({"parent": "abc"}, {"parent": ["Enter a whole number."]}),
    (
        {"valid_on": "01/07/2025"},
        {"valid_on": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]},
    ),
    (
        {"valid_on": "2025-02-30"},
        {"valid_on": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]},
    ),
    ({"current": "maybe"}, {"current": ["Use true or false."]}),
    ({"q": "x" * 101}, {"q": ["Use at most 100 characters."]}),
]


@pytest.mark.parametrize(("parameters", "errors"), MALFORMED_UNIT_FILTERS)
def test_malformed_unit_filter_is_a_400_that_says_why(cast, parameters, errors):
    response = api(cast.council_member, language="en").get(reverse("api:unit-list"), parameters)
    assert response.status_code == 400
    assert response.json() == errors


def test_filter_errors_are_in_vietnamese_by_default(cast):
    response = api(cast.council_member).get(reverse("api:unit-list"), {"valid_on": "01/07/2025"})
    assert response.status_code == 400
    assert response.json() == {
        "valid_on": ["Ngày sai định dạng. Dùng một trong những định dạng sau để thay thế: YYYY-MM-DD."]
    }


def test_filters_do_not_apply_to_a_single_unit(cast):
    response = api(cast.council_member).get(
        reverse("api:unit-detail", args=[cast.units.commune.pk]), {"level": "x"}
    )
    assert response.status_code == 200


@pytest.fixture
def district_teams_ended(cast):
    for team in (cast.teams.district, cast.teams.other_district):
        team.active_until = datetime.date(2025, 6, 30)
        team.save(update_fields=["active_until"])


@pytest.mark.parametrize(
    ("parameters", "expected"),
    [
        ({"q": "son dinh"}, ["commune"]),
        ({"q": "TỔ XTĐT"}, ["district", "other_district"]),
        ({"kind": "district_team"}, ["district", "other_district"]),
        ({"active_on": "2025-06-30", "kind": "district_team"}, ["district", "other_district"]),
        ({"active_on": "2025-07-01", "kind": "district_team"}, []),
        ({"active_on": "2025-07-01"}, ["council", "fund", "standing_agency", "other_commune", "commune"]),
    ],
)
def test_team_filters(cast, district_teams_ended, parameters, expected):
    response = api(cast.council_member).get(reverse("api:team-list"), parameters)
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [
        getattr(cast.teams, name).pk for name in expected
    ]


def test_team_filter_by_unit(cast):
    response = api(cast.council_member).get(reverse("api:team-list"), {"unit": cast.units.commune.pk})
    assert ids(response) == {cast.teams.commune.pk}


@pytest.mark.parametrize(
    ("parameters", "errors"),
    [
        (
            {"kind": "village_team"},
            {
                "kind": [
                    "“village_team” is not one of: council, council_board, standing_agency, fund, "
                    "district_team, commune_team."
                ]
            },
        ),
        ({"unit": "1.5"}, {"unit": ["Enter a whole number."]}),
        (
            {"active_on": "hôm nay"},
            {"active_on": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]},
        ),
    ],
)
def test_malformed_team_filter_is_a_400_that_says_why(cast, parameters, errors):
    response = api(cast.council_member, language="en").get(reverse("api:team-list"), parameters)
    assert response.status_code == 400
    assert response.json() == errors


def test_pages_hold_50_rows_and_a_client_may_ask_for_up_to_200(cast):
    AdminUnitFactory.create_batch(205, parent=cast.units.district)
    client = api(cast.district_officer)
    assert len(client.get(reverse("api:unit-list")).json()["results"]) == 50
    two = client.get(reverse("api:unit-list"), {"page_size": 2}).json()
    assert (two["count"], len(two["results"])) == (207, 2)
    assert len(client.get(reverse("api:unit-list"), {"page_size": 500}).json()["results"]) == 200


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
            {"detail": "Nguyễn Thị Xã đã là thành viên của tổ này."},
        ),
        (
            lambda cast: (
                reverse("api:team-add-member", args=[cast.teams.commune.pk]),
                {"username": "khongco"},
            ),
            400,
            {"username": ["Không có người dùng đang hoạt động nào có tên đăng nhập “khongco”."]},
        ),
        (
            lambda cast: (reverse("api:team-add-member", args=[cast.teams.commune.pk]), {}),
            400,
            {"username": ["Trường này là bắt buộc."]},
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
            {"detail": "Hãy chọn người đứng đầu khác trước khi cho người đứng đầu hiện tại rời tổ."},
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
            {"detail": "Không tìm thấy."},
        ),
        (
            lambda cast: (
                reverse("api:team-set-head", args=[cast.teams.commune.pk]),
                {"user": cast.applicant.pk},
            ),
            400,
            {"user": ["Người đứng đầu phải là thành viên hiện tại của tổ."]},
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
    assert (response.status_code, response.json()) == (409, {"detail": "This membership has already ended."})
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


# --- Tokens ------------------------------------------------------------------------------------------------


def obtain_token(username, password, address="198.51.100.1", language=None):
    client = APIClient()
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.post(
        reverse("api:token"), {"username": username, "password": password}, format="json", REMOTE_ADDR=address
    )


def test_token_signs_a_client_in(cast):
    response = obtain_token("xa", PASSWORD)
    assert response.status_code == 200
    token = response.json()["token"]
    assert token == Token.objects.get(user=cast.commune_officer).key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert ids(client.get(reverse("api:team-list"))) == {cast.teams.commune.pk}
    # Asking again gives the same token.
    assert obtain_token("xa", PASSWORD).json() == {"token": token}


def test_wrong_password_gets_no_token(cast):
    response = obtain_token("xa", "sai-mat-khau")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý phân biệt chữ hoa và chữ thường."
    }
    assert not Token.objects.exists()


def test_token_request_that_is_not_an_object_is_a_400(cast):
    response = APIClient().post(reverse("api:token"), ["xa", PASSWORD], format="json")
    assert response.status_code == 400
    assert not Token.objects.exists()


def test_inactive_account_gets_no_token(cast):
    cast.commune_officer.is_active = False
    cast.commune_officer.save(update_fields=["is_active"])
    assert obtain_token("xa", PASSWORD).status_code == 400
    assert not Token.objects.exists()


def test_invalid_token_is_refused(cast):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token khong-phai-token")
    assert client.get(reverse("api:team-list")).status_code == 403


def test_token_endpoint_is_throttled_per_account_even_with_the_right_password(cast):
    for attempt in range(settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT):
        assert obtain_token("xa", "sai-mat-khau", address=f"198.51.100.{attempt}").status_code == 400
    response = obtain_token("xa", PASSWORD, address="198.51.100.200", language="en")
    assert response.status_code == 429
    assert response.json() == {"detail": "Too many failed sign-ins. Please wait 15 minutes and try again."}
    assert response["Retry-After"] == "900"
    assert not Token.objects.exists()
    # Vietnamese by default; another account is not affected.
    assert (
        obtain_token("xa", PASSWORD).json()["detail"].startswith("Quá nhiều lần đăng nhập không thành công")
    )
    assert obtain_token("xakhac", PASSWORD, address="198.51.100.201").status_code == 200


def test_token_endpoint_and_sign_in_page_share_the_throttle(cast, client):
    for attempt in range(settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT):
        client.post(
            reverse("login"), {"username": "xa", "password": "sai"}, REMOTE_ADDR=f"198.51.100.{attempt}"
        )
    assert obtain_token("xa", PASSWORD, address="198.51.100.100").status_code == 429


def test_token_endpoint_is_throttled_per_address(cast):
    for attempt in range(settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS):
        obtain_token(f"khong-co-{attempt}", "sai-mat-khau", address="192.0.2.9")
    assert obtain_token("xa", PASSWORD, address="192.0.2.9").status_code == 429
    assert obtain_token("xa", PASSWORD, address="192.0.2.10").status_code == 200


def test_success_clears_the_account_failures(cast):
    for _ in range(settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT - 1):
        obtain_token("xa", "sai-mat-khau")
    assert obtain_token("xa", PASSWORD).status_code == 200
    obtain_token("xa", "sai-mat-khau")
    assert obtain_token("xa", PASSWORD).status_code == 200


# --- Schema and docs ---------------------------------------------------------------------------------------

API_PATHS = [
    "/api/v1/auth/token/",
    "/api/v1/teams/",
    "/api/v1/teams/{id}/",
    "/api/v1/teams/{id}/head/",
    "/api/v1/teams/{id}/members/",
    "/api/v1/teams/{id}/members/{membership_id}/end/",
    "/api/v1/units/",
    "/api/v1/units/{id}/",
]


def test_schema_generates_without_warnings_and_validates(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    assert schema["openapi"] == "3.0.3"
    assert set(API_PATHS) <= set(schema["paths"])  # the dossier paths are checked in test_api_dossiers.py


def test_schema_endpoint_serves_valid_openapi_to_a_signed_in_client(cast):
    response = api(cast.commune_officer).get(reverse("api:schema"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    schema = yaml.safe_load(response.content)
    validate_schema(schema)
    assert set(API_PATHS) <= set(schema["paths"])


def test_docs_page_needs_no_inline_script(cast):
    client = APIClient()
    client.force_login(cast.commune_officer)
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    html = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert len(scripts) == 3
    assert all(" src=" in tag for tag in scripts), scripts
    script = client.get(reverse("api:docs"), {"script": ""})
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert '"/api/schema/"' in script.content.decode()


# --- Query counts ------------------------------------------------------------------------------------------

N = 5


def add_communes_with_teams(cast, count: int) -> None:
    for _ in range(count):
        commune = AdminUnitFactory(parent=cast.units.district)
        commune.successors.add(cast.units.commune)
        team = TeamFactory(unit=commune, kind=Team.Kind.COMMUNE_TEAM)
        team.head = MembershipFactory(team=team).user
        team.save(update_fields=["head"])
        MembershipFactory(team=team)


# Queries of a token-authenticated request, before the endpoint's own:
#   1 the token with its user, 2 memberships (scope), 3 the council's province (scope),
#   4 the scope's units (recursive CTE). No session: nothing is saved afterwards.
TOKEN_SIGNED_IN = 4


@pytest.mark.parametrize(
    ("url_name", "own_queries"),
    [
        # count for the paginator, the page of units, their successors (one prefetch)
        ("api:unit-list", 3),
        # count for the paginator, the page of teams with unit and head, current members with their users
        ("api:team-list", 3),
    ],
)
@pytest.mark.parametrize("rows", [N, 10 * N])
def test_list_endpoint_query_count(cast, django_assert_num_queries, url_name, own_queries, rows):
    add_communes_with_teams(cast, rows)
    client = api(cast.council_member)
    with django_assert_num_queries(TOKEN_SIGNED_IN + own_queries):
        response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert response.json()["count"] == (5 if url_name == "api:unit-list" else 7) + rows


@pytest.mark.parametrize("code", ["83a", "8 3", "'; DROP", "12345678901"])
def test_malformed_unit_code_is_a_400_in_vietnamese(cast, code):
    response = api(cast.council_member).get(reverse("api:unit-list"), {"code": code})
    assert response.status_code == 400
    assert response.json() == {
        "code": ["Mã đơn vị chỉ gồm chữ số (mã GSO) hoặc chữ in hoa, tối đa 10 ký tự."]
    }


def test_well_formed_unit_code_finds_the_unit(cast):
    response = api(cast.council_member).get(reverse("api:unit-list"), {"code": "99101"})
    assert names(response) == ["Xã Sơn Định"]
