"""The one-stop shop's part of each person's home (dossiers/home.py): what an applicant's dossiers ask
of them, and the dossiers and obstacles of those who handle them, by the one deadline definition."""

import datetime
import itertools

import pytest
from django.urls import reverse

from dossiers.access import can_process, can_reply
from dossiers.home import ASKS, answered_by, processed_by
from dossiers.models import Dossier, Inquiry
from dossiers.services import dossiers as services
from dossiers.services.inquiries import raise_inquiry
from dossiers.transitions import STEPS
from portal.services.notifications import mark_all_read
from tests.dossiers.fixtures import *  # noqa: F403 (the dossiers and media_root fixtures)
from tests.portal.test_home import fresh_cache, home, panel, says_nothing_to_do  # noqa: F401

Status = Dossier.Status
# The suite's clock stands on Wednesday 18 November 2026; due soon is within two working days.
TODAY = datetime.date(2026, 11, 18)
LAST_WEEK = datetime.date(2026, 11, 10)
TOMORROW = datetime.date(2026, 11, 19)
NEXT_MONTH = datetime.date(2026, 12, 15)


def due_on(dossier: Dossier, day: datetime.date) -> Dossier:
    Dossier.objects.filter(pk=dossier.pk).update(due_date=day)
    return Dossier.objects.get(pk=dossier.pk)


def codes(rows) -> list[str]:
    return [dossier.code for dossier in rows]


# The applicant


def test_an_applicant_sees_first_what_their_dossiers_ask_of_them(dossiers, login):
    cast = dossiers.cast
    waiting = dossiers.dossier  # filed, not received yet: nothing to do but wait
    supplement = dossiers.at(Status.SUPPLEMENT_REQUESTED)
    payment = dossiers.at(Status.PAYMENT_REQUESTED)
    draft = dossiers.file(submit=False)
    decided = dossiers.at(Status.DONE)
    returned = dossiers.at(Status.RESULT_RETURNED)
    rated = dossiers.advance(dossiers.file(), Status.RESULT_RETURNED)
    services.rate_service(dossier=rated, by=cast.applicant, rating=5)
    running = due_on(dossiers.at(Status.IN_PROGRESS), NEXT_MONTH)
    someone_elses = dossiers.file(applicant=dossiers.other_applicant)

    response = home(login, cast.applicant)
    own = panel(response, "dossiers/home_own.html")
    rows = own.data["dossiers"]
    # What asks something, the most pressing first; then what is open, due soonest first; then the rest.
    assert [(dossier.code, dossier.ask.key if dossier.ask else None) for dossier in rows] == [
        (supplement.code, "supplement"),
        (payment.code, "payment"),
        (draft.code, "draft"),
        (decided.code, "collect"),
        (returned.code, "rate"),
        (running.code, None),
        (waiting.code, None),
        (rated.code, None),
    ]
    assert own.to_do == 5 and own.data["total"] == 8
    page = response.content.decode()
    assert someone_elses.code not in page
    for said in (
        "5 hồ sơ cần bạn làm tiếp.",
        "Gửi giấy tờ được yêu cầu bổ sung",
        "Nộp phí theo yêu cầu của tổ giải quyết",
        "Hoàn thiện hồ sơ nháp và nộp",
        "Nhận kết quả",
        "Đánh giá việc giải quyết",
        running.due_date.strftime("%d/%m/%Y"),
    ):
        assert said in page
    # The services told the applicant of each step: those notifications are to read as well.
    unread = panel(response, "portal/home_notifications.html")
    assert response.context["to_do"] == 5 + unread.to_do
    assert not says_nothing_to_do(response)
    # The ways to file and to the rules.
    assert f'"{reverse("dossier_new")}"' in page
    assert f'"{reverse("policy_list")}"' in page and f'"{reverse("eligibility_check")}"' in page


def test_an_applicant_whose_dossiers_wait_on_the_team_has_nothing_to_do(dossiers, login):
    cast = dossiers.cast
    running = dossiers.at(Status.IN_PROGRESS)
    mark_all_read(cast.applicant)
    response = home(login, cast.applicant)
    own = panel(response, "dossiers/home_own.html")
    assert own.to_do == 0
    assert codes(own.data["dossiers"]) == [running.code, dossiers.dossier.code]
    assert says_nothing_to_do(response)


