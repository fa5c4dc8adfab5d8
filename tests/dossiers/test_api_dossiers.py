"""The one-stop shop in the API: scope per role, every transition, documents, inquiries, masking, lookup.

The role × route rows of these routes are in ``API_DOSSIER_ROWS`` below, run here the way
the shared table in tests/portal/test_role_routes.py runs its own.
"""

import datetime

import pytest
import yaml
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from dossiers import lookup
from dossiers.models import (
    Applicant,
    Document,
    DocumentKind,
    Dossier,
    DossierDocument,
    DossierEvent,
    Inquiry,
    Procedure,
    ProcedureVersion,
    Requirement,
    SupplementRequest,
)
from portal.models import AuditRecord, Notification, Team
from portal.models.people import today
from tests.conftest import SUITE_START, Cast
from tests.factories import MembershipFactory, UserFactory
from tests.role_table import Row, everyone

Status = Dossier.Status
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PHONE = "0912 345 678"
NATIONAL_ID = "083095001234"


@pytest.fixture(autouse=True)
def isolated(settings, tmp_path):
    """Uploads go to a temporary folder; the lookup's counters start empty."""
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    yield
    cache.clear()


def api(user=None, *, language: str | None = "en") -> APIClient:
    """A client with a token (anonymous for None), in English unless told, so refusals can be compared."""
    client = APIClient()
    if user is not None:
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    if language is not None:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def ids(response) -> set[int]:
    body = response.json()
    return {row["id"] for row in (body["results"] if isinstance(body, dict) else body)}


# --- Builders (plain functions of the cast, so that the role × route rows can use them) --------------------

PROCEDURE_CODE = "ho-tro-du-an-khoi-nghiep"


def catalogue() -> ProcedureVersion:
    """The procedure the tests file under: a business plan (mandatory) and a CCCD copy (optional)."""
    procedure, created = Procedure.objects.get_or_create(
        code=PROCEDURE_CODE,
        defaults={
            "name": "Hỗ trợ dự án khởi nghiệp",
            "audience": Procedure.Audience.STARTUP,
            "handling_team_kind": Team.Kind.COMMUNE_TEAM,
        },
    )
    if created:
        version = ProcedureVersion.objects.create(
            procedure=procedure, number=1, effective_from=datetime.date(2024, 1, 1), statutory_working_days=10
        )
        plan = DocumentKind.objects.create(code="ke-hoach-kinh-doanh", name="Kế hoạch kinh doanh")
        copy = DocumentKind.objects.create(code="ban-sao-cccd", name="Bản sao CCCD")
        Requirement.objects.create(version=version, document_kind=plan, position=1)
        Requirement.objects.create(version=version, document_kind=copy, is_mandatory=False, position=2)
    return procedure.versions.get(number=1)


def plan_requirement() -> Requirement:
    return catalogue().requirements.get(document_kind__code="ke-hoach-kinh-doanh")


def copy_requirement() -> Requirement:
    return catalogue().requirements.get(document_kind__code="ban-sao-cccd")


def applicant_of(cast: Cast, role: str = "applicant") -> Applicant:
    """The record of ``applicant`` (in the commune) or of ``other_applicant`` (in the other commune)."""
    user = getattr(cast, role)
    applicant, _created = Applicant.objects.get_or_create(
        user=user,
        defaults={
            "full_name": user.full_name,
            "national_id": NATIONAL_ID,
            "phone": PHONE,
            "address": "Ấp Phú Hữu",
            "unit": cast.units.commune if role == "applicant" else cast.units.other_commune,
            "consent_at": timezone.now(),
        },
    )
    return applicant


def walk_in(cast: Cast) -> Applicant:
    """A person of the commune without an account, whom an officer files for."""
    applicant, _created = Applicant.objects.get_or_create(
        full_name="Trương Thị Đến Quầy",
        defaults={
            "national_id": "083190005678",
            "phone": "0987654321",
            "address": "Ấp Hòa Khánh",
            "unit": cast.units.commune,
            "consent_at": timezone.now(),
        },
    )
    return applicant


def give_document(dossier: Dossier, requirement: Requirement, *, by) -> DossierDocument:
    document = Document.objects.create(
        applicant=dossier.applicant,
        kind=requirement.document_kind,
        file=ContentFile(PDF, name="tai-lieu.pdf"),
        original_name="ke-hoach.pdf",
        content_type="application/pdf",
        size=len(PDF),
        uploaded_by=by,
    )
    return DossierDocument.objects.create(dossier=dossier, requirement=requirement, document=document)


STATES = [
    "draft",
    "new",
    "received",
    "not_received",
    "in_progress",
    "supplement_requested",
    "payment_requested",
    "withdrawn",
    "stopped",
    "done",
    "result_returned",
]
DUE_IN_DAYS = 7


