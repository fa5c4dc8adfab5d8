"""The dossier's services, tested directly: every transition from every state, the paused clock,
apologies, ratings.

Dates are fixed by moving the suite's clock (``freeze``); the calendar of
holidays is the one load_catalogue seeds. Once-only documents and the upload checks are in
test_dossier_services_documents.py; the morning job and the notifications' e-mail in
test_dossier_services_jobs.py.
"""

import inspect
from dataclasses import dataclass

import pytest
from django.utils import translation

from dossiers.models import Dossier, ProcedureVersion, Requirement
from dossiers.services import dossiers as services
from dossiers.services.documents import attach_document, review_document
from dossiers.transitions import STEPS
from portal.models import Notification
from portal.refusals import Refused
from tests.dossiers.service_helpers import *  # noqa: F403 (the freeze and world fixtures)
from tests.dossiers.service_helpers import (
    STATES,
    D,
    Status,
    World,
    dossier_in,
    draft,
    everything_about,
    expected_status,
    reload,
    upload,
)

pytestmark = pytest.mark.django_db


def test_the_states_are_what_they_say(world):
    for state in STATES:
        dossier = dossier_in(world, state)
        assert dossier.status == expected_status(state)
        assert dossier.is_draft == (state == "draft")


# Every service against every state.


@dataclass(frozen=True)
class Move:
    action: str
    legal_from: frozenset[str]
    to_status: str
    note: str = ""
    by_applicant: bool = False


MOVES = {
    "submit_dossier": Move("submit", frozenset({"draft"}), Status.NEW, by_applicant=True),
    "receive_dossier": Move("receive", frozenset({"new"}), Status.RECEIVED),
    "refuse_dossier": Move("refuse", frozenset({"new"}), Status.NOT_RECEIVED, "Thiếu chữ ký"),
    "start_processing": Move("start", frozenset({"received"}), Status.IN_PROGRESS),
    "request_supplement": Move(
        "request_supplement",
        frozenset({"received", "in_progress"}),
        Status.SUPPLEMENT_REQUESTED,
        "Bổ sung bản sao CCCD rõ nét",
    ),
    "supply_supplement": Move(
        "supply_supplement", frozenset({"supplement_requested"}), Status.IN_PROGRESS, by_applicant=True
    ),
    "request_payment": Move(
        "request_payment", frozenset({"in_progress"}), Status.PAYMENT_REQUESTED, "Phí 50.000 ₫"
    ),
    "confirm_payment": Move("confirm_payment", frozenset({"payment_requested"}), Status.IN_PROGRESS),
    "withdraw_dossier": Move(
        "withdraw",
        frozenset({"new", "received", "in_progress", "supplement_requested", "payment_requested"}),
        Status.WITHDRAWN,
        "Tôi không còn nhu cầu",
        by_applicant=True,
    ),
    "stop_dossier": Move(
        "stop",
        frozenset({"received", "in_progress", "supplement_requested", "payment_requested"}),
        Status.STOPPED,
        "Cơ sở đã giải thể",
    ),
    "complete_dossier": Move(
        "complete", frozenset({"in_progress"}), Status.DONE, "Đồng ý hỗ trợ 10 triệu đồng"
    ),
    "return_result": Move("return_result", frozenset({"done"}), Status.RESULT_RETURNED),
}


def call(world: World, service: str, dossier: Dossier):
    move = MOVES[service]
    by = world.applicant_user if move.by_applicant else world.officer
    arguments = {"dossier": dossier, "by": by}
    if service in ("refuse_dossier", "withdraw_dossier", "stop_dossier"):
        arguments["reason"] = move.note
    elif service in ("request_supplement", "request_payment"):
        arguments["note"] = move.note
    elif service == "complete_dossier":
        arguments["result"] = move.note
    if service == "request_supplement":
        arguments["missing"] = [world.identity]
    return getattr(services, service)(**arguments)


