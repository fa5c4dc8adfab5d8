"""The conversion cases' pages: the role × route rows, the whole pipeline through the pages, steps
refused with their Vietnamese message, follow-up visits (from a phone), the work list of visits due,
the follow-up schedule, what the owner sees, and query counts.

``CASE_ROWS`` are this area's rows of the role × route table (tests/portal/test_role_routes.py).
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from conversions.models import (
    Conversion,
    FollowUpVisit,
    Outcome,
    OutcomeChange,
    OutcomeReason,
    Stage,
    VisitSchedule,
)
from conversions.services import cases
from conversions.services.followups import record_visit
from portal.models import AuditRecord
from tests.conftest import Cast
from tests.conversions.fixtures import *  # noqa: F403 (the media_root fixture)
from tests.conversions.fixtures import Conversions
from tests.conversions.test_registry_pages import world
from tests.dossiers.fixtures import PDF_BYTES
from tests.portal.test_query_counts import SIGNED_IN
from tests.role_table import COMMUNE_READERS, Row, everyone

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 18)


def vi(message: str, **params) -> str:
    """``message`` as the pages show it: in Vietnamese once locale/ has it (its parameters too)."""
    with translation.override("vi"):
        return (
            gettext(message) % {name: str(value) for name, value in params.items()}
            if params
            else gettext(message)
        )


@pytest.fixture
def conversions(cast, media_root) -> Conversions:
    return world(cast)


def registered_case(cast: Cast) -> Conversion:
    """The cast applicant's household business, registered on 10/06/2024 (built on first use)."""
    shared = world(cast)
    if not hasattr(shared, "case"):
        shared.case = shared.registered()
    return shared.case


def candidate(cast: Cast) -> Conversion:
    """Another household business of the commune, just identified as a candidate (built on first use)."""
    shared = world(cast)
    if not hasattr(shared, "candidate"):
        business = shared.add(
            "Lò kẹo Ba Hai", "56A8009999", national_id="083095009999", registered_on=datetime.date(2020, 1, 2)
        )
        shared.candidate = cases.identify_candidate(business=business, by=cast.commune_officer, on=TODAY)
    return shared.candidate


def first_visit(cast: Cast) -> FollowUpVisit:
    return registered_case(cast).visits.get(months_after=1)


def visit_with_file(cast: Cast) -> FollowUpVisit:
    visit = registered_case(cast).visits.get(months_after=3)
    if visit.done_on is None:
        visit = record_visit(
            visit=visit,
            by=cast.commune_officer,
            done_on=datetime.date(2024, 9, 12),
            channel="visit",
            finding="operating",
            attachment=SimpleUploadedFile("bien-ban-tham.pdf", PDF_BYTES),
        )
    return visit


def state():
    return (
        AuditRecord.objects.count(),
        sorted(Conversion.objects.values_list("pk", "stage", "outcome")),
        sorted(FollowUpVisit.objects.values_list("pk", "due_on", "done_on", "skipped_reason")),
        VisitSchedule.objects.count(),
    )


CASE_READERS = COMMUNE_READERS | {"applicant": 200}
# Who moves the commune's cases: its team, the district team above it and the standing agency; the
# council and the fund read and move nothing (403), as does the owner, who reads their own case.
CASE_MOVERS = everyone(
    404,
    anonymous=302,
    council_member=403,
    applicant=403,
    standing_officer=302,
    district_officer=302,
    commune_officer=302,
    fund_officer=403,
)
OFFICIALS = everyone(200, anonymous=302, applicant=403, other_applicant=403)

