"""The conversion cases in the API: the pipeline step by step, its refusals, scope and query counts.

The role × route rows of these routes are in ``API_CONVERSION_ROWS`` below, run here the way the
shared table in tests/portal/test_role_routes.py runs its own.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from conversions.models import (
    Conversion,
    ConversionStep,
    FollowUpVisit,
    HouseholdBusiness,
    OutcomeChange,
    Stage,
)
from conversions.services import cases
from conversions.services.followups import record_visit
from portal.models import AuditRecord
from tests.conftest import Cast
from tests.conversions.fixtures import *  # noqa: F403 (the conversions and media_root fixtures)
from tests.conversions.fixtures import Conversions
from tests.conversions.test_api_registry import API_REGISTRY_READERS, API_REGISTRY_WRITERS, SIGNED_IN, world
from tests.portal.api_helpers import api, refused
from tests.role_table import Row, everyone

pytestmark = pytest.mark.django_db

D = datetime.date
LIST = "api:conversion-list"
DETAIL = "api:conversion-detail"


# --- The cast's cases, built on first use ------------------------------------------------------------------


@pytest.fixture
def conversions(cast, media_root) -> Conversions:
    """The fixtures' world, the one the rows' helpers build on (``world``)."""
    return world(cast)


def identified(cast: Cast) -> Conversion:
    world_ = world(cast)
    return cases.identify_candidate(business=world_.business, by=world_.officer, on=D(2026, 11, 2))


def advised(cast: Cast) -> Conversion:
    conversion = identified(cast)
    return cases.advise(conversion=conversion, by=world(cast).officer, on=D(2026, 11, 5))


def filed(cast: Cast) -> Conversion:
    world_ = world(cast)
    dossier = world_.conversion_dossier()
    return cases.link_dossier(
        conversion=advised(cast), dossier=dossier, by=world_.officer, on=D(2026, 11, 10)
    )


def registered(cast: Cast) -> Conversion:
    return world(cast).registered()


def first_visit(cast: Cast) -> tuple[int, int]:
    conversion = registered(cast)
    return conversion.pk, conversion.visits.get(months_after=1).pk


def step_url(name: str, make):
    return lambda cast: reverse(f"api:conversion-{name}", args=[make(cast).pk])


def visit_url(name: str):
    return lambda cast: reverse(f"api:conversion-{name}", args=first_visit(cast))


def list_url(cast: Cast) -> str:
    world(cast)
    return reverse(LIST)


API_CONVERSION_ROWS: dict[str, Row] = {
    LIST: Row("get", list_url, everyone(200, anonymous=403)),
    # The commune's writers open a case; the council, the fund and the owner see the record and get 403, and
    # for the rest of the cast its id is unknown (400).
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
            applicant=403,
        ),
        data=lambda cast: {"household_business": world(cast).business.pk},
    ),
    DETAIL: Row("get", lambda cast: reverse(DETAIL, args=[identified(cast).pk]), API_REGISTRY_READERS),
    "api:conversion-advise": Row(
        "post", step_url("advise", identified), API_REGISTRY_WRITERS, data=lambda cast: {"on": "2026-11-17"}
    ),
    "api:conversion-link-dossier": Row(
        "post",
        step_url("link-dossier", advised),
        API_REGISTRY_WRITERS,
        data=lambda cast: {"dossier": world(cast).conversion_dossier().pk},
    ),
    "api:conversion-register": Row(
        "post",
        step_url("register", filed),
        API_REGISTRY_WRITERS,
        data=lambda cast: {
            "enterprise_code": "1300654321",
            "enterprise_name": "Công ty TNHH Kẹo dừa Tư Nộp",
            "registered_on": "2026-11-16",
            "insured_workers": 6,
            "yearly_revenue": 2_000_000_000,
        },
    ),
    "api:conversion-correct": Row(
        "post", step_url("correct", advised), API_REGISTRY_WRITERS, data=lambda cast: {"reason": "Nhầm hộ"}
    ),
    "api:conversion-outcomes": Row(
        "post",
        step_url("outcomes", registered),
        API_REGISTRY_WRITERS,
        data=lambda cast: {"outcome": "suspended", "since": "2026-11-01", "reasons": ["capital"]},
    ),
    "api:conversion-entitlements": Row("get", step_url("entitlements", registered), API_REGISTRY_READERS),
    "api:conversion-visit": Row(
        "post",
        visit_url("visit"),
        API_REGISTRY_WRITERS,
        data=lambda cast: {"done_on": "2024-07-12", "channel": "phone", "finding": "operating"},
    ),
    "api:conversion-visit-reschedule": Row(
        "post",
        visit_url("visit-reschedule"),
        API_REGISTRY_WRITERS,
        data=lambda cast: {"due_on": "2026-12-01", "reason": "Chủ doanh nghiệp đi vắng"},
    ),
    "api:conversion-visit-skip": Row(
        "post",
        visit_url("visit-skip"),
        API_REGISTRY_WRITERS,
        data=lambda cast: {"reason": "Đã gặp ở hội nghị"},
    ),
}


def state():
    return (
        Conversion.objects.count(),
        sorted(Conversion.objects.values_list("stage", "dossier_id", "enterprise_code", "outcome")),
        ConversionStep.objects.count(),
        OutcomeChange.objects.count(),
        sorted(FollowUpVisit.objects.values_list("done_on", "due_on", "skipped_reason")),
        AuditRecord.objects.count(),
    )


@pytest.mark.parametrize("role", Cast.ROLES)
@pytest.mark.parametrize("route_name", sorted(API_CONVERSION_ROWS))
def test_role_gets_the_expected_answer(cast, media_root, role, route_name):
    row = API_CONVERSION_ROWS[route_name]
    url, data = row.url(cast), row.data(cast)
    before = state()
    response = getattr(api(getattr(cast, role)), row.method)(url, data, format="json")
    assert response.status_code == row.expected[role], f"{role} {row.method.upper()} {url}: {response.json()}"
    if row.method == "post" and response.status_code >= 400:
        assert state() == before, "a refused write changed something"


# --- The pipeline ------------------------------------------------------------------------------------------


def post(client, name: str, pk: int, data: dict, *, visit: int | None = None):
    args = [pk] if visit is None else [pk, visit]
    response = client.post(reverse(f"api:conversion-{name}", args=args), data, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def test_a_case_goes_through_the_pipeline(conversions):
    client = api(conversions.officer)
    response = client.post(
        reverse(LIST), {"household_business": conversions.business.pk, "on": "2024-05-01"}, format="json"
    )
    assert response.status_code == 201, response.json()
    case = response.json()
    pk = case["id"]
    assert (case["stage"], case["opened_on"], case["dossier"], case["registered_on"]) == (
        "identified",
        "2024-05-01",
        None,
        None,
    )
    # Before registration: today's rules with the household's workers; no size yet.
    assert case["eligibility"]["on"] == "2026-11-18"
    assert (case["size_class"], case["size_reason"]) == (None, None)

    assert post(client, "advise", pk, {"on": "2024-05-11"})["stage"] == "advised"
    dossier = conversions.conversion_dossier()
    case = post(client, "link-dossier", pk, {"dossier": dossier.pk, "on": "2024-06-05"})
    assert case["dossier"] == {"id": dossier.pk, "code": dossier.code, "status": dossier.status}
    case = post(
        client,
        "register",
        pk,
        {
            "enterprise_code": "1300123456",
            "enterprise_name": "Công ty TNHH Kẹo dừa Tư Nộp",
            "registered_on": "2024-06-10",
            "insured_workers": 6,
            "yearly_revenue": 2_000_000_000,
        },
    )
    assert (case["stage"], case["enterprise_code"], case["registered_on"], case["outcome"]) == (
        "registered",
        "1300123456",
        "2024-06-10",
        "operating",
    )
    assert case["size_class"] == "micro"
    assert "80/2021" in case["size_reason"]
    assert case["eligibility"]["on"] == "2024-06-10"
    assert {
        result["entitlement"]["code"] for result in case["eligibility"]["results"] if result["applies"]
    } == {grant["entitlement"] for grant in case["entitlements"]}
    grants = {grant["entitlement"]: grant for grant in case["entitlements"]}
    assert (grants["mien-le-phi-mon-bai-3-nam"]["ends_on"], grants["mien-le-phi-mon-bai-3-nam"]["state"]) == (
        "2025-12-31",
        "expired",
    )
    assert grants["tu-van-thue-ke-toan-3-nam"] == grants["tu-van-thue-ke-toan-3-nam"] | {
        "starts_on": "2024-06-10",
        "ends_on": "2027-06-09",
        "state": "granted",
    }
    listed = client.get(reverse("api:conversion-entitlements", args=[pk])).json()
    assert listed == case["entitlements"]

    visits = {visit["months_after"]: visit for visit in case["visits"]}
    assert [visits[month]["due_on"] for month in (1, 3, 36)] == ["2024-07-10", "2024-09-10", "2027-06-10"]
    assert (visits[1]["is_overdue"], visits[36]["is_overdue"]) == (True, False)
    case = post(
        client,
        "visit",
        pk,
        {"done_on": "2024-07-12", "channel": "phone", "finding": "operating", "actions": "Hướng dẫn kê khai"},
        visit=visits[1]["id"],
    )
    visits = {visit["months_after"]: visit for visit in case["visits"]}
    assert (case["stage"], visits[1]["done_on"], visits[1]["is_overdue"], visits[1]["channel"]) == (
        "followed_up",
        "2024-07-12",
        False,
        "phone",
    )
    case = post(client, "visit-skip", pk, {"reason": "Đã gặp ở hội nghị"}, visit=visits[3]["id"])
    case = post(
        client,
        "visit-reschedule",
        pk,
        {"due_on": "2026-12-01", "reason": "Chủ đi vắng"},
        visit=visits[6]["id"],
    )
    visits = {visit["months_after"]: visit for visit in case["visits"]}
    assert (visits[3]["skipped_reason"], visits[3]["is_overdue"]) == ("Đã gặp ở hội nghị", False)
    assert (visits[6]["due_on"], visits[6]["is_overdue"]) == ("2026-12-01", False)

    case = post(
        client,
        "outcomes",
        pk,
        {"outcome": "reverted", "since": "2025-09-01", "reasons": ["taxes_accounting"]},
    )
    assert (case["stage"], case["outcome"], case["outcome_since"]) == ("outcome", "reverted", "2025-09-01")
    assert [(change["outcome"], change["since"], change["reasons"]) for change in case["outcomes"]] == [
        ("operating", "2024-06-10", []),
        ("reverted", "2025-09-01", ["taxes_accounting"]),
    ]
    assert [step["stage"] for step in case["steps"]] == [
        "identified",
        "advised",
        "filed",
        "registered",
        "followed_up",
        "outcome",
    ]
    assert HouseholdBusiness.objects.get(pk=conversions.business.pk).status == "operating"
    steps = AuditRecord.objects.filter(channel="api", actor=conversions.officer)
    assert steps.exists()


def test_a_correction_undoes_the_last_step_and_says_why(conversions):
    cast = conversions.cast
    conversion = advised(cast)
    case = post(api(conversions.officer), "correct", conversion.pk, {"reason": "Nhầm hộ"})
    assert case["stage"] == "identified"
    assert case["steps"][-1] | {"by": None, "recorded_at": None} == {
        "stage": "identified",
        "taken_on": "2026-11-18",
        "note": "Nhầm hộ",
        "is_correction": True,
        "by": None,
        "recorded_at": None,
    }


# --- Refusals ----------------------------------------------------------------------------------------------


def vietnamese(msgid: str, **values) -> str:
    with translation.override("vi"):
        return translation.gettext(msgid) % values if values else translation.gettext(msgid)


def refusal(client, name: str, pk: int, data: dict, *, visit: int | None = None):
    args = [pk] if visit is None else [pk, visit]
    before = state()
    response = client.post(reverse(f"api:conversion-{name}", args=args), data, format="json")
    assert state() == before, "a refused step changed something"
    return response.status_code, response.json()


REGISTRATION = {
    "enterprise_code": "1300654321",
    "enterprise_name": "Công ty TNHH Kẹo dừa Tư Nộp",
    "registered_on": "2026-11-16",
    "insured_workers": 6,
}


def test_a_step_out_of_order_is_a_409(conversions):
    conversion = identified(conversions.cast)
    with translation.override("vi"):
        detail = translation.gettext("The case is at “%(stage)s”: it cannot go to “%(next)s” now.") % {
            "stage": Stage.IDENTIFIED.label,
            "next": Stage.REGISTERED.label,
        }
    client = api(conversions.officer, language="vi")
    assert refusal(client, "register", conversion.pk, REGISTRATION) == (
        409,
        refused(detail, code="conflict", rule="out_of_order"),
    )
    code, body = refusal(client, "outcomes", conversion.pk, {"outcome": "dissolved", "since": "2026-11-01"})
    assert (code, body["code"], body["rule"]) == (409, "conflict", "not_registered")
    code, body = refusal(client, "correct", conversion.pk, {"reason": "Nhầm"})
    assert (code, body["rule"]) == (409, "nothing_to_undo")


def test_a_second_case_for_the_same_business_is_a_409(conversions):
    identified(conversions.cast)
    before = state()
    response = api(conversions.officer).post(
        reverse(LIST), {"household_business": conversions.business.pk}, format="json"
    )
    assert (response.status_code, response.json()["rule"]) == (409, "has_case")
    assert state() == before


@pytest.mark.parametrize("code", ["130012345", "13001234567", "13OO123456", "１３００１２３４５６"])
def test_an_enterprise_code_that_is_not_ten_digits_is_a_400(conversions, code):
    conversion = filed(conversions.cast)
    client = api(conversions.officer, language="vi")
    assert refusal(client, "register", conversion.pk, REGISTRATION | {"enterprise_code": code}) == (
        400,
        refused(vietnamese("An enterprise code is the 10-digit tax code."), rule="enterprise_code"),
    )


@pytest.mark.parametrize(
    ("name", "make", "data"),
    [
        ("advise", identified, {"on": "2026-11-19"}),
        ("register", filed, REGISTRATION | {"registered_on": "2026-11-19"}),
        ("correct", advised, {"on": "2026-11-19", "reason": "Nhầm"}),
    ],
)
def test_a_date_in_the_future_is_a_400(conversions, name, make, data):
    conversion = make(conversions.cast)
    client = api(conversions.officer, language="vi")
    assert refusal(client, name, conversion.pk, data) == (
        400,
        refused(vietnamese("The date cannot be in the future."), rule="future"),
    )


def test_a_visit_in_the_future_is_a_400(conversions):
    pk, visit = first_visit(conversions.cast)
    client = api(conversions.officer, language="vi")
    code, body = refusal(
        client,
        "visit",
        pk,
        {"done_on": "2026-11-19", "channel": "visit", "finding": "operating"},
        visit=visit,
    )
    assert (code, body) == (400, refused(vietnamese("The date cannot be in the future."), rule="future"))


def other_communes_registered_case(conversions: Conversions) -> Conversion:
    by = conversions.cast.other_commune_officer
    business = conversions.other_business
    conversion = cases.identify_candidate(business=business, by=by, on=D(2024, 5, 1))
    conversion = cases.advise(conversion=conversion, by=by, on=D(2024, 5, 11))
    dossier = conversions.conversion_dossier(business)
    conversion = cases.link_dossier(conversion=conversion, dossier=dossier, by=by, on=D(2024, 6, 5))
    return cases.register_enterprise(
        conversion=conversion,
        by=by,
        enterprise_code="1300777777",
        enterprise_name="Công ty TNHH Cây giống Năm Khác",
        registered_on=D(2024, 6, 10),
        insured_workers=3,
        yearly_revenue=900_000_000,
    )


def test_a_visit_of_another_communes_enterprise_is_a_404(conversions):
    mine = registered(conversions.cast)
    other = other_communes_registered_case(conversions)
    other_visit = other.visits.get(months_after=1).pk
    client = api(conversions.officer)
    body = {"done_on": "2024-07-12", "channel": "phone", "finding": "operating"}
    # Through the other commune's case, or through one's own with the other's visit: both unknown.
    assert refusal(client, "visit", other.pk, body, visit=other_visit)[0] == 404
    assert refusal(client, "visit", mine.pk, body, visit=other_visit)[0] == 404
    assert refusal(client, "visit-skip", mine.pk, {"reason": "x"}, visit=other_visit)[0] == 404
    assert client.get(reverse(DETAIL, args=[other.pk])).status_code == 404


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"household_business": "99999999999999999999999"}, "household_business"),
        ({"household_business": "²"}, "household_business"),
        ({"household_business": -1}, "household_business"),
        ({"on": "2026-02-30"}, "on"),  # with the commune's own business (ids differ between databases)
        ({"on": "1999-12-31"}, "on"),
        ({"note": "x" * 2001}, "note"),
    ],
)
def test_malformed_bodies_are_a_400_naming_the_field(conversions, data, field):
    data = {"household_business": conversions.business.pk} | data
    before = state()
    response = api(conversions.officer, language="vi").post(reverse(LIST), data, format="json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Một số dữ liệu gửi lên không hợp lệ")
    assert list(response.json()["errors"]) == [field]
    assert state() == before


def test_an_unknown_reason_or_outcome_is_a_400(conversions):
    conversion = registered(conversions.cast)
    client = api(conversions.officer, language="vi")
    code, body = refusal(client, "outcomes", conversion.pk, {"outcome": "gone", "since": "2026-11-01"})
    assert (code, list(body["errors"])) == (400, ["outcome"])
    data = {"outcome": "dissolved", "since": "2026-11-01", "reasons": ["weather"]}
    code, body = refusal(client, "outcomes", conversion.pk, data)
    assert (code, list(body["errors"])) == (400, ["reasons"])
    code, body = refusal(client, "outcomes", conversion.pk, data | {"reasons": []})
    assert (code, body["rule"]) == (400, "no_reason")


# --- The list ----------------------------------------------------------------------------------------------


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_the_list_is_scoped_and_filters(conversions):
    cast = conversions.cast
    mine = registered(cast)
    other = other_communes_registered_case(conversions)
    late = conversions.add("Lò kẹo Ba Hai", "56A8009999", national_id="083095009999")
    candidate = cases.identify_candidate(business=late, by=conversions.officer, on=D(2026, 11, 1))
    council = api(cast.council_member)
    assert sorted(ids(council.get(reverse(LIST)))) == sorted([mine.pk, other.pk, candidate.pk])
    assert sorted(ids(api(cast.commune_officer).get(reverse(LIST)))) == sorted([mine.pk, candidate.pk])
    assert ids(api(cast.applicant).get(reverse(LIST))) == [mine.pk]  # the owner's own
    assert ids(council.get(reverse(LIST), {"stage": "identified"})) == [candidate.pk]
    assert sorted(ids(council.get(reverse(LIST), {"unit": cast.units.district.pk}))) == sorted(
        [mine.pk, candidate.pk]
    )
    assert sorted(ids(council.get(reverse(LIST), {"outcome": "operating"}))) == sorted([mine.pk, other.pk])
    assert ids(council.get(reverse(LIST), {"registered_year": 2023})) == []
    assert sorted(ids(council.get(reverse(LIST), {"registered_year": 2024}))) == sorted([mine.pk, other.pk])
    assert ids(council.get(reverse(LIST), {"q": "KEO DUA TU NOP"})) == [mine.pk]


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("stage", "done"),
        ("outcome", "alive"),
        ("registered_year", "1999"),
        ("registered_year", "２０２４"),
        ("unit", "99999999999999999999999"),
        ("page", "-1"),
    ],
)
def test_an_unknown_filter_value_is_a_400_in_vietnamese(conversions, parameter, value):
    response = api(conversions.officer, language="vi").get(reverse(LIST), {parameter: value})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Một số dữ liệu gửi lên không hợp lệ")
    assert list(response.json()["errors"]) == [parameter]


# --- Query counts -----------------------------------------------------------------------------------------

N = 5


def add_cases(conversions: Conversions, count: int) -> None:
    for number in range(count):
        business = conversions.add(f"Hộ số {number}", f"56C{number:07d}", national_id=f"0830990{number:05d}")
        cases.identify_candidate(business=business, by=conversions.officer, on=D(2026, 11, 1))


@pytest.mark.parametrize("role", ["council_member", "commune_officer"])
@pytest.mark.parametrize("rows", [N, 10 * N])
def test_the_list_reads_a_fixed_number_of_queries(conversions, django_assert_num_queries, role, rows):
    add_cases(conversions, rows)
    client = api(getattr(conversions.cast, role))
    # the count for the paginator, the page of cases with their household business, unit and dossier
    with django_assert_num_queries(SIGNED_IN[role] + 2):
        response = client.get(reverse(LIST), {"page_size": 200})
    assert response.json()["count"] == rows


@pytest.mark.parametrize("visits", [6, 60])
def test_the_detail_reads_a_fixed_number_of_queries(conversions, django_assert_num_queries, visits):
    conversion = registered(conversions.cast)
    for month in range(37, 37 + visits - 6):
        FollowUpVisit.objects.create(conversion=conversion, months_after=month, due_on=D(2027, 7, 10))
    client = api(conversions.officer)
    # the case with its business, owner, units, dossier and opener; its steps, entitlements, visits
    # and outcomes; the entitlements in force on the registration day (the eligibility)
    with django_assert_num_queries(SIGNED_IN["commune_officer"] + 6):
        response = client.get(reverse(DETAIL, args=[conversion.pk]))
    assert len(response.json()["visits"]) == visits


# --- For the schema's agreement (tests/portal/test_api_schema_agreement.py) ---------------------------------


def fill_conversions(cast: Cast) -> None:
    """Records and cases whose optional fields are each empty in one and set in another."""
    world_ = world(cast)
    conversion = world_.registered()
    visit = conversion.visits.get(months_after=1)
    record_visit(visit=visit, by=world_.officer, done_on=D(2024, 7, 12), channel="visit", finding="capital")
    cases.record_outcome(
        conversion=conversion,
        by=world_.officer,
        outcome="suspended",
        since=D(2025, 3, 1),
        reasons=["capital"],
    )
    other = world_.add("Lò kẹo Ba Hai", "56A8009999", national_id="083095009999", revenue_band="under_500m")
    with_capital = world_.registered(other, on=D(2026, 1, 5), code="1300999999")
    Conversion.objects.filter(pk=with_capital.pk).update(capital=1_500_000_000)
    cases.identify_candidate(business=world_.other_business, by=cast.other_commune_officer, on=D(2026, 11, 2))
    world_.add("Tiệm may Bảy", "56A8007777", national_id="083095007777")  # no case
