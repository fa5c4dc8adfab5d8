"""The officials' dossier pages: the queue, a dossier's page, its actions, reviews, reassignment, downloads.

``DOSSIER_ROWS`` are this area's rows of the role × route table (tests/portal/test_role_routes.py).
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from dossiers.models import Dossier, DossierDocument, DossierEvent, Inquiry, SupplementRequest
from dossiers.services.documents import review_document
from dossiers.services.inquiries import raise_inquiry
from portal.models import AuditRecord, CalendarDay, Notification, Team
from tests.conftest import Cast
from tests.dossiers.fixtures import *  # noqa: F403 (the dossiers and media_root fixtures)
from tests.dossiers.fixtures import Dossiers, dossiers_for
from tests.factories import AdminUnitFactory, MembershipFactory, TeamFactory
from tests.role_table import COMMUNE_READERS, SIGNED_IN_ONLY, Row, everyone

Status = Dossier.Status
D = datetime.date
# A Monday; the page's "today" is fixed to it where dates matter.
MONDAY = D(2025, 3, 3)


def dossier(cast: Cast) -> Dossier:
    return dossiers_for(cast).dossier


def received(cast: Cast) -> Dossier:
    return dossiers_for(cast).at(Status.RECEIVED)


def inquiry(cast: Cast) -> Inquiry:
    world = dossiers_for(cast)
    if not hasattr(world, "inquiry"):
        world.inquiry = raise_inquiry(
            dossier=world.dossier, by=cast.applicant, question="Tôi cần mẫu phương án kinh doanh."
        )
    return world.inquiry


# Who sees the commune's dossier filed by Bùi Văn Nộp: the commune's readers and the applicant himself.
DOSSIER_READERS = COMMUNE_READERS | {"applicant": 200}
# Who processes it: the council and standing agency (in scope) and the handling commune team; others
# who see it get 403.
DOSSIER_PROCESSORS = everyone(
    404,
    anonymous=302,
    council_member=302,
    standing_officer=302,
    commune_officer=302,
    district_officer=403,
    fund_officer=403,
    applicant=403,
)
# Handing the dossier to the district team: the commune officer processes it but does not see
# that team, so the form refuses it (400).
REASSIGNERS = DOSSIER_PROCESSORS | {"commune_officer": 400}

DOSSIER_ROWS: dict[str, Row] = {
    "dossier_list": Row("get", lambda cast: reverse("dossier_list"), SIGNED_IN_ONLY),
    "dossier_detail": Row(
        "get", lambda cast: reverse("dossier_detail", args=[dossier(cast).pk]), DOSSIER_READERS
    ),
    "dossier_act": Row(
        "post", lambda cast: reverse("dossier_act", args=[dossier(cast).pk, "receive"]), DOSSIER_PROCESSORS
    ),
    "dossier_review_document": Row(
        "post",
        lambda cast: reverse(
            "dossier_review_document",
            args=[dossier(cast).pk, dossiers_for(cast).live_use(dossier(cast)).pk],
        ),
        DOSSIER_PROCESSORS,
        lambda cast: {"decision": "accept"},
    ),
    "dossier_reassign": Row(
        "post",
        lambda cast: reverse("dossier_reassign"),
        REASSIGNERS,
        lambda cast: {"dossiers": [dossier(cast).pk], "team": cast.teams.district.pk},
    ),
    "document_download": Row(
        "get",
        lambda cast: reverse(
            "document_download", args=[dossiers_for(cast).live_use(dossier(cast)).document_id]
        ),
        DOSSIER_READERS,
    ),
    "dossier_slip": Row(
        "get", lambda cast: reverse("dossier_slip", args=[received(cast).pk, "receipt"]), DOSSIER_READERS
    ),
    "dossier_slip_docx": Row(
        "get", lambda cast: reverse("dossier_slip_docx", args=[received(cast).pk, "receipt"]), DOSSIER_READERS
    ),
    "inquiry_list": Row("get", lambda cast: reverse("inquiry_list"), SIGNED_IN_ONLY),
    "inquiry_reply": Row(
        "post",
        lambda cast: reverse("inquiry_reply", args=[inquiry(cast).pk]),
        DOSSIER_PROCESSORS,
        lambda cast: {"reply": "Mẫu phương án có tại bộ phận một cửa của xã."},
    ),
}


def dossier_state():
    """Everything a dossier page may change."""
    return (
        sorted(
            Dossier.objects.values_list(
                "pk",
                "status",
                "handling_team_id",
                "due_date",
                "apology_issued_at",
                "closing_reason",
                "result",
            )
        ),
        sorted(DossierDocument.objects.values_list("pk", "review", "review_reason")),
        sorted(Inquiry.objects.values_list("pk", "reply", "replied_at")),
        DossierEvent.objects.count(),
        SupplementRequest.objects.count(),
        Notification.objects.count(),
        AuditRecord.objects.count(),
    )


@pytest.mark.parametrize("role", Cast.ROLES)
@pytest.mark.parametrize("route_name", sorted(DOSSIER_ROWS))
def test_role_gets_the_expected_answer(cast, login, media_root, role, route_name):
    row = DOSSIER_ROWS[route_name]
    client = login(getattr(cast, role))
    url, data = row.url(cast), row.data(cast)
    before = dossier_state()
    response = getattr(client, row.method)(url, data)
    assert response.status_code == row.expected[role], f"{role} {row.method.upper()} {url}"
    if row.method == "post" and response.status_code >= 400:
        assert dossier_state() == before, "a refused write changed something"


# The queue ----------------------------------------------------------------------------------------


@pytest.fixture
def monday(set_today):
    """The pages' today is Monday 3 March 2025, with Tuesday 4 March a day off."""
    set_today(MONDAY)
    CalendarDay.objects.create(date=D(2025, 3, 4), name="Ngày nghỉ thử nghiệm")
    return MONDAY


