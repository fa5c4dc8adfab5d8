"""The morning job (deadline flags, an overdue inquiry escalated once), replies to inquiries and
the notifications' e-mail, queued when the transaction commits, sent once.
"""

import pytest
from django.core import mail

from dossiers.models import Inquiry
from dossiers.services import dossiers as services
from dossiers.services.deadlines import flag_deadlines
from dossiers.services.inquiries import raise_inquiry, reply_to_inquiry
from portal.emails import send_email
from portal.models import Notification
from portal.refusals import Refused
from portal.services.notifications import notify
from tests.dossiers.service_helpers import *  # noqa: F403 (the freeze and world fixtures)
from tests.dossiers.service_helpers import D, dossier_in, draft

pytestmark = pytest.mark.django_db


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