def make_dossier(
    cast: Cast, state: str = "new", *, applicant: Applicant | None = None, with_document: bool = True
) -> Dossier:
    """A dossier as it stands in ``state`` ("draft" is a new dossier not yet filed), built directly."""
    version = catalogue()
    applicant = applicant or applicant_of(cast)
    in_commune = applicant.unit_id == cast.units.commune.pk
    now = timezone.now()
    fields = {}
    if state != "draft":
        fields["submitted_at"] = now
    if state not in {"draft", "new", "not_received"}:
        fields |= {"received_at": now, "due_date": today() + datetime.timedelta(days=DUE_IN_DAYS)}
    if state == "supplement_requested":
        fields["paused_on"] = today()
    if state in {"not_received", "withdrawn", "stopped"}:
        fields["closing_reason"] = "Lý do"
    if state in {"done", "result_returned"}:
        fields |= {"decided_at": now, "result": "Đồng ý hỗ trợ"}
    if state == "result_returned":
        fields["result_returned_at"] = now
    dossier = Dossier.objects.create(
        procedure=version.procedure,
        procedure_version=version,
        applicant=applicant,
        filed_by=applicant.user or cast.commune_officer,
        unit=applicant.unit,
        handling_team=cast.teams.commune if in_commune else cast.teams.other_commune,
        status=Status.NEW if state == "draft" else state,
        summary="Vay vốn mở rộng xưởng kẹo dừa",
        **fields,
    )
    if with_document:
        give_document(dossier, plan_requirement(), by=dossier.filed_by)
    if state == "supplement_requested":
        supplement = SupplementRequest.objects.create(
            dossier=dossier, round=1, requested_by=cast.commune_officer, note="Bổ sung kế hoạch"
        )
        supplement.missing.set([plan_requirement()])
    return dossier


def make_inquiry(cast: Cast, dossier: Dossier | None = None, **fields) -> Inquiry:
    dossier = dossier or make_dossier(cast, "received")
    defaults = {
        "raised_by": dossier.filed_by,
        "question": "Chưa rõ mẫu kế hoạch kinh doanh",
        "team": dossier.handling_team,
        "reply_due": today() + datetime.timedelta(days=5),
    }
    return Inquiry.objects.create(dossier=dossier, **(defaults | fields))


def state() -> dict:
    """Everything a write could change."""
    models = (Dossier, DossierEvent, SupplementRequest, DossierDocument, Document, Inquiry, Applicant)
    return {
        **{model.__name__: list(model.objects.order_by("pk").values()) for model in models},
        "supplement_missing": sorted(SupplementRequest.missing.through.objects.values_list("pk", flat=True)),
        "notifications": Notification.objects.count(),
        "audit_records": AuditRecord.objects.count(),
    }


