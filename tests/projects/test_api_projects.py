"""Projects in the API: scope, masking, steps, support, visits, dossiers, refusals and query counts.

The role × route rows of these routes are in ``API_PROJECT_ROWS`` below, run here the way the shared
table in tests/portal/test_role_routes.py runs its own. The other test_api_* modules of this folder
build on the helpers here.
"""

import datetime

import pytest
from django.urls import reverse

from dossiers.catalogue import STARTUP_SUPPORT
from dossiers.models import Applicant, Dossier, Procedure
from dossiers.services.applicants import Person
from dossiers.services.documents import attach_document
from dossiers.services.dossiers import start_dossier, submit_dossier
from portal.models import AuditRecord
from projects.models import (
    Milestone,
    MilestoneUpdate,
    PlanInput,
    Project,
    ProjectDossier,
    ProjectStep,
    ProjectVisit,
    Support,
)
from projects.services import mentors, plans, showcase
from projects.services import projects as project_services
from projects.services.support import MilestoneFinding, record_support, record_visit
from tests.conftest import Cast
from tests.dossiers.fixtures import pdf_upload
from tests.portal.api_helpers import api
from tests.projects.fixtures import *  # noqa: F403 (the projects and media_root fixtures)
from tests.projects.fixtures import Projects, projects_for
from tests.role_table import Row, everyone

pytestmark = pytest.mark.django_db

D = datetime.date
LIST = "api:project-list"
DETAIL = "api:project-detail"
# Queries of a token-authenticated request before the endpoint's own (tests/teamwork/test_api_activities.py).
TOKEN_SIGNED_IN = 4

# Who reads the startup of Xã Sơn Định: the province-wide roles, the district above it, the commune and
# its founder (the cast's applicant); the rest of the cast does not see it (the mentor is not assigned).
API_PROJECT_READERS = everyone(
    404,
    anonymous=403,
    council_member=200,
    standing_officer=200,
    district_officer=200,
    commune_officer=200,
    fund_officer=200,
    applicant=200,
)
# Who changes it: the teams that keep the commune's projects; the council, the fund and the founder read.
API_PROJECT_WRITERS = API_PROJECT_READERS | {"council_member": 403, "fund_officer": 403, "applicant": 403}
API_PROJECT_CREATORS = API_PROJECT_WRITERS | {
    "standing_officer": 201,
    "district_officer": 201,
    "commune_officer": 201,
}


def world(cast: Cast) -> Projects:
    return projects_for(cast)


def register_body(cast: Cast, **overrides) -> dict:
    return {
        "founders": [
            {"full_name": "Trần Văn Mới", "national_id": "083095007777", "phone": "0918 111 222"},
            {"full_name": "Trần Thị Hai", "national_id": "083195008888"},
        ],
        "address": "Ấp Sơn Lân, xã Sơn Định",
        "on": "2026-11-10",
        "name": "Bánh phồng Sơn Lân",
        "kind": "household_business",
        "sector": "C",
        "unit": cast.units.commune.pk,
        "stage": "plan",
        "capital_needed": 150_000_000,
        "own_capital": 50_000_000,
        "workers": 4,
        "jobs_planned": 6,
        "jobs_created": 3,
        "jobs_women": 2,
    } | overrides


def project_url(name: str, make=lambda cast: world(cast).startup):
    return lambda cast: reverse(f"api:project-{name}", args=[make(cast).pk])


def started(cast: Cast) -> Project:
    """The startup moved from its plan to started (a step to correct)."""
    world_ = world(cast)
    return project_services.move_stage(
        project=world_.startup, to="started", by=world_.officer, on=D(2026, 11, 2)
    )


def unlinked_dossier(cast: Cast) -> Dossier:
    """A startup-support dossier of the startup's founder, filed at the desk, not linked yet."""
    world_ = world(cast)
    dossier = start_dossier(
        procedure=Procedure.objects.get(code=STARTUP_SUPPORT),
        applicant=world_.shop.applicant,
        filed_by=world_.officer,
        unit=cast.units.commune,
        channel=Dossier.Channel.IN_PERSON,
        summary="Hỗ trợ dự án trà mãng cầu",
    )
    given = set(dossier.documents.values_list("requirement_id", flat=True))
    for requirement in dossier.procedure_version.requirements.exclude(pk__in=given):
        attach_document(dossier=dossier, requirement=requirement, upload=pdf_upload(), by=world_.officer)
    return submit_dossier(dossier=dossier, by=world_.officer)


