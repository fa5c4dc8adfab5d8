"""The queue of inquiries (vướng mắc) and replies to them, on the queue and on the dossier's page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from dossiers.models import Inquiry
from dossiers.services.inquiries import escalate_inquiry, raise_inquiry, reply_to_inquiry
from portal.models import Notification
from tests.dossiers.fixtures import *  # noqa: F403 (the dossiers and media_root fixtures)
from tests.dossiers.fixtures import Dossiers
from tests.dossiers.page_helpers import dossier_state
from tests.portal.test_query_counts import SIGNED_IN

D = datetime.date
MONDAY = D(2025, 3, 3)


@pytest.fixture
def monday(set_today):
    set_today(MONDAY)
    return MONDAY


def ask(
    world: Dossiers, question: str = "Tôi cần mẫu phương án kinh doanh.", *, due=None, dossier=None
) -> Inquiry:
    inquiry = raise_inquiry(dossier=dossier or world.dossier, by=world.cast.applicant, question=question)
    if due is not None:
        Inquiry.objects.filter(pk=inquiry.pk).update(reply_due=due)
        inquiry.refresh_from_db()
    return inquiry


def questions(response) -> list[str]:
    return [inquiry.question for inquiry in response.context["page"]]


def test_unanswered_first_most_pressing_on_top_with_their_flags(dossiers, login, monday):
    later = ask(dossiers, "Hạn nộp bổ sung là khi nào?", due=D(2025, 3, 7))
    today_ = ask(dossiers, "Có cần công chứng không?", due=MONDAY)
    late = ask(dossiers, "Ai ký xác nhận?", due=D(2025, 2, 27))
    answered = ask(dossiers, "Nộp ở đâu?", due=D(2025, 2, 20))
    reply_to_inquiry(inquiry=answered, by=dossiers.officer, reply="Tại bộ phận một cửa xã.")
    response = login(dossiers.officer).get(reverse("inquiry_list"))
    assert questions(response) == [late.question, today_.question, later.question, answered.question]
    assert [inquiry.deadline for inquiry in response.context["page"]] == ["overdue", "due_today", "", ""]
    assert [(key, count) for key, _label, count in response.context["shows"]] == [
        ("", 4),
        ("unanswered", 3),
        ("overdue", 1),
        ("answered", 1),
    ]
    # Reply forms for the unanswered only.
    assert [hasattr(inquiry, "reply_form") for inquiry in response.context["page"]] == [
        True,
        True,
        True,
        False,
    ]


@pytest.mark.parametrize(
    ("show", "expected"), [("unanswered", 2), ("overdue", 1), ("answered", 1), ("nonsense", 3)]
)
def test_the_queue_shows_one_state_at_a_time(dossiers, login, monday, show, expected):
    ask(dossiers, "Một", due=D(2025, 2, 27))
    ask(dossiers, "Hai", due=D(2025, 3, 7))
    answered = ask(dossiers, "Ba", due=D(2025, 3, 7))
    reply_to_inquiry(inquiry=answered, by=dossiers.officer, reply="Đã trả lời.")
    response = login(dossiers.officer).get(reverse("inquiry_list"), {"show": show})
    assert len(response.context["page"]) == expected


def test_the_queue_shows_only_inquiries_in_scope(dossiers, login):
    mine = ask(dossiers, "Của xã Sơn Định")
    other_dossier = dossiers.file(applicant=dossiers.other_applicant)
    other = raise_inquiry(dossier=other_dossier, by=dossiers.cast.other_applicant, question="Của xã Cẩm Sơn")
    assert questions(login(dossiers.cast.commune_officer).get(reverse("inquiry_list"))) == [mine.question]
    assert questions(login(dossiers.cast.other_commune_officer).get(reverse("inquiry_list"))) == [
        other.question
    ]
    assert questions(login(dossiers.cast.other_applicant).get(reverse("inquiry_list"))) == [other.question]


def test_an_escalated_inquiry_is_flagged_and_the_team_above_answers_it(dossiers, login):
    cast = dossiers.cast
    inquiry = ask(dossiers, due=timezone.localdate() - datetime.timedelta(days=3))
    assert escalate_inquiry(inquiry=inquiry, on=timezone.localdate()) is True
    page = login(cast.district_officer).get(reverse("inquiry_list"))
    listed = page.context["page"][0]
    assert listed.team == cast.teams.district
    assert listed.escalated_at is not None
    assert hasattr(listed, "reply_form")
    response = login(cast.district_officer).post(
        reverse("inquiry_reply", args=[inquiry.pk]), {"reply": "Huyện đã hướng dẫn xã giải quyết."}
    )
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert (inquiry.reply, inquiry.replied_by) == ("Huyện đã hướng dẫn xã giải quyết.", cast.district_officer)


def test_a_reply_from_the_queue_is_stored_and_told_to_the_applicant(dossiers, login):
    inquiry = ask(dossiers)
    response = login(dossiers.officer).post(
        reverse("inquiry_reply", args=[inquiry.pk]), {"reply": "Mẫu có tại bộ phận một cửa.", "from": "queue"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("inquiry_list")
    inquiry.refresh_from_db()
    assert (inquiry.reply, inquiry.replied_by) == ("Mẫu có tại bộ phận một cửa.", dossiers.officer)
    notification = Notification.objects.get(
        recipient=dossiers.cast.applicant, event_key=f"inquiry-{inquiry.pk}-replied"
    )
    assert notification.body == "Mẫu có tại bộ phận một cửa."


def test_a_reply_from_the_dossier_page_goes_back_to_it(dossiers, login):
    inquiry = ask(dossiers)
    page = login(dossiers.officer).get(reverse("dossier_detail", args=[dossiers.dossier.pk]))
    assert [(item, hasattr(item, "reply_form")) for item in page.context["inquiries"]] == [(inquiry, True)]
    response = login(dossiers.officer).post(
        reverse("inquiry_reply", args=[inquiry.pk]),
        {"reply": "Đã gửi mẫu qua thư điện tử.", "from": "dossier"},
    )
    assert response["Location"] == reverse("dossier_detail", args=[dossiers.dossier.pk])


@pytest.mark.parametrize("origin", ["queue", "dossier"])
def test_an_empty_reply_is_refused_where_it_was_written(dossiers, login, origin):
    inquiry = ask(dossiers)
    before = dossier_state()
    response = login(dossiers.officer).post(
        reverse("inquiry_reply", args=[inquiry.pk]), {"reply": "  ", "from": origin}
    )
    assert response.status_code == 400
    assert dossier_state() == before
    template = "dossiers/detail.html" if origin == "dossier" else "dossiers/inquiries/list.html"
    assert template in [used.name for used in response.templates]
    with translation.override("vi"):
        assert response.context["refusals"] == [gettext("Write the reply.")]


def test_an_answered_inquiry_is_not_answered_twice(dossiers, login):
    inquiry = ask(dossiers)
    reply_to_inquiry(inquiry=inquiry, by=dossiers.officer, reply="Lần một.")
    before = dossier_state()
    response = login(dossiers.officer).post(
        reverse("inquiry_reply", args=[inquiry.pk]), {"reply": "Lần hai."}
    )
    assert response.status_code == 400
    assert dossier_state() == before
    with translation.override("vi"):
        assert response.context["refusals"] == [gettext("This obstacle has already been answered.")]


def make_inquiries(world: Dossiers, count: int) -> None:
    """``count`` inquiries on as many dossiers, a third answered and a third escalated."""
    due = timezone.localdate()
    raised_by = world.cast.applicant
    team = world.cast.teams.commune
    Inquiry.objects.bulk_create(
        Inquiry(
            dossier=world.dossier,
            raised_by=raised_by,
            question=f"Câu hỏi {number}",
            reply_due=due + datetime.timedelta(days=number % 7 - 3),
            team=team,
            escalated_at=timezone.now() if number % 3 == 1 else None,
            reply="Đã trả lời." if number % 3 == 2 else "",
            replied_at=timezone.now() if number % 3 == 2 else None,
            replied_by=world.officer if number % 3 == 2 else None,
        )
        for number in range(count)
    )


N = 5
# The queue's own queries: 1 the counts by state with the reply measures, 2 the paginator's count, 3 the
# page's ids in order, 4 its inquiries with their dossier, procedure, applicant, team, who raised and who
# replied.
INQUIRY_QUEUE = 4


@pytest.mark.parametrize("rows", [N, 10 * N])
def test_inquiry_queue_query_count_does_not_grow_with_the_rows(
    dossiers, login, django_assert_num_queries, rows
):
    make_inquiries(dossiers, rows)
    client = login(dossiers.cast.council_member)
    with django_assert_num_queries(SIGNED_IN + INQUIRY_QUEUE):
        response = client.get(reverse("inquiry_list"))
    assert response.status_code == 200
    assert len(response.context["page"]) == rows
    with django_assert_num_queries(SIGNED_IN + INQUIRY_QUEUE - 2):  # the counts are kept for a minute
        again = client.get(reverse("inquiry_list"))
    assert again.context["shows"] == response.context["shows"]
    assert again.context["measures"] == response.context["measures"]


def test_reply_times_are_measured(dossiers, login):
    dossier = dossiers.at("in_progress")
    team = dossier.handling_team
    raised = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=timezone.get_current_timezone())
    rows = [
        # (reply due, replied after): on time after one day, on time after two days, late after four days
        (datetime.date(2026, 3, 6), datetime.timedelta(days=1)),
        (datetime.date(2026, 3, 6), datetime.timedelta(days=2)),
        (datetime.date(2026, 3, 4), datetime.timedelta(days=4)),
    ]
    for reply_due, after in rows:
        inquiry = Inquiry.objects.create(
            dossier=dossier,
            raised_by=dossiers.cast.applicant,
            question="Vướng mắc",
            reply_due=reply_due,
            team=team,
        )
        Inquiry.objects.filter(pk=inquiry.pk).update(
            raised_at=raised,
            replied_at=raised + after,
            reply="Đã trả lời",
            replied_by=dossiers.cast.commune_officer,
        )
    Inquiry.objects.create(
        dossier=dossier,
        raised_by=dossiers.cast.applicant,
        question="Chưa trả lời",
        reply_due=rows[0][0],
        team=team,
    )
    measures = Inquiry.objects.all().reply_measures()
    assert (measures["answered"], measures["on_time"]) == (3, 2)
    assert measures["mean_reply_time"] == datetime.timedelta(days=7 / 3)
    page = login(dossiers.cast.commune_officer).get(reverse("inquiry_list")).content.decode()
    assert "3 vướng mắc đã được trả lời, 2 trong số đó đúng hạn." in page
    assert "Thời gian trả lời trung bình: 2,3 ngày." in page
