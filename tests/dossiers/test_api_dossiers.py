"""The one-stop shop in the API: scope per role, the procedures, starting a dossier.

The role × route rows of these routes are in ``API_DOSSIER_ROWS`` below, run here the way
the shared table in tests/portal/test_role_routes.py runs its own. The transitions are in
test_api_dossier_transitions.py; documents, inquiries and the public lookup in
test_api_dossier_documents.py; filters, personal data and query counts in test_api_dossier_reads.py.
"""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from rest_framework.test import APIClient

from dossiers.models import Dossier, Procedure, ProcedureVersion
from portal.models import AuditRecord
from portal.models.people import today
from tests.conftest import Cast
from tests.dossiers.api_helpers import *  # noqa: F403 (the isolated fixture)
from tests.dossiers.api_helpers import (
    NEW_DUE_DATE,
    PROCEDURE_CODE,
    Status,
    api,
    applicant_of,
    catalogue,
    copy_requirement,
    ids,
    make_dossier,
    make_inquiry,
    plan_requirement,
    state,
    upload,
    walk_in,
)
from tests.factories import MembershipFactory, UserFactory
from tests.portal.api_helpers import malformed, refused
from tests.role_table import Row, everyone

# --- Role × route --------------------------------------------------------------------------------------

API_SIGNED_IN_ONLY = everyone(200, anonymous=403)
# A dossier of the commune: the province-wide roles, the district above, the commune and its applicant see it.
DOSSIER_READERS = everyone(
    404,
    anonymous=403,
    council_member=200,
    standing_officer=200,
    fund_officer=200,
    district_officer=200,
    commune_officer=200,
    applicant=200,
)


def dossier_processors(status: int) -> dict[str, int]:
    """The standing agency and the handling (commune) team process; other readers get 403, the council
    among them (it oversees and processes nothing)."""
    return DOSSIER_READERS | {
        "council_member": 403,
        "standing_officer": status,
        "commune_officer": status,
        "fund_officer": 403,
        "district_officer": 403,
        "applicant": 403,
    }


def dossier_applicant(status: int) -> dict[str, int]:
    """Only the applicant (or the officer who filed for them) acts as the applicant; other readers get 403."""
    return {role: 403 if expected == 200 else expected for role, expected in DOSSIER_READERS.items()} | {
        "applicant": status
    }


def draft_applicant(status: int) -> dict[str, int]:
    """A draft is its applicant's until filed: to every official, in scope or not, it is 404."""
    return everyone(404, anonymous=403, applicant=status)


def dossier_url(name: str, state_name: str, **build):
    return lambda cast: reverse(f"api:dossier-{name}", args=[make_dossier(cast, state_name, **build).pk])


def review_url(cast: Cast) -> str:
    dossier = make_dossier(cast, "received")
    return reverse("api:dossier-review-document", args=[dossier.pk, dossier.documents.get().pk])


