"""Success models and their replications in the API: proposed by the standing agency, confirmed by the
council, copied by later projects.

The role × route rows of these routes are in ``API_MODEL_ROWS`` below.
"""

import datetime

import pytest
from django.urls import reverse

from dossiers.services.applicants import Person
from portal.models import AuditRecord
from projects.models import Project, SuccessModel
from projects.services import projects as project_services
from projects.services import showcase
from tests.conftest import Cast
from tests.portal.api_helpers import api
from tests.projects.fixtures import *  # noqa: F403 (the projects and media_root fixtures)
from tests.projects.fixtures import Projects
from tests.projects.test_api_projects import API_PROJECT_READERS, TOKEN_SIGNED_IN, world
from tests.role_table import Row, everyone

pytestmark = pytest.mark.django_db

D = datetime.date
LIST = "api:success-model-list"
DETAIL = "api:success-model-detail"
# Who sees the startup's project sees its model; among them only the council decides it.
API_MODEL_DECIDERS = {role: 403 if code == 200 else code for role, code in API_PROJECT_READERS.items()} | {
    "council_member": 200
}


def operating(cast: Cast) -> Project:
    """The startup, moved on to operating (once)."""
    world_ = world(cast)
    if Project.objects.get(pk=world_.startup.pk).stage == "operating":
        return world_.startup
    project = project_services.move_stage(
        project=world_.startup, to="started", by=world_.officer, on=D(2025, 1, 2)
    )
    return project_services.move_stage(project=project, to="operating", by=world_.officer, on=D(2025, 6, 2))


def proposed(cast: Cast) -> SuccessModel:
    return showcase.propose_model(
        project=operating(cast),
        by=cast.standing_officer,
        on=D(2026, 1, 10),
        title="Trà mãng cầu sấy lạnh",
        yearly_revenue=1_200_000_000,
        jobs=6,
        years_operating=2,
        evidence="Doanh thu tăng đều, 6 lao động nữ",
    )


def confirmed(cast: Cast) -> SuccessModel:
    return showcase.decide_model(model=proposed(cast), by=cast.council_member, confirm=True, on=D(2026, 2, 1))


def later_project(
    cast: Cast, name: str = "Trà mãng cầu Sơn Quy", national_id: str = "083096001234"
) -> Project:
    return project_services.register_project(
        by=cast.commune_officer,
        founders=[Person(full_name="Lê Văn Sau", national_id=national_id)],
        address="Ấp Sơn Quy",
        on=D(2026, 3, 1),
        name=name,
        kind="household_business",
        sector="C",
        unit=cast.units.commune,
        stage="plan",
    )


def model_url(name: str, make=proposed):
    return lambda cast: reverse(f"api:success-model-{name}", args=[make(cast).pk])


def list_url(cast: Cast) -> str:
    world(cast)
    return reverse(LIST)


def propose_body(cast: Cast) -> dict:
    return {
        "project": operating(cast).pk,
        "title": "Trà mãng cầu sấy lạnh",
        "yearly_revenue": 1_200_000_000,
        "jobs": 6,
        "years_operating": 2,
        "evidence": "Doanh thu tăng đều",
        "public_consent": True,
    }


API_MODEL_ROWS: dict[str, Row] = {
    LIST: Row("get", list_url, everyone(200, anonymous=403)),
    f"{LIST}:post": Row("post", list_url, everyone(403, standing_officer=201), data=propose_body),
    DETAIL: Row("get", model_url("detail"), API_PROJECT_READERS),
    "api:success-model-decide": Row(
        "post", model_url("decide"), API_MODEL_DECIDERS, data=lambda cast: {"confirm": True}
    ),
    "api:success-model-replications": Row("get", model_url("replications", confirmed), API_PROJECT_READERS),
    # The keepers of the later project's commune record it; the council and the fund see both and get 403;
    # the founder of the model's project does not see the later project (400).
    "api:success-model-replications:post": Row(
        "post",
        model_url("replications", confirmed),
        API_PROJECT_READERS | {"council_member": 403, "fund_officer": 403, "applicant": 400},
        data=lambda cast: {"project": later_project(cast).pk, "on": "2026-11-17"},
    ),
}


def state():
    return (
        sorted(SuccessModel.objects.values_list("pk", "status", "decided_on")),
        sorted(Project.objects.values_list("pk", "replicates_id", "replicates_since")),
        AuditRecord.objects.count(),
    )


@pytest.mark.parametrize("role", Cast.ROLES)
@pytest.mark.parametrize("route_name", sorted(API_MODEL_ROWS))
def test_role_gets_the_expected_answer(cast, media_root, role, route_name):
    row = API_MODEL_ROWS[route_name]
    url, data = row.url(cast), row.data(cast)
    before = state()
    response = getattr(api(getattr(cast, role)), row.method)(url, data, format="json")
    assert response.status_code == row.expected[role], f"{role} {row.method.upper()} {url}: {response.json()}"
    if row.method != "get" and response.status_code >= 400:
        assert state() == before, "a refused write changed something"


def refusal(client, url: str, data: dict):
    before = state()
    response = client.post(url, data, format="json")
    assert state() == before, "a refused write changed something"
    return response.status_code, response.json()


