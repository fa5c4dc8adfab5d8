"""The dossier's services, tested directly: transitions, the paused clock, apologies, ratings,
once-only documents, upload checks, the morning job's escalation and the notifications' e-mail.

Dates are fixed by moving the suite's clock (``freeze``); the calendar of
holidays is the one load_catalogue seeds.
"""

import datetime
import inspect
import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

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
from dossiers.services import dossiers as services
from dossiers.services.deadlines import flag_deadlines
from dossiers.services.documents import attach_document, review_document
from dossiers.services.inquiries import raise_inquiry, reply_to_inquiry
from dossiers.transitions import STEPS
from portal.catalogue import load_reference_data
from portal.emails import send_email
from portal.models import AuditRecord, Notification, Team, User
from portal.refusals import Refused
from portal.services.notifications import notify

pytestmark = pytest.mark.django_db

D = datetime.date
Status = Dossier.Status
# A plain Monday in a month without holidays.
MONDAY = D(2025, 3, 3)


@pytest.fixture
def freeze(set_today):
    """Set the clock to nine in the morning of ``day``."""
    return set_today


# Files.


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def png_bytes() -> bytes:
    """A real 1×1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def jpeg_bytes() -> bytes:
    """The start of a JFIF file (SOI, APP0) and its end (EOI)."""
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def office_bytes(part: str) -> bytes:
    """A minimal Office Open XML package: the content types and the main part (``word/document.xml``…)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        archive.writestr(part, '<?xml version="1.0"?><root/>')
    return buffer.getvalue()


def upload(name: str = "giay-to.pdf", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes() if content is None else content)


# The world of these tests: one procedure of the commune team, one applicant with an account.


@dataclass
class World:
    cast: object
    procedure: Procedure
    version: ProcedureVersion
    form: Requirement  # mandatory; a form is valid for a month
    identity: Requirement  # mandatory; never expires
    plan: Requirement  # optional; valid for 12 months
    applicant: Applicant

    @property
    def applicant_user(self) -> User:
        return self.cast.applicant

    @property
    def officer(self) -> User:
        return self.cast.commune_officer


@pytest.fixture
def world(cast, settings, tmp_path, freeze) -> World:
    settings.MEDIA_ROOT = tmp_path
    load_reference_data()  # the holidays
    freeze(MONDAY)
    procedure = Procedure.objects.create(
        code="thu-tuc-thu",
        name="Đăng ký hỗ trợ thử",
        audience=Procedure.Audience.STARTUP,
        handling_team_kind=Team.Kind.COMMUNE_TEAM,
    )
    version = ProcedureVersion.objects.create(
        procedure=procedure, number=1, effective_from=D(2024, 1, 1), statutory_working_days=15
    )

    def requirement(code: str, name: str, months: int | None, position: int, *, mandatory=True):
        kind = DocumentKind.objects.create(code=code, name=name, validity_months=months)
        return Requirement.objects.create(
            version=version, document_kind=kind, is_mandatory=mandatory, position=position
        )

    applicant = Applicant.objects.create(
        full_name="Bùi Văn Nộp",
        enterprise_name="Cơ sở kẹo dừa Thanh Long",
        national_id="083090001234",
        phone="0918 123 456",
        address="Ấp Phú Hữu, xã Sơn Định",
        unit=cast.units.commune,
        user=cast.applicant,
        consent_at=timezone.now(),
    )
    return World(
        cast=cast,
        procedure=procedure,
        version=version,
        form=requirement("don-thu", "Đơn đề nghị", 1, 1),
        identity=requirement("cccd-thu", "Bản sao CCCD", None, 2),
        plan=requirement("phuong-an-thu", "Phương án kinh doanh", 12, 3, mandatory=False),
        applicant=applicant,
    )


def draft(world: World) -> Dossier:
    """A draft with both mandatory documents given."""
    dossier = services.start_dossier(
        procedure=world.procedure,
        applicant=world.applicant,
        filed_by=world.applicant_user,
        unit=world.cast.units.commune,
        summary="Mở rộng cơ sở sản xuất kẹo dừa",
    )
    for requirement in (world.form, world.identity):
        attach_document(dossier=dossier, requirement=requirement, upload=upload(), by=world.applicant_user)
    return dossier


STATES = (
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
)


