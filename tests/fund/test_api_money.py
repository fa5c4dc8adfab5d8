"""Money through the API: every money request carries an ``Idempotency-Key``; a repeat gets the first
answer and posts nothing; a key sent again with another body, or without a key, is a 400; who prepared a
decision never checks it; a loan goes from its application to its repayments through the API alone."""

import datetime
import uuid

import pytest
from django.urls import reverse

from fund.idempotency import fingerprint
from fund.models import Decision, IdempotencyKey, Loan, Repayment, Transaction
from fund.services import capital
from tests.fund.fixtures import *  # noqa: F403 (the fund_world and media_root fixtures)
from tests.portal.api_helpers import api

pytestmark = pytest.mark.django_db

D = datetime.date


def key() -> str:
    return uuid.uuid4().hex


def post(client, url: str, data: dict, idempotency_key: str | None = None):
    headers = {"HTTP_IDEMPOTENCY_KEY": idempotency_key} if idempotency_key else {}
    return client.post(url, data, format="json", **headers)


def pledge(world):
    return capital.pledge(
        fund=world.fund,
        by=world.officer,
        source="enterprise",
        contributor="Công ty TNHH Dừa Xanh",
        pledged=200_000_000,
        pledged_on=D(2026, 11, 2),
    )


# --- Idempotency -------------------------------------------------------------------------------------------


def test_a_receipt_repeated_with_its_key_is_posted_once_and_answered_the_same(fund_world):
    contribution = pledge(fund_world)
    client = api(fund_world.officer)
    url = reverse("api:fund-contribution-receipts", args=[contribution.pk])
    body, sent_key = {"amount": 100_000_000, "received_on": "2026-11-17"}, key()
    before = Transaction.objects.count()

    first = post(client, url, body, sent_key)
    again = post(client, url, body, sent_key)

    assert first.status_code == 201, first.json()
    assert (again.status_code, again.json()) == (201, first.json())
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Transaction.objects.count() == before + 1
    assert first.json()["amount"] == 100_000_000
    assert first.json()["number"].startswith("PT-")


def test_a_money_request_without_a_key_is_a_400_and_posts_nothing(fund_world):
    contribution = pledge(fund_world)
    before = Transaction.objects.count()
    response = post(
        api(fund_world.officer, language="vi"),
        reverse("api:fund-contribution-receipts", args=[contribution.pk]),
        {"amount": 1_000_000, "received_on": "2026-11-17"},
    )
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["rule"]) == ("invalid", "idempotency_key")
    assert Transaction.objects.count() == before


def test_a_key_sent_again_with_another_body_is_a_400(fund_world):
    contribution = pledge(fund_world)
    client = api(fund_world.officer)
    url = reverse("api:fund-contribution-receipts", args=[contribution.pk])
    sent_key = key()
    assert post(client, url, {"amount": 1_000_000, "received_on": "2026-11-17"}, sent_key).status_code == 201
    before = Transaction.objects.count()

    response = post(client, url, {"amount": 2_000_000, "received_on": "2026-11-17"}, sent_key)

    assert response.status_code == 400
    assert response.json()["rule"] == "idempotency_key_reused"
    assert Transaction.objects.count() == before


