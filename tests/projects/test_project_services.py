"""The rules of the project services the pages rely on: a project registered with its founders, its
figures, its steps and corrections, the supports and visits, the dossiers linked, and the one rule of
"no support in the last six months"."""

import datetime
from decimal import Decimal

import pytest

from dossiers.services.applicants import Person
from portal.refusals import Refused
from projects.models import Founder, Milestone, Project, ProjectStep, Support
from projects.models.projects import unsupported_window_start
from projects.services import projects as services
from projects.services.support import MilestoneFinding, record_support, record_visit
from tests.projects.fixtures import *  # noqa: F403 (the projects and media_root fixtures)
from tests.projects.fixtures import Projects

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 18)


def register(world: Projects, **changes) -> Project:
    fields = {
        "by": world.officer,
        "founders": [Person(full_name="Trần Văn Mới", national_id="083099007777")],
        "address": "Xã Sơn Định",
        "on": datetime.date(2026, 11, 10),
        "name": "Bánh tráng dừa",
        "kind": "household_business",
        "sector": "C",
        "unit": world.cast.units.commune,
    }
    return services.register_project(**(fields | changes))


def refusal(call) -> str:
    with pytest.raises(Refused) as refused:
        call()
    return refused.value.code


def test_a_project_is_registered_with_its_founders_and_first_step(projects):
    project = register(
        projects,
        founders=[
            Person(full_name="Trần Văn Mới", national_id="083099007777"),
            Person(full_name="Bùi Văn Nộp", national_id=projects.shop.applicant.national_id),
        ],
        stage="plan",
    )
    assert list(project.founders.values_list("person__national_id", "is_lead")) == [
        ("083099007777", True),
        (projects.shop.applicant.national_id, False),
    ]
    # The known person is linked, not recorded twice.
    assert Founder.objects.filter(person=projects.shop.applicant).count() == 2
    assert list(project.steps.values_list("stage", "taken_on", "by")) == [
        ("plan", datetime.date(2026, 11, 10), projects.officer.pk)
    ]


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"kind": "poverty_escape"}, "needs_plan"),
        ({"stage": "started"}, "stage"),
        ({"founders": []}, "no_founder"),
        ({"founders": [Person("A", "083099007777"), Person("B", "083099007777")]}, "founder_twice"),
        ({"founders": [Person("A", "08309900777")]}, "national_id"),
        ({"on": datetime.date(2026, 11, 19)}, "future"),
        ({"capital_needed": 100, "own_capital": 200}, "own_above_need"),
        ({"workers": 2, "jobs_created": 3}, "jobs_above_workers"),
        ({"workers": 3, "jobs_created": 2, "jobs_women": 3}, "groups_above_jobs"),
    ],
)
def test_a_project_that_breaks_a_rule_is_not_registered(projects, changes, code):
    before = Project.objects.count()
    assert refusal(lambda: register(projects, **changes)) == code
    assert Project.objects.count() == before


def test_another_communes_officer_registers_nothing_here(projects):
    assert refusal(lambda: register(projects, by=projects.cast.other_commune_officer)) == "not_writable"
    assert refusal(lambda: register(projects, by=projects.cast.council_member)) == "not_writable"


@pytest.mark.parametrize(
    ("figures", "code"),
    [
        ({"capital_needed": -1}, "not_positive"),
        ({"own_capital": 1.5}, "not_whole"),
        ({"own_capital": Decimal("100")}, "not_whole"),
        ({"jobs_created": 7}, "jobs_above_workers"),
    ],
)
def test_figures_are_refused_whole(projects, figures, code):
    startup = projects.startup  # 6 workers
    assert refusal(lambda: services.update_project(project=startup, by=projects.officer, **figures)) == code
    startup.refresh_from_db()
    assert (startup.capital_needed, startup.own_capital, startup.jobs_created) == (
        300_000_000,
        120_000_000,
        4,
    )


def test_steps_go_forward_one_at_a_time_and_a_correction_undoes_the_last(projects):
    startup, officer = projects.startup, projects.officer
    assert refusal(lambda: services.move_stage(project=startup, to="operating", by=officer, on=TODAY)) == (
        "out_of_order"
    )
    assert refusal(lambda: services.move_stage(project=startup, to="stopped", by=officer, on=TODAY)) == (
        "stop_reason"
    )
    assert refusal(
        lambda: services.move_stage(project=startup, to="started", by=officer, on=datetime.date(2024, 3, 1))
    ) == ("before_previous")
    services.move_stage(project=startup, to="started", by=officer, on=TODAY)
    services.move_stage(project=startup, to="stopped", by=officer, on=TODAY, stop_reason="market")
    assert refusal(lambda: services.move_stage(project=startup, to="operating", by=officer, on=TODAY)) == (
        "stopped"
    )
    assert refusal(lambda: services.correct_step(project=startup, by=officer, on=TODAY, note=" ")) == "note"
    services.correct_step(project=startup, by=officer, on=TODAY, note="Nhầm")
    startup.refresh_from_db()
    assert (startup.stage, startup.stop_reason) == ("started", "")
    assert list(ProjectStep.objects.filter(project=startup).values_list("stage", "is_correction")) == [
        ("plan", False),
        ("started", False),
        ("stopped", False),
        ("started", True),
    ]