def set_due(dossier: Dossier, due: datetime.date | None, status: str = Status.IN_PROGRESS) -> Dossier:
    Dossier.objects.filter(pk=dossier.pk).update(due_date=due, status=status)
    return Dossier.objects.get(pk=dossier.pk)


def codes(response) -> list[str]:
    return [dossier.code for dossier in response.context["page"]]


def test_queue_flags_overdue_due_today_and_due_soon_over_working_days(dossiers, login, monday):
    # Due soon means within 2 working days: Wednesday 5 (1) and Thursday 6 March (2), Tuesday being off.
    overdue = set_due(dossiers.file(), D(2025, 2, 27))  # Thursday: Friday and Monday are late
    due_today = set_due(dossiers.file(), MONDAY)
    due_thursday = set_due(dossiers.file(), D(2025, 3, 6))
    due_friday = set_due(dossiers.file(), D(2025, 3, 7))
    paused = set_due(dossiers.file(), D(2025, 2, 20), Status.SUPPLEMENT_REQUESTED)  # the clock waits
    response = login(dossiers.officer).get(reverse("dossier_list"), {"order": "due"})
    flags = {
        dossier.code: (dossier.badge.flag, dossier.badge.working_days) if dossier.badge else None
        for dossier in response.context["page"]
    }
    assert flags == {
        paused.code: None,
        overdue.code: ("overdue", 2),
        due_today.code: ("due_today", 0),
        due_thursday.code: ("due_soon", 2),
        due_friday.code: None,
        dossiers.dossier.code: None,  # new: not received, no due date
    }
    assert [(flag, count) for flag, _label, count in response.context["deadline_pills"]] == [
        ("overdue", 1),
        ("due_today", 1),
        ("due_soon", 1),
    ]

    response = login(dossiers.officer).get(reverse("dossier_list"), {"deadline": "due_soon"})
    assert codes(response) == [due_thursday.code]
    response = login(dossiers.officer).get(reverse("dossier_list"), {"deadline": "overdue"})
    assert codes(response) == [overdue.code]


def test_queue_tabs_count_each_status_and_filter_by_it(dossiers, login):
    in_progress = dossiers.at(Status.IN_PROGRESS)
    received_dossier = dossiers.at(Status.RECEIVED)
    client = login(dossiers.officer)
    response = client.get(reverse("dossier_list"))
    assert [(status, count) for status, _label, count in response.context["status_tabs"]] == [
        (Status.NEW, 1),
        (Status.RECEIVED, 1),
        (Status.IN_PROGRESS, 1),
    ]
    assert response.context["total"] == 3
    response = client.get(reverse("dossier_list"), {"status": Status.IN_PROGRESS})
    assert codes(response) == [in_progress.code]
    assert response.context["chosen_status"] == Status.IN_PROGRESS
    response = client.get(reverse("dossier_list"), {"status": Status.RECEIVED})
    assert codes(response) == [received_dossier.code]


def test_drafts_are_not_in_the_queue(dossiers, login):
    dossiers.file(submit=False)
    response = login(dossiers.officer).get(reverse("dossier_list"))
    assert codes(response) == [dossiers.dossier.code]