CASE_ROWS: dict[str, Row] = {
    "conversion_list": Row("get", lambda cast: reverse("conversion_list"), everyone(200, anonymous=302)),
    "conversion_detail": Row(
        "get", lambda cast: reverse("conversion_detail", args=[registered_case(cast).pk]), CASE_READERS
    ),
    # The candidate is someone else's: the cast's applicant does not see it.
    "conversion_act:post": Row(
        "post",
        lambda cast: reverse("conversion_act", args=[candidate(cast).pk, "advise"]),
        CASE_MOVERS | {"applicant": 404},
        data=lambda cast: {"on": TODAY.isoformat(), "note": "Tư vấn thủ tục thành lập doanh nghiệp"},
    ),
    "conversion_visit": Row(
        "get", lambda cast: reverse("conversion_visit", args=[first_visit(cast).pk]), CASE_READERS
    ),
    "conversion_visit:post": Row(
        "post",
        lambda cast: reverse("conversion_visit", args=[first_visit(cast).pk]),
        CASE_MOVERS,
        data=lambda cast: {"done_on": TODAY.isoformat(), "channel": "phone", "finding": "operating"},
    ),
    "conversion_visit_reschedule": Row(
        "post",
        lambda cast: reverse("conversion_visit_reschedule", args=[first_visit(cast).pk]),
        CASE_MOVERS,
        data=lambda cast: {"due_on": "2026-12-01", "reason": "Chủ cơ sở đi vắng"},
    ),
    "conversion_visit_skip": Row(
        "post",
        lambda cast: reverse("conversion_visit_skip", args=[first_visit(cast).pk]),
        CASE_MOVERS,
        data=lambda cast: {"reason": "Đã gặp trong buổi tập huấn"},
    ),
    "conversion_visit_attachment": Row(
        "get",
        lambda cast: reverse("conversion_visit_attachment", args=[visit_with_file(cast).pk]),
        CASE_READERS,
    ),
    "conversion_visit_list": Row("get", lambda cast: reverse("conversion_visit_list"), OFFICIALS),
    "conversion_schedule": Row("get", lambda cast: reverse("conversion_schedule"), OFFICIALS),
    # Only the standing agency sets the schedule.
    "conversion_schedule:post": Row(
        "post",
        lambda cast: reverse("conversion_schedule"),
        everyone(403, anonymous=302, standing_officer=302),
        data=lambda cast: {"effective_from": "2027-01-01", "months": "1, 6, 12, 24", "note": "Rút gọn"},
    ),
}


@pytest.mark.parametrize("role", Cast.ROLES)
@pytest.mark.parametrize("route_name", sorted(CASE_ROWS))
def test_role_gets_the_expected_answer(cast, login, media_root, role, route_name):
    row = CASE_ROWS[route_name]
    url, data = row.url(cast), row.data(cast)
    client = login(getattr(cast, role))
    before = state()
    response = getattr(client, row.method)(url, data)
    assert response.status_code == row.expected[role], f"{role} {row.method.upper()} {url}"
    if row.method == "post" and response.status_code >= 400:
        assert state() == before, "a refused write changed something"


# --- The whole pipeline through the pages -----------------------------------------------------------------


def act(client, conversion: Conversion, action: str, data: dict):
    return client.post(reverse("conversion_act", args=[conversion.pk, action]), data)


