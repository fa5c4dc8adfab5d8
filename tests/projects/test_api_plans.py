"""Poverty-escape plans in the API: writing, approval (the plan-required rule), reviews, masking, refusals.

The role × route rows of these routes are in ``API_PLAN_ROWS`` below.
"""

import datetime

import pytest
from django.urls import reverse

from dossiers.models import Dossier
from dossiers.services import dossiers as dossier_services
from dossiers.services.applicants import Person
from portal.models import AuditRecord
from projects.models import (
    HouseholdListing,
    Milestone,
    PlanFunding,
    PlanInput,
    PovertyPlan,
    Project,
    YearlyReview,
)
from projects.services import plans
from tests.conftest import Cast
from tests.portal.api_helpers import api
from tests.projects.fixtures import *  # noqa: F403 (the projects and media_root fixtures)
from tests.projects.fixtures import Projects
from tests.projects.test_api_projects import API_PROJECT_READERS, TOKEN_SIGNED_IN, world
from tests.role_table import Row, everyone

pytestmark = pytest.mark.django_db

D = datetime.date
LIST = "api:poverty-plan-list"
DETAIL = "api:poverty-plan-detail"

# The goat plan's household has no account: the readers of Xã Sơn Định's projects but the applicant.
API_PLAN_READERS = API_PROJECT_READERS | {"applicant": 404}
API_PLAN_WRITERS = API_PLAN_READERS | {"council_member": 403, "fund_officer": 403}


def listed_household(cast: Cast, code: str = "SD-2025-031") -> HouseholdListing:
    """A second household on Xã Sơn Định's 2025 list, with no plan yet."""
    world(cast)
    return plans.list_household(
        by=cast.commune_officer,
        unit=cast.units.commune,
        year=2025,
        household_code=code,
        head=Person(full_name="Trương Văn Khó", national_id="083180007" + code[-3:], phone="0912345678"),
        address="Ấp Sơn Phú",
        category="near_poor",
        is_urban=False,
        income_per_person=1_400_000,
        deprivations=2,
        members=3,
    )


def plan_body(household: HouseholdListing, /, **overrides) -> dict:
    return {
        "household": household.pk,
        "name": "Trồng nấm rơm – hộ Trương Văn Khó",
        "sector": "A",
        "on": "2026-11-10",
        "livelihood": "mushrooms",
        "description": "Trồng nấm rơm trên rơm sau vụ lúa",
        "budget_total": 6_000_000,
        "expected_monthly_income": 1_500_000,
        "starts_on": "2026-12-01",
        "ends_on": "2027-11-30",
        "fundings": [{"source": "programme", "amount": 4_000_000}, {"source": "own", "amount": 2_000_000}],
        "inputs": [{"description": "Meo giống nấm", "value": 1_500_000, "given_by": "Hội Nông dân xã"}],
        "milestones": [
            {"title": "Làm lán trại", "due_on": "2026-12-20", "supporter": "Tổ hỗ trợ xã"},
            {"title": "Thu hoạch lứa đầu", "due_on": "2027-02-15", "supporter": "Khuyến nông xã"},
        ],
    } | overrides


def plan_url(name: str, make=lambda cast: world(cast).plan):
    return lambda cast: reverse(f"api:poverty-plan-{name}", args=[make(cast).pk])


def approved(cast: Cast) -> PovertyPlan:
    return world(cast).approved_plan()


def list_url(cast: Cast) -> str:
    world(cast)
    return reverse(LIST)


API_PLAN_ROWS: dict[str, Row] = {
    LIST: Row("get", list_url, everyone(200, anonymous=403)),
    # The commune's keepers write it; the council and the fund see the household and get 403; for the rest
    # of the cast its id is unknown (400).
    f"{LIST}:post": Row(
        "post",
        list_url,
        everyone(
            400,
            anonymous=403,
            council_member=403,
            fund_officer=403,
            standing_officer=201,
            district_officer=201,
            commune_officer=201,
        ),
        data=lambda cast: plan_body(listed_household(cast)),
    ),
    DETAIL: Row("get", plan_url("detail"), API_PLAN_READERS),
    "api:poverty-plan-approve": Row(
        "post", plan_url("approve"), API_PLAN_WRITERS, data=lambda cast: {"on": "2026-11-17"}
    ),
    "api:poverty-plan-reviews": Row("get", plan_url("reviews", approved), API_PLAN_READERS),
    "api:poverty-plan-reviews:post": Row(
        "post",
        plan_url("reviews", approved),
        {**API_PLAN_WRITERS, **{role: 201 for role, code in API_PLAN_WRITERS.items() if code == 200}},
        data=lambda cast: {"year": 2025, "result": "still_poor", "on": "2026-11-17"},
    ),
}