def upload(name: str = "ke-hoach.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


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
    """The council, the standing agency and the handling (commune) team process; other readers get 403."""
    return DOSSIER_READERS | {
        "council_member": status,
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


def dossier_url(name: str, state_name: str, **build):
    return lambda cast: reverse(f"api:dossier-{name}", args=[make_dossier(cast, state_name, **build).pk])


def review_url(cast: Cast) -> str:
    dossier = make_dossier(cast, "received")
    return reverse("api:dossier-review-document", args=[dossier.pk, dossier.documents.get().pk])


# Rows of a second method on a route are named "<route>:<method>".
# The suite's clock starts on 18 November 2026 (tests/conftest.py).
NEW_DUE_DATE = (SUITE_START.date() + datetime.timedelta(days=60)).isoformat()

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
    # for anyone else the applicant's id is as unknown as an id that does not exist.
    "api:dossier-list:post": Row(
        "post",
        lambda cast: reverse("api:dossier-list"),
        everyone(
            400,
            anonymous=403,
            council_member=201,
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
    "api:dossier-submit": Row("post", dossier_url("submit", "draft"), dossier_applicant(200)),
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
        dossier_applicant(201),
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
        | {"other_district_officer": 400, "other_commune_officer": 400, "other_applicant": 400},
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
    assert (response.status_code, response.json()) == (404, {"detail": "Không tìm thấy."})


def test_session_writes_need_the_csrf_token(cast):
    dossier = make_dossier(cast, "new")
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(cast.commune_officer)
    before = state()
    assert client.post(reverse("api:dossier-receive", args=[dossier.pk])).status_code == 403
    assert state() == before


def test_the_applicant_of_a_walk_in_is_the_officer_who_filed(cast):
    """An officer who filed for a person without an account acts for them, in the person's place."""
    dossier = make_dossier(cast, "draft", applicant=walk_in(cast))
    colleague = MembershipFactory(team=cast.teams.commune, user=UserFactory()).user
    assert api(colleague).post(reverse("api:dossier-submit", args=[dossier.pk])).status_code == 403
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
        {"applicant": ["There is no applicant with this id that you may file for."]},
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
        {"applicant": ["There is no applicant with this id that you may file for."]},
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
            {"applicant": ["Name the applicant this dossier is for."]},
        ),
        (
            "applicant",
            {"procedure": "khong-co"},
            400,
            {"procedure": ["There is no procedure with the code “khong-co”."]},
        ),
        ("applicant", {}, 400, {"procedure": ["This field is required."]}),
        # The body is right; the procedure's state refuses it.
        ("applicant", {"procedure": "da-dong"}, 409, {"detail": "This procedure is not open for filing."}),
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


# --- Transitions ---------------------------------------------------------------------------------------

# From which states each transition is legal and where it leads (None: the status stays).
LEGAL = {
    "submit": ({"draft"}, "new"),
    "receive": ({"new"}, "received"),
    "refuse": ({"new"}, "not_received"),
    "start": ({"received"}, "in_progress"),
    "request-supplement": ({"received", "in_progress"}, "supplement_requested"),
    "supply-supplement": ({"supplement_requested"}, "in_progress"),
    "request-payment": ({"in_progress"}, "payment_requested"),
    "confirm-payment": ({"payment_requested"}, "in_progress"),
    "withdraw": (
        {"new", "received", "in_progress", "supplement_requested", "payment_requested"},
        "withdrawn",
    ),
    "stop": ({"received", "in_progress", "supplement_requested", "payment_requested"}, "stopped"),
    "complete": ({"in_progress"}, "done"),
    "return-result": ({"done"}, "result_returned"),
    "apologise": ({"received", "in_progress", "supplement_requested", "payment_requested"}, None),
    "rate": ({"result_returned"}, None),
}
BY_APPLICANT = {"submit", "supply-supplement", "withdraw", "rate"}
BODIES = {
    "refuse": lambda: {"reason": "Không đúng đối tượng"},
    "request-supplement": lambda: {"missing": [plan_requirement().pk], "note": "Thiếu phần tài chính"},
    "request-payment": lambda: {"note": "Lệ phí 100.000 ₫"},
    "withdraw": lambda: {"reason": "Đổi kế hoạch"},
    "stop": lambda: {"reason": "Người nộp không liên lạc được"},
    "complete": lambda: {"result": "Đồng ý hỗ trợ 50 triệu đồng"},
    "apologise": lambda: {"new_due_date": NEW_DUE_DATE, "reason": "Chờ ý kiến thẩm định"},
    "rate": lambda: {"rating": 4, "comment": "Nhanh"},
}
STATUS_LABELS = {
    "draft": "new",
    "new": "new",
    "received": "received",
    "not_received": "not received (refused at the desk)",
    "in_progress": "in progress",
    "supplement_requested": "supplement requested",
    "payment_requested": "payment requested",
    "withdrawn": "withdrawn",
    "stopped": "stopped",
    "done": "done",
    "result_returned": "result returned",
}


def refusal(transition: str, state_name: str) -> str:
    """What the service says when ``transition`` is not allowed from ``state_name``."""
    if transition == "submit":
        return "This dossier has already been filed."
    if transition == "apologise":
        return "Only a received dossier that is still open can get an apology."
    if transition == "rate":
        return "The service can be rated once the result is returned."
    if transition == "supply-supplement":
        return "No supplement is awaited for this dossier."
    return f"A dossier that is “{STATUS_LABELS[state_name]}” cannot be changed this way."


@pytest.mark.parametrize("state_name", STATES)
@pytest.mark.parametrize("transition", sorted(LEGAL))
def test_every_transition_from_every_state(cast, transition, state_name):
    dossier = make_dossier(cast, state_name)
    by = cast.applicant if transition in BY_APPLICANT else cast.commune_officer
    allowed_from, to_status = LEGAL[transition]
    before = state()
    response = api(by).post(
        reverse(f"api:dossier-{transition}", args=[dossier.pk]), BODIES.get(transition, dict)(), format="json"
    )
    if state_name not in allowed_from:
        assert (response.status_code, response.json()) == (409, {"detail": refusal(transition, state_name)})
        assert state() == before
        return
    assert response.status_code == 200, response.json()
    dossier.refresh_from_db()
    expected_status = to_status or (Status.NEW if state_name == "draft" else state_name)
    assert (response.json()["status"], dossier.status) == (expected_status, expected_status)
    event = dossier.events.get()
    assert (event.actor, event.action) == (by, transition.replace("-", "_"))
    record = AuditRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(Dossier), object_id=str(dossier.pk), action="update"
    ).latest("pk")
    assert (record.actor, record.channel) == (by, "api")


def test_transitions_record_what_their_bodies_say(cast):
    officer = cast.commune_officer
    dossier = make_dossier(cast, "in_progress")
    api(officer).post(
        reverse("api:dossier-apologise", args=[dossier.pk]), BODIES["apologise"](), format="json"
    )
    dossier.refresh_from_db()
    assert (dossier.due_date.isoformat(), dossier.original_due_date, dossier.apology_reason) == (
        NEW_DUE_DATE,
        today() + datetime.timedelta(days=DUE_IN_DAYS),
        "Chờ ý kiến thẩm định",
    )
    response = api(officer).post(
        reverse("api:dossier-request-supplement", args=[dossier.pk]),
        BODIES["request-supplement"](),
        format="json",
    )
    supplement = dossier.supplement_requests.get()
    assert (supplement.round, supplement.note, list(supplement.missing.all())) == (
        1,
        "Thiếu phần tài chính",
        [plan_requirement()],
    )
    assert response.json()["supplement_requests"] == [
        {
            "round": 1,
            "requested_at": response.json()["supplement_requests"][0]["requested_at"],
            "note": "Thiếu phần tài chính",
            "missing": [plan_requirement().pk],
            "supplied_at": None,
        }
    ]
    returned = make_dossier(cast, "result_returned")
    api(cast.applicant).post(reverse("api:dossier-rate", args=[returned.pk]), BODIES["rate"](), format="json")
    returned.refresh_from_db()
    assert (returned.rating, returned.rating_comment) == (4, "Nhanh")


def test_apologising_twice_is_refused(cast):
    dossier = make_dossier(cast, "in_progress")
    url = reverse("api:dossier-apologise", args=[dossier.pk])
    assert api(cast.commune_officer).post(url, BODIES["apologise"](), format="json").status_code == 200
    before = state()
    response = api(cast.commune_officer).post(url, BODIES["apologise"](), format="json")
    assert response.json() == {"detail": "This dossier already has an apology slip; it is issued once."}
    assert state() == before


def test_the_officer_who_filed_may_not_rate_for_the_person(cast):
    dossier = make_dossier(cast, "result_returned", applicant=walk_in(cast))
    before = state()
    response = api(cast.commune_officer).post(
        reverse("api:dossier-rate", args=[dossier.pk]), BODIES["rate"](), format="json"
    )
    assert (response.status_code, response.json()) == (
        400,
        {"detail": "Only the applicant can rate the service."},
    )
    assert state() == before


def test_submitting_without_the_mandatory_documents_is_refused(cast):
    dossier = make_dossier(cast, "draft", with_document=False)
    before = state()
    response = api(cast.applicant).post(reverse("api:dossier-submit", args=[dossier.pk]))
    assert response.json() == {"detail": "Some required documents are still missing: Kế hoạch kinh doanh."}
    assert state() == before


@pytest.mark.parametrize(
    ("transition", "state_name", "body", "expected"),
    [
        ("refuse", "new", {}, {"reason": ["This field is required."]}),
        ("refuse", "new", {"reason": "  "}, {"detail": "Say why the dossier is not received."}),
        ("complete", "in_progress", {"result": ""}, {"detail": "Write the decision."}),
        (
            "request-supplement",
            "received",
            {"missing": [], "note": "Thiếu"},
            {"detail": "Choose at least one missing document."},
        ),
        (
            "request-supplement",
            "received",
            {"missing": "1", "note": "Thiếu"},
            {"missing": ["Give a list of requirement ids."]},
        ),
        (
            "apologise",
            "received",
            {"new_due_date": "31/12/2030", "reason": "Chậm"},
            {"new_due_date": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]},
        ),
        (
            "apologise",
            "received",
            {"new_due_date": "2020-01-01", "reason": "Chậm"},
            {"detail": "The new date must come after the current due date."},
        ),
        ("rate", "result_returned", {"rating": 6}, {"detail": "Give a rating from 1 to 5."}),
    ],
    ids=[
        "no reason",
        "blank reason",
        "blank result",
        "nothing missing",
        "not a list",
        "date format",
        "earlier date",
        "rating out of range",
    ],
)
def test_malformed_or_refused_bodies_say_why_and_change_nothing(cast, transition, state_name, body, expected):
    dossier = make_dossier(cast, state_name)
    by = cast.applicant if transition in BY_APPLICANT else cast.commune_officer
    before = state()
    response = api(by).post(reverse(f"api:dossier-{transition}", args=[dossier.pk]), body, format="json")
    assert (response.status_code, response.json()) == (400, expected)
    assert state() == before


def test_supplement_asks_only_for_requirements_of_the_dossiers_version(cast):
    dossier = make_dossier(cast, "in_progress")
    other_version = ProcedureVersion.objects.create(
        procedure=Procedure.objects.create(
            code="khac", name="Khác", audience="startup", handling_team_kind="commune_team"
        ),
        number=1,
        effective_from=datetime.date(2024, 1, 1),
        statutory_working_days=3,
    )
    foreign = Requirement.objects.create(
        version=other_version, document_kind=plan_requirement().document_kind
    )
    before = state()
    response = api(cast.commune_officer).post(
        reverse("api:dossier-request-supplement", args=[dossier.pk]),
        {"missing": [plan_requirement().pk, foreign.pk], "note": "Thiếu"},
        format="json",
    )
    assert (response.status_code, response.json()) == (
        400,
        {"missing": {"1": ["This document is not one the dossier's procedure asks for."]}},
    )
    assert state() == before


@pytest.mark.parametrize(
    ("role", "transition", "status"),
    [
        ("fund_officer", "receive", 403),
        ("district_officer", "complete", 403),
        ("applicant", "receive", 403),
        ("commune_officer", "withdraw", 403),
        ("council_member", "submit", 403),
        ("other_commune_officer", "receive", 404),
        ("other_applicant", "withdraw", 404),
    ],
)
def test_refused_callers_change_nothing(cast, role, transition, status):
    dossier = make_dossier(cast, "new" if transition in {"receive", "withdraw"} else "in_progress")
    if transition == "submit":
        dossier = make_dossier(cast, "draft")
    before = state()
    response = api(getattr(cast, role)).post(
        reverse(f"api:dossier-{transition}", args=[dossier.pk]), BODIES.get(transition, dict)(), format="json"
    )
    assert response.status_code == status
    assert state() == before


# --- Documents -----------------------------------------------------------------------------------------


def test_applicant_uploads_a_document_and_the_officer_reviews_it(cast):
    dossier = make_dossier(cast, "draft", with_document=False)
    response = api(cast.applicant).post(
        reverse("api:dossier-documents", args=[dossier.pk]),
        {"requirement": plan_requirement().pk, "file": upload()},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    use = dossier.documents.get()
    assert use.document.original_name == "ke-hoach.pdf"
    assert use.document.file.read() == PDF
    body = response.json()
    assert body == {
        "id": use.pk,
        "requirement": plan_requirement().pk,
        "requirement_name": "Kế hoạch kinh doanh",
        "file_name": "ke-hoach.pdf",
        "content_type": "application/pdf",
        "size": len(PDF),
        "uploaded_at": body["uploaded_at"],
        "valid_until": None,
        "is_reused": False,
        "review": "pending",
        "review_reason": "",
        "reviewed_by": None,
        "reviewed_at": None,
        "download_url": body["download_url"],
    }
    # The file is served by the web view, which checks scope.
    assert resolve(body["download_url"]).url_name == "document_download"
    browser = Client()
    browser.force_login(cast.applicant)
    assert b"".join(browser.get(body["download_url"]).streaming_content) == PDF
    response = api(cast.commune_officer).post(
        reverse("api:dossier-review-document", args=[dossier.pk, use.pk]),
        {"decision": "reject", "reason": "Thiếu chữ ký"},
        format="json",
    )
    assert response.status_code == 200
    use.refresh_from_db()
    assert (use.review, use.review_reason, use.reviewed_by) == (
        "rejected",
        "Thiếu chữ ký",
        cast.commune_officer,
    )
    assert response.json()["reviewed_by"] == {"id": cast.commune_officer.pk, "full_name": "Nguyễn Thị Xã"}
    listed = api(cast.applicant).get(reverse("api:dossier-documents", args=[dossier.pk]))
    assert [(row["id"], row["review"]) for row in listed.json()] == [(use.pk, "rejected")]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "ke-hoach.pdf",
            b"<html><script>alert(1)</script></html>",
            "Only PDF, JPEG, PNG, Word (DOCX) and Excel (XLSX) files are accepted; "
            "this file is none of them.",
        ),
        ("ke-hoach.pdf", b"", "The file is empty."),
        ("ke-hoach.docx", PDF, "The file's content does not match its name: it is a PDF file."),
    ],
    ids=["renamed html", "empty", "wrong extension"],
)
def test_upload_refusals_say_why_and_change_nothing(cast, name, content, expected):
    dossier = make_dossier(cast, "draft", with_document=False)
    before = state()
    response = api(cast.applicant).post(
        reverse("api:dossier-documents", args=[dossier.pk]),
        {"requirement": plan_requirement().pk, "file": upload(name, content)},
        format="multipart",
    )
    assert (response.status_code, response.json()) == (400, {"detail": expected})
    assert state() == before