def dossier_in(world: World, state: str) -> Dossier:
    """A dossier brought to ``state`` through the services, as people would."""
    officer, applicant = world.officer, world.applicant_user
    dossier = draft(world)
    if state == "draft":
        return reload(dossier)
    services.submit_dossier(dossier=dossier, by=applicant)
    if state == "not_received":
        services.refuse_dossier(dossier=dossier, by=officer, reason="Đơn chưa ký")
    if state in ("new", "not_received"):
        return reload(dossier)
    services.receive_dossier(dossier=dossier, by=officer)
    if state == "withdrawn":
        services.withdraw_dossier(dossier=dossier, by=applicant, reason="Không còn nhu cầu")
    if state in ("received", "withdrawn"):
        return reload(dossier)
    services.start_processing(dossier=dossier, by=officer)
    if state == "supplement_requested":
        services.request_supplement(dossier=dossier, by=officer, missing=[world.identity], note="CCCD bị mờ")
    elif state == "payment_requested":
        services.request_payment(dossier=dossier, by=officer, note="Phí thẩm định 100.000 ₫")
    elif state == "stopped":
        services.stop_dossier(dossier=dossier, by=officer, reason="Người đề nghị đã chuyển đi tỉnh khác")
    elif state in ("done", "result_returned"):
        services.complete_dossier(dossier=dossier, by=officer, result="Đồng ý hỗ trợ")
        if state == "result_returned":
            services.return_result(dossier=dossier, by=officer)
    return reload(dossier)


def reload(dossier: Dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)


def expected_status(state: str) -> str:
    return Status.NEW if state == "draft" else state


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


def everything_about(dossier: Dossier) -> tuple:
    return (
        Dossier.objects.filter(pk=dossier.pk).values().get(),
        list(DossierEvent.objects.filter(dossier=dossier).values()),
        list(SupplementRequest.objects.filter(dossier=dossier).values()),
        list(DossierDocument.objects.filter(dossier=dossier).values()),
        list(Notification.objects.values_list("pk", flat=True)),
        AuditRecord.objects.count(),
    )


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


# Once-only documents.


def documents_of(dossier: Dossier) -> dict[str, tuple[int, bool]]:
    """requirement's kind code -> (document id, reused) for the dossier's live documents."""
    return {
        use.requirement.document_kind.code: (use.document_id, use.is_reused)
        for use in dossier.documents.exclude(review=DossierDocument.Review.REJECTED).select_related(
            "requirement__document_kind"
        )
    }


@pytest.fixture
def earlier_dossier(world, freeze) -> Dossier:
    """A dossier of 10/01/2025 with the form (valid a month), the CCCD (no end) and the plan (a year)."""
    freeze(D(2025, 1, 10))
    dossier = draft(world)
    attach_document(
        dossier=dossier, requirement=world.plan, upload=upload("phuong-an.pdf"), by=world.applicant_user
    )
    assert dict(
        dossier.documents.values_list("requirement__document_kind__code", "document__valid_until")
    ) == {
        "don-thu": D(2025, 2, 10),
        "cccd-thu": None,
        "phuong-an-thu": D(2026, 1, 10),
    }
    return dossier


def test_a_valid_document_given_earlier_is_reused(world, freeze, earlier_dossier):
    earlier = {code: document for code, (document, _) in documents_of(earlier_dossier).items()}
    freeze(D(2026, 1, 10))  # the plan's last valid day; the form has expired
    dossier = services.start_dossier(
        procedure=world.procedure,
        applicant=world.applicant,
        filed_by=world.officer,
        unit=world.cast.units.commune,
    )
    assert documents_of(dossier) == {
        "cccd-thu": (earlier["cccd-thu"], True),
        "phuong-an-thu": (earlier["phuong-an-thu"], True),
    }
    # Nothing was copied: the same file serves both dossiers.
    assert Document.objects.count() == 3


def test_an_expired_document_is_not_reused(world, freeze, earlier_dossier):
    freeze(D(2026, 1, 11))
    dossier = services.start_dossier(
        procedure=world.procedure,
        applicant=world.applicant,
        filed_by=world.officer,
        unit=world.cast.units.commune,
    )
    assert set(documents_of(dossier)) == {"cccd-thu"}