def test_the_pipeline_through_the_pages(conversions, login):
    client = login(conversions.officer)
    business = conversions.business
    response = client.post(
        reverse("household_business_identify", args=[business.pk]),
        {"on": "2026-11-02", "note": "Đủ điều kiện"},
    )
    conversion = Conversion.objects.get(household_business=business)
    assert response["Location"] == reverse("conversion_detail", args=[conversion.pk])
    page = client.get(response["Location"])
    assert [name for name, _action, _form in page.context["actions"]] == ["advise"]

    assert act(client, conversion, "advise", {"on": "2026-11-05", "note": "Tư vấn lần 1"}).status_code == 302
    page = client.get(reverse("conversion_detail", args=[conversion.pk]))
    link_form = {name: form for name, _action, form in page.context["actions"]}["link-dossier"]
    assert list(link_form.fields["dossier"].queryset) == []  # the owner has filed nothing yet
    dossier = conversions.conversion_dossier()
    page = client.get(reverse("conversion_detail", args=[conversion.pk]))
    link_form = {name: form for name, _action, form in page.context["actions"]}["link-dossier"]
    assert list(link_form.fields["dossier"].queryset) == [dossier]
    assert (
        act(client, conversion, "link-dossier", {"dossier": dossier.pk, "on": "2026-11-10"}).status_code
        == 302
    )

    response = act(
        client,
        conversion,
        "register",
        {
            "enterprise_code": "1300123456",
            "enterprise_name": "Công ty TNHH Kẹo dừa Tư Nộp",
            "registered_on": "2026-11-17",
            "insured_workers": "6",
            "yearly_revenue": "2000000000",
            "capital": "",
        },
    )
    assert response.status_code == 302
    conversion.refresh_from_db()
    assert (conversion.stage, conversion.enterprise_code, conversion.size_class, conversion.outcome) == (
        Stage.REGISTERED,
        "1300123456",
        "micro",
        Outcome.OPERATING,
    )

    page = client.get(reverse("conversion_detail", args=[conversion.pk]))
    content = page.content.decode()
    assert [(mark.stage, mark.is_reached, mark.is_current) for mark in page.context["stage_bar"]] == [
        ("identified", True, False),
        ("advised", True, False),
        ("filed", True, False),
        ("registered", True, True),
        ("followed_up", False, False),
        ("outcome", False, False),
    ]
    assert [mark.step.taken_on if mark.step else None for mark in page.context["stage_bar"]] == [
        datetime.date(2026, 11, 2),
        datetime.date(2026, 11, 5),
        datetime.date(2026, 11, 10),
        datetime.date(2026, 11, 17),
        None,
        None,
    ]
    assert reverse("dossier_detail", args=[dossier.pk]) in content
    judgement = page.context["judgement"]
    assert page.context["is_registered_judgement"] is True
    assert (judgement.months_as_household, judgement.sizing.size) == (92, "micro")
    assert judgement.sizing.reason in content
    for result in judgement.results:
        for reason in result.reasons:
            assert reason.text in content
    grants = {grant.entitlement.code: grant for grant in page.context["entitlements"]}
    assert "mien-le-phi-mon-bai-3-nam" not in grants  # the licence-fee exemption ended on 31/12/2025
    assert grants["tu-van-thue-ke-toan-3-nam"].ends_on == datetime.date(2029, 11, 16)
    assert [visit.months_after for visit in page.context["visits"]] == [1, 3, 6, 12, 24, 36]
    assert [name for name, _action, _form in page.context["actions"]] == ["outcome", "correct"]

    visit = conversion.visits.get(months_after=1)
    form = client.get(reverse("conversion_visit", args=[visit.pk])).context["form"]
    assert form["done_on"].value() == TODAY  # today, unless changed
    response = client.post(
        reverse("conversion_visit", args=[visit.pk]),
        {
            "done_on": TODAY.isoformat(),
            "channel": "phone",
            "finding": "taxes_accounting",
            "actions": "Hướng dẫn kê khai thuế quý",
            "next_step": "Gửi mẫu sổ kế toán",
            "file": SimpleUploadedFile("anh.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 32),
        },
    )
    assert response["Location"] == reverse("conversion_detail", args=[conversion.pk])
    visit.refresh_from_db()
    assert (visit.done_on, visit.channel, visit.finding, visit.attachment_name, visit.recorded_by) == (
        TODAY,
        "phone",
        "taxes_accounting",
        "anh.jpg",
        conversions.officer,
    )
    conversion.refresh_from_db()
    assert conversion.stage == Stage.FOLLOWED_UP
    download = client.get(reverse("conversion_visit_attachment", args=[visit.pk]))
    assert download.status_code == 200

    response = act(
        client,
        conversion,
        "outcome",
        {
            "outcome": "suspended",
            "since": TODAY.isoformat(),
            "reasons": ["capital", "market"],
            "note": "Tạm nghỉ",
        },
    )
    assert response.status_code == 302
    conversion.refresh_from_db()
    assert (conversion.stage, conversion.outcome) == (Stage.OUTCOME, Outcome.SUSPENDED)
    change = OutcomeChange.objects.get(conversion=conversion, outcome=Outcome.SUSPENDED)
    assert change.reasons == ["capital", "market"]
    page = client.get(reverse("conversion_detail", args=[conversion.pk]))
    labels = [str(label) for label in page.context["outcomes"][-1].reason_labels]
    assert labels == [str(OutcomeReason.CAPITAL.label), str(OutcomeReason.MARKET.label)]
    for label in labels:
        assert label in page.content.decode()
    assert [name for name, _action, _form in page.context["actions"]] == ["outcome"]


def test_a_correction_is_shown_as_such(conversions, login):
    client = login(conversions.officer)
    conversion = candidate(conversions.cast)
    act(client, conversion, "advise", {"on": TODAY.isoformat()})
    response = act(client, conversion, "correct", {"on": TODAY.isoformat(), "reason": "Nhầm hộ"})
    assert response.status_code == 302
    page = client.get(reverse("conversion_detail", args=[conversion.pk]))
    assert [(step.stage, step.is_correction) for step in page.context["steps"]] == [
        ("identified", False),
        ("advised", False),
        ("identified", True),
    ]
    assert page.context["stage_bar"][0].step.is_correction is False
    assert "Nhầm hộ" in page.content.decode()
    refused = act(client, conversion, "correct", {"on": TODAY.isoformat(), "reason": "Lần nữa"})
    assert refused.status_code == 400


# --- Refusals ------------------------------------------------------------------------------------------


def test_a_step_out_of_order_is_refused_with_its_message(conversions, login):
    client = login(conversions.officer)
    conversion = candidate(conversions.cast)
    before = state()
    response = act(
        client,
        conversion,
        "register",
        {
            "enterprise_code": "1300999999",
            "enterprise_name": "Công ty TNHH Ba Hai",
            "registered_on": TODAY.isoformat(),
            "insured_workers": "3",
        },
    )
    assert response.status_code == 400
    with translation.override("vi"):
        expected = gettext("The case is at “%(stage)s”: it cannot go to “%(next)s” now.") % {
            "stage": Stage.IDENTIFIED.label,
            "next": Stage.REGISTERED.label,
        }
    assert expected in response.content.decode()
    assert state() == before
    # The page is shown again with the refused form kept where it belongs (the page offers "advise").
    assert response.context["actions"][0][0] == "advise"


@pytest.mark.parametrize("code", ["130012345", "13001234567", "13001234ab", "١٣٠٠١٢٣٤٥٦", ""])
def test_an_enterprise_code_that_is_not_ten_digits_is_refused(conversions, login, code):
    conversion = registered_case(conversions.cast)
    cases.correct_step(conversion=conversion, by=conversions.officer, on=TODAY, reason="Sai mã số")
    client = login(conversions.officer)
    before = state()
    response = act(
        client,
        conversion,
        "register",
        {
            "enterprise_code": code,
            "enterprise_name": "Công ty TNHH Kẹo dừa Tư Nộp",
            "registered_on": "2024-06-10",
            "insured_workers": "6",
        },
    )
    assert response.status_code == 400
    form = {name: form for name, _action, form in response.context["actions"]}["register"]
    assert form["enterprise_code"].value() == code
    if code:
        assert form.non_field_errors() == [vi("An enterprise code is the 10-digit tax code.")]
    assert state() == before


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("advise", {"on": "2026-11-19"}),  # the future
        ("advise", {"on": "31/11/2026"}),
        ("advise", {"on": "9999-01-01"}),
        ("link-dossier", {"dossier": "abc", "on": "2026-11-17"}),
        ("link-dossier", {"dossier": "99999999999999999999", "on": "2026-11-17"}),
        ("register", {"insured_workers": "٣"}),
        ("outcome", {"outcome": "gone"}),
        ("nonsense", {}),
    ],
)
def test_bad_input_on_a_step_is_400_or_404_never_500(conversions, login, action, data):
    conversion = candidate(conversions.cast)
    before = state()
    response = act(login(conversions.officer), conversion, action, data)
    assert response.status_code == (404 if action == "nonsense" else 400)
    assert state() == before


