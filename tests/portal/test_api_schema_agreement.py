"""The API's responses agree with its OpenAPI schema.

Every list and detail endpoint is read by a council member, a commune officer and an applicant, on a
world whose optional fields are each empty somewhere and set somewhere else, and every answer (200 or
404 alike) is validated with ``jsonschema`` against the response its operation declares in the
document the portal serves (``SchemaGenerator``, the ``$ref``s resolved into its components). That is
the check the fuzzing gate's schemathesis makes, on data chosen so that no field is left untried.
"""

import datetime
import json
import re
from collections import defaultdict
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from jsonschema import Draft7Validator
from rest_framework.test import APIClient

from conversions.models import Conversion, HouseholdBusiness, HouseholdBusinessImport
from conversions.services import imports
from dossiers.measures import DOSSIERS_RECEIVED
from dossiers.models import (
    Applicant,
    Document,
    Dossier,
    DossierEvent,
    Inquiry,
    Procedure,
    ProcedureVersion,
)
from dossiers.services import dossiers as services
from dossiers.services.documents import review_document
from dossiers.services.inquiries import raise_inquiry, reply_to_inquiry
from fund.models import Contribution, Decision, Fund, Loan, LoanApplication, Regulation, Transaction
from policies.models import Entitlement, PolicyDocument
from portal.models import AdminUnit, Target, Team
from projects.models import Mentor, PovertyPlan, Project, SuccessModel
from reports.models import ReviewReport
from reports.periods import PeriodKind
from teamwork.models import Activity, ActivityAttachment
from tests.conversions.test_api_conversions import fill_conversions
from tests.conversions.test_import_service import row, xlsx
from tests.dossiers.fixtures import *  # noqa: F403 (the dossiers and media_root fixtures)
from tests.dossiers.fixtures import PDF_BYTES, Dossiers, dossiers_for
from tests.factories import AdminUnitFactory, MembershipFactory, TeamFactory, UserFactory
from tests.fund.api_world import fill_fund
from tests.projects.test_api_projects import fill_projects
from tests.reports.test_report_pages import commune_report

Status = Dossier.Status
READERS = ("council_member", "commune_officer", "applicant")
D = datetime.date

# The rows each path's ``{id}`` is tried with: all of them, in the caller's scope or not.
MODELS = {
    "activities": Activity,
    "conversions": Conversion,
    "dossiers": Dossier,
    "entitlements": Entitlement,
    "fund-contributions": Contribution,
    "fund-decisions": Decision,
    "fund-ledger": Transaction,
    "fund-regulations": Regulation,
    "funds": Fund,
    "household-businesses": HouseholdBusiness,
    "inquiries": Inquiry,
    "loan-applications": LoanApplication,
    "loans": Loan,
    "mentors": Mentor,
    "models": SuccessModel,
    "policies": PolicyDocument,
    "poverty-plans": PovertyPlan,
    "procedures": Procedure,
    "projects": Project,
    "reports": ReviewReport,
    "teams": Team,
    "units": AdminUnit,
}


# --- The world ---------------------------------------------------------------------------------------------