def test_the_applicant_sees_ten_dossiers_and_a_link_to_all(dossiers, login):
    for _ in range(10):
        dossiers.file()
    response = home(login, dossiers.cast.applicant)
    own = panel(response, "dossiers/home_own.html")
    assert len(own.data["dossiers"]) == 10 and own.data["total"] == 11
    assert "Tất cả hồ sơ của tôi (11)" in response.content.decode()


def test_an_officer_sees_the_drafts_they_started_at_the_desk(dossiers, login):
    cast = dossiers.cast
    draft = dossiers.file(by=cast.commune_officer, channel=Dossier.Channel.IN_PERSON, submit=False)
    own = panel(home(login, cast.commune_officer), "dossiers/home_own.html")
    assert [(dossier.code, dossier.ask.key) for dossier in own.data["dossiers"]] == [(draft.code, "draft")]
    assert own.to_do == 1
    # Nobody else's drafts, and nothing for an officer who started none.
    assert panel(home(login, cast.other_commune_officer), "dossiers/home_own.html") is None


def test_the_asks_hold_exactly_where_the_step_table_lets_the_applicant_act(dossiers):
    """Send the supplement, file the draft and rate are the applicant's steps of transitions.py."""
    steps = {"supplement": STEPS["supply_supplement"], "draft": STEPS["submit"], "rate": STEPS["rate"]}
    dossier = dossiers.dossier
    for status, is_draft, rating in itertools.product(Status.values, (True, False), (None, 4)):
        if is_draft and status != Status.NEW:
            continue  # a draft is always new
        Dossier.objects.filter(pk=dossier.pk).update(
            status=status, submitted_at=None if is_draft else dossier.submitted_at, rating=rating
        )
        row = Dossier.objects.get(pk=dossier.pk)
        for ask in ASKS:
            holds = Dossier.objects.filter(ask.condition, pk=dossier.pk).exists()
            if ask.key in steps:
                assert holds == steps[ask.key].allows(row), (ask.key, status, is_draft, rating)
            else:
                assert holds == (
                    status == {"payment": Status.PAYMENT_REQUESTED, "collect": Status.DONE}[ask.key]
                )


# Those who handle dossiers


@pytest.fixture
def commune_work(dossiers):
    """The commune team's dossiers at every deadline, and the other commune's, late too."""
    cast = dossiers.cast
    work = {
        "overdue": due_on(dossiers.at(Status.RECEIVED), LAST_WEEK),
        "due_today": due_on(dossiers.at(Status.IN_PROGRESS), TODAY),
        "due_soon": due_on(dossiers.at(Status.PAYMENT_REQUESTED), TOMORROW),
        "later": due_on(dossiers.advance(dossiers.file(), Status.RECEIVED), NEXT_MONTH),
        "to_receive": dossiers.dossier,
        # Its clock waits for the applicant: not late, whatever its due date.
        "paused": due_on(dossiers.at(Status.SUPPLEMENT_REQUESTED), LAST_WEEK),
        "closed": due_on(dossiers.at(Status.DONE), LAST_WEEK),
        "other_commune": due_on(
            dossiers.advance(
                dossiers.file(applicant=dossiers.other_applicant),
                Status.RECEIVED,
                by=cast.other_commune_officer,
            ),
            LAST_WEEK,
        ),
    }
    inquiry = raise_inquiry(dossier=work["due_today"], by=cast.applicant, question="Khi nào có kết quả?")
    Inquiry.objects.filter(pk=inquiry.pk).update(reply_due=LAST_WEEK)
    raise_inquiry(dossier=work["other_commune"], by=cast.other_applicant, question="Cần thêm giấy tờ gì?")
    return work