def test_upload_for_a_requirement_of_another_version_or_a_filed_dossier_is_refused(cast):
    other = ProcedureVersion.objects.create(
        procedure=Procedure.objects.create(
            code="khac", name="Khác", audience="startup", handling_team_kind="fund"
        ),
        number=1,
        effective_from=datetime.date(2024, 1, 1),
        statutory_working_days=3,
    )
    foreign = Requirement.objects.create(version=other, document_kind=plan_requirement().document_kind)
    draft = make_dossier(cast, "draft", with_document=False)
    filed = make_dossier(cast, "in_progress", with_document=False)
    before = state()
    response = api(cast.applicant).post(
        reverse("api:dossier-documents", args=[draft.pk]),
        {"requirement": foreign.pk, "file": upload()},
        format="multipart",
    )
    assert (response.status_code, response.json()) == (
        400,
        {"requirement": ["This document is not one the dossier's procedure asks for."]},
    )
    response = api(cast.applicant).post(
        reverse("api:dossier-documents", args=[filed.pk]),
        {"requirement": plan_requirement().pk, "file": upload()},
        format="multipart",
    )
    assert response.json() == {
        "detail": "Documents can be added to a draft or when a supplement is requested."
    }
    assert state() == before


def test_review_of_another_dossiers_document_is_not_found_and_rejection_needs_a_reason(cast):
    dossier, other = make_dossier(cast, "received"), make_dossier(cast, "received")
    before = state()
    response = api(cast.commune_officer).post(
        reverse("api:dossier-review-document", args=[dossier.pk, other.documents.get().pk]),
        {"decision": "accept"},
        format="json",
    )
    assert response.status_code == 404
    response = api(cast.commune_officer).post(
        reverse("api:dossier-review-document", args=[dossier.pk, dossier.documents.get().pk]),
        {"decision": "reject"},
        format="json",
    )
    assert response.json() == {"detail": "Say why the document is rejected."}
    response = api(cast.commune_officer).post(
        reverse("api:dossier-review-document", args=[dossier.pk, dossier.documents.get().pk]),
        {"decision": "maybe"},
        format="json",
    )
    assert response.json() == {"decision": ["“maybe” is not one of: accept, reject."]}
    assert state() == before