def list_url(cast: Cast) -> str:
    world(cast)
    return reverse(LIST)


API_PROJECT_ROWS: dict[str, Row] = {
    LIST: Row("get", list_url, everyone(200, anonymous=403)),
    # The keepers of the commune name it; for anyone else its id is unknown (400).
    f"{LIST}:post": Row(
        "post",
        list_url,
        everyone(400, anonymous=403, standing_officer=201, district_officer=201, commune_officer=201),
        data=register_body,
    ),
    DETAIL: Row("get", project_url("detail"), API_PROJECT_READERS),
    f"{DETAIL}:patch": Row(
        "patch",
        project_url("detail"),
        API_PROJECT_WRITERS,
        data=lambda cast: {"workers": 9, "jobs_created": 5},
    ),
    "api:project-steps": Row("get", project_url("steps"), API_PROJECT_READERS),
    "api:project-steps:post": Row(
        "post",
        project_url("steps"),
        API_PROJECT_WRITERS,
        data=lambda cast: {"to": "started", "on": "2026-11-17"},
    ),
    "api:project-correct": Row(
        "post", project_url("correct", started), API_PROJECT_WRITERS, data=lambda cast: {"note": "Nhầm bước"}
    ),
    "api:project-supports": Row("get", project_url("supports"), API_PROJECT_READERS),
    "api:project-supports:post": Row(
        "post",
        project_url("supports"),
        API_PROJECT_CREATORS,
        data=lambda cast: {
            "kind": "training",
            "team": cast.teams.commune.pk,
            "given_on": "2026-11-10",
            "hours": "4",
        },
    ),
    "api:project-visits": Row("get", project_url("visits"), API_PROJECT_READERS),
    "api:project-visits:post": Row(
        "post",
        project_url("visits"),
        API_PROJECT_CREATORS,
        data=lambda cast: {"visited_on": "2026-11-17", "note": "Xưởng đã lắp máy sấy", "channel": "visit"},
    ),
    "api:project-dossiers": Row(
        "post",
        project_url("dossiers"),
        API_PROJECT_WRITERS,
        data=lambda cast: {"dossier": unlinked_dossier(cast).pk},
    ),
}


def state():
    return (
        sorted(
            Project.objects.values_list("pk", "name", "stage", "workers", "jobs_created", "replicates_id")
        ),
        ProjectStep.objects.count(),
        Support.objects.count(),
        ProjectVisit.objects.count(),
        MilestoneUpdate.objects.count(),
        sorted(Milestone.objects.values_list("pk", "state", "due_on")),
        ProjectDossier.objects.count(),
        Applicant.objects.count(),
        AuditRecord.objects.count(),
    )


@pytest.mark.parametrize("role", Cast.ROLES)
@pytest.mark.parametrize("route_name", sorted(API_PROJECT_ROWS))
def test_role_gets_the_expected_answer(cast, media_root, role, route_name):
    row = API_PROJECT_ROWS[route_name]
    url, data = row.url(cast), row.data(cast)
    before = state()
    response = getattr(api(getattr(cast, role)), row.method)(url, data, format="json")
    assert response.status_code == row.expected[role], f"{role} {row.method.upper()} {url}: {response.json()}"
    if row.method != "get" and response.status_code >= 400:
        assert state() == before, "a refused write changed something"