def state():
    return (
        sorted(PovertyPlan.objects.values_list("pk", "status", "approved_on", "budget_total")),
        Project.objects.count(),
        PlanFunding.objects.count(),
        PlanInput.objects.count(),
        Milestone.objects.count(),
        YearlyReview.objects.count(),
        AuditRecord.objects.count(),
    )


@pytest.mark.parametrize("role", Cast.ROLES)
@pytest.mark.parametrize("route_name", sorted(API_PLAN_ROWS))
def test_role_gets_the_expected_answer(cast, media_root, role, route_name):
    row = API_PLAN_ROWS[route_name]
    url, data = row.url(cast), row.data(cast)
    before = state()
    response = getattr(api(getattr(cast, role)), row.method)(url, data, format="json")
    assert response.status_code == row.expected[role], f"{role} {row.method.upper()} {url}: {response.json()}"
    if row.method != "get" and response.status_code >= 400:
        assert state() == before, "a refused write changed something"


# --- Writing and reading a plan -----------------------------------------------------------------------------


def test_a_plan_is_written_whole_and_starts_the_households_project(projects):
    household = listed_household(projects.cast)
    response = api(projects.officer).post(reverse(LIST), plan_body(household), format="json")
    assert response.status_code == 201, response.json()
    answer = response.json()
    plan = PovertyPlan.objects.get(pk=answer["id"])
    assert (plan.project.kind, plan.project.stage, plan.status, plan.budget_total) == (
        "poverty_escape",
        "plan",
        "draft",
        6_000_000,
    )
    assert [(row["source"], row["amount"]) for row in answer["fundings"]] == [
        ("programme", 4_000_000),
        ("own", 2_000_000),
    ]
    assert [row["title"] for row in answer["milestones"]] == ["Làm lán trại", "Thu hoạch lứa đầu"]
    assert answer["gaps"] == []
    assert answer["household"]["head"]["national_id"] == "083180007031"  # the commune's officer sees it
    assert answer["household"]["income_per_person"] == 1_400_000


def test_the_household_heads_data_is_masked_for_the_council(projects):
    answer = api(projects.cast.council_member).get(reverse(DETAIL, args=[projects.plan.pk])).json()
    head = answer["household"]["head"]
    assert (head["full_name"], head["national_id"], head["phone"]) == (
        "Lê Thị Nghèo",
        "••••••••4321",
        "••••••2333",
    )
    assert answer["household"]["income_per_person"] is None
    listed = api(projects.cast.council_member).get(reverse(LIST)).json()["results"]
    assert "head" not in listed[0]["household"]


def test_the_list_is_scoped_and_filters(projects):
    cast = projects.cast
    mine = projects.plan
    other = api(cast.other_commune_officer).post(
        reverse(LIST),
        plan_body(
            plans.list_household(
                by=cast.other_commune_officer,
                unit=cast.units.other_commune,
                year=2025,
                household_code="CS-2025-001",
                head=Person(full_name="Phạm Thị Khó", national_id="083180009999"),
                address="Ấp Cẩm Hòa",
                category="poor",
                is_urban=False,
                income_per_person=1_000_000,
                deprivations=3,
            )
        ),
        format="json",
    )
    assert other.status_code == 201, other.json()
    other_id = other.json()["id"]
    projects.approved_plan()

    def ids(client, **parameters) -> list[int]:
        response = client.get(reverse(LIST), parameters)
        assert response.status_code == 200, response.json()
        return sorted(row["id"] for row in response.json()["results"])

    council = api(cast.council_member)
    assert ids(council) == sorted([mine.pk, other_id])
    assert ids(api(cast.commune_officer)) == [mine.pk]
    assert ids(api(cast.applicant)) == []
    assert ids(council, status="approved") == [mine.pk]
    assert ids(council, status="draft") == [other_id]
    assert ids(council, unit=cast.units.other_district.pk) == [other_id]
    assert ids(council, cohort=2025) == [mine.pk]