def test_the_table_covers_every_transition_of_the_services():
    status_steps = {name for name, step in STEPS.items() if step.to_status is not None}
    assert {move.action for move in MOVES.values()} == status_steps
    # Every step of the table has its service, which takes the step's inputs.
    assert set(services.SERVICES) == set(STEPS)
    for name, step in STEPS.items():
        parameters = inspect.signature(services.SERVICES[name]).parameters
        assert {"dossier", "by", *step.inputs} <= set(parameters), name


@pytest.mark.parametrize("service", sorted(MOVES))
@pytest.mark.parametrize("state", STATES)
def test_every_service_from_every_state(world, state, service):
    move = MOVES[service]
    dossier = dossier_in(world, state)
    events_before = dossier.events.count()

    if state in move.legal_from:
        call(world, service, dossier)
        dossier = reload(dossier)
        assert dossier.status == move.to_status
        assert dossier.events.count() == events_before + 1
        event = dossier.events.order_by("pk").last()
        by = world.applicant_user if move.by_applicant else world.officer
        assert (event.action, event.from_status, event.to_status, event.actor, event.note) == (
            move.action,
            expected_status(state),
            move.to_status,
            by,
            move.note,
        )
        assert not dossier.is_draft
    else:
        before = everything_about(dossier)
        with pytest.raises(Refused):
            call(world, service, dossier)
        assert everything_about(dossier) == before


def test_the_steps_record_their_dates_and_reasons(world):
    dossier = dossier_in(world, "result_returned")
    assert dossier.submitted_at is not None
    assert dossier.received_at is not None
    # Received on Monday 03/03/2025 with 15 working days: three plain weeks.
    assert dossier.due_date == D(2025, 3, 24)
    assert (dossier.result, dossier.decided_at is not None, dossier.result_returned_at is not None) == (
        "Đồng ý hỗ trợ",
        True,
        True,
    )
    assert list(dossier.events.values_list("action", flat=True)) == [
        "start_draft",
        "submit",
        "receive",
        "start",
        "complete",
        "return_result",
    ]
    refused = dossier_in(world, "not_received")
    assert refused.closing_reason == "Đơn chưa ký"


def test_a_draft_with_a_missing_document_cannot_be_filed(world):
    dossier = services.start_dossier(
        procedure=world.procedure,
        applicant=world.applicant,
        filed_by=world.applicant_user,
        unit=world.cast.units.commune,
    )
    attach_document(dossier=dossier, requirement=world.form, upload=upload(), by=world.applicant_user)
    before = everything_about(dossier)
    with translation.override("en"), pytest.raises(Refused, match="still missing: Bản sao CCCD"):
        services.submit_dossier(dossier=dossier, by=world.applicant_user)
    assert everything_about(dossier) == before


@pytest.mark.parametrize(
    ("service", "arguments"),
    [
        ("refuse_dossier", {"reason": "  "}),
        ("withdraw_dossier", {"reason": ""}),
        ("stop_dossier", {"reason": ""}),
        ("complete_dossier", {"result": ""}),
        ("request_payment", {"note": ""}),
    ],
)
def test_a_refusal_or_a_decision_states_its_reason(world, service, arguments):
    state = {"refuse_dossier": "new", "withdraw_dossier": "received"}.get(service, "in_progress")
    dossier = dossier_in(world, state)
    before = everything_about(dossier)
    with pytest.raises(Refused):
        getattr(services, service)(dossier=dossier, by=world.officer, **arguments)
    assert everything_about(dossier) == before


def test_a_supplement_names_documents_of_this_procedure_only(world):
    dossier = dossier_in(world, "in_progress")
    other_version = ProcedureVersion.objects.create(
        procedure=world.procedure, number=2, effective_from=D(2030, 1, 1), statutory_working_days=5
    )
    foreign = Requirement.objects.create(version=other_version, document_kind=world.identity.document_kind)
    before = everything_about(dossier)
    for missing, note in (([], "Thiếu giấy tờ"), ([foreign], "Thiếu giấy tờ"), ([world.identity], " ")):
        with pytest.raises(Refused):
            services.request_supplement(dossier=dossier, by=world.officer, missing=missing, note=note)
    assert everything_about(dossier) == before