def test_a_commune_head_sees_the_dossiers_and_obstacles_of_their_team_most_pressing_first(
    dossiers, commune_work, login
):
    response = home(login, dossiers.cast.commune_officer)
    work = panel(response, "dossiers/home_work.html")
    assert [(str(label), count) for label, count, _link in work.data["tallies"]] == [
        ("Quá hạn", 1),
        ("Đến hạn hôm nay", 1),
        ("Sắp đến hạn", 1),
        ("Chờ tiếp nhận", 1),
    ]
    assert codes(work.data["dossiers"]) == [
        commune_work[key].code for key in ("overdue", "due_today", "due_soon", "to_receive")
    ]
    assert work.to_do == 4
    obstacles = panel(response, "dossiers/home_inquiries.html")
    assert obstacles.to_do == 1 and obstacles.data["counts"]["overdue"] == 1
    assert [inquiry.question for inquiry in obstacles.data["inquiries"]] == ["Khi nào có kết quả?"]
    page = response.content.decode()
    assert commune_work["other_commune"].code not in page and "Cần thêm giấy tờ gì?" not in page
    assert "trễ 6 ngày làm việc" in page
    assert not says_nothing_to_do(response)


def test_the_home_counts_what_the_queue_lists(dossiers, commune_work, login):
    """Each count links to the queue narrowed the same way: one deadline definition for both."""
    client = login(dossiers.cast.commune_officer)
    work = panel(client.get(reverse("home")), "dossiers/home_work.html")
    for _label, count, link in work.data["tallies"]:
        assert client.get(link).context["page"].paginator.count == count, link


def test_the_fund_officer_sees_the_loan_dossiers_the_fund_handles(dossiers, login):
    cast = dossiers.cast
    loan = dossiers.at(Status.RECEIVED)
    Dossier.objects.filter(pk=loan.pk).update(handling_team=cast.teams.fund, due_date=LAST_WEEK)
    mark_all_read(cast.fund_officer)

    response = home(login, cast.fund_officer)
    work = panel(response, "dossiers/home_work.html")
    assert codes(work.data["dossiers"]) == [loan.code]
    assert work.to_do == 1
    assert not says_nothing_to_do(response)
    # The commune team no longer handles it.
    assert loan.code not in codes(
        panel(home(login, cast.commune_officer), "dossiers/home_work.html").data["dossiers"]
    )


def test_a_fund_officer_with_no_dossier_pending_has_nothing_to_do(cast, login):
    response = home(login, cast.fund_officer)
    work = panel(response, "dossiers/home_work.html")
    assert work.to_do == 0 and work.data["dossiers"] == []
    assert (
        "Không có hồ sơ nào của bạn bị trễ, sắp đến hạn hay đang chờ tiếp nhận." in response.content.decode()
    )
    assert says_nothing_to_do(response)


def test_the_standing_agency_sees_every_late_dossier_of_the_province(dossiers, commune_work, login):
    response = home(login, dossiers.cast.standing_officer)
    work = panel(response, "dossiers/home_work.html")
    assert {str(label): count for label, count, _link in work.data["tallies"]}["Quá hạn"] == 2
    assert codes(work.data["dossiers"])[:2] == [
        commune_work["overdue"].code,
        commune_work["other_commune"].code,
    ]
    assert panel(response, "dossiers/home_inquiries.html").to_do == 2


def test_the_council_processes_no_dossier(dossiers, commune_work, login):
    response = home(login, dossiers.cast.council_member)
    assert panel(response, "dossiers/home_work.html") is None
    assert panel(response, "dossiers/home_inquiries.html") is None


@pytest.mark.parametrize(
    "role",
    [
        "council_member",
        "standing_officer",
        "district_officer",
        "commune_officer",
        "other_commune_officer",
        "fund_officer",
        "applicant",
    ],
)
def test_the_panels_read_the_access_rules(commune_work, dossiers, role):
    """``processed_by`` and ``answered_by`` are ``can_process`` and ``can_reply`` as querysets."""
    cast = dossiers.cast
    Dossier.objects.filter(pk=commune_work["later"].pk).update(handling_team=cast.teams.fund)
    user = getattr(cast, role)
    filed = Dossier.objects.submitted()
    assert set(processed_by(user)) == {dossier for dossier in filed if can_process(user, dossier)}
    waiting = Inquiry.objects.unanswered().select_related("dossier")
    assert set(answered_by(user)) == {inquiry for inquiry in waiting if can_reply(user, inquiry)}