# --- Inquiries -----------------------------------------------------------------------------------------


def test_applicant_raises_an_obstacle_and_the_handling_team_replies(cast):
    dossier = make_dossier(cast, "in_progress")
    response = api(cast.applicant).post(
        reverse("api:inquiry-list"),
        {"dossier": dossier.pk, "question": "Mẫu kế hoạch ở đâu?", "team": cast.teams.council.pk},
        format="json",
    )
    assert response.status_code == 201, response.json()
    inquiry = Inquiry.objects.get()
    assert (inquiry.raised_by, inquiry.team, inquiry.question) == (
        cast.applicant,
        cast.teams.commune,
        "Mẫu kế hoạch ở đâu?",
    )
    url = reverse("api:inquiry-reply", args=[inquiry.pk])
    response = api(cast.commune_officer).post(url, {"reply": "Mẫu số 2 trên trang thủ tục"}, format="json")
    assert response.status_code == 200
    assert (response.json()["reply"], response.json()["replied_by"]) == (
        "Mẫu số 2 trên trang thủ tục",
        {"id": cast.commune_officer.pk, "full_name": "Nguyễn Thị Xã"},
    )
    before = state()
    again = api(cast.commune_officer).post(url, {"reply": "Lần nữa"}, format="json")
    assert again.json() == {"detail": "This obstacle has already been answered."}
    assert state() == before


def test_inquiry_on_a_dossier_outside_scope_is_refused_like_one_that_does_not_exist(cast):
    other = make_dossier(cast, "received", applicant=applicant_of(cast, "other_applicant"))
    before = state()
    answers = [
        api(cast.applicant).post(reverse("api:inquiry-list"), {"dossier": pk, "question": "?"}, format="json")
        for pk in (other.pk, other.pk + 1000)
    ]
    assert [(answer.status_code, answer.json()) for answer in answers] == [
        (400, {"dossier": ["There is no dossier with this id that you can see."]})
    ] * 2
    assert state() == before