# The paused clock.


def test_the_clock_pauses_while_a_supplement_is_awaited(world, freeze):
    freeze(D(2026, 2, 2))  # Monday
    dossier = draft(world)
    services.submit_dossier(dossier=dossier, by=world.applicant_user)
    services.receive_dossier(dossier=dossier, by=world.officer)
    # 15 working days from Mon 02/02/2026: Tue 03 – Fri 13 (9), Tết 14–22, Mon 23 – Fri 27 (14),
    # Mon 02/03 (15).
    assert reload(dossier).due_date == D(2026, 3, 2)
    services.start_processing(dossier=dossier, by=world.officer)

    # The officer rejects the blurred identity card and asks for it on Wednesday 11/02.
    freeze(D(2026, 2, 11))
    use = dossier.documents.get(requirement=world.identity)
    review_document(use=use, by=world.officer, accepted=False, reason="Ảnh chụp bị mờ")
    supplement = services.request_supplement(
        dossier=dossier, by=world.officer, missing=[world.identity], note="Chụp lại hai mặt CCCD"
    )
    dossier = reload(dossier)
    assert (dossier.status, dossier.paused_on, supplement.round) == (
        Status.SUPPLEMENT_REQUESTED,
        D(2026, 2, 11),
        1,
    )
    assert list(supplement.missing.all()) == [world.identity]
    assert not Dossier.objects.running().filter(pk=dossier.pk).exists()

    # Supplying without the document is refused and changes nothing.
    freeze(D(2026, 2, 24))
    before = everything_about(dossier)
    with translation.override("en"), pytest.raises(Refused, match="still missing: Bản sao CCCD"):
        services.supply_supplement(dossier=dossier, by=world.applicant_user)
    assert everything_about(dossier) == before

    # Given on Tuesday 24/02: Thu 12, Fri 13, (Tết), Mon 23, Tue 24 – four working days were paused.
    attach_document(
        dossier=dossier, requirement=world.identity, upload=upload("cccd.pdf"), by=world.applicant_user
    )
    services.supply_supplement(dossier=dossier, by=world.applicant_user)
    dossier = reload(dossier)
    # Mon 02/03 + 4 working days: Tue 03, Wed 04, Thu 05, Fri 06/03.
    assert (dossier.status, dossier.paused_on, dossier.due_date) == (Status.IN_PROGRESS, None, D(2026, 3, 6))
    supplement.refresh_from_db()
    assert supplement.supplied_at is not None
    assert Dossier.objects.running().filter(pk=dossier.pk).exists()

    # A second round asked and answered the same day pauses no working day.
    freeze(D(2026, 3, 2))
    second = services.request_supplement(
        dossier=dossier, by=world.officer, missing=[world.form], note="Đơn thiếu ngày ký"
    )
    services.supply_supplement(dossier=dossier, by=world.applicant_user)
    assert second.round == 2
    assert reload(dossier).due_date == D(2026, 3, 6)
    assert list(dossier.supplement_requests.values_list("round", flat=True)) == [1, 2]


def test_a_supplement_asked_before_a_weekend_and_given_after_it(world, freeze):
    dossier = dossier_in(world, "in_progress")  # received Mon 03/03/2025, due Mon 24/03
    freeze(D(2025, 3, 7))  # Friday
    services.request_supplement(
        dossier=dossier, by=world.officer, missing=[world.plan], note="Thêm phương án"
    )
    freeze(D(2025, 3, 10))  # Monday: one working day later
    services.supply_supplement(dossier=dossier, by=world.applicant_user)
    assert reload(dossier).due_date == D(2025, 3, 25)


# The apology.


