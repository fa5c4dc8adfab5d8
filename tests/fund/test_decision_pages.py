"""The decision pages: a loan proposed through the form, a decision's page for each role, the maker's
check refused on the page, the second officer's approval carried out once for its key, rejection and
withdrawal, the People's Committee's number and date, the list's order, bad parameters and query count."""

import pytest
from django.urls import reverse
from django.utils import translation

from fund.models import Decision, DecisionKind, Level, Loan, LoanApplication, Status
from portal.money import dong
from tests.fund.fixtures import *  # noqa: F403
from tests.fund.test_loan_pages import add_loans, queries_of
from tests.projects.fixtures import in_english

pytestmark = pytest.mark.django_db


def approve(client, decision, key: str = "d1b2c3d4e5f6a7b8", **extra):
    return client.post(
        reverse("decision_approve", args=[decision.pk]),
        {"approve-note": "Đồng ý.", "approve-idempotency_key": key, **extra},
    )


# --- A loan proposed -------------------------------------------------------------------------------------


def test_the_proposal_form_is_prefilled_with_the_recommended_amount(fund_world, login):
    fund_world.recommended(110_000_000)
    response = login(fund_world.officer).get(
        reverse("decision_propose_loan", args=[fund_world.application.pk])
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form["amount"].value() == 110_000_000
    assert form["tranche_amount_1"].value() == 110_000_000
    assert form["term_months"].value() == 24


def test_a_loan_is_proposed_with_its_tranches_blank_rows_left_out(fund_world, login):
    fund_world.recommended(120_000_000)
    response = login(fund_world.officer).post(
        reverse("decision_propose_loan", args=[fund_world.application.pk]),
        {
            "amount": "120000000",
            "term_months": "24",
            "grace_months": "3",
            "method": "equal_principal",
            "period_months": "1",
            "tranche_amount_1": "80000000",
            "tranche_milestone_1": "Ký hợp đồng",
            "tranche_amount_3": "40000000",
            "tranche_milestone_3": "Xưởng xây xong",
            "reason": "Phương án khả thi.",
        },
    )
    decision = Decision.objects.get()
    assert response["Location"] == reverse("decision_detail", args=[decision.pk])
    assert decision.command["tranches"] == [[80_000_000, "Ký hợp đồng"], [40_000_000, "Xưởng xây xong"]]
    assert decision.command["grace_months"] == 3


def test_a_proposal_the_rules_refuse_comes_back_with_the_articles(fund_world, login):
    fund_world.recommended(120_000_000)
    client = in_english(login(fund_world.officer))
    response = client.post(
        reverse("decision_propose_loan", args=[fund_world.application.pk]),
        {
            "amount": "120000000",
            "term_months": "99",
            "grace_months": "0",
            "method": "equal_principal",
            "period_months": "1",
            "tranche_amount_1": "120000000",
            "tranche_milestone_1": "Ký hợp đồng",
            "reason": "Phương án khả thi.",
        },
    )
    assert response.status_code == 400
    assert "Điều 8" in response.content.decode()
    assert not Decision.objects.exists()


def test_junk_in_the_proposal_is_400(fund_world, login):
    fund_world.recommended(120_000_000)
    response = login(fund_world.officer).post(
        reverse("decision_propose_loan", args=[fund_world.application.pk]),
        {"amount": "١٢٠", "term_months": "9" * 30, "period_months": "2", "tranche_milestone_2": "x"},
    )
    assert response.status_code == 400
    assert not Decision.objects.exists()


@pytest.mark.parametrize(("role", "status"), [("council_member", 403), ("other_commune_officer", 404)])
def test_only_the_funds_officers_propose(fund_world, login, role, status):
    fund_world.recommended(120_000_000)
    client = login(getattr(fund_world.cast, role))
    assert (
        client.get(reverse("decision_propose_loan", args=[fund_world.application.pk])).status_code == status
    )


# --- A decision's page -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("council_member", 200),
        ("standing_officer", 200),
        ("commune_officer", 200),
        ("other_commune_officer", 404),
        ("other_applicant", 404),
    ],
)
def test_who_reads_a_decision_and_has_no_forms(fund_world, login, role, status):
    decision = fund_world.proposed()
    client = login(getattr(fund_world.cast, role))
    response = client.get(reverse("decision_detail", args=[decision.pk]))
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert 'id="approve-form"' not in page and 'id="withdraw-form"' not in page
        assert 'id="rule-checks"' in page