def test_the_team_an_inquiry_was_escalated_to_may_reply(cast):
    inquiry = make_inquiry(cast, escalated_at=timezone.now())
    url = reverse("api:inquiry-reply", args=[inquiry.pk])
    before = state()
    assert api(cast.district_officer).post(url, {"reply": "Trả lời"}, format="json").status_code == 403
    assert state() == before
    inquiry.team = cast.teams.district
    inquiry.save(update_fields=["team"])
    assert api(cast.district_officer).post(url, {"reply": "Trả lời"}, format="json").status_code == 200


def test_inquiry_filters(cast):
    dossier = make_dossier(cast, "received")
    waiting = make_inquiry(cast, dossier)
    late = make_inquiry(cast, reply_due=today() - datetime.timedelta(days=1))
    answered = make_inquiry(
        cast, dossier, reply="Đã trả lời", replied_at=timezone.now(), replied_by=cast.commune_officer
    )
    client = api(cast.commune_officer)

    def found(**parameters):
        return ids(client.get(reverse("api:inquiry-list"), parameters))

    assert found(dossier=dossier.pk) == {waiting.pk, answered.pk}
    assert found(answered="true") == {answered.pk}
    assert found(answered="false") == {waiting.pk, late.pk}
    assert found(overdue="true") == {late.pk}
    assert found(overdue="false") == {waiting.pk, answered.pk}
    # A team outside the caller's scope is as unknown as one that does not exist.
    assert client.get(reverse("api:inquiry-list"), {"team": cast.teams.district.pk}).status_code == 400
    assert client.get(reverse("api:inquiry-list"), {"answered": "maybe"}).json() == {
        "answered": ["Use true or false."]
    }


# --- Dossier filters -----------------------------------------------------------------------------------


def test_dossier_filters(cast):
    running_late = make_dossier(cast, "in_progress")
    running_late.due_date = today() - datetime.timedelta(days=1)
    running_late.save(update_fields=["due_date"])
    paused_late = make_dossier(cast, "supplement_requested")
    paused_late.due_date = today() - datetime.timedelta(days=1)
    paused_late.save(update_fields=["due_date"])
    received = make_dossier(cast, "received", applicant=walk_in(cast))
    draft = make_dossier(cast, "draft")
    other_procedure = Procedure.objects.create(
        code="khac", name="Khác", audience="startup", handling_team_kind="commune_team"
    )
    client = api(cast.council_member)

    def found(**parameters):
        response = client.get(reverse("api:dossier-list"), parameters)
        assert response.status_code == 200, response.json()
        return ids(response)

    # An official's list leaves drafts out, as the queue page does.
    assert draft.pk not in found()
    assert found(status="received") == {received.pk}
    assert found(overdue="true") == {running_late.pk}
    assert found(overdue="false") == {paused_late.pk, received.pk}
    assert found(due_before=today().isoformat()) == {running_late.pk, paused_late.pk}
    assert found(q="den quay") == {received.pk}
    assert found(q="TRƯƠNG THỊ") == {received.pk}
    assert found(q=received.code.lower()[3:]) == {received.pk}
    assert found(q="bui van nop", status="new") == set()
    assert found(procedure=other_procedure.pk) == set()
    # A unit stands for its subtree: the district finds its commune's dossiers.
    assert found(procedure=catalogue().procedure_id, unit=cast.units.district.pk) == {
        running_late.pk,
        paused_late.pk,
        received.pk,
    }
    assert found(handling_team=cast.teams.other_commune.pk) == set()
    malformed = client.get(
        reverse("api:dossier-list"), {"status": "late", "unit": "x", "due_before": "hôm qua"}
    )
    assert malformed.status_code == 400
    assert set(malformed.json()) == {"status", "unit", "due_before"}
    assert malformed.json()["unit"] == ["Enter a whole number."]


def test_filed_dossiers_come_latest_first_and_drafts_last(cast):
    older = make_dossier(cast, "received")
    Dossier.objects.filter(pk=older.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=3))
    draft = make_dossier(cast, "draft")
    newer = make_dossier(cast, "received")
    response = api(cast.applicant).get(reverse("api:dossier-list"))
    assert [row["id"] for row in response.json()["results"]] == [newer.pk, older.pk, draft.pk]


# --- Personal data -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "sees_in_full"),
    [
        ("council_member", True),
        ("standing_officer", True),
        ("commune_officer", True),
        ("applicant", True),
        ("fund_officer", False),
        ("district_officer", False),
    ],
)
def test_cccd_and_phone_are_masked_but_for_processors_and_the_applicant(cast, role, sees_in_full):
    dossier = make_dossier(cast, "received")
    client = api(getattr(cast, role))
    expected = (NATIONAL_ID, PHONE) if sees_in_full else ("••••••••1234", "••••••5678")
    listed = client.get(reverse("api:dossier-list")).json()["results"][0]["applicant"]
    detail = client.get(reverse("api:dossier-detail", args=[dossier.pk])).json()["applicant"]
    assert (listed["national_id"], listed["phone"]) == expected
    assert (detail["national_id"], detail["phone"]) == expected
    make_inquiry(cast, dossier)
    for response in (
        client.get(reverse("api:dossier-documents", args=[dossier.pk])),
        client.get(reverse("api:inquiry-list")),
    ):
        assert response.status_code == 200
        assert "phone" not in response.content.decode()
        assert "national_id" not in response.content.decode()