def test_an_apology_moves_the_due_date_forward_once(world):
    dossier = dossier_in(world, "in_progress")
    services.issue_apology(
        dossier=dossier, by=world.officer, new_due_date=D(2025, 3, 31), reason="Chờ ý kiến của Sở Nông nghiệp"
    )
    dossier = reload(dossier)
    assert (dossier.original_due_date, dossier.due_date, dossier.apology_reason) == (
        D(2025, 3, 24),
        D(2025, 3, 31),
        "Chờ ý kiến của Sở Nông nghiệp",
    )
    assert dossier.apology_issued_at is not None
    event = dossier.events.order_by("pk").last()
    assert (event.action, event.actor, event.note) == (
        "apologise",
        world.officer,
        "Chờ ý kiến của Sở Nông nghiệp",
    )
    assert Notification.objects.filter(
        recipient=world.applicant_user, event_key=f"dossier-{dossier.pk}-apology"
    ).exists()

    before = everything_about(dossier)
    with pytest.raises(Refused):
        services.issue_apology(
            dossier=dossier, by=world.officer, new_due_date=D(2025, 4, 30), reason="Lần nữa"
        )
    assert everything_about(dossier) == before


@pytest.mark.parametrize("new_due_date", [D(2025, 3, 24), D(2025, 3, 20)])
def test_an_apology_only_moves_forward(world, new_due_date):
    dossier = dossier_in(world, "received")  # due Mon 24/03/2025
    before = everything_about(dossier)
    with pytest.raises(Refused):
        services.issue_apology(dossier=dossier, by=world.officer, new_due_date=new_due_date, reason="Trễ")
    assert everything_about(dossier) == before


@pytest.mark.parametrize(
    "state", ["draft", "new", "not_received", "withdrawn", "stopped", "done", "result_returned"]
)
def test_no_apology_before_receipt_or_after_the_end(world, state):
    dossier = dossier_in(world, state)
    before = everything_about(dossier)
    with pytest.raises(Refused):
        services.issue_apology(dossier=dossier, by=world.officer, new_due_date=D(2025, 6, 30), reason="Trễ")
    assert everything_about(dossier) == before


def test_an_apology_states_its_reason(world):
    dossier = dossier_in(world, "in_progress")
    with pytest.raises(Refused):
        services.issue_apology(dossier=dossier, by=world.officer, new_due_date=D(2025, 4, 30), reason=" ")
    assert reload(dossier).apology_issued_at is None


# Rating.


def test_the_applicant_rates_once_when_the_result_is_returned(world):
    dossier = dossier_in(world, "result_returned")
    services.rate_service(dossier=dossier, by=world.applicant_user, rating=5, comment=" Cán bộ tận tình ")
    dossier = reload(dossier)
    assert (dossier.rating, dossier.rating_comment) == (5, "Cán bộ tận tình")
    event = dossier.events.order_by("pk").last()
    assert (event.action, event.actor, event.note) == ("rate", world.applicant_user, "5")
    before = everything_about(dossier)
    with pytest.raises(Refused):
        services.rate_service(dossier=dossier, by=world.applicant_user, rating=1)
    assert everything_about(dossier) == before


@pytest.mark.parametrize("rating", [0, 6, -1])
def test_a_rating_is_from_one_to_five(world, rating):
    dossier = dossier_in(world, "result_returned")
    with pytest.raises(Refused):
        services.rate_service(dossier=dossier, by=world.applicant_user, rating=rating)
    assert reload(dossier).rating is None


@pytest.mark.parametrize("who", ["officer", "other_applicant", "council_member"])
def test_only_the_applicant_rates(world, who):
    dossier = dossier_in(world, "result_returned")
    before = everything_about(dossier)
    with pytest.raises(Refused):
        services.rate_service(
            dossier=dossier, by=getattr(world.cast, "commune_officer" if who == "officer" else who), rating=4
        )
    assert everything_about(dossier) == before


@pytest.mark.parametrize("state", ["in_progress", "done", "withdrawn"])
def test_no_rating_before_the_result_is_returned(world, state):
    dossier = dossier_in(world, state)
    with pytest.raises(Refused):
        services.rate_service(dossier=dossier, by=world.applicant_user, rating=4)
    assert reload(dossier).rating is None