def fill_dossiers(world: Dossiers) -> None:
    """Dossiers in every state, each optional field empty in one and set in another, through the services."""
    cast, officer = world.cast, world.officer
    rated = world.at(Status.RESULT_RETURNED)
    services.rate_service(dossier=rated, by=cast.applicant, rating=4, comment="Cán bộ hướng dẫn tận tình.")
    late = world.at(Status.IN_PROGRESS)
    services.issue_apology(
        dossier=late, by=officer, new_due_date=late.due_date + datetime.timedelta(days=10), reason="Chờ sở"
    )
    supplied = world.advance(world.file(), Status.SUPPLEMENT_REQUESTED)
    services.supply_supplement(dossier=supplied, by=cast.applicant)
    world.at(Status.SUPPLEMENT_REQUESTED)
    world.at(Status.NOT_RECEIVED)
    world.file(submit=False)  # the applicant's own draft
    # An enterprise that came to the desk, without a CCCD number; its draft is the officer's.
    enterprise = Applicant.objects.create(
        kind=Applicant.Kind.ENTERPRISE,
        full_name="Lê Thị Đến Quầy",
        enterprise_name="Cơ sở kẹo dừa Thanh Long",
        tax_code="1300123456",
        phone="0275 382 1234",
        email="keodua@example.vn",
        address="Ấp Phú Lợi",
        unit=cast.units.commune,
        consent_at=timezone.now(),
    )
    world.file(applicant=enterprise, by=officer, channel=Dossier.Channel.IN_PERSON, submit=False)
    orphan = world.file()
    Dossier.objects.filter(pk=orphan.pk).update(handling_team=None)
    # A step the model allows to leave blank, by nobody (an older row): both present as null.
    DossierEvent.objects.create(dossier=orphan, actor=None, action="note", note="Ghi chú của hệ thống")
    received = world.at(Status.RECEIVED)
    use = review_document(use=world.live_use(received), by=officer, accepted=True)
    Document.objects.filter(pk=use.document_id).update(valid_until=D(2027, 12, 31))
    raise_inquiry(dossier=world.dossier, by=cast.applicant, question="Khi nào tiếp nhận?")
    answered = raise_inquiry(dossier=received, by=cast.applicant, question="Cần bản gốc không?")
    reply_to_inquiry(inquiry=answered, by=officer, reply="Chỉ cần bản sao.")
    Inquiry.objects.filter(pk=answered.pk).update(escalated_at=timezone.now())
    # An open procedure whose first version is not in force yet: it has no current version.
    future = Procedure.objects.create(
        code="ho-tro-sap-mo", name="Hỗ trợ sắp mở", audience="startup", handling_team_kind="commune_team"
    )
    ProcedureVersion.objects.create(
        procedure=future, number=1, effective_from=D(2027, 1, 1), statutory_working_days=5
    )