@pytest.mark.parametrize(
    ("parameter", "value"),
    [("status", "closed"), ("cohort", "1999"), ("cohort", "２０２５"), ("unit", "-1"), ("page", "0")],
)
def test_a_malformed_filter_is_a_400_in_vietnamese(projects, parameter, value):
    response = api(projects.officer, language="vi").get(reverse(LIST), {parameter: value})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Một số dữ liệu gửi lên không hợp lệ")
    assert list(response.json()["errors"]) == [parameter]


# --- The plan-required rule ---------------------------------------------------------------------------------


def refusal(client, url: str, data: dict):
    before = (state(), sorted(Dossier.objects.values_list("pk", "status")))
    response = client.post(url, data, format="json")
    assert (state(), sorted(Dossier.objects.values_list("pk", "status"))) == before, (
        "a refusal changed something"
    )
    return response.status_code, response.json()


def test_approving_a_plan_with_gaps_is_a_400_saying_what_is_missing(projects):
    PlanInput.objects.filter(plan=projects.plan).delete()
    client = api(projects.officer, language="en")
    code, body = refusal(client, reverse("api:poverty-plan-approve", args=[projects.plan.pk]), {})
    assert (code, body["rule"]) == (400, "incomplete")
    assert body["detail"] == "The plan is not complete; it still needs: the inputs to be given."
    detail = client.get(reverse(DETAIL, args=[projects.plan.pk])).json()
    assert (detail["status"], detail["gaps"]) == ("draft", ["the inputs to be given"])


def test_the_enrolment_is_decided_only_once_the_plan_is_approved(projects, set_today):
    set_today(D(2025, 3, 10))
    dossier = projects.enrolment_dossier()
    for step in ("receive", "start"):
        dossier = dossier_services.perform(
            dossier_services.STEPS[step], dossier=dossier, by=projects.officer, data={}
        )
    client = api(projects.officer, language="en")
    complete = reverse("api:dossier-complete", args=[dossier.pk])
    code, body = refusal(client, complete, {"result": "Đồng ý hỗ trợ"})
    assert (code, body["code"], body["rule"]) == (409, "conflict", "decision_blocked")
    approved = client.post(
        reverse("api:poverty-plan-approve", args=[projects.plan.pk]), {"on": "2025-03-09"}, format="json"
    )
    assert approved.status_code == 200, approved.json()
    assert (approved.json()["status"], approved.json()["approved_on"]) == ("approved", "2025-03-09")
    response = client.post(complete, {"result": "Đồng ý hỗ trợ"}, format="json")
    assert response.status_code == 200, response.json()
    assert Dossier.objects.get(pk=dossier.pk).status == Dossier.Status.DONE
    code, body = refusal(client, reverse("api:poverty-plan-approve", args=[projects.plan.pk]), {})
    assert (code, body["rule"]) == (409, "approved")


# --- Bad plans ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "rule_or_field"),
    [
        ({"budget_total": 7_000_000}, "budget_sum"),
        ({"budget_total": -6_000_000}, "budget_total"),
        ({"budget_total": 6_000_000.5}, "budget_total"),
        ({"fundings": [{"source": "own", "amount": 6_000_000.0001}]}, "fundings"),
        (
            {"fundings": [{"source": "own", "amount": -1}, {"source": "programme", "amount": 6_000_001}]},
            "fundings",
        ),
        ({"inputs": [{"description": "Meo", "value": "1.500.000", "given_by": "Hội"}]}, "inputs"),
        (
            {"milestones": [{"title": "Thu hoạch", "due_on": "2028-01-15", "supporter": "Khuyến nông"}]},
            "milestone_outside",
        ),
        ({"ends_on": "2026-11-01"}, "dates"),
        ({"household": 99999999999999999999}, "household"),
        ({"household": "1e3"}, "household"),
        ({"fundings": [{"source": "own", "amount": 1}] * 51}, "fundings"),
    ],
)
def test_a_bad_plan_is_refused_and_nothing_changes(projects, overrides, rule_or_field):
    household = listed_household(projects.cast)
    code, body = refusal(api(projects.officer), reverse(LIST), plan_body(household, **overrides))
    assert code == 400
    assert body.get("rule") == rule_or_field or rule_or_field in body.get("errors", {}), body