# --- Reads -------------------------------------------------------------------------------------------------


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_the_list_is_scoped_and_filters(projects):
    cast = projects.cast
    mine, other, goats = projects.startup, projects.other_startup, projects.plan.project
    council = api(cast.council_member)
    assert sorted(ids(council.get(reverse(LIST)))) == sorted([mine.pk, other.pk, goats.pk])
    assert sorted(ids(api(cast.commune_officer).get(reverse(LIST)))) == sorted([mine.pk, goats.pk])
    assert ids(api(cast.applicant).get(reverse(LIST))) == [mine.pk]  # the founder's own
    assert ids(api(cast.mentor).get(reverse(LIST))) == []
    projects.assign()
    assert ids(api(cast.mentor).get(reverse(LIST))) == [mine.pk]  # the mentor's assigned
    assert ids(council.get(reverse(LIST), {"kind": "poverty_escape"})) == [goats.pk]
    assert ids(council.get(reverse(LIST), {"stage": "idea"})) == [other.pk]
    assert ids(council.get(reverse(LIST), {"sector": "C"})) == [mine.pk]
    assert ids(council.get(reverse(LIST), {"unit": cast.units.other_district.pk})) == [other.pk]
    assert ids(council.get(reverse(LIST), {"q": "tra mang cau"})) == [mine.pk]


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("kind", "factory"),
        ("stage", "done"),
        ("sector", "Z"),
        ("unit", "99999999999999999999999"),
        ("unit", "²"),
        ("q", "x" * 101),
        ("page", "-1"),
        ("page_size", "201"),
    ],
)
def test_a_malformed_filter_is_a_400_in_vietnamese(projects, parameter, value):
    response = api(projects.officer, language="vi").get(reverse(LIST), {parameter: value})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Một số dữ liệu gửi lên không hợp lệ")
    assert list(response.json()["errors"]) == [parameter]


def test_the_detail_masks_founders_unless_the_caller_keeps_the_project_or_founded_it(projects):
    cast, startup = projects.cast, projects.startup
    national_id = projects.shop.applicant.national_id
    url = reverse(DETAIL, args=[startup.pk])
    for role, whole in [
        ("commune_officer", True),
        ("applicant", True),
        ("council_member", False),
        ("fund_officer", False),
    ]:
        founder = api(getattr(cast, role)).get(url).json()["founders"][0]
        expected = national_id if whole else "••••••••" + national_id[-4:]
        assert (founder["full_name"], founder["national_id"], founder["is_lead"]) == (
            "Bùi Văn Nộp",
            expected,
            True,
        ), role
    detail = api(cast.council_member).get(url).json()
    assert (detail["stage"], detail["plan"], detail["success_model"], detail["replicates"]) == (
        "plan",
        None,
        None,
        None,
    )
    assert [(step["stage"], step["taken_on"]) for step in detail["steps"]] == [("plan", "2024-03-10")]
    goats = api(cast.council_member).get(reverse(DETAIL, args=[projects.plan.project.pk])).json()
    assert (goats["kind"], goats["plan"]) == ("poverty_escape", projects.plan.pk)


def test_another_communes_project_is_a_404_and_the_councils_write_a_403(projects):
    cast, other = projects.cast, projects.other_startup
    before = state()
    client = api(cast.commune_officer)
    assert client.get(reverse(DETAIL, args=[other.pk])).status_code == 404
    assert client.patch(reverse(DETAIL, args=[other.pk]), {"workers": 3}, format="json").status_code == 404
    assert (
        client.post(reverse("api:project-steps", args=[other.pk]), {"to": "plan"}, format="json").status_code
        == 404
    )
    council = api(cast.council_member)
    assert council.patch(reverse(DETAIL, args=[other.pk]), {"workers": 3}, format="json").status_code == 403
    assert state() == before


# --- Writes ------------------------------------------------------------------------------------------------


def test_register_finds_known_founders_by_cccd_and_records_new_ones(projects):
    cast = projects.cast
    known = projects.shop.applicant
    body = register_body(
        cast,
        founders=[
            {"full_name": "Bùi Văn Nộp", "national_id": known.national_id},
            register_body(cast)["founders"][0],
        ],
    )
    before = Applicant.objects.count()
    response = api(projects.officer).post(reverse(LIST), body, format="json")
    assert response.status_code == 201, response.json()
    project = Project.objects.get(pk=response.json()["id"])
    assert project.founders.first().person == known
    assert Applicant.objects.count() == before + 1
    answer = response.json()
    assert (answer["stage"], answer["registered_on"], answer["capital_needed"], answer["jobs_created"]) == (
        "plan",
        "2026-11-10",
        150_000_000,
        3,
    )
    assert [founder["national_id"] for founder in answer["founders"]] == [known.national_id, "083095007777"]
    history = AuditRecord.objects.history_of(project)
    assert {(record.actor, record.channel) for record in history} == {(projects.officer, "api")}
    assert history.count() == 4  # the project, its new founder, its founders' records and its first step


