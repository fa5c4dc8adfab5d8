"""The mentors' pool and their sessions in the API: who keeps the pool, a mentor's scope, conflicts.

The role × route rows of these routes are in ``API_MENTOR_ROWS`` below.
"""

import datetime

import pytest
from django.urls import reverse

from portal.models import AuditRecord
from projects.models import ConflictOfInterest, Mentor, MentorAssignment, MentorSession
from projects.services import mentors
from tests.conftest import Cast
from tests.portal.api_helpers import api
from tests.projects.fixtures import *  # noqa: F403 (the projects and media_root fixtures)
from tests.projects.fixtures import Projects
from tests.projects.test_api_projects import TOKEN_SIGNED_IN, world
from tests.role_table import Row, everyone

pytestmark = pytest.mark.django_db

D = datetime.date
LIST = "api:mentor-list"
DETAIL = "api:mentor-detail"
SESSIONS = "api:mentor-session-list"

# Officials of every team read the pool; the mentor reads their own record; people without a team do not.
API_MENTOR_READERS = everyone(200, anonymous=403, applicant=404, other_applicant=404, mentor=200)
# Only the standing agency keeps the pool.
API_POOL_KEEPERS = {role: 403 if code == 200 else code for role, code in API_MENTOR_READERS.items()} | {
    "standing_officer": 200
}


def mentor_url(name: str, before=lambda cast: None):
    def url(cast: Cast) -> str:
        before(cast)
        return reverse(f"api:mentor-{name}", args=[world(cast).mentor.pk])

    return url


def assigned(cast: Cast) -> None:
    world(cast).assign()


def list_url(name: str, before=lambda cast: None):
    def url(cast: Cast) -> str:
        world(cast)
        before(cast)
        return reverse(name)

    return url


def mentor_body(cast: Cast, **overrides) -> dict:
    return {
        "full_name": "Ngô Thị Chuyên Gia",
        "fields": "Thủy sản, nuôi tôm",
        "organisation": "Trường Cao đẳng Bến Tre",
        "units": [cast.units.commune.pk, cast.units.other_commune.pk],
        "availability": "limited",
        "phone": "0909 888 777",
        "email": "chuyengia@example.vn",
        "public_consent": True,
    } | overrides


def session_body(cast: Cast, **overrides) -> dict:
    world_ = world(cast)
    return {
        "mentor": world_.mentor.pk,
        "project": world_.startup.pk,
        "held_on": "2026-11-10",
        "hours": "1.5",
        "topic": "Định giá sản phẩm",
        "next_step": "Làm bao bì mới",
    } | overrides


API_MENTOR_ROWS: dict[str, Row] = {
    LIST: Row("get", list_url(LIST), everyone(200, anonymous=403)),
    f"{LIST}:post": Row(
        "post", list_url(LIST), everyone(403, standing_officer=201), data=lambda cast: mentor_body(cast)
    ),
    DETAIL: Row("get", mentor_url("detail"), API_MENTOR_READERS),
    f"{DETAIL}:patch": Row(
        "patch", mentor_url("detail"), API_POOL_KEEPERS, data=lambda cast: {"availability": "unavailable"}
    ),
    "api:mentor-assign": Row(
        "post",
        mentor_url("assign"),
        API_POOL_KEEPERS | {"standing_officer": 201},
        data=lambda cast: {"project": world(cast).startup.pk, "on": "2026-11-17"},
    ),
    # The mentor (on a project they see: the one assigned to them) and the standing agency declare it.
    "api:mentor-conflicts": Row(
        "post",
        mentor_url("conflicts", assigned),
        API_POOL_KEEPERS | {"standing_officer": 201, "mentor": 201},
        data=lambda cast: {"project": world(cast).startup.pk, "reason": "Em ruột của chủ dự án"},
    ),
    SESSIONS: Row("get", list_url(SESSIONS), everyone(200, anonymous=403)),
    # The mentor and the project's keepers log it; the council and the fund see both and get 403; for the
    # rest of the cast the project or the mentor is unknown (400).
    f"{SESSIONS}:post": Row(
        "post",
        list_url(SESSIONS, assigned),
        everyone(
            400,
            anonymous=403,
            council_member=403,
            fund_officer=403,
            standing_officer=201,
            district_officer=201,
            commune_officer=201,
            mentor=201,
        ),
        data=session_body,
    ),
}