def test_a_second_plan_under_way_for_the_household_is_a_409(projects):
    code, body = refusal(api(projects.officer), reverse(LIST), plan_body(projects.household))
    assert (code, body["rule"]) == (409, "has_plan")


def test_another_communes_household_is_unknown(projects):
    household = listed_household(projects.cast)
    code, body = refusal(api(projects.cast.other_commune_officer), reverse(LIST), plan_body(household))
    assert (code, list(body["errors"])) == (400, ["household"])


# --- Reviews ------------------------------------------------------------------------------------------------


def test_reviews_follow_the_household_and_a_fall_back_needs_an_escape_before(projects):
    plan = projects.approved_plan()
    client = api(projects.officer)
    url = reverse("api:poverty-plan-reviews", args=[plan.pk])
    code, body = refusal(client, url, {"year": 2025, "result": "fell_back"})
    assert (code, body["rule"]) == (400, "not_escaped")
    assert (
        client.post(url, {"year": 2025, "result": "escaped", "on": "2025-12-20"}, format="json").status_code
        == 201
    )
    assert client.post(url, {"year": 2026, "result": "fell_back"}, format="json").status_code == 201
    code, body = refusal(client, url, {"year": 2026, "result": "still_poor"})
    assert (code, body["rule"]) == (409, "reviewed")
    code, body = refusal(client, url, {"year": 1999, "result": "still_poor"})
    assert (code, list(body["errors"])) == (400, ["year"])
    listed = client.get(url).json()
    assert [(review["year"], review["result"]) for review in listed] == [
        (2025, "escaped"),
        (2026, "fell_back"),
    ]
    detail = client.get(reverse(DETAIL, args=[plan.pk])).json()
    assert [review["result"] for review in detail["reviews"]] == ["escaped", "fell_back"]


def test_a_draft_is_not_reviewed(projects):
    code, body = refusal(
        api(projects.officer),
        reverse("api:poverty-plan-reviews", args=[projects.plan.pk]),
        {"year": 2025, "result": "escaped"},
    )
    assert (code, body["rule"]) == (409, "not_approved")


# --- Query counts -------------------------------------------------------------------------------------------

N = 3


def add_plans(projects: Projects, count: int) -> None:
    for number in range(count):
        household = listed_household(projects.cast, code=f"SD-2025-{100 + number:03d}")
        plans.open_plan(
            by=projects.officer,
            household=household,
            name=f"Kế hoạch {number}",
            sector="A",
            on=D(2026, 11, 1),
            livelihood="poultry",
            description="Nuôi gà",
            budget_total=3_000_000,
            expected_monthly_income=900_000,
            starts_on=D(2026, 12, 1),
            ends_on=D(2027, 12, 1),
        )


@pytest.mark.parametrize("rows", [N, 10 * N])
def test_the_list_reads_a_fixed_number_of_queries(projects, django_assert_num_queries, rows):
    add_plans(projects, rows)
    client = api(projects.cast.council_member)
    # the count for the paginator, the page's ids in order, its plans with their project, household and unit
    with django_assert_num_queries(TOKEN_SIGNED_IN + 3):
        response = client.get(reverse(LIST), {"page_size": 200})
    assert response.json()["count"] == rows + 1


def test_the_list_is_the_latest_start_first_page_after_page(projects):
    """The pages' ids are read in order and their plans after: each page holds its plans in that order."""
    add_plans(projects, 4)
    starts = [D(2026, 12, 1), D(2027, 3, 1), D(2026, 12, 1), D(2026, 6, 1), D(2027, 1, 1)]
    for plan, day in zip(PovertyPlan.objects.order_by("pk"), starts, strict=True):
        PovertyPlan.objects.filter(pk=plan.pk).update(starts_on=day)
    expected = list(PovertyPlan.objects.order_by("-starts_on", "-pk").values_list("pk", flat=True))
    client = api(projects.cast.council_member)
    found = []
    for page in (1, 2, 3):
        found += [
            row["id"] for row in client.get(reverse(LIST), {"page_size": 2, "page": page}).json()["results"]
        ]
    assert found == expected and len(found) == 5