def test_update_changes_only_the_fields_given(projects):
    response = api(projects.officer).patch(
        reverse(DETAIL, args=[projects.startup.pk]), {"workers": 9, "jobs_created": 7}, format="json"
    )
    assert response.status_code == 200, response.json()
    startup = Project.objects.get(pk=projects.startup.pk)
    assert (startup.workers, startup.jobs_created, startup.capital_needed, startup.name) == (
        9,
        7,
        300_000_000,
        "Trà mãng cầu Sơn Định",
    )


def test_steps_move_forward_stop_and_are_corrected(projects):
    client = api(projects.officer)
    pk = projects.startup.pk
    steps = reverse("api:project-steps", args=[pk])
    assert (
        client.post(steps, {"to": "started", "on": "2026-11-02"}, format="json").json()["stage"] == "started"
    )
    answer = client.post(
        steps, {"to": "stopped", "on": "2026-11-10", "stop_reason": "capital"}, format="json"
    ).json()
    assert (answer["stage"], answer["stop_reason"]) == ("stopped", "capital")
    answer = client.post(
        reverse("api:project-correct", args=[pk]), {"note": "Nhầm, vẫn hoạt động"}, format="json"
    ).json()
    assert (answer["stage"], answer["stop_reason"]) == ("started", None)
    listed = client.get(steps).json()
    assert [(step["stage"], step["is_correction"], step["stop_reason"]) for step in listed] == [
        ("plan", False, None),
        ("started", False, None),
        ("stopped", False, "capital"),
        ("started", True, None),
    ]


def refusal(client, method: str, url: str, data: dict):
    before = state()
    response = getattr(client, method)(url, data, format="json")
    assert state() == before, "a refused write changed something"
    return response.status_code, response.json()


def test_a_step_backwards_or_skipping_is_a_409_and_a_stop_needs_its_reason(projects):
    client = api(projects.officer)
    steps = reverse("api:project-steps", args=[projects.startup.pk])
    code, body = refusal(client, "post", steps, {"to": "idea"})
    assert (code, body["rule"]) == (409, "out_of_order")
    code, body = refusal(client, "post", steps, {"to": "operating"})
    assert (code, body["rule"]) == (409, "out_of_order")
    code, body = refusal(client, "post", steps, {"to": "stopped"})
    assert (code, body["rule"]) == (400, "stop_reason")
    code, body = refusal(
        client, "post", reverse("api:project-correct", args=[projects.startup.pk]), {"note": "x"}
    )
    assert (code, body["rule"]) == (409, "nothing_to_correct")


def test_a_poverty_escape_project_starts_only_with_its_plan_approved(projects):
    client = api(projects.officer)
    steps = reverse("api:project-steps", args=[projects.plan.project.pk])
    code, body = refusal(client, "post", steps, {"to": "started"})
    assert (code, body["rule"]) == (409, "plan_not_approved")
    projects.approved_plan()
    assert client.post(steps, {"to": "started"}, format="json").json()["stage"] == "started"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"capital_needed": -1}, "capital_needed"),
        ({"capital_needed": 1.5}, "capital_needed"),
        ({"own_capital": "120000000.5"}, "own_capital"),
        ({"workers": "٣"}, "workers"),
        ({"jobs_created": 2**63}, "jobs_created"),
        ({"name": ""}, "name"),
    ],
)
def test_malformed_figures_are_a_400_naming_the_field(projects, changes, field):
    code, body = refusal(
        api(projects.officer, language="vi"), "patch", reverse(DETAIL, args=[projects.startup.pk]), changes
    )
    assert (code, list(body["errors"])) == (400, [field])
    assert body["detail"].startswith("Một số dữ liệu gửi lên không hợp lệ")


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"jobs_created": 7}, "jobs_above_workers"),  # 6 workers recorded
        ({"own_capital": 400_000_000}, "own_above_need"),
        ({"jobs_women": 5}, "groups_above_jobs"),
    ],
)
def test_figures_that_disagree_are_refused_by_the_service(projects, changes, rule):
    code, body = refusal(api(projects.officer), "patch", reverse(DETAIL, args=[projects.startup.pk]), changes)
    assert (code, body["code"], body["rule"]) == (400, "invalid", rule)


