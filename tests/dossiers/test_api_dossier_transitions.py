"""The one-stop shop's transitions in the API: every transition from every state, what their
bodies record, refusals that say why and change nothing; the dossier routes in the schema.
"""

import datetime

import pytest
import yaml
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse

from dossiers.models import Dossier, Procedure, ProcedureVersion, Requirement
from portal.models import AuditRecord
from portal.models.people import today
from tests.dossiers.api_helpers import *  # noqa: F403 (the isolated fixture)
from tests.dossiers.api_helpers import (
    DUE_IN_DAYS,
    NEW_DUE_DATE,
    STATES,
    Status,
    api,
    make_dossier,
    plan_requirement,
    state,
    walk_in,
)
from tests.portal.api_helpers import malformed, refused

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
    if state_name == "draft" and by != cast.applicant:
        # A draft is its applicant's until filed: the team that will handle it does not find it.
        assert response.status_code == 404
        assert state() == before
        return
    if state_name not in allowed_from:
        assert (response.status_code, response.json()) == (
            409,
            refused(refusal(transition, state_name), code="conflict"),
        )
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
    assert response.json() == refused(
        "This dossier already has an apology slip; it is issued once.", code="conflict"
    )
    assert state() == before


def test_the_officer_who_filed_may_not_rate_for_the_person(cast):
    dossier = make_dossier(cast, "result_returned", applicant=walk_in(cast))
    before = state()
    response = api(cast.commune_officer).post(
        reverse("api:dossier-rate", args=[dossier.pk]), BODIES["rate"](), format="json"
    )
    assert (response.status_code, response.json()) == (
        400,
        refused("Only the applicant can rate the service."),
    )
    assert state() == before


def test_submitting_without_the_mandatory_documents_is_refused(cast):
    dossier = make_dossier(cast, "draft", with_document=False)
    before = state()
    response = api(cast.applicant).post(reverse("api:dossier-submit", args=[dossier.pk]))
    assert response.json() == refused(
        "Some required documents are still missing: Kế hoạch kinh doanh.", code="conflict"
    )
    assert state() == before


@pytest.mark.parametrize(
    ("transition", "state_name", "body", "expected"),
    [
        ("refuse", "new", {}, malformed({"reason": ["This field is required."]})),
        ("refuse", "new", {"reason": "  "}, refused("Say why the dossier is not received.")),
        ("complete", "in_progress", {"result": ""}, refused("Write the decision.")),
        (
            "request-supplement",
            "received",
            {"missing": [], "note": "Thiếu"},
            refused("Choose at least one missing document."),
        ),
        (
            "request-supplement",
            "received",
            {"missing": "1", "note": "Thiếu"},
            malformed({"missing": ["Give a list of requirement ids."]}),
        ),
        (
            "apologise",
            "received",
            {"new_due_date": "31/12/2030", "reason": "Chậm"},
            malformed(
                {"new_due_date": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]}
            ),
        ),
        (
            "apologise",
            "received",
            {"new_due_date": "2020-01-01", "reason": "Chậm"},
            refused("The new date must come after the current due date."),
        ),
        ("rate", "result_returned", {"rating": 6}, refused("Give a rating from 1 to 5.")),
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
        malformed({"missing": {"1": ["This document is not one the dossier's procedure asks for."]}}),
    )
    assert state() == before


@pytest.mark.parametrize(
    ("role", "transition", "status"),
    [
        ("fund_officer", "receive", 403),
        ("district_officer", "complete", 403),
        ("applicant", "receive", 403),
        ("commune_officer", "withdraw", 403),
        # The council oversees and processes nothing; nor does it find a draft, which is the applicant's.
        ("council_member", "receive", 403),
        ("council_member", "submit", 404),
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