def test_a_dossier_of_someone_else_cannot_be_linked(conversions, login):
    conversion = candidate(conversions.cast)
    client = login(conversions.officer)
    act(client, conversion, "advise", {"on": TODAY.isoformat()})
    before = state()
    # The applicant's dossier is not among the choices for another owner's case.
    response = act(
        client,
        conversion,
        "link-dossier",
        {"dossier": conversions.conversion_dossier().pk, "on": "2026-11-18"},
    )
    assert response.status_code == 400
    assert state()[1:] == before[1:]


def test_unknown_cases_are_404(conversions, login):
    client = login(conversions.officer)
    assert client.get("/conversions/999999/").status_code == 404
    assert client.post("/conversions/999999/advise/", {"on": "2026-11-17"}).status_code == 404
    assert client.get("/conversions/visits/999999/").status_code == 404


# --- Follow-up visits ---------------------------------------------------------------------------------


def test_a_visit_of_another_communes_enterprise_is_404(conversions, login):
    visit = first_visit(conversions.cast)
    before = state()
    client = login(conversions.cast.other_commune_officer)
    data = {"done_on": TODAY.isoformat(), "channel": "visit", "finding": "operating"}
    assert client.post(reverse("conversion_visit", args=[visit.pk]), data).status_code == 404
    assert client.get(reverse("conversion_visit", args=[visit.pk])).status_code == 404
    assert state() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"done_on": "2026-11-19", "channel": "visit", "finding": "operating"},
            "The date cannot be in the future.",
        ),
        (
            {"done_on": "2024-06-01", "channel": "visit", "finding": "operating"},
            "A follow-up comes after the registration.",
        ),
    ],
)
def test_a_refused_visit_keeps_what_was_written(conversions, login, data, message):
    visit = first_visit(conversions.cast)
    before = state()
    response = login(conversions.officer).post(
        reverse("conversion_visit", args=[visit.pk]), data | {"actions": "Đã gọi điện"}
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [vi(message)]
    assert response.context["form"]["actions"].value() == "Đã gọi điện"
    assert state() == before


def test_a_file_that_is_not_a_photo_or_document_is_refused(conversions, login):
    visit = first_visit(conversions.cast)
    before = state()
    response = login(conversions.officer).post(
        reverse("conversion_visit", args=[visit.pk]),
        {
            "done_on": TODAY.isoformat(),
            "channel": "visit",
            "finding": "operating",
            "file": SimpleUploadedFile("virus.exe", b"MZ\x90\x00" * 8),
        },
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert state() == before


def test_a_visit_is_moved_or_skipped_with_a_reason(conversions, login):
    case = registered_case(conversions.cast)
    client = login(conversions.officer)
    first, second = case.visits.get(months_after=1), case.visits.get(months_after=3)
    response = client.post(
        reverse("conversion_visit_reschedule", args=[first.pk]), {"due_on": "2026-12-01", "reason": "Đi vắng"}
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.due_on, first.reschedule_reason) == (datetime.date(2026, 12, 1), "Đi vắng")
    refused = client.post(
        reverse("conversion_visit_reschedule", args=[second.pk]), {"due_on": "2026-11-01", "reason": "x"}
    )
    assert refused.status_code == 400
    assert refused.context["reschedule_form"].non_field_errors() == [
        vi("A visit is moved to today or later.")
    ]
    assert client.post(reverse("conversion_visit_skip", args=[second.pk]), {"reason": ""}).status_code == 400
    assert (
        client.post(reverse("conversion_visit_skip", args=[second.pk]), {"reason": "Gộp lần sau"}).status_code
        == 302
    )
    second.refresh_from_db()
    assert second.skipped_reason == "Gộp lần sau"
    # Once skipped, the visit is shown as it was; a second try is refused.
    page = client.get(reverse("conversion_visit", args=[second.pk]))
    assert page.context["form"] is None
    again = client.post(reverse("conversion_visit_skip", args=[second.pk]), {"reason": "Lần nữa"})
    assert again.status_code == 400
    assert vi("This visit has already been recorded or skipped.") in again.content.decode()


def test_the_work_list_has_the_visits_due_within_14_days_and_overdue(conversions, login, set_today):
    case = registered_case(conversions.cast)  # registered 10/06/2024: visits at 1, 3, 6, 12, 24, 36 months
    set_today(datetime.date(2025, 5, 30))
    client = login(conversions.officer)
    response = client.get(reverse("conversion_visit_list"))
    # Overdue: 1 (10/07/2024), 3 (10/09/2024), 6 (10/12/2024); due within 14 days: 12 (10/06/2025).
    assert [(visit.months_after, visit.is_overdue) for visit in response.context["page"]] == [
        (1, True),
        (3, True),
        (6, True),
        (12, False),
    ]
    record_visit(
        visit=case.visits.get(months_after=3),
        by=conversions.officer,
        done_on=datetime.date(2025, 5, 2),
        channel="visit",
        finding="operating",
    )
    response = client.get(reverse("conversion_visit_list"))
    assert [visit.months_after for visit in response.context["page"]] == [1, 6, 12]
    assert (
        login(conversions.cast.other_commune_officer)
        .get(reverse("conversion_visit_list"))
        .context["page"]
        .paginator.count
        == 0
    )
    assert (
        login(conversions.cast.council_member)
        .get(reverse("conversion_visit_list"))
        .context["page"]
        .paginator.count
        == 3
    )


def test_the_standing_agency_sets_a_new_schedule(conversions, login):
    client = login(conversions.cast.standing_officer)
    response = client.post(
        reverse("conversion_schedule"), {"effective_from": "2027-01-01", "months": "1, 6, 12, 24", "note": ""}
    )
    assert response.status_code == 302
    assert VisitSchedule.objects.get(effective_from=datetime.date(2027, 1, 1)).months == [1, 6, 12, 24]
    for months in ("1, 1, 6", "0, 6", "một, hai", "1, 121", ",".join(["1"] * 30)):
        before = state()
        refused = client.post(
            reverse("conversion_schedule"), {"effective_from": "2027-02-01", "months": months}
        )
        assert refused.status_code == 400, months
        assert state() == before
    past = client.post(reverse("conversion_schedule"), {"effective_from": "2026-01-01", "months": "1, 2"})
    assert past.context["form"].non_field_errors() == [
        vi("A new schedule starts today or later; visits already planned stay.")
    ]


# --- The owner -------------------------------------------------------------------------------------------


def test_the_owner_reads_their_case_without_forms(conversions, login):
    case = registered_case(conversions.cast)
    response = login(conversions.cast.applicant).get(reverse("conversion_detail", args=[case.pk]))
    assert response.status_code == 200
    assert response.context["actions"] == []
    assert response.context["is_owner"] is True
    content = response.content.decode()
    assert reverse("conversion_act", args=[case.pk, "outcome"]) not in content
    assert "visit.pk" not in content
    assert conversions.business.owner.national_id in content  # their own number, whole
    grants = {grant.entitlement.code for grant in response.context["entitlements"]}
    assert "tu-van-thue-ke-toan-3-nam" in grants
    # Only their own case on the list; another person's case is 404 to them.
    other = candidate(conversions.cast)
    listing = login(conversions.cast.applicant).get(reverse("conversion_list"))
    assert [row.pk for row in listing.context["page"]] == [case.pk]
    assert (
        login(conversions.cast.applicant).get(reverse("conversion_detail", args=[other.pk])).status_code
        == 404
    )


def test_the_council_sees_the_owners_numbers_masked(conversions, login):
    case = registered_case(conversions.cast)
    content = login(conversions.cast.council_member).get(reverse("conversion_detail", args=[case.pk])).content
    assert conversions.business.owner.national_id.encode() not in content


# --- The list ----------------------------------------------------------------------------------------------


def test_the_list_counts_each_stage_and_filters(conversions, login):
    case = registered_case(conversions.cast)
    other = candidate(conversions.cast)
    client = login(conversions.cast.council_member)
    response = client.get(reverse("conversion_list"))
    counts = {value: count for value, _label, count in response.context["stage_tabs"]}
    assert counts == {
        "identified": 1,
        "advised": 0,
        "filed": 0,
        "registered": 1,
        "followed_up": 0,
        "outcome": 0,
    }
    assert response.context["total"] == 2
    assert [
        row.pk for row in client.get(reverse("conversion_list"), {"stage": "identified"}).context["page"]
    ] == [other.pk]
    assert [
        row.pk for row in client.get(reverse("conversion_list"), {"registered_year": "2024"}).context["page"]
    ] == [case.pk]
    assert [
        row.pk for row in client.get(reverse("conversion_list"), {"outcome": "operating"}).context["page"]
    ] == [case.pk]
    assert [row.pk for row in client.get(reverse("conversion_list"), {"q": "ba hai"}).context["page"]] == [
        other.pk
    ]
    assert [
        row.pk for row in client.get(reverse("conversion_list"), {"q": "1300123456"}).context["page"]
    ] == [case.pk]
    # Counts keep to the other filters.
    response = client.get(reverse("conversion_list"), {"q": "ba hai", "stage": "registered"})
    assert {value: count for value, _label, count in response.context["stage_tabs"]}["identified"] == 1
    assert list(response.context["page"]) == []
    for params in ({"registered_year": "1999"}, {"registered_year": "abc"}, {"stage": "nope"}, {"unit": "x"}):
        assert client.get(reverse("conversion_list"), params).status_code == 400, params
    assert [
        row.pk
        for row in login(conversions.cast.other_commune_officer)
        .get(reverse("conversion_list"))
        .context["page"]
    ] == []


@pytest.fixture(params=[2, 20], ids=["N", "10N"])
def many_cases(request, conversions):
    officer = conversions.officer
    for number in range(request.param):
        business = conversions.add(
            f"Hộ kinh doanh số {number:03}", f"56C{number:07}", national_id=f"0830{number:08}"
        )
        conversion = cases.identify_candidate(business=business, by=officer, on=datetime.date(2026, 11, 1))
        if number % 2:
            cases.advise(conversion=conversion, by=officer, on=datetime.date(2026, 11, 2))
    return request.param


def test_list_page_query_count(conversions, login, django_assert_num_queries, many_cases):
    client = login(conversions.cast.council_member)
    # The page's own: 1 the counts per stage (one grouped query), 2 count for the paginator, 3 the page of
    # cases with their household business and commune, 4 the units of the unit filter.
    with django_assert_num_queries(SIGNED_IN + 4):
        response = client.get(reverse("conversion_list"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == many_cases


@pytest.fixture(params=[2, 20], ids=["N", "10N"])
def long_history(request, conversions):
    """A registered case whose enterprise was suspended and reopened N times, with N visits recorded."""
    case = registered_case(conversions.cast)
    officer = conversions.officer
    day = datetime.date(2024, 7, 1)
    for number in range(request.param):
        outcome = Outcome.SUSPENDED if number % 2 == 0 else Outcome.OPERATING
        cases.record_outcome(
            conversion=case,
            by=officer,
            outcome=outcome,
            since=day,
            reasons=["capital"] if number % 2 == 0 else [],
        )
        day += datetime.timedelta(days=30)
    return case


def test_case_page_query_count(conversions, login, django_assert_num_queries, long_history):
    client = login(conversions.cast.council_member)
    # The page's own: 1 the case with its business, owner, commune and dossier; 2 its steps with their
    # officers; 3 its visits with who recorded them; 4 its outcomes with their officers; 5 the
    # entitlements in force on the registration day (the judgement); 6 whether the reader sees the
    # dossier; 7 the entitlements granted.
    with django_assert_num_queries(SIGNED_IN + 7):
        response = client.get(reverse("conversion_detail", args=[long_history.pk]))
    assert response.status_code == 200
    assert len(response.context["outcomes"]) == long_history.outcomes.count()
