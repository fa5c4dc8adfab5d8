"""The officials' dossier pages: the role × route rows, and the queue (deadline flags, tabs,
search, filters, scope, pages, query counts).

``DOSSIER_ROWS`` are this area's rows of the role × route table (tests/portal/test_role_routes.py).
A dossier's page, its actions and reviews are in test_dossier_page_actions.py; reassignment and
downloads in test_dossier_reassignment.py.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dossiers.models import Dossier, Inquiry
from dossiers.services.inquiries import raise_inquiry
from portal.models import CalendarDay
from tests.conftest import Cast
from tests.dossiers.fixtures import *  # noqa: F403 (the dossiers and media_root fixtures)
from tests.dossiers.fixtures import Dossiers, dossiers_for
from tests.dossiers.page_helpers import D, Status, codes, dossier_state
from tests.portal.test_query_counts import SIGNED_IN
from tests.role_table import COMMUNE_READERS, SIGNED_IN_ONLY, Row, everyone

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
# Who processes it: the standing agency (in scope) and the handling commune team; others who see it
# get 403, the council among them (it oversees and processes nothing).
DOSSIER_PROCESSORS = everyone(
    404,
    anonymous=302,
    council_member=403,
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


def test_the_pages_of_a_tab_and_a_pill_count_their_own_rows(dossiers, login):
    clone_dossiers(dossiers, 120)  # 60 received (every other), 60 new, and the fixture's own
    client = login(dossiers.officer)
    received = Dossier.objects.filter(status=Status.RECEIVED)
    overdue = received.filter(due_date__lt=timezone.localdate())
    last = client.get(reverse("dossier_list"), {"status": Status.RECEIVED, "page": 2})
    assert last.context["page"].paginator.count == received.count() > 50
    assert len(last.context["page"]) == received.count() - 50
    pill = client.get(reverse("dossier_list"), {"status": Status.RECEIVED, "deadline": "overdue"})
    assert pill.context["page"].paginator.count == len(pill.context["page"]) == overdue.count() > 0
    assert client.get(reverse("dossier_list"), {"page": 3}).context["page"].number == 3


N = 5

# The queue's own: 1 the calendar's exceptions around today (all the flags), 2 the counts by status
# and deadline (tabs and pills, the paginator's count among them), 3 the page of dossiers with
# procedure, applicant, unit and team, 4 the procedures, 5 the units and 6 the teams of the filters,
# 7 the active teams to hand dossiers to (not for the council, which hands nothing on).
QUEUE = 7


@pytest.mark.parametrize(
    ("role", "own_queries"), [("standing_officer", QUEUE), ("council_member", QUEUE - 1)]
)
@pytest.mark.parametrize("rows", [N, 10 * N])
def test_queue_query_count_does_not_grow_with_the_rows(
    dossiers, login, django_assert_num_queries, rows, role, own_queries
):
    clone_dossiers(dossiers, rows)
    client = login(getattr(dossiers.cast, role))
    with django_assert_num_queries(SIGNED_IN + own_queries):
        response = client.get(reverse("dossier_list"))
    assert response.status_code == 200
    assert len(response.context["page"]) == min(rows + 1, 50)
    assert (response.context["reassign_form"] is None) == (role == "council_member")


def test_the_queue_keeps_its_counts_and_a_last_page_makes_them_again(dossiers, login):
    clone_dossiers(dossiers, 60)
    client = login(dossiers.officer)
    with CaptureQueriesContext(connection) as first:
        assert client.get(reverse("dossier_list")).context["total"] == 61
    with CaptureQueriesContext(connection) as again:
        kept = client.get(reverse("dossier_list"))
    # Kept: the tabs' counts and the choices of a procedure, a unit, a team and a team to hand over to.
    assert len(again) == len(first) - 5
    assert (kept.context["total"], kept.context["page"].paginator.count) == (61, 61)
    dossiers.file()
    last = client.get(reverse("dossier_list"), {"page": 2})  # the kept count says 11 rows; there are 12
    assert (last.context["total"], last.context["page"].paginator.count, len(last.context["page"])) == (
        62,
        62,
        12,
    )
    assert {status: count for status, _label, count in last.context["status_tabs"]}[Status.NEW] == 32


# An applicant's own list: 1 session, 2 user, 3 memberships (scope, none), then 4 the paginator's
# count and 5 the page of dossiers with procedure and team, 6 the unread notifications in the menu
# (the session is not written: portal/sessions.py).
APPLICANT_LIST = 6


@pytest.mark.parametrize("rows", [N, 10 * N])
def test_applicant_list_query_count_does_not_grow_with_the_rows(
    dossiers, login, django_assert_num_queries, rows
):
    clone_dossiers(dossiers, rows)
    client = login(dossiers.cast.applicant)
    with django_assert_num_queries(APPLICANT_LIST):
        response = client.get(reverse("dossier_list"))
    assert response.status_code == 200
