"""The morning job: each milestone of an approved plan that fell late is announced to the commune team
once (a second run sends nothing twice), on awkward days too: 01/07/2025 (the reform), 31/12/2025 →
01/01/2026, 29/02/2028 → 01/03/2028."""

import datetime

import pytest
from django.conf import settings

from portal.models import Notification
from projects.jobs import flag_late_milestones_this_morning
from projects.models import Milestone
from projects.services import plans
from projects.services.plans import PlannedMilestone
from tests.projects.fixtures import *  # noqa: F403
from tests.projects.fixtures import GOAT_PLAN, GOAT_ROWS

pytestmark = pytest.mark.django_db

D = datetime.date
AWKWARD = [
    PlannedMilestone("Nhận dê giống", D(2025, 7, 1), "Hội Nông dân xã"),
    PlannedMilestone("Lứa dê con đầu tiên", D(2025, 12, 31), "Cán bộ thú y xã"),
    PlannedMilestone("Bán dê con", D(2028, 2, 29), "Tổ hỗ trợ xã"),
]


def morning(set_today, day: datetime.date) -> dict[str, int]:
    set_today(day, datetime.time(7, 20))
    return flag_late_milestones_this_morning()


def warned() -> dict[str, datetime.date | None]:
    return dict(Milestone.objects.values_list("title", "late_warned_on"))


@pytest.fixture
def awkward_plan(projects, set_today):
    """The goat plan, running to the end of 2028 with milestones on awkward days, approved 01/03/2025."""
    set_today(D(2025, 3, 1))
    plan = plans.revise_plan(
        plan=projects.plan,
        by=projects.officer,
        fundings=GOAT_ROWS["fundings"],
        inputs=GOAT_ROWS["inputs"],
        milestones=AWKWARD,
        **(GOAT_PLAN | {"ends_on": D(2028, 12, 31)}),
    )
    Notification.objects.all().delete()
    return projects.approved_plan(on=D(2025, 3, 1)) and plan


def test_the_job_is_in_the_morning_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["projects-late-milestones"]
    assert entry["task"] == "projects.jobs.flag_late_milestones_this_morning"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({7}, {20})


def test_each_late_milestone_is_announced_once_on_awkward_days(projects, awkward_plan, set_today):
    assert morning(set_today, D(2025, 7, 1)) == {"late": 0, "notified": 0}  # due today: not late yet
    assert morning(set_today, D(2025, 7, 2)) == {"late": 1, "notified": 1}
    assert morning(set_today, D(2025, 7, 2)) == {"late": 0, "notified": 0}  # a second run: nothing twice
    assert morning(set_today, D(2025, 12, 31)) == {"late": 0, "notified": 0}
    assert morning(set_today, D(2026, 1, 1)) == {"late": 1, "notified": 1}
    assert morning(set_today, D(2028, 2, 29)) == {"late": 0, "notified": 0}
    assert morning(set_today, D(2028, 3, 1)) == {"late": 1, "notified": 1}
    assert morning(set_today, D(2028, 3, 2)) == {"late": 0, "notified": 0}
    assert warned() == {
        "Nhận dê giống": D(2025, 7, 2),
        "Lứa dê con đầu tiên": D(2026, 1, 1),
        "Bán dê con": D(2028, 3, 1),
    }
    notes = list(Notification.objects.order_by("pk").values_list("recipient__username", "title", "link"))
    assert [(user, link) for user, _title, link in notes] == [
        (projects.officer.username, f"/poverty-plans/{awkward_plan.pk}/")
    ] * 3
    assert "01/07/2025" in notes[0][1] and "Nuôi dê sinh sản – hộ Lê Thị Nghèo" in notes[0][1]
    assert "29/02/2028" in notes[2][1]


def test_a_warning_lost_mid_run_is_not_sent_twice(projects, awkward_plan, set_today):
    """The event key is the milestone's: even with its mark cleared, nobody is told twice."""
    morning(set_today, D(2025, 7, 2))
    Milestone.objects.update(late_warned_on=None)
    assert morning(set_today, D(2025, 7, 3)) == {"late": 1, "notified": 0}
    assert Notification.objects.count() == 1


def test_a_draft_plan_and_the_other_commune_hear_nothing(projects, set_today):
    Notification.objects.all().delete()
    # The goat plan is a draft: its milestones are past, but it is still being written.
    assert morning(set_today, D(2026, 11, 18)) == {"late": 0, "notified": 0}
    projects.approved_plan()
    assert morning(set_today, D(2026, 11, 18)) == {"late": 3, "notified": 3}
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {projects.officer.username}