@pytest.mark.parametrize("query", ["nop khac", "ĐỖ THỊ", "đỗ thị nộp khác", "do thi"])
def test_search_ignores_case_and_diacritics(dossiers, login, query):
    other = dossiers.file(applicant=dossiers.other_applicant)
    response = login(dossiers.cast.council_member).get(reverse("dossier_list"), {"q": query})
    assert codes(response) == [other.code]


def test_search_finds_a_code_typed_in_lower_case(dossiers, login):
    dossiers.file(applicant=dossiers.other_applicant)
    code = dossiers.dossier.code
    response = login(dossiers.cast.council_member).get(reverse("dossier_list"), {"q": code.lower()})
    assert codes(response) == [code]


def test_filters_by_procedure_unit_team_and_channel(dossiers, login):
    cast = dossiers.cast
    other = dossiers.file(applicant=dossiers.other_applicant)
    in_person = dossiers.file(channel=Dossier.Channel.IN_PERSON, by=cast.commune_officer)
    client = login(cast.council_member)
    every = {dossiers.dossier.code, other.code, in_person.code}

    def found(**params) -> set[str]:
        return set(codes(client.get(reverse("dossier_list"), params)))

    assert found() == every
    assert found(procedure=dossiers.procedure.pk) == every
    # The district stands for its communes.
    assert found(unit=cast.units.district.pk) == {dossiers.dossier.code, in_person.code}
    assert found(unit=cast.units.other_commune.pk) == {other.code}
    assert found(handling_team=cast.teams.other_commune.pk) == {other.code}
    assert found(channel=Dossier.Channel.IN_PERSON) == {in_person.code}
    # A unit outside the user's scope is not a choice: the filter is ignored.
    response = login(cast.commune_officer).get(reverse("dossier_list"), {"unit": cast.units.other_commune.pk})
    assert set(codes(response)) == {dossiers.dossier.code, in_person.code}


def test_the_queue_shows_only_the_dossiers_in_scope(dossiers, login):
    other = dossiers.file(applicant=dossiers.other_applicant)
    assert codes(login(dossiers.cast.commune_officer).get(reverse("dossier_list"))) == [dossiers.dossier.code]
    assert codes(login(dossiers.cast.other_commune_officer).get(reverse("dossier_list"))) == [other.code]


def test_an_applicant_sees_only_their_own_dossiers_plainly(dossiers, login):
    dossiers.file(applicant=dossiers.other_applicant)
    response = login(dossiers.cast.applicant).get(reverse("dossier_list"))
    assert response.status_code == 200
    assert codes(response) == [dossiers.dossier.code]
    assert response.context["is_official"] is False
    assert "reassign_form" not in response.context
    assert reverse("dossier_reassign") not in response.content.decode()


def clone_dossiers(world: Dossiers, count: int) -> None:
    """``count`` more filed dossiers, half of them received, written in one go."""
    template = world.dossier
    now = timezone.now()
    Dossier.objects.bulk_create(
        Dossier(
            procedure=template.procedure,
            procedure_version=template.procedure_version,
            applicant=template.applicant,
            filed_by=template.filed_by,
            unit=template.unit,
            handling_team=template.handling_team,
            status=Status.RECEIVED if number % 2 else Status.NEW,
            submitted_at=now - datetime.timedelta(minutes=number),
            received_at=now if number % 2 else None,
            due_date=timezone.localdate() + datetime.timedelta(days=number % 5 - 2) if number % 2 else None,
            search_text=f"hs clone {number}",
        )
        for number in range(count)
    )


def test_the_queue_pages_by_fifty(dossiers, login):
    clone_dossiers(dossiers, 50)
    client = login(dossiers.officer)
    first = client.get(reverse("dossier_list"))
    second = client.get(reverse("dossier_list"), {"page": 2})
    assert len(first.context["page"]) == 50
    assert len(second.context["page"]) == 1
    assert first.context["page"].paginator.count == 51


N = 5

# Queries of a signed-in page before the page's own (tests/portal/test_query_counts.py): 1 session,
# 2 user, 3 memberships (scope), 4 the province of a province-wide team (scope), 5 the scope's units,
# 6 the unread notifications in the menu; after the page, the session is saved: 7 savepoint,
# 8 update, 9 release.
SIGNED_IN = 9
# The queue's own: 1 the calendar's exceptions around today (all the flags), 2 the counts by status
# and deadline (tabs and pills), 3 the paginator's count, 4 the page of dossiers with procedure,
# applicant, unit and team, 5 the procedures, 6 the units and 7 the teams of the filters, 8 the
# active teams to hand dossiers to.
QUEUE = 8