def test_dossier_is_presented_with_its_checklist_and_timeline(cast):
    dossier = make_dossier(cast, "draft", with_document=False)
    response = api(cast.district_officer).get(reverse("api:dossier-detail", args=[dossier.pk]))
    applicant = applicant_of(cast)
    assert response.json() == {
        "id": dossier.pk,
        "code": dossier.code,
        "procedure": {"id": dossier.procedure_id, "code": PROCEDURE_CODE, "name": "Hỗ trợ dự án khởi nghiệp"},
        "procedure_version": 1,
        "applicant": {
            "id": applicant.pk,
            "kind": "person",
            "full_name": "Bùi Văn Nộp",
            "enterprise_name": "",
            "tax_code": "",
            "national_id": "••••••••1234",
            "phone": "••••••5678",
            "address": "Ấp Phú Hữu",
        },
        "filed_by": {"id": cast.applicant.pk, "full_name": "Bùi Văn Nộp"},
        "channel": "online",
        "unit": {"id": cast.units.commune.pk, "name": "Xã Sơn Định"},
        "handling_team": {"id": cast.teams.commune.pk, "name": "Tổ hỗ trợ ĐT&KN xã Sơn Định"},
        "status": "new",
        "status_label": "new",
        "status_number": 1,
        "is_draft": True,
        "is_overdue": False,
        "summary": "Vay vốn mở rộng xưởng kẹo dừa",
        "submitted_at": None,
        "received_at": None,
        "due_date": None,
        "paused_on": None,
        "original_due_date": None,
        "apology_issued_at": None,
        "apology_reason": "",
        "decided_at": None,
        "result": "",
        "closing_reason": "",
        "result_returned_at": None,
        "rating": None,
        "rating_comment": "",
        "requirements": [
            {
                "id": plan_requirement().pk,
                "document_kind": "ke-hoach-kinh-doanh",
                "name": "Kế hoạch kinh doanh",
                "description": "",
                "is_mandatory": True,
                "note": "",
                "position": 1,
            },
            {
                "id": copy_requirement().pk,
                "document_kind": "ban-sao-cccd",
                "name": "Bản sao CCCD",
                "description": "",
                "is_mandatory": False,
                "note": "",
                "position": 2,
            },
        ],
        "missing_requirements": [plan_requirement().pk],
        "supplement_requests": [],
        "events": [],
    }
    api(cast.applicant).post(
        reverse("api:dossier-documents", args=[dossier.pk]),
        {"requirement": plan_requirement().pk, "file": upload()},
        format="multipart",
    )
    api(cast.applicant).post(reverse("api:dossier-submit", args=[dossier.pk]))
    events = api(cast.applicant).get(reverse("api:dossier-detail", args=[dossier.pk])).json()["events"]
    assert [{key: value for key, value in event.items() if key != "at"} for event in events] == [
        {
            "actor": {"id": cast.applicant.pk, "full_name": "Bùi Văn Nộp"},
            "action": "submit",
            "label": "Filed",
            "from_status": "new",
            "to_status": "new",
            "note": "",
        }
    ]


# --- Public lookup -------------------------------------------------------------------------------------


LIMIT_PER_CODE = getattr(settings, "DOSSIER_LOOKUP_LIMIT_PER_CODE", lookup.LIMIT_PER_CODE)
LIMIT_PER_ADDRESS = getattr(settings, "DOSSIER_LOOKUP_LIMIT_PER_ADDRESS", lookup.LIMIT_PER_ADDRESS)


def look_up(code: str, digits: str, *, address: str = "198.51.100.7", language: str | None = "en"):
    return api(language=language).post(
        reverse("api:lookup"), {"code": code, "phone_last_four": digits}, format="json", REMOTE_ADDR=address
    )


def test_lookup_tells_status_procedure_and_due_date_only(cast):
    dossier = make_dossier(cast, "received")
    response = look_up(dossier.code.lower().replace("-", " "), "5678")
    assert (response.status_code, response.json()) == (
        200,
        {
            "status": "received",
            "status_label": "received",
            "procedure": "Hỗ trợ dự án khởi nghiệp",
            "due_date": (today() + datetime.timedelta(days=DUE_IN_DAYS)).isoformat(),
        },
    )


def test_wrong_code_wrong_digits_and_a_draft_get_the_same_answer(cast):
    dossier = make_dossier(cast, "received")
    draft = make_dossier(cast, "draft")
    answers = [
        look_up("HS-2222-2222", "5678", address="198.51.100.1"),
        look_up(dossier.code, "1234", address="198.51.100.2"),
        look_up(draft.code, "5678", address="198.51.100.3"),
    ]
    assert {(answer.status_code, answer.content) for answer in answers} == {
        (404, b'{"detail":"No dossier matches this code and these four digits. Check both and try again."}')
    }


def test_lookup_is_throttled_per_code_and_per_address(cast):
    dossier = make_dossier(cast, "received")
    for attempt in range(LIMIT_PER_CODE):
        assert look_up(dossier.code, "0000", address=f"198.51.100.{attempt}").status_code == 404
    response = look_up(dossier.code, "5678", address="198.51.100.200")
    assert (response.status_code, response.json()) == (
        429,
        {"detail": f"Too many failed tries. Please wait {lookup.window_minutes()} minutes and try again."},
    )
    assert response["Retry-After"] == str(lookup.window_minutes() * 60)
    # Another address's tries for other codes count against that address.
    for attempt in range(LIMIT_PER_ADDRESS):
        assert look_up(f"HS-3333-{attempt:04d}", "0000", address="192.0.2.9").status_code == 404
    other = make_dossier(cast, "received")
    assert look_up(other.code, "5678", address="192.0.2.9").status_code == 429
    assert look_up(other.code, "5678", address="192.0.2.10").status_code == 200


