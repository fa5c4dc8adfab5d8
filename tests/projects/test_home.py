"""The projects' part of the home (projects/home.py): a commune team's late milestones and plans awaiting
approval, a household's own plan with its next milestones, a mentor's projects with their last session;
the queries each costs."""

import datetime
from decimal import Decimal

import pytest

from portal.scope import scope_for
from projects import home as project_home
from projects.models import Milestone
from projects.services import mentors
from tests.factories import UserFactory
from tests.portal.test_home import fresh_cache, home, panel  # noqa: F401
from tests.projects.fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

D = datetime.date
TEAM = "projects/plans/home_team.html"
OWN = "projects/plans/home_own.html"
MENTOR = "projects/plans/home_mentor.html"


def add_milestones(plan, count: int) -> None:
    """``count`` more milestones of the plan, all past their date on 18/11/2026."""
    Milestone.objects.bulk_create(
        Milestone(
            plan=plan,
            title=f"Mốc {n}",
            due_on=D(2026, 1, 1 + n % 28),
            planned_on=D(2026, 1, 1),
            supporter="Xã",
        )
        for n in range(count)
    )


def test_the_commune_team_sees_its_draft_then_its_late_milestones(projects, login):
    found = panel(home(login, projects.officer), TEAM)
    assert (found.data["late_count"], found.data["draft_count"], found.to_do) == (0, 1, 1)
    assert found.data["drafts"] == [projects.plan]
    projects.approved_plan()
    response = home(login, projects.officer)
    found = panel(response, TEAM)
    assert (found.data["late_count"], found.data["draft_count"]) == (3, 0)
    assert [m.due_on for m in found.data["late"]] == [D(2025, 4, 15), D(2025, 5, 1), D(2026, 1, 31)]
    assert f'href="/poverty-plans/{projects.plan.pk}/"' in response.content.decode()


def test_others_see_no_team_panel(projects, login):
    projects.approved_plan()
    cast = projects.cast
    for role in (
        "other_commune_officer",
        "district_officer",
        "standing_officer",
        "council_member",
        "applicant",
    ):
        assert panel(home(login, getattr(cast, role)), TEAM) is None, role


def test_the_household_sees_its_next_milestones(projects, login, set_today):
    head = projects.household.head
    head.user = UserFactory(username="nghe", full_name="Lê Thị Nghèo")
    head.save(update_fields=["user"])
    projects.approved_plan()
    set_today(D(2025, 4, 20))
    [plan] = panel(home(login, head.user), OWN).data["plans"]
    assert [(m.title, m.is_late) for m in plan.next_milestones] == [
        ("Làm chuồng, trồng cỏ", True),
        ("Nhận dê giống", False),
        ("Lứa dê con đầu tiên", False),
    ]
    assert panel(home(login, projects.cast.applicant), OWN) is None  # a startup's founder: no plan


def test_the_mentor_sees_the_projects_assigned_and_the_last_session(projects, login):
    assert panel(home(login, projects.cast.mentor), MENTOR).data["projects"] == []
    projects.assign()
    for day in (D(2025, 2, 3), D(2025, 6, 9)):
        mentors.log_session(
            mentor=projects.mentor,
            project=projects.startup,
            by=projects.cast.mentor,
            held_on=day,
            hours=Decimal("2"),
            topic="Bao bì, nhãn mác",
        )
    [project] = panel(home(login, projects.cast.mentor), MENTOR).data["projects"]
    assert (project, project.last_session) == (projects.startup, D(2025, 6, 9))
    assert panel(home(login, projects.cast.other_applicant), MENTOR) is None


@pytest.mark.parametrize("rows", [3, 30])
def test_the_team_panel_costs_fixed_queries_whatever_the_rows(projects, django_assert_num_queries, rows):
    projects.approved_plan()
    add_milestones(projects.plan, rows)
    officer = projects.officer
    scope_for(officer)  # the scope is the page frame's (tests/portal/test_home_queries.py)
    # 1 the late milestones counted, 2 the drafts counted (none), 3 the earliest late ones with their
    # project (with a draft, 4 the drafts with theirs).
    with django_assert_num_queries(3):
        [found] = project_home.panels(officer, D(2026, 11, 18))
    assert found.data["late_count"] == 3 + rows


@pytest.mark.parametrize("rows", [3, 30])
def test_the_own_and_mentor_panels_cost_fixed_queries(projects, django_assert_num_queries, rows):
    head = projects.household.head
    head.user = UserFactory(username="nghe", full_name="Lê Thị Nghèo")
    head.save(update_fields=["user"])
    add_milestones(projects.plan, rows)
    projects.assign()
    for user in (head.user, projects.cast.mentor, projects.cast.applicant, projects.cast.council_member):
        scope_for(user)
    # 1 the plans, 2 their milestones not done, 3 the mentor record (none).
    with django_assert_num_queries(3):
        [found] = project_home.panels(head.user, D(2026, 11, 18))
    assert len(found.data["plans"][0].open_milestones) == 3 + rows
    # 1 no plan, 2 the mentor record, 3 the projects assigned with their last session.
    with django_assert_num_queries(3):
        [found] = project_home.panels(projects.cast.mentor, D(2026, 11, 18))
    assert found.data["projects"] == [projects.startup]
    # An applicant without a plan or a mentor record: 1 no plan, 2 no mentor record.
    with django_assert_num_queries(2):
        assert project_home.panels(projects.cast.applicant, D(2026, 11, 18)) == []
    # Officials without a commune team: nothing asked.
    with django_assert_num_queries(0):
        assert project_home.panels(projects.cast.council_member, D(2026, 11, 18)) == []