@pytest.mark.parametrize("rows", [N, 10 * N])
def test_queue_query_count_does_not_grow_with_the_rows(dossiers, login, django_assert_num_queries, rows):
    clone_dossiers(dossiers, rows)
    client = login(dossiers.cast.council_member)
    with django_assert_num_queries(SIGNED_IN + QUEUE):
        response = client.get(reverse("dossier_list"))
    assert response.status_code == 200
    assert len(response.context["page"]) == min(rows + 1, 50)


# An applicant's own list: 1 session, 2 user, 3 memberships (scope, none), then 4 the paginator's
# count and 5 the page of dossiers with procedure and team, 6 the unread notifications in the menu;
# 7–9 the session saved.
APPLICANT_LIST = 9


@pytest.mark.parametrize("rows", [N, 10 * N])
def test_applicant_list_query_count_does_not_grow_with_the_rows(
    dossiers, login, django_assert_num_queries, rows
):
    clone_dossiers(dossiers, rows)
    client = login(dossiers.cast.applicant)
    with django_assert_num_queries(APPLICANT_LIST):
        response = client.get(reverse("dossier_list"))
    assert response.status_code == 200


# A dossier's page --------------------------------------------------------------------------------


def test_detail_context_holds_the_dossier_and_its_parts(dossiers, login):
    world = dossiers
    target = world.at(Status.SUPPLEMENT_REQUESTED)
    response = login(world.officer).get(reverse("dossier_detail", args=[target.pk]))
    context = response.context
    assert response.status_code == 200
    assert context["dossier"] == target
    assert [(requirement, use.document.original_name) for requirement, use in context["checklist"]] == [
        (world.plan, "phuong-an-kinh-doanh.pdf"),
        (world.id_copy, "cccd.pdf"),
    ]
    assert [event.action for event in context["events"]] == [
        "start_draft",
        "submit",
        "receive",
        "start",
        "request_supplement",
    ]
    assert [(supplement.round, list(supplement.missing.all())) for supplement in context["supplements"]] == [
        (1, [world.plan])
    ]
    assert context["inquiries"] == []
    assert context["can_process"] is True
    assert context["is_applicant"] is False
    assert context["slips"] == ["receipt", "supplement"]
    assert [name for name, _action, _form in context["actions"]] == ["apologise", "stop"]


@pytest.mark.parametrize(
    ("status", "actions"),
    [
        (Status.NEW, ["receive", "refuse"]),
        (Status.RECEIVED, ["start", "request_supplement", "apologise", "stop"]),
        (Status.IN_PROGRESS, ["request_supplement", "request_payment", "complete", "apologise", "stop"]),
        (Status.PAYMENT_REQUESTED, ["confirm_payment", "apologise", "stop"]),
        (Status.DONE, ["return_result"]),
        (Status.RESULT_RETURNED, []),
        (Status.NOT_RECEIVED, []),
        (Status.WITHDRAWN, []),
        (Status.STOPPED, []),
    ],
)
def test_only_the_legal_actions_are_offered(dossiers, login, status, actions):
    target = dossiers.at(status)
    response = login(dossiers.officer).get(reverse("dossier_detail", args=[target.pk]))
    assert [name for name, _action, _form in response.context["actions"]] == actions


def test_who_does_not_process_sees_no_action(dossiers, login):
    response = login(dossiers.cast.district_officer).get(
        reverse("dossier_detail", args=[dossiers.dossier.pk])
    )
    assert response.context["can_process"] is False
    assert response.context["actions"] == []
    assert reverse("dossier_act", args=[dossiers.dossier.pk, "receive"]) not in response.content.decode()


def test_cccd_and_phone_are_masked_for_officials_outside_the_handling_team(dossiers, login):
    url = reverse("dossier_detail", args=[dossiers.dossier.pk])
    district_page = login(dossiers.cast.district_officer).get(url).content.decode()
    assert "••••••••1234" in district_page
    assert "••••••5678" in district_page
    assert "083095001234" not in district_page
    assert "0912345678" not in district_page
    for member in (dossiers.cast.commune_officer, dossiers.cast.applicant):
        page = login(member).get(url).content.decode()
        assert "083095001234" in page
        assert "0912345678" in page