def state():
    return (
        sorted(Mentor.objects.values_list("pk", "full_name", "availability", "user_id")),
        sorted(MentorAssignment.objects.values_list("mentor_id", "project_id", "ended_on")),
        ConflictOfInterest.objects.count(),
        MentorSession.objects.count(),
        AuditRecord.objects.count(),
    )


@pytest.mark.parametrize("role", Cast.ROLES)
@pytest.mark.parametrize("route_name", sorted(API_MENTOR_ROWS))
def test_role_gets_the_expected_answer(cast, media_root, role, route_name):
    row = API_MENTOR_ROWS[route_name]
    url, data = row.url(cast), row.data(cast)
    before = state()
    response = getattr(api(getattr(cast, role)), row.method)(url, data, format="json")
    assert response.status_code == row.expected[role], f"{role} {row.method.upper()} {url}: {response.json()}"
    if row.method != "get" and response.status_code >= 400:
        assert state() == before, "a refused write changed something"


def refusal(client, method: str, url: str, data: dict):
    before = state()
    response = getattr(client, method)(url, data, format="json")
    assert state() == before, "a refused write changed something"
    return response.status_code, response.json()


# --- The pool -----------------------------------------------------------------------------------------------


def test_the_standing_agency_adds_a_mentor_with_an_account(projects):
    cast = projects.cast
    client = api(cast.standing_officer)
    response = client.post(
        reverse(LIST), mentor_body(cast, username=cast.other_applicant.username), format="json"
    )
    assert response.status_code == 201, response.json()
    mentor = Mentor.objects.get(pk=response.json()["id"])
    assert (mentor.user, mentor.availability, sorted(unit.pk for unit in mentor.units.all())) == (
        cast.other_applicant,
        "limited",
        sorted([cast.units.commune.pk, cast.units.other_commune.pk]),
    )
    assert (response.json()["phone"], response.json()["has_account"]) == ("0909 888 777", True)
    code, body = refusal(client, "post", reverse(LIST), mentor_body(cast, username=cast.mentor.username))
    assert (code, body["rule"]) == (400, "account_taken")
    code, body = refusal(client, "post", reverse(LIST), mentor_body(cast, username="khong-co-ai"))
    assert (code, list(body["errors"])) == (400, ["username"])
    code, body = refusal(client, "post", reverse(LIST), mentor_body(cast, units=[99999999999999999999]))
    assert (code, list(body["errors"])) == (400, ["units"])


def test_phone_and_email_show_only_to_the_standing_agency_and_the_mentor(projects):
    cast = projects.cast
    Mentor.objects.filter(pk=projects.mentor.pk).update(phone="0987 654 321", email="covan@example.vn")
    url = reverse(DETAIL, args=[projects.mentor.pk])
    for role, whole in [
        ("standing_officer", True),
        ("mentor", True),
        ("commune_officer", False),
        ("council_member", False),
    ]:
        answer = api(getattr(cast, role)).get(url).json()
        expected = ("0987 654 321", "covan@example.vn") if whole else ("••••••4321", "c••••••@example.vn")
        assert (answer["phone"], answer["email"]) == expected, role
    listed = api(cast.commune_officer).get(reverse(LIST)).json()["results"]
    assert [(row["full_name"], row["phone"]) for row in listed] == [("Phan Văn Cố Vấn", "••••••4321")]


def test_a_partial_update_changes_only_what_is_sent(projects):
    response = api(projects.cast.standing_officer).patch(
        reverse(DETAIL, args=[projects.mentor.pk]), {"availability": "limited"}, format="json"
    )
    assert response.status_code == 200, response.json()
    mentor = Mentor.objects.get(pk=projects.mentor.pk)
    assert (mentor.availability, mentor.full_name, mentor.user, list(mentor.units.all())) == (
        "limited",
        "Phan Văn Cố Vấn",
        projects.cast.mentor,
        [projects.cast.units.commune],
    )