def fill_ground(world: Dossiers) -> None:
    """Units, teams, members, targets, activities, policies and reports, each optional field both ways."""
    cast = world.cast
    former = AdminUnitFactory(
        code="99102",
        name="Xã Sơn Định Cũ",
        parent=cast.units.district,
        valid_from=D(2004, 1, 1),
        valid_until=D(2025, 6, 30),
    )
    former.successors.add(cast.units.commune)
    ended = TeamFactory(
        name="Tổ hỗ trợ xã Sơn Định cũ",
        unit=former,
        parent=cast.teams.district,
        active_from=D(2016, 7, 1),
        active_until=D(2025, 6, 30),
    )
    MembershipFactory(team=ended, user=UserFactory(), joined_on=D(2016, 7, 1), left_on=D(2025, 6, 30))
    MembershipFactory(
        team=cast.teams.commune, user=UserFactory(), joined_on=D(2024, 1, 1), position="Tổ viên"
    )
    Target.objects.create(unit=cast.units.commune, year=2026, measure=DOSSIERS_RECEIVED, value=120)

    common = {"team": cast.teams.commune, "unit": cast.units.commune, "recorded_by": cast.commune_officer}
    outreach = Activity.objects.create(
        **common,
        kind=Activity.Kind.OUTREACH,
        held_on=D(2026, 11, 2),
        people_reached=80,
        topics="Vay vốn Quỹ khởi nghiệp",
        notes="Hội Phụ nữ xã phối hợp",
        channel=Activity.Channel.MASS_ORGANISATION,
        mass_organisation=Activity.MassOrganisation.OTHER,
        mass_organisation_other="Hội Người cao tuổi",
    )
    ActivityAttachment.objects.create(
        activity=outreach,
        file=ContentFile(PDF_BYTES, name="bien-ban.pdf"),
        original_name="bien-ban.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
        uploaded_by=cast.commune_officer,
    )
    Activity.objects.create(**common, kind=Activity.Kind.TRAINING, held_on=D(2026, 11, 3), topics="Kế toán")
    Activity.objects.create(
        **common,
        kind=Activity.Kind.REVIEW_MEETING,
        held_on=D(2026, 11, 4),
        topics="Sơ kết quý III",
        review_kind=Activity.ReviewKind.INTERIM,
        lessons_learned="Cần tuyên truyền qua mạng xã hội",
    )
    Activity.objects.create(
        team=cast.teams.district,
        unit=cast.units.commune,
        recorded_by=cast.district_officer,
        kind=Activity.Kind.SUPPORT_VISIT,
        held_on=D(2026, 11, 5),
        topics="Hướng dẫn hồ sơ",
        supported_team=cast.teams.commune,
    )

    decree = PolicyDocument.objects.create(
        number="80/2021/NĐ-CP",
        kind=PolicyDocument.Kind.DECREE,
        title="Hỗ trợ doanh nghiệp nhỏ và vừa",
        issuer="Chính phủ",
        signed_on=D(2021, 8, 26),
        effective_from=D(2021, 10, 15),
        summary="Hỗ trợ tư vấn, đào tạo",
        file=ContentFile(PDF_BYTES, name="nd-80.pdf"),
    )
    earlier = PolicyDocument.objects.create(
        number="39/2018/NĐ-CP",
        kind=PolicyDocument.Kind.DECREE,
        title="Quy định chi tiết Luật Hỗ trợ DNNVV",
        issuer="Chính phủ",
        signed_on=D(2018, 3, 11),
        effective_from=D(2018, 3, 11),
        expires_on=D(2021, 10, 15),
        summary="Đã được thay thế",
        tags="dnnvv, hỗ trợ",
        replaced_by=decree,
    )
    earlier.procedures.set([world.procedure])
    Entitlement.objects.create(
        code="tu-van-ho-so",
        name="Tư vấn hồ sơ miễn phí",
        description="Tư vấn hồ sơ đăng ký",
        audience="household_business",
        effective_from=D(2021, 10, 15),
        conditions=[{"fact": "is_registered_household_business", "op": "==", "value": True}],
        governing_document=decree,
        procedure=world.procedure,
    )
    Entitlement.objects.create(
        code="dao-tao-cu",
        name="Đào tạo khởi sự",
        description="Khóa đào tạo",
        audience="startup",
        effective_from=D(2018, 3, 11),
        effective_until=D(2021, 10, 14),
        governing_document=earlier,
    )

    commune_report(cast)  # built, asked for by the commune officer
    ReviewReport.objects.create(
        unit=cast.units.province,
        period_kind=PeriodKind.ANNUAL,
        period_first=D(2025, 1, 1),
        period_last=D(2025, 12, 31),
        status=ReviewReport.Status.READY,
        progress=100,
        built_at=timezone.now(),
        data={"schema": 1, "sections": []},
        number="12/BC-HĐTV",
        lessons_learned="Đồng bộ hơn giữa các tổ",
        finalised_at=timezone.now(),
        finalised_by=cast.standing_officer,
    )
    ReviewReport.objects.create(
        unit=cast.units.commune,
        period_kind=PeriodKind.MONTHLY,
        period_first=D(2026, 10, 1),
        period_last=D(2026, 10, 31),
        requested_by=cast.commune_officer,
    )


def fill_imports(cast) -> None:
    """Imports previewed, confirmed and still being read, so each optional field is seen both ways."""
    commune, officer = cast.units.commune, cast.commune_officer

    def start(number: str) -> HouseholdBusinessImport:
        return imports.start_import(by=officer, unit=commune, upload=xlsx(row(number)), on_duplicate="skip")

    start("56A8100001")
    imports.confirm_import(upload=start("56A8100002"), by=officer)
    with (
        mock.patch.object(imports, "PREVIEW_IN_REQUEST", 0),
        mock.patch.object(imports.preview_import, "delay", lambda import_id: None),
    ):
        start("56A8100003")


@pytest.fixture
def world(dossiers) -> Dossiers:
    fill_dossiers(dossiers)
    fill_ground(dossiers)
    fill_conversions(dossiers.cast)
    fill_imports(dossiers.cast)
    fill_projects(dossiers.cast)
    fill_fund(dossiers.cast)
    return dossiers_for(dossiers.cast)


# --- The schema as JSON Schema -----------------------------------------------------------------------------


