"""The API: anonymous clients, scope, the units' and teams' filters, query counts.

Membership writes are in test_api_memberships.py; tokens, the schema and the docs page in
test_api_tokens.py.
"""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from portal.models import Team
from portal.models.people import today
from tests.factories import AdminUnitFactory, MembershipFactory, TeamFactory, UserFactory
from tests.portal.api_helpers import *  # noqa: F403 (the empty_throttle fixture)
from tests.portal.api_helpers import api, ids, malformed, names, refused
from tests.routes import all_routes

# --- Anonymous clients ------------------------------------------------------------------------------------
# What each role gets from each API route is in tests/portal/test_role_routes.py, with every other route.

# The API routes anyone may use without signing in: the token endpoint is how a client signs in.
PUBLIC_API_ROUTES = {"api:token", "api:lookup"}
# Routes that only a token signs in to answer 401 with the challenge "WWW-Authenticate: Token".
TOKEN_ONLY_API_ROUTES = {"api:sign-out"}


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
        assert response.status_code == (401 if route.name in TOKEN_ONLY_API_ROUTES else 403), (
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
    assert (outside.status_code, outside.json()) == (404, refused("Không tìm thấy.", code="not_found"))
    read_only = api(cast.district_officer).post(
        reverse("api:team-set-head", args=[cast.teams.commune.pk]), {"user": 1}
    )
    assert (read_only.status_code, read_only.json()) == (
        403,
        refused("Bạn không được cấp quyền để thực hiện hành động này.", code="permission_denied"),
    )
    english = api(cast.other_commune_officer, language="en").get(
        reverse("api:unit-detail", args=[cast.units.commune.pk])
    )
    assert english.json() == refused("Not found.", code="not_found")


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
    assert response.json() == malformed(errors)


def test_filter_errors_are_in_vietnamese_by_default(cast):
    response = api(cast.council_member).get(reverse("api:unit-list"), {"valid_on": "01/07/2025"})
    assert response.status_code == 400
    assert response.json() == malformed(
        {"valid_on": ["Ngày sai định dạng. Hãy dùng định dạng: YYYY-MM-DD."]}, language="vi"
    )


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
    assert response.json() == malformed(errors)


def test_pages_hold_50_rows_and_a_client_may_ask_for_up_to_200_and_no_more(cast):
    AdminUnitFactory.create_batch(205, parent=cast.units.district)
    client = api(cast.district_officer)
    assert len(client.get(reverse("api:unit-list")).json()["results"]) == 50
    two = client.get(reverse("api:unit-list"), {"page_size": 2}).json()
    assert (two["count"], len(two["results"])) == (207, 2)
    assert len(client.get(reverse("api:unit-list"), {"page_size": 200}).json()["results"]) == 200
    too_many = client.get(reverse("api:unit-list"), {"page_size": 500})
    assert too_many.status_code == 400
    assert too_many.json()["errors"] == {"page_size": ["Nhập một số nguyên từ 1 đến 200."]}


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
    # The parameter is called "code" too: the fields' errors sit apart from the error's own code.
    assert response.json() == malformed(
        {"code": ["Mã đơn vị chỉ gồm chữ số (mã GSO) hoặc chữ in hoa, tối đa 10 ký tự."]}, language="vi"
    )


def test_well_formed_unit_code_finds_the_unit(cast):
    response = api(cast.council_member).get(reverse("api:unit-list"), {"code": "99101"})
    assert names(response) == ["Xã Sơn Định"]