def test_the_applicant_gets_their_panel(dossiers, login):
    response = login(dossiers.cast.applicant).get(reverse("dossier_detail", args=[dossiers.dossier.pk]))
    assert response.context["is_applicant"] is True
    assert response.context["can_process"] is False
    assert "dossiers/_applicant_panel.html" in [template.name for template in response.templates]


def test_the_timeline_reads_in_plain_vietnamese_newest_last(dossiers, login):
    target = dossiers.at(Status.RECEIVED)
    page = login(dossiers.officer).get(reverse("dossier_detail", args=[target.pk])).content.decode()
    timeline = page[page.index('id="dossier-timeline"') :]
    timeline = timeline[: timeline.index("</section>")]
    with translation.override("vi"):
        labels = [gettext(label) for label in ("Draft started", "Filed", "Received; receipt slip issued")]
    assert re.findall(r'<span class="fw-semibold">([^<]+)</span>', timeline) == labels


# Actions ------------------------------------------------------------------------------------------

TODAY_PLUS_60 = (timezone.localdate() + datetime.timedelta(days=60)).strftime("%d/%m/%Y")


@pytest.mark.parametrize(
    ("start", "action", "data", "end"),
    [
        (Status.NEW, "receive", {}, Status.RECEIVED),
        (Status.NEW, "refuse", {"reason": "Hồ sơ không thuộc thẩm quyền."}, Status.NOT_RECEIVED),
        (Status.RECEIVED, "start", {}, Status.IN_PROGRESS),
        (Status.IN_PROGRESS, "request_supplement", {"note": "Thiếu dự toán."}, Status.SUPPLEMENT_REQUESTED),
        (Status.IN_PROGRESS, "request_payment", {"note": "Nộp lệ phí 100.000 ₫."}, Status.PAYMENT_REQUESTED),
        (Status.PAYMENT_REQUESTED, "confirm_payment", {}, Status.IN_PROGRESS),
        (Status.IN_PROGRESS, "stop", {"reason": "Người nộp đề nghị dừng."}, Status.STOPPED),
        (Status.IN_PROGRESS, "complete", {"result": "Đồng ý hỗ trợ."}, Status.DONE),
        (Status.DONE, "return_result", {}, Status.RESULT_RETURNED),
    ],
)
def test_each_action_moves_the_dossier(dossiers, login, start, action, data, end):
    target = dossiers.at(start)
    if action == "request_supplement":
        data = {**data, "missing": [dossiers.id_copy.pk]}
    response = login(dossiers.officer).post(reverse("dossier_act", args=[target.pk, action]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("dossier_detail", args=[target.pk])
    target.refresh_from_db()
    assert target.status == end
    event = target.events.last()
    assert (event.action, event.actor, event.from_status, event.to_status) == (
        action,
        dossiers.officer,
        start,
        end,
    )


def test_a_supplement_request_names_exactly_what_is_missing(dossiers, login):
    target = dossiers.at(Status.IN_PROGRESS)
    data = {"missing": [dossiers.plan.pk, dossiers.id_copy.pk], "note": "Bổ sung dự toán và bản sao rõ nét."}
    login(dossiers.officer).post(reverse("dossier_act", args=[target.pk, "request_supplement"]), data)
    supplement = target.supplement_requests.get()
    assert (supplement.round, supplement.note) == (1, "Bổ sung dự toán và bản sao rõ nét.")
    assert list(supplement.missing.all()) == [dossiers.plan, dossiers.id_copy]


def test_an_apology_takes_a_date_written_day_month_year(dossiers, login):
    target = dossiers.at(Status.IN_PROGRESS)
    new_due = target.due_date + datetime.timedelta(days=10)
    data = {"new_due_date": new_due.strftime("%d/%m/%Y"), "reason": "Chờ ý kiến của phòng chuyên môn."}
    response = login(dossiers.officer).post(reverse("dossier_act", args=[target.pk, "apologise"]), data)
    assert response.status_code == 302
    original_due = target.due_date
    target.refresh_from_db()
    assert (target.original_due_date, target.due_date, target.apology_reason) == (
        original_due,
        new_due,
        "Chờ ý kiến của phòng chuyên môn.",
    )
    # Once only: no longer offered, and refused if posted again.
    page = login(dossiers.officer).get(reverse("dossier_detail", args=[target.pk]))
    assert "apologise" not in [name for name, _action, _form in page.context["actions"]]
    before = dossier_state()
    data["new_due_date"] = (new_due + datetime.timedelta(days=5)).strftime("%d/%m/%Y")
    again = login(dossiers.officer).post(reverse("dossier_act", args=[target.pk, "apologise"]), data)
    assert again.status_code == 400
    with translation.override("vi"):
        expected = gettext("This dossier already has an apology slip; it is issued once.")
    assert again.context["refusals"] == [expected]
    assert dossier_state() == before


def refused(response, before) -> list[str]:
    assert response.status_code == 400
    assert dossier_state() == before, "a refused write changed something"
    return [str(message) for message in response.context["refusals"]]


def test_an_illegal_transition_is_refused_with_the_reason_and_changes_nothing(dossiers, login):
    before = dossier_state()
    client = login(dossiers.officer)
    response = client.post(reverse("dossier_act", args=[dossiers.dossier.pk, "start"]))
    with translation.override("vi"):
        expected = gettext("A dossier that is “%(status)s” cannot be changed this way.") % {
            "status": gettext("new")
        }
    assert refused(response, before) == [expected]
    assert response.context["dossier"].status == Status.NEW


@pytest.mark.parametrize(
    ("action", "data", "field"),
    [
        ("refuse", {"reason": ""}, "reason"),
        ("refuse", {"reason": "   "}, "reason"),
        ("stop", {"reason": ""}, "reason"),
        ("request_supplement", {"note": "Thiếu"}, "missing"),
        ("request_supplement", {"missing": ["999999"], "note": "Thiếu"}, "missing"),
        ("complete", {"result": ""}, "result"),
        ("request_payment", {"note": ""}, "note"),
        ("apologise", {"new_due_date": "2026-12-25", "reason": "Trễ"}, "new_due_date"),
        ("apologise", {"new_due_date": "31/02/2026", "reason": "Trễ"}, "new_due_date"),
    ],
)
def test_an_invalid_form_is_refused_on_the_page_and_changes_nothing(dossiers, login, action, data, field):
    start = Status.NEW if action == "refuse" else Status.IN_PROGRESS
    target = dossiers.at(start)
    before = dossier_state()
    response = login(dossiers.officer).post(reverse("dossier_act", args=[target.pk, action]), data)
    assert refused(response, before)
    form = {name: form for name, _action, form in response.context["actions"]}[action]
    assert list(form.errors) == [field, "__all__"]


def test_an_apology_date_must_come_after_the_due_date(dossiers, login):
    target = dossiers.at(Status.RECEIVED)
    before = dossier_state()
    data = {"new_due_date": target.due_date.strftime("%d/%m/%Y"), "reason": "Trễ"}
    response = login(dossiers.officer).post(reverse("dossier_act", args=[target.pk, "apologise"]), data)
    with translation.override("vi"):
        expected = gettext("The new date must come after the current due date.")
    assert refused(response, before) == [expected]


def test_a_supplement_may_ask_only_for_the_dossiers_own_documents(dossiers, login):
    from dossiers.models import DocumentKind, ProcedureVersion, Requirement

    later = ProcedureVersion.objects.create(
        procedure=dossiers.procedure, number=2, effective_from=D(2099, 1, 1), statutory_working_days=5
    )
    foreign = Requirement.objects.create(
        version=later, document_kind=DocumentKind.objects.create(code="khac", name="Giấy khác")
    )
    target = dossiers.at(Status.IN_PROGRESS)
    before = dossier_state()
    data = {"missing": [foreign.pk], "note": "Thiếu"}
    response = login(dossiers.officer).post(
        reverse("dossier_act", args=[target.pk, "request_supplement"]), data
    )
    assert refused(response, before)


def test_an_unknown_action_is_not_found(dossiers, login):
    response = login(dossiers.officer).post(reverse("dossier_act", args=[dossiers.dossier.pk, "delete"]))
    assert response.status_code == 404


def test_actions_answer_only_to_post(dossiers, login):
    response = login(dossiers.officer).get(reverse("dossier_act", args=[dossiers.dossier.pk, "receive"]))
    assert response.status_code == 405


def test_a_refused_page_is_in_english_for_who_chose_english(dossiers, login):
    client = login(dossiers.officer)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("dossier_act", args=[dossiers.dossier.pk, "start"]))
    assert response.context["refusals"] == ["A dossier that is “new” cannot be changed this way."]


# Reviews ------------------------------------------------------------------------------------------


def review_url(world: Dossiers, target: Dossier | None = None, use=None) -> str:
    target = target or world.dossier
    use = use or world.live_use(target)
    return reverse("dossier_review_document", args=[target.pk, use.pk])


def test_accepting_and_rejecting_a_document(dossiers, login):
    client = login(dossiers.officer)
    use = dossiers.live_use(dossiers.dossier)
    response = client.post(review_url(dossiers, use=use), {"decision": "accept"})
    assert response.status_code == 302
    use.refresh_from_db()
    assert (use.review, use.reviewed_by) == (DossierDocument.Review.ACCEPTED, dossiers.officer)

    id_copy = dossiers.live_use(dossiers.dossier, dossiers.id_copy)
    client.post(
        review_url(dossiers, use=id_copy), {"decision": "reject", "reason": "Ảnh mờ, không đọc được."}
    )
    id_copy.refresh_from_db()
    assert (id_copy.review, id_copy.review_reason) == (
        DossierDocument.Review.REJECTED,
        "Ảnh mờ, không đọc được.",
    )
    page = client.get(reverse("dossier_detail", args=[dossiers.dossier.pk]))
    assert [(requirement, use.review) for requirement, use in page.context["checklist"]] == [
        (dossiers.plan, DossierDocument.Review.ACCEPTED),
        (dossiers.id_copy, DossierDocument.Review.REJECTED),
    ]


def test_rejecting_needs_a_reason(dossiers, login):
    before = dossier_state()
    response = login(dossiers.officer).post(review_url(dossiers), {"decision": "reject", "reason": " "})
    with translation.override("vi"):
        expected = gettext("Say why the document is rejected.")
    assert refused(response, before) == [expected]


def test_a_review_without_a_decision_is_refused(dossiers, login):
    before = dossier_state()
    response = login(dossiers.officer).post(review_url(dossiers), {"decision": "maybe"})
    assert refused(response, before)


def test_a_rejected_document_is_not_reviewed_again(dossiers, login):
    use = dossiers.live_use(dossiers.dossier)
    review_document(use=use, by=dossiers.officer, accepted=False, reason="Sai mẫu.")
    before = dossier_state()
    response = login(dossiers.officer).post(review_url(dossiers, use=use), {"decision": "accept"})
    assert refused(response, before)


def test_a_document_of_another_dossier_is_not_found_here(dossiers, login):
    other = dossiers.file()
    url = reverse("dossier_review_document", args=[dossiers.dossier.pk, dossiers.live_use(other).pk])
    assert login(dossiers.officer).post(url, {"decision": "accept"}).status_code == 404


# Reassignment -------------------------------------------------------------------------------------


def test_the_council_hands_dossiers_to_the_district_team(dossiers, login):
    cast = dossiers.cast
    second = dossiers.file()
    data = {
        "dossiers": [dossiers.dossier.pk, second.pk],
        "team": cast.teams.district.pk,
        "query": "status=new",
    }
    response = login(cast.council_member).post(reverse("dossier_reassign"), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("dossier_list") + "?status=new"
    assert set(
        Dossier.objects.filter(pk__in=[dossiers.dossier.pk, second.pk]).values_list(
            "handling_team", flat=True
        )
    ) == {cast.teams.district.pk}
    notification = Notification.objects.get(recipient=cast.district_officer)
    assert notification.link == f"{reverse('dossier_list')}?handling_team={cast.teams.district.pk}"


@pytest.mark.parametrize("team_name", ["fund", "other_district", "council"])
def test_a_dossier_goes_only_to_a_suitable_team(dossiers, login, team_name):
    cast = dossiers.cast
    before = dossier_state()
    data = {"dossiers": [dossiers.dossier.pk], "team": getattr(cast.teams, team_name).pk}
    response = login(cast.council_member).post(reverse("dossier_reassign"), data)
    assert response.status_code == 400
    assert dossier_state() == before
    assert response.context["reassign_form"].errors


def test_a_closed_dossier_is_not_handed_over(dossiers, login):
    cast = dossiers.cast
    target = dossiers.at(Status.RESULT_RETURNED)
    before = dossier_state()
    data = {"dossiers": [target.pk], "team": cast.teams.district.pk}
    response = login(cast.council_member).post(reverse("dossier_reassign"), data)
    assert response.status_code == 400
    assert dossier_state() == before


def test_an_ended_team_is_not_offered(dossiers, login):
    cast = dossiers.cast
    ended = TeamFactory(
        name="Tổ đã giải thể",
        kind=Team.Kind.COMMUNE_TEAM,
        unit=cast.units.commune,
        active_until=D(2025, 6, 30),
    )
    before = dossier_state()
    response = login(cast.council_member).post(
        reverse("dossier_reassign"), {"dossiers": [dossiers.dossier.pk], "team": ended.pk}
    )
    assert response.status_code == 400
    assert dossier_state() == before


def test_reassigning_needs_a_dossier(dossiers, login):
    before = dossier_state()
    response = login(dossiers.cast.council_member).post(
        reverse("dossier_reassign"), {"team": dossiers.cast.teams.district.pk}
    )
    assert response.status_code == 400
    assert dossier_state() == before


def test_a_dossier_outside_scope_is_not_found_in_a_bulk_reassignment(dossiers, login):
    cast = dossiers.cast
    other = dossiers.file(applicant=dossiers.other_applicant)
    before = dossier_state()
    data = {"dossiers": [dossiers.dossier.pk, other.pk], "team": cast.teams.commune.pk}
    assert login(cast.commune_officer).post(reverse("dossier_reassign"), data).status_code == 404
    # Something that is no dossier's id is a mistake shown on the page.
    assert (
        login(cast.commune_officer).post(reverse("dossier_reassign"), {"dossiers": ["x"]}).status_code == 400
    )
    assert dossier_state() == before


def test_moving_between_two_teams_of_one_commune(dossiers, login):
    cast = dossiers.cast
    second_team = TeamFactory(
        name="Tổ hỗ trợ số 2 xã Sơn Định", kind=Team.Kind.COMMUNE_TEAM, unit=cast.units.commune
    )
    MembershipFactory(team=second_team)
    response = login(cast.commune_officer).post(
        reverse("dossier_reassign"), {"dossiers": [dossiers.dossier.pk], "team": second_team.pk}
    )
    assert response.status_code == 302
    dossiers.dossier.refresh_from_db()
    assert dossiers.dossier.handling_team == second_team
    # The audit keeps who handed it over, and from which team to which.
    record = AuditRecord.objects.filter(object_id=str(dossiers.dossier.pk), action="update").latest("pk")
    assert (record.actor_id, record.before["handling_team"]["id"], record.after["handling_team"]["id"]) == (
        cast.commune_officer.pk,
        cast.teams.commune.pk,
        second_team.pk,
    )


# Downloads ----------------------------------------------------------------------------------------


def test_a_document_downloads_with_its_name_and_type(dossiers, login):
    use = dossiers.live_use(dossiers.dossier)
    response = login(dossiers.officer).get(reverse("document_download", args=[use.document_id]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="phuong-an-kinh-doanh.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_a_document_name_in_vietnamese_is_kept(dossiers, login):
    from dossiers.models import Document

    use = dossiers.live_use(dossiers.dossier)
    Document.objects.filter(pk=use.document_id).update(original_name="Phương án kinh doanh.pdf")
    response = login(dossiers.officer).get(reverse("document_download", args=[use.document_id]))
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''Ph%C6%B0%C6%A1ng%20%C3%A1n%20kinh%20doanh.pdf"
    )


def test_a_reused_document_downloads_for_both_dossiers_and_no_one_else(dossiers, login):
    cast = dossiers.cast
    later = dossiers.file()
    reused = dossiers.live_use(later)
    assert reused.is_reused is True
    url = reverse("document_download", args=[reused.document_id])
    assert login(cast.commune_officer).get(url).status_code == 200
    assert login(cast.other_commune_officer).get(url).status_code == 404
    assert login(cast.other_applicant).get(url).status_code == 404


def test_a_missing_file_is_not_found(dossiers, login):
    use = dossiers.live_use(dossiers.dossier)
    use.document.file.delete(save=False)
    assert (
        login(dossiers.officer).get(reverse("document_download", args=[use.document_id])).status_code == 404
    )


def test_a_new_unit_officer_sees_the_history_of_the_units_it_replaced(dossiers, login):
    """After the 2025 merger the new commune's team sees, and takes over, the dossiers of the old commune."""
    cast = dossiers.cast
    merged = AdminUnitFactory(name="Xã Sơn Định mới", parent=cast.units.province)
    merged.predecessors.add(cast.units.commune)
    new_team = TeamFactory(name="Tổ hỗ trợ ĐT&KN xã Sơn Định mới", kind=Team.Kind.COMMUNE_TEAM, unit=merged)
    officer = MembershipFactory(team=new_team).user
    response = login(cast.council_member).post(
        reverse("dossier_reassign"), {"dossiers": [dossiers.dossier.pk], "team": new_team.pk}
    )
    assert response.status_code == 302
    response = login(officer).get(reverse("dossier_detail", args=[dossiers.dossier.pk]))
    assert response.context["can_process"] is True
    assert codes(login(officer).get(reverse("dossier_list"))) == [dossiers.dossier.code]