@pytest.mark.parametrize(
    ("overrides", "status", "rule_or_field"),
    [
        ({"kind": "poverty_escape"}, 400, "needs_plan"),
        ({"stage": "started"}, 400, "stage"),
        ({"founders": []}, 400, "founders"),
        ({"founders": [{"full_name": "A", "national_id": "12345"}]}, 400, "national_id"),
        ({"unit": 99999999999999999999}, 400, "unit"),
        ({"unit": -3}, 400, "unit"),
        ({"on": "2026-11-19"}, 400, "future"),
        ({"jobs_created": 5}, 400, "jobs_above_workers"),
    ],
)
def test_a_bad_registration_is_refused_and_nothing_changes(projects, overrides, status, rule_or_field):
    code, body = refusal(
        api(projects.officer), "post", reverse(LIST), register_body(projects.cast, **overrides)
    )
    assert code == status
    assert body.get("rule") == rule_or_field or rule_or_field in body.get("errors", {})


def test_a_registration_in_another_commune_is_a_400(projects):
    body = register_body(projects.cast, unit=projects.cast.units.other_commune.pk)
    code, answer = refusal(api(projects.officer), "post", reverse(LIST), body)
    assert (code, list(answer["errors"])) == (400, ["unit"])


def test_support_is_recorded_and_listed(projects):
    client = api(projects.officer)
    url = reverse("api:project-supports", args=[projects.startup.pk])
    team = client.post(
        url,
        {
            "kind": "training",
            "team": projects.cast.teams.commune.pk,
            "given_on": "2026-11-10",
            "hours": "4.5",
        },
        format="json",
    )
    assert team.status_code == 201, team.json()
    assert (team.json()["team"]["id"], team.json()["hours"], team.json()["value"], team.json()["mentor"]) == (
        projects.cast.teams.commune.pk,
        "4.5",
        None,
        None,
    )
    organisation = client.post(
        url,
        {"kind": "capital", "organisation": "Ngân hàng CSXH", "given_on": "2026-11-12", "value": 50_000_000},
        format="json",
    )
    assert organisation.status_code == 201, organisation.json()
    listed = client.get(url).json()
    assert listed["count"] == 2
    assert [(row["kind"], row["value"]) for row in listed["results"]] == [
        ("capital", 50_000_000),
        ("training", None),
    ]


@pytest.mark.parametrize(
    ("data", "status", "rule_or_field"),
    [
        ({"kind": "training", "given_on": "2026-11-10", "hours": "4"}, 400, "provider"),
        ({"kind": "training", "organisation": "Sở KH&CN", "given_on": "2026-11-10"}, 400, "hours_or_value"),
        ({"kind": "capital", "organisation": "Sở", "given_on": "2026-11-10", "value": -5}, 400, "value"),
        ({"kind": "capital", "organisation": "Sở", "given_on": "2026-11-10", "value": 10.5}, 400, "value"),
        ({"kind": "advice", "organisation": "Sở", "given_on": "2026-11-10", "hours": "0"}, 400, "hours"),
        ({"kind": "advice", "organisation": "Sở", "given_on": "2026-11-10", "hours": "１"}, 400, "hours"),
        (
            {"kind": "advice", "organisation": "Sở", "given_on": "2024-01-01", "hours": "1"},
            400,
            "before_project",
        ),
        (
            {"kind": "advice", "team": 99999999999999999999, "given_on": "2026-11-10", "hours": "1"},
            400,
            "team",
        ),
    ],
)
def test_bad_support_is_refused_and_nothing_changes(projects, data, status, rule_or_field):
    code, body = refusal(
        api(projects.officer), "post", reverse("api:project-supports", args=[projects.startup.pk]), data
    )
    assert code == status
    assert body.get("rule") == rule_or_field or rule_or_field in body.get("errors", {}), body