# Rows of a second method on a route are named "<route>:<method>".
API_DOSSIER_ROWS: dict[str, Row] = {
    "api:procedure-list": Row("get", lambda cast: reverse("api:procedure-list"), API_SIGNED_IN_ONLY),
    "api:procedure-detail": Row(
        "get",
        lambda cast: reverse("api:procedure-detail", args=[catalogue().procedure_id]),
        API_SIGNED_IN_ONLY,
    ),
    "api:dossier-list": Row("get", lambda cast: reverse("api:dossier-list"), API_SIGNED_IN_ONLY),
    "api:dossier-detail": Row("get", dossier_url("detail", "received"), DOSSIER_READERS),
    # Filing for a person of the commune who has no account: whoever may write in the commune may;
    # for anyone else (the council, which writes nowhere, too) the applicant's id is as unknown as an
    # id that does not exist.
    "api:dossier-list:post": Row(
        "post",
        lambda cast: reverse("api:dossier-list"),
        everyone(
            400,
            anonymous=403,
            standing_officer=201,
            fund_officer=201,
            district_officer=201,
            commune_officer=201,
        ),
        lambda cast: {
            "procedure": catalogue().procedure.code,
            "applicant": walk_in(cast).pk,
            "summary": "Xin hỗ trợ",
        },
    ),
    "api:dossier-submit": Row("post", dossier_url("submit", "draft"), draft_applicant(200)),
    "api:dossier-receive": Row("post", dossier_url("receive", "new"), dossier_processors(200)),
    "api:dossier-refuse": Row(
        "post", dossier_url("refuse", "new"), dossier_processors(200), lambda cast: {"reason": "Sai thủ tục"}
    ),
    "api:dossier-start": Row("post", dossier_url("start", "received"), dossier_processors(200)),
    "api:dossier-request-supplement": Row(
        "post",
        dossier_url("request-supplement", "in_progress"),
        dossier_processors(200),
        lambda cast: {"missing": [plan_requirement().pk], "note": "Kế hoạch thiếu phần tài chính"},
    ),
    "api:dossier-supply-supplement": Row(
        "post", dossier_url("supply-supplement", "supplement_requested"), dossier_applicant(200)
    ),
    "api:dossier-request-payment": Row(
        "post",
        dossier_url("request-payment", "in_progress"),
        dossier_processors(200),
        lambda cast: {"note": "Lệ phí 100.000 ₫"},
    ),
    "api:dossier-confirm-payment": Row(
        "post", dossier_url("confirm-payment", "payment_requested"), dossier_processors(200)
    ),
    "api:dossier-withdraw": Row(
        "post", dossier_url("withdraw", "received"), dossier_applicant(200), lambda cast: {"reason": "Đổi ý"}
    ),
    "api:dossier-stop": Row(
        "post", dossier_url("stop", "in_progress"), dossier_processors(200), lambda cast: {"reason": "Ngừng"}
    ),
    "api:dossier-complete": Row(
        "post",
        dossier_url("complete", "in_progress"),
        dossier_processors(200),
        lambda cast: {"result": "Đồng ý"},
    ),
    "api:dossier-return-result": Row("post", dossier_url("return-result", "done"), dossier_processors(200)),
    "api:dossier-apologise": Row(
        "post",
        dossier_url("apologise", "in_progress"),
        dossier_processors(200),
        lambda cast: {"new_due_date": NEW_DUE_DATE, "reason": "Chờ ý kiến sở"},
    ),
    "api:dossier-rate": Row(
        "post", dossier_url("rate", "result_returned"), dossier_applicant(200), lambda cast: {"rating": 5}
    ),
    "api:dossier-documents": Row("get", dossier_url("documents", "received"), DOSSIER_READERS),
    "api:dossier-documents:post": Row(
        "post",
        dossier_url("documents", "draft", with_document=False),
        draft_applicant(201),
        lambda cast: {"requirement": plan_requirement().pk, "file": upload()},
    ),
    "api:dossier-review-document": Row(
        "post",
        review_url,
        dossier_processors(200),
        lambda cast: {"decision": "accept"},
    ),
    "api:inquiry-list": Row("get", lambda cast: reverse("api:inquiry-list"), API_SIGNED_IN_ONLY),
    "api:inquiry-detail": Row(
        "get", lambda cast: reverse("api:inquiry-detail", args=[make_inquiry(cast).pk]), DOSSIER_READERS
    ),
    # Raising names the dossier in the body: one outside the caller's scope is as unknown as none.
    "api:inquiry-list:post": Row(
        "post",
        lambda cast: reverse("api:inquiry-list"),
        dossier_applicant(201)
        | {
            "other_district_officer": 400,
            "other_commune_officer": 400,
            "other_applicant": 400,
            "mentor": 400,
        },
        lambda cast: {"dossier": make_dossier(cast, "received").pk, "question": "Mẫu nào?"},
    ),
    "api:inquiry-reply": Row(
        "post",
        lambda cast: reverse("api:inquiry-reply", args=[make_inquiry(cast).pk]),
        dossier_processors(200),
        lambda cast: {"reply": "Dùng mẫu số 2"},
    ),
    # Public: anyone holding the code and the four digits reads the status.
    "api:lookup": Row(
        "post",
        lambda cast: reverse("api:lookup"),
        everyone(200),
        lambda cast: {"code": make_dossier(cast, "received").code, "phone_last_four": "5678"},
    ),
}


def test_every_new_api_route_has_a_row():
    from tests.routes import all_routes

    new_routes = {
        route.name
        for route in all_routes()
        if route.name.startswith(("api:procedure", "api:dossier", "api:inquiry", "api:lookup"))
    }
    assert {name.removesuffix(":post") for name in API_DOSSIER_ROWS} == new_routes


@pytest.mark.parametrize("role", Cast.ROLES)
@pytest.mark.parametrize("route_name", sorted(API_DOSSIER_ROWS))
def test_role_gets_the_expected_answer(cast, login, role, route_name):
    row = API_DOSSIER_ROWS[route_name]
    client = login(getattr(cast, role))
    url, data = row.url(cast), row.data(cast)
    before = state()
    response = getattr(client, row.method)(url, data)
    assert response.status_code == row.expected[role], (
        f"{role} {row.method.upper()} {url}: {response.content}"
    )
    if row.method == "post" and response.status_code >= 400:
        assert state() == before, "a refused write changed something"


# --- What each role sees -----------------------------------------------------------------------------------