def test_lookup_shares_its_counters_with_the_web_lookup(cast):
    """Failed tries on the web page (recorded through portal.lookup) block the API too."""
    dossier = make_dossier(cast, "received")
    for _ in range(LIMIT_PER_CODE):
        lookup.record_lookup_failure(code=dossier.code, address="203.0.113.1")
    assert look_up(dossier.code, "5678").status_code == 429


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"code": "HS-2222-2222", "phone_last_four": "56a8"},
            {"phone_last_four": ["Enter exactly four digits."]},
        ),
        ({"phone_last_four": "5678"}, {"code": ["This field is required."]}),
    ],
)
def test_malformed_lookup_is_a_400(cast, body, expected):
    response = api().post(reverse("api:lookup"), body, format="json")
    assert (response.status_code, response.json()) == (400, expected)


# --- Schema --------------------------------------------------------------------------------------------

NEW_API_PATHS = {
    "/api/v1/lookup/",
    "/api/v1/procedures/",
    "/api/v1/procedures/{id}/",
    "/api/v1/dossiers/",
    "/api/v1/dossiers/{id}/",
    "/api/v1/dossiers/{id}/documents/",
    "/api/v1/dossiers/{id}/documents/{use_id}/review/",
    *(f"/api/v1/dossiers/{{id}}/{transition}/" for transition in LEGAL),
    "/api/v1/inquiries/",
    "/api/v1/inquiries/{id}/",
    "/api/v1/inquiries/{id}/reply/",
}


def test_schema_with_the_dossier_routes_generates_without_warnings_and_validates(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    assert set(schema["paths"]) >= NEW_API_PATHS
    # No update or delete of a dossier: its status changes only through the transition endpoints.
    assert set(schema["paths"]["/api/v1/dossiers/{id}/"]) == {"get"}
    assert set(schema["paths"]["/api/v1/dossiers/"]) == {"get", "post"}
    assert "status" not in schema["components"]["schemas"]["StartDossierRequest"]["properties"]


# --- Query counts --------------------------------------------------------------------------------------

N = 4

# Queries of a token-authenticated request, before the endpoint's own:
#   1 the token with its user, 2 memberships (scope), 3 the council's province (scope),
#   4 the scope's units (recursive CTE). No session: nothing is saved afterwards.
TOKEN_SIGNED_IN = 4
# An endpoint that does not need the scope: 1 the token with its user.
TOKEN_ONLY = 1


def add_procedures(count: int) -> None:
    kind = DocumentKind.objects.create(code="giay-to", name="Giấy tờ")
    for number in range(count):
        procedure = Procedure.objects.create(
            code=f"thu-tuc-{number}", name=f"Thủ tục {number}", audience="startup", handling_team_kind="fund"
        )
        for effective_from in (datetime.date(2023, 1, 1), datetime.date(2024, 1, 1)):
            version = ProcedureVersion.objects.create(
                procedure=procedure,
                number=effective_from.year - 2022,
                effective_from=effective_from,
                statutory_working_days=3,
            )
            Requirement.objects.create(version=version, document_kind=kind)


def add_dossiers_with_inquiries(cast: Cast, count: int) -> None:
    for _ in range(count):
        dossier = make_dossier(cast, "in_progress", with_document=False)
        make_inquiry(cast, dossier)
        make_inquiry(
            cast, dossier, reply="Đã trả lời", replied_at=timezone.now(), replied_by=cast.commune_officer
        )


def add_documents(cast: Cast, count: int) -> Dossier:
    dossier = make_dossier(cast, "in_progress")
    for number in range(count):
        kind = DocumentKind.objects.create(code=f"giay-{number}", name=f"Giấy {number}")
        requirement = Requirement.objects.create(version=catalogue(), document_kind=kind, position=3 + number)
        use = give_document(dossier, requirement, by=cast.applicant)
        DossierDocument.objects.filter(pk=use.pk).update(reviewed_by=cast.commune_officer, review="accepted")
    return dossier


@pytest.mark.parametrize(
    ("url_name", "queries", "build"),
    [
        # the calendar's exceptions after today (what "due soon" means), the count for the paginator,
        # the page of dossiers joined with applicant, procedure, version, unit, handling team and filer
        ("api:dossier-list", TOKEN_SIGNED_IN + 3, lambda cast, rows: add_dossiers_with_inquiries(cast, rows)),
        # count for the paginator, the page of inquiries joined with dossier, raiser, team and replier
        ("api:inquiry-list", TOKEN_SIGNED_IN + 2, lambda cast, rows: add_dossiers_with_inquiries(cast, rows)),
        # The catalogue is the same for everyone: no scope, so only the token; then the count for the
        # paginator, the page of open procedures, their versions in force, those versions' requirements
        # with their document kinds
        ("api:procedure-list", TOKEN_ONLY + 4, lambda cast, rows: add_procedures(rows)),
        # the dossier (fetch and authorise, joined with its relations), its documents joined with
        # requirement, document kind, file record and reviewer
        ("api:dossier-documents", TOKEN_SIGNED_IN + 2, add_documents),
    ],
)
@pytest.mark.parametrize("rows", [N, 10 * N])
def test_list_endpoint_query_count(cast, django_assert_num_queries, url_name, queries, build, rows):
    built = build(cast, rows)
    client = api(cast.council_member)
    url = reverse(url_name, args=[built.pk]) if url_name == "api:dossier-documents" else reverse(url_name)
    with django_assert_num_queries(queries):
        response = client.get(url, {"page_size": 200} if url_name != "api:dossier-documents" else {})
    assert response.status_code == 200
    body = response.json()
    listed = body if url_name == "api:dossier-documents" else body["results"]
    expected = {"api:inquiry-list": 2 * rows, "api:dossier-documents": rows + 1}.get(url_name, rows)
    assert len(listed) == expected