def openapi_document() -> dict:
    """The OpenAPI document the portal serves, as plain JSON."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(json.dumps(schema, cls=DjangoJSONEncoder))


def as_json_schema(node):
    """OpenAPI 3.0's ``nullable: true`` in JSON Schema: the schema, or null."""
    if isinstance(node, list):
        return [as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: as_json_schema(value) for key, value in node.items() if key != "nullable"}
    return {"anyOf": [converted, {"type": "null"}]} if node.get("nullable") is True else converted


def response_validator(document: dict, operation: dict, status_code: int) -> Draft7Validator | None:
    """The validator of the body the operation declares for ``status_code`` (None: no body declared)."""
    declared = operation["responses"].get(str(status_code))
    assert declared is not None, f"{operation['operationId']} does not declare {status_code}"
    content = declared.get("content", {}).get("application/json")
    if content is None:
        return None
    root = {
        "allOf": [as_json_schema(content["schema"])],
        "components": as_json_schema(document["components"]),
    }
    return Draft7Validator(root, format_checker=Draft7Validator.FORMAT_CHECKER)


def nullable_properties(document: dict, operations: dict[str, dict]) -> set[str]:
    """The names of the properties the operations' 200 answers may give null for."""
    schemas = document["components"]["schemas"]
    reached: set[str] = set()
    pending = [
        operation["responses"]["200"]["content"]["application/json"] for operation in operations.values()
    ]
    while pending:
        node = pending.pop()
        if isinstance(node, list):
            pending += node
        elif isinstance(node, dict):
            name = node.get("$ref", "").removeprefix("#/components/schemas/")
            if name and name not in reached:
                reached.add(name)
                pending.append(schemas[name])
            pending += node.values()
    return {
        name
        for component in reached
        for name, prop in schemas[component].get("properties", {}).items()
        if prop.get("nullable") is True
    }


def record_values(body, seen: dict[str, set[bool]]) -> None:
    """For every property anywhere in ``body``: whether it was seen null, and whether it was seen set."""
    if isinstance(body, list):
        for item in body:
            record_values(item, seen)
    elif isinstance(body, dict):
        for name, value in body.items():
            seen[name].add(value is None)
            record_values(value, seen)


def urls_of(path: str) -> list[str]:
    """The URLs to read for an operation's path: itself, or once for each row of its model."""
    if "{id}" not in path:
        return [path, f"{path}?page_size=1&page=2"]
    parts = path.split("/")
    model = HouseholdBusinessImport if parts[4] == "imports" else MODELS[parts[3]]
    return [path.replace("{id}", str(pk)) for pk in model.objects.order_by("pk").values_list("pk", flat=True)]


def json_get_operations(document: dict) -> dict[str, dict]:
    """The GET operations whose 200 answer is JSON (the report files are DOCX and XLSX)."""
    return {
        path: methods["get"]
        for path, methods in document["paths"].items()
        if "get" in methods and "application/json" in methods["get"]["responses"]["200"].get("content", {})
    }


# --- The test ----------------------------------------------------------------------------------------------


def test_every_list_and_detail_answer_agrees_with_the_schema(world):
    document = openapi_document()
    operations = json_get_operations(document)
    assert not [path for path in operations if re.search(r"{(?!id})", path)], "a path parameter to fill"
    answered: dict[str, set[int]] = defaultdict(set)
    seen: dict[str, set[bool]] = defaultdict(set)
    disagreements = []
    for role in READERS:
        client = APIClient()
        client.force_login(getattr(world.cast, role))
        for path, operation in operations.items():
            for url in urls_of(path):
                response = client.get(url, HTTP_ACCEPT="application/json")
                answered[path].add(response.status_code)
                validator = response_validator(document, operation, response.status_code)
                body = response.json()
                if validator is not None:
                    disagreements += [
                        f"{role} GET {url} {response.status_code}: {error.json_path}: {error.message}"
                        for error in validator.iter_errors(body)
                    ]
                if response.status_code == 200:
                    record_values(body, seen)
    assert disagreements == []
    # Each operation answered 200 to someone, and every nullable property was both null and set.
    assert [path for path in operations if 200 not in answered[path]] == []
    untried = {
        name: "never null" if True not in seen[name] else "never set"
        for name in nullable_properties(document, operations)
        if seen[name] != {True, False}
    }
    assert untried == {}