@pytest.fixture
def three_dossiers(cast):
    """The applicant's dossier and a walk-in's (commune), and the other applicant's (other commune)."""
    own = make_dossier(cast, "received")
    walk_in_dossier = make_dossier(cast, "in_progress", applicant=walk_in(cast))
    other = make_dossier(cast, "received", applicant=applicant_of(cast, "other_applicant"))
    return {"own": own, "walk_in": walk_in_dossier, "other": other}


SEES = {
    "council_member": {"own", "walk_in", "other"},
    "standing_officer": {"own", "walk_in", "other"},
    "fund_officer": {"own", "walk_in", "other"},
    "district_officer": {"own", "walk_in"},
    "other_district_officer": {"other"},
    "commune_officer": {"own", "walk_in"},
    "other_commune_officer": {"other"},
    "applicant": {"own"},
    "other_applicant": {"other"},
}


@pytest.mark.parametrize("role", sorted(SEES))
def test_each_role_sees_exactly_its_dossiers_and_inquiries(cast, three_dossiers, role):
    inquiries = {name: make_inquiry(cast, dossier) for name, dossier in three_dossiers.items()}
    client = api(getattr(cast, role))
    dossiers = client.get(reverse("api:dossier-list"))
    assert ids(dossiers) == {three_dossiers[name].pk for name in SEES[role]}
    assert dossiers.json()["count"] == len(SEES[role])
    assert ids(client.get(reverse("api:inquiry-list"))) == {inquiries[name].pk for name in SEES[role]}
    for name, dossier in three_dossiers.items():
        expected = 200 if name in SEES[role] else 404
        assert client.get(reverse("api:dossier-detail", args=[dossier.pk])).status_code == expected
        assert client.get(reverse("api:dossier-documents", args=[dossier.pk])).status_code == expected
        assert client.get(reverse("api:inquiry-detail", args=[inquiries[name].pk])).status_code == expected


def test_outside_scope_is_not_found_in_vietnamese_by_default(cast, three_dossiers):
    response = api(cast.other_commune_officer, language=None).post(
        reverse("api:dossier-receive", args=[three_dossiers["own"].pk])
    )
    assert (response.status_code, response.json()) == (404, refused("Không tìm thấy.", code="not_found"))


def test_session_writes_need_the_csrf_token(cast):
    dossier = make_dossier(cast, "new")
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(cast.commune_officer)
    before = state()
    assert client.post(reverse("api:dossier-receive", args=[dossier.pk])).status_code == 403
    assert state() == before


def test_the_applicant_of_a_walk_in_is_the_officer_who_filed(cast):
    """An officer who filed for a person without an account acts for them, in the person's place; to a
    colleague of the same team the draft does not exist until it is filed."""
    dossier = make_dossier(cast, "draft", applicant=walk_in(cast))
    colleague = MembershipFactory(team=cast.teams.commune, user=UserFactory()).user
    assert api(colleague).post(reverse("api:dossier-submit", args=[dossier.pk])).status_code == 404
    response = api(cast.commune_officer).post(reverse("api:dossier-submit", args=[dossier.pk]))
    assert (response.status_code, response.json()["status"]) == (200, "new")


# --- Procedures ----------------------------------------------------------------------------------------


def test_procedures_show_the_version_in_force_with_its_requirements(cast):
    version = catalogue()
    ProcedureVersion.objects.create(
        procedure=version.procedure,
        number=2,
        effective_from=today() + datetime.timedelta(days=30),
        statutory_working_days=5,
    )
    Procedure.objects.create(
        code="da-dong",
        name="Thủ tục đã đóng",
        audience="startup",
        handling_team_kind="commune_team",
        is_open=False,
    )
    response = api(cast.applicant).get(reverse("api:procedure-list"))
    plan, copy = plan_requirement(), copy_requirement()
    assert response.json()["results"] == [
        {
            "id": version.procedure_id,
            "code": PROCEDURE_CODE,
            "name": "Hỗ trợ dự án khởi nghiệp",
            "description": "",
            "audience": "startup",
            "handling_team_kind": "commune_team",
            "current_version": {
                "id": version.pk,
                "number": 1,
                "effective_from": "2024-01-01",
                "statutory_working_days": 10,
                "legal_basis": "",
                "requirements": [
                    {
                        "id": plan.pk,
                        "document_kind": "ke-hoach-kinh-doanh",
                        "name": "Kế hoạch kinh doanh",
                        "description": "",
                        "is_mandatory": True,
                        "note": "",
                        "position": 1,
                    },
                    {
                        "id": copy.pk,
                        "document_kind": "ban-sao-cccd",
                        "name": "Bản sao CCCD",
                        "description": "",
                        "is_mandatory": False,
                        "note": "",
                        "position": 2,
                    },
                ],
            },
        }
    ]
    closed = Procedure.objects.get(code="da-dong")
    assert api(cast.applicant).get(reverse("api:procedure-detail", args=[closed.pk])).status_code == 404