def test_a_poverty_escape_project_starts_only_with_its_plan_approved(projects):
    project = projects.plan.project
    move = lambda: services.move_stage(project=project, to="started", by=projects.officer, on=TODAY)  # noqa: E731
    assert refusal(move) == "plan_not_approved"
    projects.approved_plan()
    assert move().stage == "started"


def test_a_support_has_one_provider_and_hours_or_value(projects):
    startup, officer = projects.startup, projects.officer
    given = {"project": startup, "by": officer, "kind": "advice", "given_on": TODAY}
    assert refusal(lambda: record_support(**given, hours=Decimal("1"))) == "provider"
    assert refusal(
        lambda: record_support(**given, organisation="Hội LHPN", mentor=projects.mentor, hours=Decimal("1"))
    ) == ("provider")
    assert refusal(lambda: record_support(**given, organisation="Hội LHPN")) == "hours_or_value"
    assert refusal(lambda: record_support(**given, organisation="Hội LHPN", hours=Decimal("0"))) == "hours"
    assert refusal(lambda: record_support(**given, organisation="Hội LHPN", value=-5)) == "not_positive"
    assert (
        refusal(
            lambda: record_support(
                **(given | {"given_on": datetime.date(2024, 1, 1)}),
                organisation="Hội LHPN",
                hours=Decimal("1"),
            )
        )
        == "before_project"
    )
    assert not Support.objects.exists()
    support = record_support(**given, mentor=projects.mentor, value=2_000_000)
    assert (support.provider, support.value, support.hours) == (projects.mentor.full_name, 2_000_000, None)


def test_a_visit_marks_milestones_once_each(projects):
    plan = projects.approved_plan()
    first, second, third = plan.milestones.order_by("due_on")
    visit = lambda *findings: record_visit(  # noqa: E731
        project=plan.project, by=projects.officer, visited_on=TODAY, note="Thăm hộ", findings=list(findings)
    )
    assert refusal(lambda: visit(MilestoneFinding(first, "late"), MilestoneFinding(first, "done"))) == "twice"
    assert refusal(lambda: visit(MilestoneFinding(third, "changed", reason="Chậm"))) == "change_reason"
    assert refusal(lambda: visit(MilestoneFinding(third, "changed", datetime.date(2027, 1, 5), "Chậm"))) == (
        "milestone_outside"
    )
    visit(MilestoneFinding(first, "done"), MilestoneFinding(second, "late"))
    assert sorted(plan.milestones.values_list("title", "state")) == [
        ("Làm chuồng, trồng cỏ", "done"),
        ("Lứa dê con đầu tiên", "planned"),
        ("Nhận dê giống", "late"),
    ]
    assert refusal(lambda: visit(MilestoneFinding(first, "late"))) == "done"
    assert Milestone.objects.get(pk=first.pk).done_on == TODAY


def test_only_a_founders_dossier_of_the_three_procedures_is_linked(projects):
    startup = projects.startup
    # The fixture's own procedure is none of the three.
    assert (
        refusal(
            lambda: services.link_dossier(project=startup, dossier=projects.shop.dossier, by=projects.officer)
        )
        == "procedure"
    )
    enrolment = projects.enrolment_dossier()  # linked to the poverty-escape project
    # The household's head founded no startup: the enrolment is not the startup's to take.
    link = lambda: services.link_dossier(project=startup, dossier=enrolment, by=projects.officer)  # noqa: E731
    assert refusal(link) == "not_founder"


# --- Six months without support ------------------------------------------------------------------------


def test_the_six_month_window(projects):
    assert unsupported_window_start(datetime.date(2026, 11, 18)) == datetime.date(2026, 5, 19)
    assert unsupported_window_start(datetime.date(2026, 8, 31)) == datetime.date(2026, 3, 1)


def test_a_project_without_support_in_six_months(projects):
    startup, other, poverty = projects.startup, projects.other_startup, projects.plan.project
    day = datetime.date(2026, 11, 18)

    def unsupported() -> set[int]:
        going_on = Project.objects.exclude(stage="stopped")
        return set(going_on.unsupported_on(day).values_list("pk", flat=True))

    assert unsupported() == {startup.pk, other.pk, poverty.pk}
    # A support on the window's first day counts; one the day before does not.
    given = {
        "by": projects.officer,
        "kind": "advice",
        "organisation": "Hội Doanh nhân trẻ",
        "hours": Decimal("1"),
    }
    record_support(project=startup, given_on=datetime.date(2026, 5, 18), **given)
    assert unsupported() == {startup.pk, other.pk, poverty.pk}
    record_support(project=startup, given_on=datetime.date(2026, 5, 19), **given)
    assert unsupported() == {other.pk, poverty.pk}
    # A stopped project is not waiting for support; a project registered within the six months is new.
    services.move_stage(
        project=other, to="stopped", by=projects.cast.other_commune_officer, on=day, stop_reason="moved"
    )
    assert unsupported() == {poverty.pk}
    recent = register(projects, on=datetime.date(2026, 6, 1))
    assert recent.pk not in unsupported()
    # Support after the day asked about does not count for it.
    earlier = set(Project.objects.unsupported_on(datetime.date(2026, 5, 1)).values_list("pk", flat=True))
    assert startup.pk in earlier
