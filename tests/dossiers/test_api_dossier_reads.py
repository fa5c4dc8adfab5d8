"""Reading dossiers in the API: filters and order, masked personal data, a dossier's
presentation with its checklist and timeline, and the list endpoints' query counts.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dossiers.models import DocumentKind, Dossier, DossierDocument, Procedure, ProcedureVersion, Requirement
from portal.models.people import today
from tests.conftest import Cast
from tests.dossiers.api_helpers import *  # noqa: F403 (the isolated fixture)
from tests.dossiers.api_helpers import (
    NATIONAL_ID,
    PHONE,
    PROCEDURE_CODE,
    api,
    applicant_of,
    catalogue,
    copy_requirement,
    give_document,
    ids,
    make_dossier,
    make_inquiry,
    plan_requirement,
    upload,
    walk_in,
)

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
    assert set(malformed.json()["errors"]) == {"status", "unit", "due_before"}
    assert malformed.json()["errors"]["unit"] == ["Enter a whole number."]


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
        # The council oversees: it reads every dossier of the province, masked.
        ("council_member", False),
        ("standing_officer", True),
        ("commune_officer", True),
        ("applicant", True),
        ("fund_officer", False),
        ("district_officer", False),
    ],
)
def test_personal_data_is_masked_but_for_processors_and_the_applicant(cast, role, sees_in_full):
    dossier = make_dossier(cast, "received")
    client = api(getattr(cast, role))
    masked = ("••••••••1234", "••••••5678", "••••••")
    expected = (NATIONAL_ID, PHONE, "Ấp Phú Hữu") if sees_in_full else masked
    listed = client.get(reverse("api:dossier-list")).json()["results"][0]["applicant"]
    detail = client.get(reverse("api:dossier-detail", args=[dossier.pk])).json()["applicant"]
    assert (listed["national_id"], listed["phone"], listed["address"]) == expected
    assert (detail["national_id"], detail["phone"], detail["address"]) == expected
    make_inquiry(cast, dossier)
    for response in (
        client.get(reverse("api:dossier-documents", args=[dossier.pk])),
        client.get(reverse("api:inquiry-list")),
    ):
        assert response.status_code == 200
        assert "phone" not in response.content.decode()
        assert "national_id" not in response.content.decode()


def test_a_list_masks_each_row_by_the_readers_part_in_it(cast):
    """The commune officer processes the dossiers their team handles, and reads the others of their
    commune masked: the rows of one list differ (one serializer of each kind writes them)."""
    handled = make_dossier(cast, "received")
    elsewhere = make_dossier(cast, "received")
    Dossier.objects.filter(pk=elsewhere.pk).update(handling_team=cast.teams.district)
    rows = api(cast.commune_officer).get(reverse("api:dossier-list")).json()["results"]
    found = {row["id"]: row["applicant"]["national_id"] for row in rows}
    assert found == {handled.pk: NATIONAL_ID, elsewhere.pk: "••••••••1234"}


def test_dossier_is_presented_with_its_checklist_and_timeline(cast):
    dossier = make_dossier(cast, "draft", with_document=False)
    # A draft is its applicant's: the district above does not find it until it is filed.
    assert api(cast.district_officer).get(reverse("api:dossier-detail", args=[dossier.pk])).status_code == 404
    response = api(cast.applicant).get(reverse("api:dossier-detail", args=[dossier.pk]))
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
            "national_id": NATIONAL_ID,
            "phone": PHONE,
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
    filed = api(cast.district_officer).get(reverse("api:dossier-detail", args=[dossier.pk])).json()
    assert (filed["is_draft"], filed["applicant"]["national_id"], filed["applicant"]["address"]) == (
        False,
        "••••••••1234",
        "••••••",
    )
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