def test_a_key_still_being_processed_is_a_409(fund_world):
    contribution = pledge(fund_world)
    sent_key = key()
    body = {"amount": 1_000_000, "received_on": D(2026, 11, 17)}
    IdempotencyKey.objects.create(
        user=fund_world.officer,
        key=sent_key,
        action="fund.receive",
        fingerprint=fingerprint("fund.receive", {**body, "contribution": contribution.pk}),
    )
    response = post(
        api(fund_world.officer),
        reverse("api:fund-contribution-receipts", args=[contribution.pk]),
        {"amount": 1_000_000, "received_on": "2026-11-17"},
        sent_key,
    )
    assert response.status_code == 409, response.json()
    assert response.json()["rule"] == "idempotency_key_in_progress"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount": "99999999999999999999999", "received_on": "2026-11-17"}, "amount"),
        ({"amount": -5, "received_on": "2026-11-17"}, "amount"),
        ({"amount": "١٠", "received_on": "2026-11-17"}, "amount"),
        ({"amount": 10, "received_on": "17/11/2026"}, "received_on"),
        ({"amount": 10, "received_on": "9999-01-01"}, "received_on"),
    ],
)
def test_a_malformed_money_body_is_a_400_naming_the_field(fund_world, body, field):
    contribution = pledge(fund_world)
    response = post(
        api(fund_world.officer),
        reverse("api:fund-contribution-receipts", args=[contribution.pk]),
        body,
        key(),
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


# --- Maker-checker -----------------------------------------------------------------------------------------


def test_who_prepared_a_decision_cannot_approve_it_and_its_refusal_is_kept_with_the_key(fund_world):
    decision = fund_world.proposed()
    client = api(fund_world.officer)
    url = reverse("api:fund-decision-approve", args=[decision.pk])
    sent_key = key()

    response = post(client, url, {}, sent_key)
    again = post(client, url, {}, sent_key)

    assert response.status_code == 409
    assert (response.json()["code"], response.json()["rule"]) == ("conflict", "maker_checker")
    assert (again.status_code, again.json()) == (409, response.json())
    assert not Loan.objects.exists()
    assert Decision.objects.get(pk=decision.pk).status == Decision.Status.PENDING


def test_the_second_officer_approves_once_however_often_the_request_is_sent(fund_world):
    loan = fund_world.approved_loan()
    client = api(fund_world.officer)
    proposed = client.post(
        reverse("api:loan-disbursements", args=[loan.pk]),
        {"tranche": 1, "reason": "Giải ngân"},
        format="json",
    )
    assert proposed.status_code == 201, proposed.json()
    checker = api(fund_world.checker)
    url = reverse("api:fund-decision-approve", args=[proposed.json()["id"]])
    sent_key, before = key(), Transaction.objects.count()

    first = post(checker, url, {"note": "Đồng ý"}, sent_key)
    again = post(checker, url, {"note": "Đồng ý"}, sent_key)

    assert first.status_code == 200, first.json()
    assert first.json()["status"] == "approved"
    assert (again.status_code, again.json(), again["Idempotent-Replayed"]) == (200, first.json(), "true")
    assert Transaction.objects.count() == before + 1
    assert Loan.objects.get(pk=loan.pk).disbursed == 120_000_000


# --- A loan through the API alone --------------------------------------------------------------------------


def test_from_the_application_to_a_reversed_repayment(fund_world):
    officer, checker = api(fund_world.officer), api(fund_world.checker)
    application = fund_world.application.pk

    def application_url(name: str, *args) -> str:
        return reverse(f"api:loan-application-{name}", args=[application, *args])

    assigned = officer.post(application_url("appraisers"), {"user": fund_world.officer.pk}, format="json")
    assert assigned.status_code == 201, assigned.json()
    appraiser = assigned.json()["id"]
    assert (
        officer.post(application_url("declare", appraiser), {"conflict": False}, format="json").status_code
        == 200
    )
    scores = [
        {"criterion": pk, "score": 8} for pk in fund_world.regulation.criteria.values_list("pk", flat=True)
    ]
    scored = officer.post(application_url("scores", appraiser), {"scores": scores}, format="json")
    assert scored.status_code == 200, scored.json()
    visit = {"visited_on": "2026-11-12", "findings": "Xưởng sạch, máy móc đủ"}
    assert officer.post(application_url("site-visits"), visit, format="json").status_code == 201
    recommendation = {"recommendation": "lend", "amount": 120_000_000, "note": "Khả thi"}
    recommended = officer.post(application_url("recommend"), recommendation, format="json")
    assert recommended.json()["status"] == "recommended"
    proposal = {
        "amount": 120_000_000,
        "term_months": 24,
        "method": "equal_principal",
        "period_months": 1,
        "tranches": [{"amount": 120_000_000, "milestone": "Ký hợp đồng"}],
        "reason": "Phương án khả thi",
    }
    proposed = officer.post(application_url("propose"), proposal, format="json")
    assert proposed.status_code == 201, proposed.json()
    approved = post(checker, reverse("api:fund-decision-approve", args=[proposed.json()["id"]]), {}, key())
    assert approved.status_code == 200, approved.json()
    loan = Loan.objects.get(application_id=application)
    release = officer.post(
        reverse("api:loan-disbursements", args=[loan.pk]),
        {"tranche": 1, "reason": "Giải ngân"},
        format="json",
    )
    post(checker, reverse("api:fund-decision-approve", args=[release.json()["id"]]), {}, key())

    repayments = reverse("api:loan-repayments", args=[loan.pk])
    paid = post(officer, repayments, {"amount": 5_300_000, "paid_on": "2026-11-18"}, key())
    assert paid.status_code == 201, paid.json()
    schedule = officer.get(reverse("api:loan-schedule", args=[loan.pk])).json()
    first = schedule["paid"][0]
    assert (first["number"], first["principal_paid"] + first["interest_paid"]) == (1, 5_300_000)
    reverse_url = reverse("api:loan-reverse-repayment", args=[loan.pk, paid.json()["id"]])
    reversed_ = post(officer, reverse_url, {"reason": "Ghi nhầm"}, key())
    assert reversed_.status_code == 200, reversed_.json()
    assert reversed_.json()["reversed"] is True
    assert Repayment.objects.get().reversal_id is not None
    assert [row["reversed"] for row in officer.get(repayments).json()["results"]] == [True]