def test_a_visit_marks_the_plans_milestones(projects, set_today):
    plan = projects.approved_plan()
    first, second, third = plan.milestones.order_by("due_on")
    client = api(projects.officer)
    response = client.post(
        reverse("api:project-visits", args=[plan.project.pk]),
        {
            "visited_on": "2026-11-17",
            "note": "Chuồng đã làm, dê chưa đẻ",
            "findings": [
                {"milestone": first.pk, "state": "done"},
                {"milestone": second.pk, "state": "late"},
                {
                    "milestone": third.pk,
                    "state": "changed",
                    "new_due_on": "2026-12-20",
                    "reason": "Dê chậm động dục",
                },
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert [(update["state"], update["new_due_on"]) for update in response.json()["milestone_updates"]] == [
        ("done", None),
        ("late", None),
        ("changed", "2026-12-20"),
    ]
    assert sorted(Milestone.objects.filter(plan=plan).values_list("state", "due_on", "done_on")) == [
        ("changed", D(2026, 12, 20), None),
        ("done", D(2025, 4, 15), D(2026, 11, 17)),
        ("late", D(2025, 5, 1), None),
    ]
    listed = client.get(reverse("api:project-visits", args=[plan.project.pk])).json()
    assert [visit["note"] for visit in listed["results"]] == ["Chuồng đã làm, dê chưa đẻ"]


def test_a_visit_records_the_inputs_handed_over_once(projects):
    plan = projects.approved_plan()
    goats = plan.inputs.get()
    client = api(projects.officer)
    url = reverse("api:project-visits", args=[plan.project.pk])
    visit = {"visited_on": "2026-11-17", "note": "Giao dê giống", "inputs_given": [goats.pk]}
    assert client.post(url, visit, format="json").status_code == 201
    goats.refresh_from_db()
    assert goats.given_on == D(2026, 11, 17)
    visits = plan.project.visits.count()
    again = client.post(url, visit, format="json")
    assert again.status_code == 409
    other = client.post(url, visit | {"inputs_given": [2**70]}, format="json")
    assert other.status_code == 400
    assert plan.project.visits.count() == visits


@pytest.mark.parametrize(
    ("finding", "status", "rule_or_field"),
    [
        ({"state": "changed", "new_due_on": "2027-03-01", "reason": "Trễ"}, 400, "milestone_outside"),
        ({"state": "changed"}, 400, "change_reason"),
        ({"state": "planned"}, 400, "state"),
        ({"state": "finished"}, 400, "findings"),
    ],
)
def test_a_bad_finding_is_refused_and_nothing_changes(projects, finding, status, rule_or_field):
    plan = projects.approved_plan()
    milestone = plan.milestones.order_by("due_on").first()
    data = {
        "visited_on": "2026-11-17",
        "note": "Thăm hộ",
        "findings": [{"milestone": milestone.pk} | finding],
    }
    code, body = refusal(
        api(projects.officer), "post", reverse("api:project-visits", args=[plan.project.pk]), data
    )
    assert code == status
    assert body.get("rule") == rule_or_field or rule_or_field in body.get("errors", {}), body


def test_a_milestone_of_another_plan_is_unknown(projects):
    plan = projects.plan
    milestone = plan.milestones.first()
    data = {
        "visited_on": "2026-11-17",
        "note": "Thăm",
        "findings": [{"milestone": milestone.pk, "state": "done"}],
    }
    code, body = refusal(
        api(projects.officer), "post", reverse("api:project-visits", args=[projects.startup.pk]), data
    )
    assert (code, list(body["errors"])) == (400, ["findings"])


def test_a_founders_dossier_is_linked_once(projects):
    dossier = unlinked_dossier(projects.cast)
    client = api(projects.officer)
    url = reverse("api:project-dossiers", args=[projects.startup.pk])
    answer = client.post(url, {"dossier": dossier.pk}, format="json").json()
    assert [(row["id"], row["procedure"]) for row in answer["dossiers"]] == [(dossier.pk, STARTUP_SUPPORT)]
    code, body = refusal(client, "post", url, {"dossier": dossier.pk})
    assert (code, body["rule"]) == (409, "linked")
    code, body = refusal(
        client,
        "post",
        reverse("api:project-dossiers", args=[projects.plan.project.pk]),
        {"dossier": dossier.pk},
    )
    assert (code, body["rule"]) == (400, "not_founder")


# --- Query counts -----------------------------------------------------------------------------------------

N = 5


def add_projects(projects: Projects, count: int) -> None:
    for number in range(count):
        project_services.register_project(
            by=projects.officer,
            founders=[Person(full_name=f"Người số {number}", national_id=f"0830990{number:05d}")],
            address="Ấp Sơn Quy",
            on=D(2026, 11, 1),
            name=f"Dự án số {number}",
            kind="idea",
            sector="A",
            unit=projects.cast.units.commune,
        )


@pytest.mark.parametrize("rows", [N, 10 * N])
def test_the_list_reads_a_fixed_number_of_queries(projects, django_assert_num_queries, rows):
    add_projects(projects, rows)
    client = api(projects.cast.council_member)
    # the count for the paginator, the page of projects with their unit
    with django_assert_num_queries(TOKEN_SIGNED_IN + 2):
        response = client.get(reverse(LIST), {"page_size": 200})
    assert response.json()["count"] == rows + 3


@pytest.mark.parametrize("rows", [N, 10 * N])
def test_the_support_list_reads_a_fixed_number_of_queries(projects, django_assert_num_queries, rows):
    for number in range(rows):
        record_support(
            project=projects.startup,
            by=projects.officer,
            kind="advice",
            given_on=D(2026, 1, 1) + datetime.timedelta(days=number),
            mentor=projects.mentor if number % 2 else None,
            team=None if number % 2 else projects.cast.teams.commune,
            hours=1,
        )
    client = api(projects.cast.council_member)
    # the project, the count for the paginator, the page of supports with their team, mentor and officer
    with django_assert_num_queries(TOKEN_SIGNED_IN + 3):
        response = client.get(reverse("api:project-supports", args=[projects.startup.pk]), {"page_size": 200})
    assert response.json()["count"] == rows


@pytest.mark.parametrize("rows", [N, 10 * N])
def test_the_visit_list_reads_a_fixed_number_of_queries(projects, django_assert_num_queries, rows):
    plan = projects.approved_plan()
    milestone = plan.milestones.order_by("due_on").first()
    for number in range(rows):
        record_visit(
            project=plan.project,
            by=projects.officer,
            visited_on=D(2026, 1, 1) + datetime.timedelta(days=number),
            note=f"Lần {number}",
            findings=[MilestoneFinding(milestone, "late")] if number == 0 else [],
        )
    client = api(projects.cast.council_member)
    # the project, the count, the page of visits with their officer, their milestone updates with milestones
    with django_assert_num_queries(TOKEN_SIGNED_IN + 4):
        response = client.get(reverse("api:project-visits", args=[plan.project.pk]), {"page_size": 200})
    assert response.json()["count"] == rows


# --- For the schema's agreement (tests/portal/test_api_schema_agreement.py) ---------------------------------


def fill_projects(cast: Cast) -> None:
    """Projects, plans, mentors and models whose optional fields are each empty in one and set in another."""
    world_ = world(cast)
    officer, standing = world_.officer, cast.standing_officer
    startup = project_services.move_stage(project=world_.startup, to="started", by=officer, on=D(2025, 1, 2))
    startup = project_services.move_stage(project=startup, to="operating", by=officer, on=D(2025, 6, 2))
    project_services.link_dossier(project=startup, dossier=unlinked_dossier(cast), by=officer)
    record_support(
        project=startup, by=officer, kind="training", given_on=D(2025, 2, 1), team=cast.teams.commune, hours=4
    )
    record_support(
        project=startup,
        by=officer,
        kind="mentoring",
        given_on=D(2025, 2, 3),
        mentor=world_.mentor,
        value=2_000_000,
    )
    world_.assign(startup, on=D(2025, 1, 6))
    mentors.log_session(
        mentor=world_.mentor,
        project=startup,
        by=cast.mentor,
        held_on=D(2025, 2, 3),
        hours=2,
        topic="Tiếp thị",
    )
    mentors.declare_conflict(
        mentor=world_.mentor, project=startup, by=standing, reason="Góp vốn vào dự án", on=D(2025, 8, 1)
    )
    mentors.assign_mentor(mentor=world_.mentor, project=world_.plan.project, by=standing, on=D(2025, 3, 2))
    model = showcase.propose_model(
        project=startup,
        by=standing,
        on=D(2026, 1, 10),
        title="Trà mãng cầu sấy lạnh",
        yearly_revenue=1_200_000_000,
        jobs=6,
        years_operating=2,
        evidence="Doanh thu tăng đều",
        public_consent=True,
    )
    model = showcase.decide_model(model=model, by=cast.council_member, confirm=True, on=D(2026, 2, 1))
    later = project_services.register_project(
        by=officer,
        founders=[Person(full_name="Lê Văn Sau", national_id="083096001234")],
        address="Ấp Sơn Quy",
        on=D(2026, 3, 1),
        name="Trà mãng cầu Sơn Quy",
        kind="household_business",
        sector="C",
        unit=cast.units.commune,
    )
    showcase.record_replication(project=later, model=model, by=officer, on=D(2026, 3, 5))
    project_services.move_stage(
        project=later, to="stopped", by=officer, on=D(2026, 9, 1), stop_reason="market"
    )
    # The other commune's operating project proposed and not yet decided.
    other = world_.other_startup
    for stage, on in (("plan", D(2024, 6, 1)), ("started", D(2024, 7, 1)), ("operating", D(2025, 1, 1))):
        other = project_services.move_stage(project=other, to=stage, by=cast.other_commune_officer, on=on)
    showcase.propose_model(
        project=other,
        by=standing,
        on=D(2026, 2, 2),
        title="Vườn ươm",
        yearly_revenue=0,
        jobs=2,
        years_operating=1,
        evidence="Cây giống tốt",
    )
    # The goat plan approved, a milestone done, one changed, a review; a second plan still a draft.
    plan = world_.approved_plan()
    first, second, _third = plan.milestones.order_by("due_on")
    record_visit(
        project=plan.project,
        by=officer,
        visited_on=D(2025, 5, 3),
        note="Đã nhận dê",
        findings=[
            MilestoneFinding(first, "done"),
            MilestoneFinding(second, "changed", new_due_on=D(2025, 6, 1), reason="Chậm giao dê"),
        ],
    )
    plans.record_review(plan=plan, by=officer, year=2025, result="near_poor", on=D(2025, 12, 20))
    PlanInput.objects.filter(plan=plan).update(given_on=D(2025, 4, 20))  # no service records it yet
    # A draft in the other commune, its input not given.
    household = plans.list_household(
        by=cast.other_commune_officer,
        unit=cast.units.other_commune,
        year=2025,
        household_code="CS-2025-003",
        head=Person(full_name="Phạm Thị Khó", national_id="083180009999"),
        address="Ấp Cẩm Hòa",
        category="near_poor",
        is_urban=False,
        income_per_person=1_400_000,
        deprivations=1,
    )
    draft = plans.open_plan(
        by=cast.other_commune_officer,
        household=household,
        name="Trồng nấm rơm",
        sector="A",
        on=D(2026, 1, 5),
        livelihood="mushrooms",
        description="",
        budget_total=5_000_000,
        expected_monthly_income=0,
        starts_on=D(2026, 2, 1),
        ends_on=D(2026, 12, 31),
        inputs=[plans.Input("Meo giống nấm", 1_000_000, "Hội Nông dân xã")],
    )
    assert draft.status == "draft"