def test_anonymous_is_sent_to_sign_in(fund_world, client):
    decision = fund_world.proposed()
    response = client.get(reverse("decision_detail", args=[decision.pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_council_cannot_post_a_check(fund_world, login):
    decision = fund_world.proposed()
    client = login(fund_world.cast.council_member)
    assert approve(client, decision).status_code == 403
    assert (
        client.post(reverse("decision_reject", args=[decision.pk]), {"reject-note": "Không"}).status_code
        == 403
    )
    decision.refresh_from_db()
    assert decision.status == Decision.Status.PENDING


def test_the_command_is_shown_in_words(fund_world, login):
    decision = fund_world.proposed(tranches=[(70_000_000, "Ký hợp đồng"), (50_000_000, "Xưởng xây xong")])
    page = in_english(login(fund_world.checker)).get(reverse("decision_detail", args=[decision.pk])).content
    page = page.decode()
    with translation.override("en"):
        assert dong(120_000_000) in page
    assert "24 months" in page
    assert "Xưởng xây xong" in page
    assert "The fund&#x27;s board" in page
    assert 'id="approve-form"' in page


def test_the_maker_is_told_another_officer_must_check_and_their_check_is_refused(fund_world, login):
    decision = fund_world.proposed()
    client = in_english(login(fund_world.officer))
    page = client.get(reverse("decision_detail", args=[decision.pk])).content.decode()
    assert 'id="maker-notice"' in page and 'id="approve-form"' not in page and 'id="withdraw-form"' in page
    response = approve(client, decision)
    assert response.status_code == 400
    assert "You prepared this decision: another officer must check it" in response.content.decode()
    decision.refresh_from_db()
    assert decision.status == Decision.Status.PENDING
    assert not Loan.objects.exists()


def test_the_second_officer_approves_once_for_a_double_submit(fund_world, login):
    decision = fund_world.proposed()
    client = in_english(login(fund_world.checker))
    first = approve(client, decision)
    second = approve(client, decision)
    assert first.status_code == second.status_code == 302
    assert Loan.objects.filter(application=fund_world.application).count() == 1
    decision.refresh_from_db()
    assert decision.status == Decision.Status.APPROVED and decision.checked_by == fund_world.checker
    assert "already approved" in client.get(second["Location"]).content.decode()


def test_a_release_approved_through_the_page_posts_the_money(fund_world, login):
    loan = fund_world.approved_loan()
    client = login(fund_world.officer)
    client.post(
        reverse("tranche_release", args=[loan.pk]),
        {"release-tranche": loan.tranches.get().pk, "release-reason": "Giải ngân đợt 1."},
    )
    assert approve(login(fund_world.checker), fund_world.pending()).status_code == 302
    loan.refresh_from_db()
    assert loan.disbursed == 120_000_000 and loan.status == Loan.Status.ACTIVE


def test_above_the_boards_limit_the_committees_number_and_date_are_required(fund_world, login):
    LoanApplication.objects.filter(pk=fund_world.application.pk).update(project_cost=600_000_000)
    decision = fund_world.proposed(amount=250_000_000, term_months=36)
    assert decision.level == Level.PEOPLES_COMMITTEE
    client = in_english(login(fund_world.checker))
    page = client.get(reverse("decision_detail", args=[decision.pk])).content.decode()
    assert "approve-outside_number" in page
    assert approve(client, decision).status_code == 400
    assert (
        approve(
            client, decision, key="e1b2c3d4e5f6a7b8", **{"approve-outside_date": "31/02/2026"}
        ).status_code
        == 400
    )
    response = approve(
        client,
        decision,
        key="f1b2c3d4e5f6a7b8",
        **{"approve-outside_number": "123/QĐ-UBND", "approve-outside_date": "2026-11-17"},
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.outside_number == "123/QĐ-UBND" and decision.status == Decision.Status.APPROVED


def test_a_rejection_needs_a_note_and_reopens_the_application(fund_world, login):
    decision = fund_world.proposed()
    client = login(fund_world.checker)
    assert client.post(reverse("decision_reject", args=[decision.pk]), {"reject-note": ""}).status_code == 400
    response = client.post(
        reverse("decision_reject", args=[decision.pk]), {"reject-note": "Thiếu tài sản bảo đảm."}
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == Decision.Status.REJECTED
    assert LoanApplication.objects.get(pk=fund_world.application.pk).status == Status.RECOMMENDED


def test_only_the_maker_withdraws(fund_world, login):
    decision = fund_world.proposed()
    assert login(fund_world.checker).post(reverse("decision_withdraw", args=[decision.pk])).status_code == 400
    assert login(fund_world.officer).post(reverse("decision_withdraw", args=[decision.pk])).status_code == 302
    decision.refresh_from_db()
    assert decision.status == Decision.Status.CANCELLED


# --- The list --------------------------------------------------------------------------------------------


def test_the_list_puts_what_waits_first_marked_for_the_checker(fund_world, login):
    loan = fund_world.approved_loan()
    decided = Decision.objects.get(kind=DecisionKind.APPROVE_LOAN)
    client = login(fund_world.officer)
    client.post(
        reverse("tranche_release", args=[loan.pk]),
        {"release-tranche": loan.tranches.get().pk, "release-reason": "Giải ngân đợt 1."},
    )
    waiting = fund_world.pending()
    checker = in_english(login(fund_world.checker))
    response = checker.get(reverse("decision_list"))
    assert [decision.pk for decision in response.context["page"]] == [waiting.pk, decided.pk]
    assert "waiting for you" in response.content.decode()
    maker_page = in_english(login(fund_world.officer)).get(reverse("decision_list")).content.decode()
    assert "waiting for you" not in maker_page
    filtered = checker.get(reverse("decision_list"), {"status": "approved", "kind": "approve_loan"})
    assert [decision.pk for decision in filtered.context["page"]] == [decided.pk]


@pytest.mark.parametrize("params", [{"status": "maybe"}, {"kind": "x"}, {"fund": "-1"}, {"page": "²"}])
def test_junk_parameters_answer_400(fund_world, login, params):
    assert login(fund_world.officer).get(reverse("decision_list"), params).status_code == 400


def test_the_list_costs_the_same_queries_for_ten_times_the_decisions(fund_world, login):
    def prepare(count: int) -> None:
        for loan in add_loans(fund_world, count):
            Decision.objects.create(
                fund=fund_world.fund,
                kind="recall",
                loan=loan,
                command={},
                reason="Sử dụng vốn sai mục đích.",
                prepared_by=fund_world.officer,
            )

    client = login(fund_world.checker)
    prepare(2)
    few = queries_of(client, reverse("decision_list"))
    prepare(18)
    assert (
        queries_of(client, reverse("decision_list")) == few
    )  # both warmed: the count kept (portal/paging.py)
    assert len(client.get(reverse("decision_list")).context["page"]) == 20