# --- Starting a dossier --------------------------------------------------------------------------------


def test_applicant_starts_a_draft_and_nothing_in_the_body_decides_owner_unit_or_status(cast):
    catalogue()
    own = applicant_of(cast)
    other = applicant_of(cast, "other_applicant")
    response = api(cast.applicant).post(
        reverse("api:dossier-list"),
        {
            "procedure": PROCEDURE_CODE,
            "summary": "Mở rộng xưởng",
            "status": "done",
            "unit": cast.units.other_commune.pk,
            "filed_by": cast.council_member.pk,
            "handling_team": cast.teams.other_commune.pk,
            "code": "HS-AAAA-AAAA",
            "channel": "post",
            "rating": 5,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    dossier = Dossier.objects.get()
    assert response.json()["id"] == dossier.pk
    assert (dossier.status, dossier.is_draft, dossier.applicant, dossier.unit, dossier.filed_by) == (
        Status.NEW,
        True,
        own,
        cast.units.commune,
        cast.applicant,
    )
    assert (dossier.handling_team, dossier.channel, dossier.rating, dossier.summary) == (
        cast.teams.commune,
        Dossier.Channel.ONLINE,
        None,
        "Mở rộng xưởng",
    )
    assert dossier.code != "HS-AAAA-AAAA"
    # Naming another person's record is refused, and changes nothing.
    before = state()
    response = api(cast.applicant).post(
        reverse("api:dossier-list"), {"procedure": PROCEDURE_CODE, "applicant": other.pk}, format="json"
    )
    assert (response.status_code, response.json()) == (
        400,
        malformed({"applicant": ["There is no applicant with this id that you may file for."]}),
    )
    assert state() == before


def test_officer_files_for_an_applicant_in_scope_only(cast):
    catalogue()
    person = walk_in(cast)
    before = state()
    outside = api(cast.other_commune_officer).post(
        reverse("api:dossier-list"), {"procedure": PROCEDURE_CODE, "applicant": person.pk}, format="json"
    )
    assert (outside.status_code, outside.json()) == (
        400,
        malformed({"applicant": ["There is no applicant with this id that you may file for."]}),
    )
    assert state() == before
    response = api(cast.commune_officer).post(
        reverse("api:dossier-list"),
        {"procedure": PROCEDURE_CODE, "applicant": person.pk, "channel": "post"},
        format="json",
    )
    assert response.status_code == 201
    dossier = Dossier.objects.get()
    assert (dossier.applicant, dossier.filed_by, dossier.unit, dossier.channel) == (
        person,
        cast.commune_officer,
        cast.units.commune,
        Dossier.Channel.POST,
    )
    record = AuditRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(Dossier), object_id=str(dossier.pk), action="create"
    ).get()
    assert (record.actor, record.channel) == (cast.commune_officer, "api")


@pytest.mark.parametrize(
    ("role", "body", "status", "expected"),
    [
        (
            "commune_officer",
            {"procedure": PROCEDURE_CODE},
            400,
            malformed({"applicant": ["Name the applicant this dossier is for."]}),
        ),
        (
            "applicant",
            {"procedure": "khong-co"},
            400,
            malformed({"procedure": ["There is no procedure with the code “khong-co”."]}),
        ),
        ("applicant", {}, 400, malformed({"procedure": ["This field is required."]})),
        # The body is right; the procedure's state refuses it.
        (
            "applicant",
            {"procedure": "da-dong"},
            409,
            refused("This procedure is not open for filing.", code="conflict"),
        ),
    ],
    ids=["officer names nobody", "unknown procedure", "no procedure", "closed procedure"],
)
def test_start_refusals_say_why_and_change_nothing(cast, role, body, status, expected):
    catalogue()
    applicant_of(cast)
    closed = Procedure.objects.create(
        code="da-dong", name="Đã đóng", audience="startup", handling_team_kind="commune_team", is_open=False
    )
    ProcedureVersion.objects.create(
        procedure=closed, number=1, effective_from=datetime.date(2024, 1, 1), statutory_working_days=3
    )
    before = state()
    response = api(getattr(cast, role)).post(reverse("api:dossier-list"), body, format="json")
    assert (response.status_code, response.json()) == (status, expected)
    assert state() == before


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_dossier_is_never_updated_or_deleted_directly(cast, method):
    dossier = make_dossier(cast, "in_progress")
    before = state()
    response = getattr(api(cast.council_member), method)(
        reverse("api:dossier-detail", args=[dossier.pk]),
        {"status": "done", "result": "Đồng ý"},
        format="json",
    )
    assert response.status_code == 405
    assert state() == before