def test_a_rejected_document_is_not_reused(world, freeze, earlier_dossier):
    use = earlier_dossier.documents.get(requirement=world.identity)
    review_document(use=use, by=world.officer, accepted=False, reason="Không đọc được số CCCD")
    freeze(D(2025, 1, 20))
    dossier = services.start_dossier(
        procedure=world.procedure,
        applicant=world.applicant,
        filed_by=world.officer,
        unit=world.cast.units.commune,
    )
    assert set(documents_of(dossier)) == {"don-thu", "phuong-an-thu"}


def test_another_applicants_documents_are_never_reused(world, earlier_dossier):
    other = Applicant.objects.create(
        full_name="Đỗ Thị Nộp Khác",
        phone="0907 000 111",
        address="Xã Cẩm Sơn",
        unit=world.cast.units.other_commune,
        user=world.cast.other_applicant,
        consent_at=timezone.now(),
    )
    dossier = services.start_dossier(
        procedure=world.procedure, applicant=other, filed_by=world.cast.other_applicant, unit=other.unit
    )
    assert documents_of(dossier) == {}


# Uploads.


def stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "giay-phep.pdf",
            b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
            "Only PDF, JPEG, PNG, Word (DOCX) and Excel (XLSX) files are accepted",
        ),
        ("anh.png", b"GIF89a\x01\x00\x01\x00", "Only PDF, JPEG, PNG"),
        ("ho-so.docx", None, "Only PDF, JPEG, PNG"),  # a ZIP that is no Word document
        ("bang-tinh.xlsx", "word/document.xml", "it is a DOCX file"),
        ("don.png", pdf_bytes(), "it is a PDF file"),
        # Django keeps only the last part of a "/" path (below); a Windows path survives that.
        ("C:\\Users\\don.pdf", pdf_bytes(), "plain name, without folders"),
        ("..\\..\\portal\\settings.pdf", pdf_bytes(), "plain name, without folders"),
        ("rong.pdf", b"", "The file is empty"),
    ],
)
def test_uploads_are_checked_by_content_and_name(world, tmp_path, name, content, message):
    if content is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("readme.txt", "không phải tài liệu Word")
        content = buffer.getvalue()
    elif isinstance(content, str):
        content = office_bytes(content)
    dossier = services.start_dossier(
        procedure=world.procedure,
        applicant=world.applicant,
        filed_by=world.applicant_user,
        unit=world.cast.units.commune,
    )
    before = everything_about(dossier)
    with translation.override("en"), pytest.raises(Refused, match=re.escape(message)):
        attach_document(
            dossier=dossier,
            requirement=world.form,
            upload=SimpleUploadedFile(name, content),
            by=world.applicant_user,
        )
    assert everything_about(dossier) == before
    assert not Document.objects.exists()
    assert stored_files(tmp_path) == []


def test_a_path_in_the_name_never_reaches_the_disk(world, tmp_path):
    dossier = services.start_dossier(
        procedure=world.procedure,
        applicant=world.applicant,
        filed_by=world.applicant_user,
        unit=world.cast.units.commune,
    )
    # Django's uploaded files keep only the last part of a path...
    use = attach_document(
        dossier=dossier,
        requirement=world.form,
        upload=upload("../../etc/passwd.pdf"),
        by=world.applicant_user,
    )
    assert use.document.original_name == "passwd.pdf"
    assert re.fullmatch(r"documents/\d{4}/\d{2}/[0-9a-f]{32}", use.document.file.name)
    # ...and a name that still holds one (another parser, a hand-made file object) is refused.
    crafted = upload()
    crafted._name = "../../etc/passwd.pdf"
    before = everything_about(dossier)
    with translation.override("en"), pytest.raises(Refused, match="plain name, without folders"):
        attach_document(dossier=dossier, requirement=world.identity, upload=crafted, by=world.applicant_user)
    assert everything_about(dossier) == before
    assert Document.objects.count() == 1
    assert len(stored_files(tmp_path)) == 1