def test_a_model_is_proposed_confirmed_and_replicated(projects):
    cast = projects.cast
    response = api(cast.standing_officer).post(reverse(LIST), propose_body(cast), format="json")
    assert response.status_code == 201, response.json()
    model = response.json()
    assert (model["status"], model["proposed_on"], model["consent_recorded_on"], model["decided_on"]) == (
        "proposed",
        "2026-11-18",
        "2026-11-18",
        None,
    )
    decided = api(cast.council_member).post(
        reverse("api:success-model-decide", args=[model["id"]]),
        {"confirm": True, "on": "2026-11-18"},
        format="json",
    )
    assert (decided.status_code, decided.json()["status"], decided.json()["decided_by"]["id"]) == (
        200,
        "confirmed",
        cast.council_member.pk,
    )
    later = later_project(cast)
    url = reverse("api:success-model-replications", args=[model["id"]])
    answer = api(projects.officer).post(url, {"project": later.pk}, format="json")
    assert (answer.status_code, answer.json()["replications"]) == (200, 1)
    assert Project.objects.get(pk=later.pk).replicates_id == model["id"]
    listed = api(cast.council_member).get(url).json()
    assert [(row["id"], row["replicates"]) for row in listed["results"]] == [(later.pk, model["id"])]
    assert api(cast.applicant).get(url).json()["results"] == []  # the later project is not the applicant's


def test_the_refusals_of_the_rules(projects):
    cast = projects.cast
    client = api(cast.standing_officer)
    body = propose_body(cast) | {"project": projects.other_startup.pk}
    code, answer = refusal(client, reverse(LIST), body)
    assert (code, answer["rule"]) == (409, "not_proven")
    code, answer = refusal(client, reverse(LIST), propose_body(cast) | {"yearly_revenue": -1})
    assert (code, list(answer["errors"])) == (400, ["yearly_revenue"])
    code, answer = refusal(client, reverse(LIST), propose_body(cast) | {"yearly_revenue": 0.5})
    assert (code, list(answer["errors"])) == (400, ["yearly_revenue"])
    model = proposed(cast)
    later = later_project(cast, name="Dự án khác", national_id="083096004321")
    code, answer = refusal(
        api(projects.officer),
        reverse("api:success-model-replications", args=[model.pk]),
        {"project": later.pk},
    )
    assert (code, answer["rule"]) == (400, "not_confirmed")
    decide = reverse("api:success-model-decide", args=[model.pk])
    code, answer = refusal(api(cast.council_member), decide, {"confirm": False})
    assert (code, answer["rule"]) == (400, "note")
    code, answer = refusal(api(cast.council_member), decide, {"confirm": "maybe"})
    assert (code, list(answer["errors"])) == (400, ["confirm"])
    assert (
        api(cast.council_member)
        .post(decide, {"confirm": False, "note": "Chưa đủ 3 năm"}, format="json")
        .status_code
        == 200
    )
    code, answer = refusal(api(cast.council_member), decide, {"confirm": True})
    assert (code, answer["rule"]) == (409, "decided")


def test_another_communes_model_is_a_404(projects):
    model = proposed(projects.cast)
    client = api(projects.cast.other_commune_officer)
    assert client.get(reverse(DETAIL, args=[model.pk])).status_code == 404
    assert client.get(reverse("api:success-model-replications", args=[model.pk])).status_code == 404


def test_the_list_filters_by_status(projects):
    model = proposed(projects.cast)
    client = api(projects.cast.council_member)
    assert [row["id"] for row in client.get(reverse(LIST), {"status": "proposed"}).json()["results"]] == [
        model.pk
    ]
    assert client.get(reverse(LIST), {"status": "confirmed"}).json()["results"] == []
    response = api(projects.officer, language="vi").get(reverse(LIST), {"status": "great"})
    assert (response.status_code, list(response.json()["errors"])) == (400, ["status"])


# --- Query counts -----------------------------------------------------------------------------------------

N = 2


def add_models(projects: Projects, count: int) -> None:
    cast = projects.cast
    for number in range(count):
        project = later_project(cast, name=f"Dự án {number}", national_id=f"0830970{number:05d}")
        for stage in ("started", "operating"):
            project = project_services.move_stage(
                project=project, to=stage, by=projects.officer, on=D(2026, 4, 1)
            )
        showcase.propose_model(
            project=project,
            by=cast.standing_officer,
            on=D(2026, 5, 1),
            title=f"Mô hình {number}",
            yearly_revenue=100_000_000,
            jobs=2,
            years_operating=1,
            evidence="Hiệu quả",
        )


@pytest.mark.parametrize("rows", [N, 10 * N])
def test_the_list_reads_a_fixed_number_of_queries(projects, django_assert_num_queries, rows):
    add_models(projects, rows)
    client = api(projects.cast.council_member)
    # the count for the paginator, the page of models with their project, people and replications counted
    with django_assert_num_queries(TOKEN_SIGNED_IN + 2):
        response = client.get(reverse(LIST), {"page_size": 200})
    assert response.json()["count"] == rows
