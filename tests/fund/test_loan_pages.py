"""The loan pages: the list and a loan's page for each role, the repayment form posted once for its
idempotency key, a refusal shown on the page, the tranche and change forms, bad parameters answered
400, and the list's query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dossiers.models import Dossier
from fund.models import Decision, DecisionKind, Loan, LoanApplication, Repayment, Tranche
from fund.services.loans import record_repayment
from tests.fund.fixtures import *  # noqa: F403
from tests.projects.fixtures import in_english

pytestmark = pytest.mark.django_db

RELEASED_ON = datetime.date(2026, 11, 18)


def add_loans(world, count: int, *, applicant=None, **state) -> list[Loan]:
    """``count`` more loans of the fund written straight into the tables (a dossier, an application and
    the loan with ``state``), for lists and figures; ``applicant`` (a dossiers Applicant) borrows."""
    applicant = applicant or world.shop.applicant
    loans = []
    for _number in range(count):
        dossier = Dossier.objects.create(
            procedure=world.dossier.procedure,
            procedure_version=world.dossier.procedure_version,
            applicant=applicant,
            filed_by=applicant.user,
            unit=applicant.unit,
            summary="Vay vốn",
        )
        application = LoanApplication.objects.create(
            dossier=dossier,
            fund=world.fund,
            regulation=world.regulation,
            unit=applicant.unit,
            sector="C",
            project_cost=400_000_000,
            amount=100_000_000,
            term_months=24,
            purpose="Mua máy",
            filed_on=datetime.date(2026, 1, 5),
            status="approved",
        )
        fields = {
            "amount": 100_000_000,
            "contract_on": datetime.date(2026, 2, 1),
            "status": Loan.Status.ACTIVE,
            "disbursed": 100_000_000,
            "outstanding": 100_000_000,
        }
        fields.update(state)
        loans.append(
            Loan.objects.create(
                application=application,
                fund=world.fund,
                regulation=world.regulation,
                contract_number=f"HĐ-THEM-{dossier.pk:04d}",
                borrower=applicant,
                unit=applicant.unit,
                sector="C",
                term_months=24,
                method="equal_principal",
                allocation_order=list(world.regulation.allocation_order),
                **fields,
            )
        )
    return loans


def queries_of(client, address: str, params=None) -> int:
    """How many queries a GET of ``address`` costs (once warmed: the session and the caches read)."""
    client.get(address, params)
    with CaptureQueriesContext(connection) as done:
        assert client.get(address, params).status_code == 200
    return len(done)


def post_repayment(client, loan, key: str, amount: int = 5_000_000):
    return client.post(
        reverse("loan_repayment", args=[loan.pk]),
        {"repayment-amount": amount, "repayment-paid_on": "2026-11-18", "repayment-idempotency_key": key},
    )


@pytest.fixture
def released(fund_world):
    return fund_world.released_loan(
        amount=150_000_000, tranches=[(100_000_000, "Ký hợp đồng"), (50_000_000, "Xưởng xây xong")]
    )


# --- Who reads and who acts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status", "forms"),
    [
        ("fund_officer", 200, True),
        ("council_member", 200, False),
        ("standing_officer", 200, False),
        ("commune_officer", 200, False),
        ("district_officer", 200, False),
        ("other_commune_officer", 404, False),
        ("other_district_officer", 404, False),
        ("applicant", 200, False),
        ("other_applicant", 404, False),
    ],
)
def test_a_loan_page_per_role(fund_world, released, login, role, status, forms):
    client = login(getattr(fund_world.cast, role))
    response = client.get(reverse("loan_detail", args=[released.pk]))
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert 'id="schedule"' in page
        assert ('id="repayment-form"' in page) is forms
        assert ('id="extension-form"' in page) is forms


def test_the_checker_acts_on_the_loan_too(fund_world, released, login):
    page = login(fund_world.checker).get(reverse("loan_detail", args=[released.pk])).content.decode()
    assert 'id="repayment-form"' in page


def test_anonymous_is_sent_to_sign_in(fund_world, released, client):
    for address in (reverse("loan_list"), reverse("loan_detail", args=[released.pk])):
        response = client.get(address)
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


@pytest.mark.parametrize("role", ["council_member", "commune_officer", "applicant"])
def test_who_only_reads_cannot_post_an_officers_form(fund_world, released, login, role):
    client = login(getattr(fund_world.cast, role))
    assert post_repayment(client, released, "k" * 32).status_code == 403
    response = client.post(
        reverse("loan_recall", args=[released.pk]), {"recall-reason": "Sử dụng vốn sai mục đích."}
    )
    assert response.status_code == 403
    assert not Repayment.objects.exists()
    assert not Decision.objects.filter(kind=DecisionKind.RECALL).exists()


def test_the_borrower_reads_their_schedule_without_officers_data(fund_world, released, login):
    record_repayment(loan=released, amount=6_000_000, paid_on=RELEASED_ON, by=fund_world.officer)
    client = in_english(login(fund_world.cast.applicant))
    page = client.get(reverse("loan_detail", args=[released.pk])).content.decode()
    assert "My loans" in page
    assert 'data-instalment="1"' in page
    assert "instalment 1" in page  # what the repayment paid
    assert fund_world.officer.get_full_name() not in page
    assert 'id="loan-decision-list"' not in page
    assert 'id="evidence-form-2"' in page  # the borrower submits the next tranche's evidence


# --- The list --------------------------------------------------------------------------------------------


def test_the_list_shows_an_officials_loans_and_a_borrowers_own(fund_world, released, login):
    other = add_loans(fund_world, 1, applicant=fund_world.shop.other_applicant)[0]
    officer_page = login(fund_world.officer).get(reverse("loan_list")).content.decode()
    assert released.contract_number in officer_page and other.contract_number in officer_page
    assert "Bùi Văn Nộp" in officer_page
    borrower = in_english(login(fund_world.cast.applicant))
    page = borrower.get(reverse("loan_list")).content.decode()
    assert "My loans" in page
    assert released.contract_number in page and other.contract_number not in page
    assert login(fund_world.cast.applicant).get(reverse("loan_detail", args=[other.pk])).status_code == 404
    commune = login(fund_world.cast.commune_officer).get(reverse("loan_list")).content.decode()
    assert released.contract_number in commune and other.contract_number not in commune


def test_the_list_filters(fund_world, released, login):
    late = add_loans(fund_world, 1, bucket="31-90", days_past_due=40, debt_group=2, at_risk=True)[0]
    client = login(fund_world.officer)

    def listed(**params) -> set[str]:
        response = client.get(reverse("loan_list"), params)
        assert response.status_code == 200
        return {loan.contract_number for loan in response.context["page"]}

    assert listed(at_risk="1") == {late.contract_number}
    assert listed(bucket="31-90") == {late.contract_number}
    assert listed(debt_group="2") == {late.contract_number}
    assert listed(q=released.contract_number) == {released.contract_number}
    assert listed(q="văn nộp") == {released.contract_number, late.contract_number}
    assert listed(status="active", fund=str(fund_world.fund.pk)) == {
        released.contract_number,
        late.contract_number,
    }


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "0"},
        {"fund": "x"},
        {"fund": "9" * 30},
        {"debt_group": "9"},
        {"at_risk": "yes"},
    ],
)
def test_junk_parameters_answer_400(fund_world, released, login, params):
    response = login(fund_world.officer).get(reverse("loan_list"), params)
    assert response.status_code == 400


def test_the_list_costs_the_same_queries_for_ten_times_the_loans(fund_world, login):
    client = login(fund_world.officer)
    add_loans(fund_world, 2)
    few = queries_of(client, reverse("loan_list"))
    add_loans(fund_world, 18)
    assert queries_of(client, reverse("loan_list")) == few  # both warmed: the count kept (portal/paging.py)
    assert len(client.get(reverse("loan_list")).context["page"]) == 20


# --- Repayments ------------------------------------------------------------------------------------------


def test_a_double_submitted_repayment_is_recorded_once(fund_world, released, login):
    client = in_english(login(fund_world.officer))
    first = post_repayment(client, released, "a1b2c3d4e5f6a7b8")
    second = post_repayment(client, released, "a1b2c3d4e5f6a7b8")
    assert first.status_code == second.status_code == 302
    assert Repayment.objects.filter(loan=released).count() == 1
    page = client.get(first["Location"]).content.decode()
    assert "already recorded" in page
    released.refresh_from_db()
    assert released.principal_repaid + released.interest_repaid == 5_000_000


def test_a_refused_repayment_comes_back_with_its_message(fund_world, released, login):
    client = in_english(login(fund_world.officer))
    response = post_repayment(client, released, "b1b2c3d4e5f6a7b8", amount=900_000_000)
    assert response.status_code == 400
    assert "owes at most" in response.content.decode()
    assert "Nothing was changed." in response.content.decode()
    assert not Repayment.objects.exists()
    form = response.context["repayment_form"]
    assert form["idempotency_key"].value() != "b1b2c3d4e5f6a7b8"  # the corrected request is a new one
    assert form["amount"].value() == "900000000"


def test_a_repayment_without_a_key_or_with_junk_is_400(fund_world, released, login):
    client = login(fund_world.officer)
    response = client.post(reverse("loan_repayment", args=[released.pk]), {"repayment-amount": "x"})
    assert response.status_code == 400
    assert not Repayment.objects.exists()


def test_a_repayment_is_reversed_through_the_page(fund_world, released, login):
    repayment = record_repayment(loan=released, amount=6_000_000, paid_on=RELEASED_ON, by=fund_world.officer)
    client = in_english(login(fund_world.officer))
    response = client.post(
        reverse("loan_repayment_reverse", args=[released.pk]),
        {
            "reversal-repayment": repayment.pk,
            "reversal-reason": "Ghi nhầm số tiền.",
            "reversal-idempotency_key": "c1b2c3d4e5f6a7b8",
        },
    )
    assert response.status_code == 302
    repayment.refresh_from_db()
    assert repayment.reversal_id and repayment.reversal_reason == "Ghi nhầm số tiền."
    page = client.get(response["Location"]).content.decode()
    assert "reversed" in page


# --- Tranches and changes --------------------------------------------------------------------------------


def test_a_tranche_goes_from_evidence_to_a_proposed_release(fund_world, released, login):
    tranche = released.tranches.get(number=2)
    borrower = login(fund_world.cast.applicant)
    response = borrower.post(
        reverse("tranche_evidence", args=[released.pk]),
        {"evidence-tranche": tranche.pk, "evidence-evidence": "Hóa đơn xây xưởng số 12."},
    )
    assert response.status_code == 302
    officer = login(fund_world.officer)
    response = officer.post(
        reverse("tranche_review", args=[released.pk]),
        {"review-tranche": tranche.pk, "review-accepted": "yes"},
    )
    assert response.status_code == 302
    tranche.refresh_from_db()
    assert tranche.evidence_state == Tranche.Evidence.ACCEPTED
    response = officer.post(
        reverse("tranche_release", args=[released.pk]),
        {"release-tranche": tranche.pk, "release-reason": "Đã xây xong xưởng."},
    )
    decision = Decision.objects.get(kind=DecisionKind.DISBURSE, tranche=tranche)
    assert response["Location"] == reverse("decision_detail", args=[decision.pk])


def test_a_rejection_without_a_note_is_refused_on_the_page(fund_world, released, login):
    tranche = released.tranches.get(number=2)
    Tranche.objects.filter(pk=tranche.pk).update(
        evidence="Hóa đơn", evidence_state=Tranche.Evidence.SUBMITTED
    )
    client = in_english(login(fund_world.officer))
    response = client.post(
        reverse("tranche_review", args=[released.pk]), {"review-tranche": tranche.pk, "review-accepted": "no"}
    )
    assert response.status_code == 400
    assert "Say what is wrong with the evidence." in response.content.decode()
    tranche.refresh_from_db()
    assert tranche.evidence_state == Tranche.Evidence.SUBMITTED


def test_another_borrower_cannot_submit_evidence(fund_world, released, login):
    tranche = released.tranches.get(number=2)
    response = login(fund_world.cast.other_applicant).post(
        reverse("tranche_evidence", args=[released.pk]),
        {"evidence-tranche": tranche.pk, "evidence-evidence": "Giả mạo"},
    )
    assert response.status_code == 404


def test_an_extension_and_a_freeze_are_proposed_for_the_second_officer(fund_world, released, login):
    client = login(fund_world.officer)
    response = client.post(
        reverse("loan_extension", args=[released.pk]),
        {"extension-extra_periods": "6", "extension-reason": "Thiên tai làm mất mùa."},
    )
    assert response.status_code == 302
    assert Decision.objects.get(kind=DecisionKind.EXTEND).command == {"extra_periods": 6, "months": 6}
    response = client.post(
        reverse("loan_freeze", args=[released.pk]),
        {"freeze-start": "2026-11-17", "freeze-months": "3", "freeze-reason": "Dịch bệnh."},
    )
    assert response.status_code == 400  # a freeze starts today or later
    assert not Decision.objects.filter(kind=DecisionKind.FREEZE).exists()
    response = client.post(
        reverse("loan_freeze", args=[released.pk]),
        {"freeze-start": "2026-11-20", "freeze-months": "99", "freeze-reason": "Dịch bệnh."},
    )
    assert response.status_code == 400