def test_an_oversize_upload_is_refused(world, settings, tmp_path):
    settings.UPLOAD_MAX_BYTES = 2_000_000
    dossier = services.start_dossier(
        procedure=world.procedure,
        applicant=world.applicant,
        filed_by=world.applicant_user,
        unit=world.cast.units.commune,
    )
    big = pdf_bytes() + b"0" * (2_000_001 - len(pdf_bytes()))
    with (
        translation.override("en"),
        pytest.raises(Refused, match=r"The file is 2\.0 MB; the limit is 2 MB\."),
    ):
        attach_document(
            dossier=dossier, requirement=world.form, upload=upload("lon.pdf", big), by=world.applicant_user
        )
    assert not Document.objects.exists()
    assert stored_files(tmp_path) == []
    # One byte less is accepted.
    attach_document(
        dossier=dossier, requirement=world.form, upload=upload("vua.pdf", big[:-1]), by=world.applicant_user
    )
    assert Document.objects.get().size == 2_000_000


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("don.pdf", pdf_bytes(), "application/pdf"),
        ("anh-cccd.PNG", png_bytes(), "image/png"),
        ("anh-cccd.jpeg", jpeg_bytes(), "image/jpeg"),
        ("anh-cccd.jpg", jpeg_bytes(), "image/jpeg"),
        (
            "phuong-an.docx",
            office_bytes("word/document.xml"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "so-sach.xlsx",
            office_bytes("xl/workbook.xml"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
)
def test_real_documents_are_stored_under_generated_names(world, tmp_path, name, content, content_type):
    dossier = services.start_dossier(
        procedure=world.procedure,
        applicant=world.applicant,
        filed_by=world.applicant_user,
        unit=world.cast.units.commune,
    )
    use = attach_document(
        dossier=dossier,
        requirement=world.plan,
        upload=SimpleUploadedFile(name, content),
        by=world.applicant_user,
    )
    document = use.document
    assert (document.original_name, document.content_type, document.size) == (
        name,
        content_type,
        len(content),
    )
    assert (use.requirement, use.is_reused, use.review) == (world.plan, False, DossierDocument.Review.PENDING)
    # Nothing of the uploaded name reaches the disk.
    assert re.fullmatch(r"documents/\d{4}/\d{2}/[0-9a-f]{32}", document.file.name)
    assert [path.relative_to(tmp_path).as_posix() for path in stored_files(tmp_path)] == [document.file.name]
    with document.file.open("rb") as stored:
        assert stored.read() == content
    assert document.valid_until == D(2026, 3, 3)  # the plan's kind is valid for 12 months


def test_documents_are_added_only_to_a_draft_or_for_a_supplement(world):
    dossier = dossier_in(world, "in_progress")
    before = everything_about(dossier)
    with pytest.raises(Refused):
        attach_document(dossier=dossier, requirement=world.plan, upload=upload(), by=world.applicant_user)
    assert everything_about(dossier) == before


# The morning job: flags and escalation.


def test_the_morning_job_escalates_an_overdue_inquiry_once(world, freeze):
    cast = world.cast
    dossier = dossier_in(world, "in_progress")  # received Mon 03/03/2025, due Mon 24/03
    inquiry = raise_inquiry(dossier=dossier, by=world.applicant_user, question="Xin hỏi khi nào có kết quả?")
    # Five working days from Mon 03/03: Mon 10/03.
    assert (inquiry.reply_due, inquiry.team) == (D(2025, 3, 10), cast.teams.commune)
    before = set(Notification.objects.values_list("recipient__username", "event_key"))

    morning = D(2025, 3, 25)  # Tuesday: the dossier and the inquiry are both overdue
    freeze(morning)
    first = flag_deadlines(on=morning)
    assert first == {"due_soon": 0, "due_today": 0, "overdue": 1, "escalated": 1}
    inquiry.refresh_from_db()
    escalated_at = inquiry.escalated_at
    assert (inquiry.team, escalated_at is not None) == (cast.teams.district, True)
    added = set(Notification.objects.values_list("recipient__username", "event_key")) - before
    assert added == {
        ("xa", f"dossier-{dossier.pk}-overdue-2025-03-25"),
        ("huyen", f"inquiry-{inquiry.pk}-escalated"),
        ("xa", f"inquiry-{inquiry.pk}-escalated"),
    }
    count = Notification.objects.count()

    second = flag_deadlines(on=morning)
    assert second == {"due_soon": 0, "due_today": 0, "overdue": 1, "escalated": 0}
    assert Notification.objects.count() == count
    inquiry.refresh_from_db()
    assert (inquiry.team, inquiry.escalated_at) == (cast.teams.district, escalated_at)

    # The next working morning the overdue dossier is flagged again; the inquiry stays where it is.
    freeze(D(2025, 3, 26))
    assert flag_deadlines(on=D(2025, 3, 26))["escalated"] == 0
    assert Notification.objects.count() == count + 1
    assert Inquiry.objects.get().team == cast.teams.district


def test_the_morning_job_rests_on_days_off(world):
    dossier_in(world, "in_progress")
    # Saturday, and mùng 1 Tết.
    for day in (D(2025, 3, 29), D(2026, 2, 17)):
        assert flag_deadlines(on=day) == {"due_soon": 0, "due_today": 0, "overdue": 0, "escalated": 0}


def test_due_soon_and_due_today(world, freeze):
    dossier = dossier_in(world, "in_progress")  # due Mon 24/03/2025
    freeze(D(2025, 3, 20))  # Thursday: two working days before
    assert flag_deadlines(on=D(2025, 3, 20))["due_soon"] == 1
    freeze(D(2025, 3, 24))
    assert flag_deadlines(on=D(2025, 3, 24))["due_today"] == 1
    assert set(Notification.objects.filter(recipient=world.officer).values_list("event_key", flat=True)) >= {
        f"dossier-{dossier.pk}-due_soon-2025-03-24",
        f"dossier-{dossier.pk}-due_today-2025-03-24",
    }


def test_a_reply_reaches_the_applicant_once(world):
    dossier = dossier_in(world, "in_progress")
    inquiry = raise_inquiry(dossier=dossier, by=world.applicant_user, question="Cần bổ sung gì thêm?")
    reply_to_inquiry(inquiry=inquiry, by=world.officer, reply="Hồ sơ đã đủ, đang thẩm định.")
    inquiry.refresh_from_db()
    assert (inquiry.reply, inquiry.replied_by) == ("Hồ sơ đã đủ, đang thẩm định.", world.officer)
    assert (
        Notification.objects.filter(
            recipient=world.applicant_user, event_key=f"inquiry-{inquiry.pk}-replied"
        ).count()
        == 1
    )
    with pytest.raises(Refused):
        reply_to_inquiry(inquiry=inquiry, by=world.officer, reply="Trả lời lần hai")
    inquiry.refresh_from_db()
    assert inquiry.reply == "Hồ sơ đã đủ, đang thẩm định."


# Notifications and their e-mail.


def test_an_e_mail_is_sent_once(world):
    (notification,) = notify(
        recipients=[world.officer], event_key="thu-email", title="Hồ sơ mới", body="Nội dung"
    )
    assert send_email(notification_id=notification.pk) is True
    assert send_email(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert (message.subject, message.body, message.to) == ("Hồ sơ mới", "Nội dung", [world.officer.email])
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_no_e_mail_without_an_address(world):
    world.officer.email = ""
    world.officer.save(update_fields=["email"])
    (notification,) = notify(recipients=[world.officer], event_key="thu-email", title="Hồ sơ mới")
    assert send_email(notification_id=notification.pk) is False
    assert mail.outbox == []


def test_the_same_event_notifies_once(world):
    assert len(notify(recipients=[world.officer], event_key="su-kien", title="Lần một")) == 1
    assert notify(recipients=[world.officer], event_key="su-kien", title="Lần hai") == []
    assert list(Notification.objects.values_list("title", flat=True)) == ["Lần một"]


def test_services_queue_the_e_mail_when_the_transaction_commits(world, django_capture_on_commit_callbacks):
    dossier = draft(world)
    with django_capture_on_commit_callbacks() as callbacks:
        services.submit_dossier(dossier=dossier, by=world.applicant_user)
    # The commune team has one member: one notification, one e-mail task.
    filed = Notification.objects.get(event_key=f"dossier-{dossier.pk}-filed")
    assert filed.recipient == world.officer
    assert [(callback.func.__self__.name, callback.args) for callback in callbacks] == [
        ("portal.tasks.email_notification", (filed.pk,))
    ]
    with django_capture_on_commit_callbacks() as callbacks:
        services.receive_dossier(dossier=dossier, by=world.officer)
    received = Notification.objects.get(event_key=f"dossier-{dossier.pk}-received")
    assert received.recipient == world.applicant_user
    assert [(callback.func.__self__.name, callback.args) for callback in callbacks] == [
        ("portal.tasks.email_notification", (received.pk,))
    ]
    # Nothing was sent inside the transaction.
    assert mail.outbox == []


def test_a_refused_change_queues_nothing(world, django_capture_on_commit_callbacks):
    dossier = dossier_in(world, "done")
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(Refused):
        services.receive_dossier(dossier=dossier, by=world.officer)
    assert callbacks == []