def test_the_list_searches_and_filters(projects):
    client = api(projects.cast.council_member)
    assert [row["id"] for row in client.get(reverse(LIST), {"q": "che bien"}).json()["results"]] == [
        projects.mentor.pk
    ]
    assert client.get(reverse(LIST), {"availability": "unavailable"}).json()["results"] == []
    response = api(projects.officer, language="vi").get(reverse(LIST), {"availability": "sometimes"})
    assert (response.status_code, list(response.json()["errors"])) == (400, ["availability"])


# --- Assignments, conflicts and the mentor's scope ----------------------------------------------------------


def test_a_mentor_sees_only_the_projects_assigned_to_them(projects):
    cast = projects.cast
    mentor_client = api(cast.mentor)
    startup = reverse("api:project-detail", args=[projects.startup.pk])
    assert mentor_client.get(startup).status_code == 404
    response = api(cast.standing_officer).post(
        reverse("api:mentor-assign", args=[projects.mentor.pk]),
        {"project": projects.startup.pk, "on": "2026-11-01"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert (
        response.json()["project"]["id"],
        response.json()["assigned_on"],
        response.json()["ended_on"],
    ) == (
        projects.startup.pk,
        "2026-11-01",
        None,
    )
    assert mentor_client.get(startup).status_code == 200
    # Read only: a mentor changes nothing of the project, and the founders' data stays masked.
    assert mentor_client.get(startup).json()["founders"][0]["national_id"].startswith("••••")
    assert mentor_client.patch(startup, {"workers": 1}, format="json").status_code == 403
    assert (
        mentor_client.get(reverse("api:project-detail", args=[projects.other_startup.pk])).status_code == 404
    )


def test_a_declared_conflict_ends_the_assignment_and_refuses_the_next(projects):
    cast = projects.cast
    projects.assign()
    response = api(cast.mentor).post(
        reverse("api:mentor-conflicts", args=[projects.mentor.pk]),
        {"project": projects.startup.pk, "reason": "Góp vốn vào dự án", "on": "2026-11-10"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert MentorAssignment.objects.get(mentor=projects.mentor, project=projects.startup).ended_on == D(
        2026, 11, 10
    )
    assert api(cast.mentor).get(reverse("api:project-detail", args=[projects.startup.pk])).status_code == 404
    code, body = refusal(
        api(cast.standing_officer, language="en"),
        "post",
        reverse("api:mentor-assign", args=[projects.mentor.pk]),
        {"project": projects.startup.pk},
    )
    assert (code, body["code"], body["rule"]) == (409, "conflict", "conflict")
    assert body["detail"] == (
        "Phan Văn Cố Vấn declared a conflict of interest with this project (Góp vốn vào dự án) "
        "and cannot be assigned."
    )
    detail = api(cast.standing_officer).get(reverse(DETAIL, args=[projects.mentor.pk])).json()
    assert [(row["project"]["id"], row["ended_on"]) for row in detail["assignments"]] == [
        (projects.startup.pk, "2026-11-10")
    ]
    assert [row["reason"] for row in detail["conflicts"]] == ["Góp vốn vào dự án"]


def test_a_mentor_cannot_declare_for_another_and_a_project_out_of_sight_is_unknown(projects):
    cast = projects.cast
    other = Mentor.objects.create(full_name="Mentor Khác", fields="Kế toán")
    code, _body = refusal(
        api(cast.mentor),
        "post",
        reverse("api:mentor-conflicts", args=[other.pk]),
        {"project": projects.startup.pk, "reason": "x"},
    )
    assert code == 404  # the mentor sees only their own record
    code, body = refusal(
        api(cast.mentor),
        "post",
        reverse("api:mentor-conflicts", args=[projects.mentor.pk]),
        {"project": projects.other_startup.pk, "reason": "x"},
    )
    assert (code, list(body["errors"])) == (400, ["project"])


def test_an_unavailable_mentor_or_a_second_assignment_is_a_409(projects):
    client = api(projects.cast.standing_officer)
    url = reverse("api:mentor-assign", args=[projects.mentor.pk])
    assert client.post(url, {"project": projects.startup.pk}, format="json").status_code == 201
    code, body = refusal(client, "post", url, {"project": projects.startup.pk})
    assert (code, body["rule"]) == (409, "assigned")
    Mentor.objects.filter(pk=projects.mentor.pk).update(availability="unavailable")
    code, body = refusal(client, "post", url, {"project": projects.other_startup.pk})
    assert (code, body["rule"]) == (409, "unavailable")


# --- Sessions -----------------------------------------------------------------------------------------------


def test_the_mentor_logs_a_session_on_an_assigned_project_only(projects):
    cast = projects.cast
    client = api(cast.mentor)
    code, body = refusal(client, "post", reverse(SESSIONS), session_body(cast, mentor=None))
    assert (code, list(body["errors"])) == (400, ["project"])  # not assigned: out of sight
    projects.assign()
    response = client.post(reverse(SESSIONS), session_body(cast, mentor=None), format="json")
    assert response.status_code == 201, response.json()
    assert (
        response.json()["mentor"]["id"],
        response.json()["hours"],
        response.json()["logged_by"]["id"],
    ) == (
        projects.mentor.pk,
        "1.5",
        cast.mentor.pk,
    )
    listed = client.get(reverse(SESSIONS)).json()
    assert [row["topic"] for row in listed["results"]] == ["Định giá sản phẩm"]
    assert api(cast.other_commune_officer).get(reverse(SESSIONS)).json()["count"] == 0
    assert api(cast.applicant).get(reverse(SESSIONS)).json()["count"] == 1  # the founder's project
    filtered = api(cast.council_member).get(reverse(SESSIONS), {"project": projects.other_startup.pk}).json()
    assert filtered["count"] == 0


@pytest.mark.parametrize(
    ("overrides", "rule_or_field"),
    [
        ({"hours": "13"}, "hours"),
        ({"hours": "-1"}, "hours"),
        ({"hours": "1.25"}, "hours"),
        ({"held_on": "2024-12-31"}, "not_assigned"),  # before the assignment
        ({"held_on": "2026-11-19"}, "future"),
        ({"topic": " "}, "topic"),
        ({"project": "99999999999999999999"}, "project"),
    ],
)
def test_a_bad_session_is_refused_and_nothing_changes(projects, overrides, rule_or_field):
    projects.assign()
    code, body = refusal(
        api(projects.cast.mentor), "post", reverse(SESSIONS), session_body(projects.cast, **overrides)
    )
    assert code == 400
    assert body.get("rule") == rule_or_field or rule_or_field in body.get("errors", {}), body


# --- Query counts -------------------------------------------------------------------------------------------

N = 5


def add_mentors(projects: Projects, count: int) -> None:
    for number in range(count):
        mentors.save_mentor(
            by=projects.cast.standing_officer,
            mentor=Mentor(full_name=f"Chuyên gia {number}", fields="Tiếp thị"),
            units=[projects.cast.units.commune, projects.cast.units.other_commune],
        )


@pytest.mark.parametrize("rows", [N, 10 * N])
def test_the_list_reads_a_fixed_number_of_queries(projects, django_assert_num_queries, rows):
    add_mentors(projects, rows)
    client = api(projects.cast.standing_officer)
    # the count for the paginator, the page of mentors, their units
    with django_assert_num_queries(TOKEN_SIGNED_IN + 3):
        response = client.get(reverse(LIST), {"page_size": 200})
    assert response.json()["count"] == rows + 1


@pytest.mark.parametrize("rows", [N, 10 * N])
def test_the_session_list_reads_a_fixed_number_of_queries(projects, django_assert_num_queries, rows):
    projects.assign()
    for number in range(rows):
        mentors.log_session(
            mentor=projects.mentor,
            project=projects.startup,
            by=projects.cast.mentor,
            held_on=D(2025, 2, 1) + datetime.timedelta(days=number),
            hours=1,
            topic=f"Buổi {number}",
        )
    client = api(projects.cast.council_member)
    # the count for the paginator, the page of sessions with their mentor, project and logger
    with django_assert_num_queries(TOKEN_SIGNED_IN + 2):
        response = client.get(reverse(SESSIONS), {"page_size": 200})
    assert response.json()["count"] == rows
