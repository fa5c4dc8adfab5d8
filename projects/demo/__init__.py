"""The demo's projects (issue 12): former Bến Tre's startups and poverty-escape households since 2016.

``build(writer)`` registers, through the services and as the commune teams would have, some twenty
projects on the communes of their registration day: coconut candy, coconut jelly and coir in Mỏ Cày,
bonsai, flowers and seedlings in Chợ Lách, clams and shrimp on the coast, homestays on Cồn Phụng and
Cồn Quy, an app and an online shop of local products. Each moves stage by dated steps (one corrected,
one stopped), gets supports of every kind from teams, organisations and mentors, and is visited.

Poor households are put on their commune's list of the year (2022–2025 under Decree 07/2021; from
2026 under the administrator's example standard, ``example_standard``) and get plans: goats, cows,
mushrooms, chickens, pomelo, a grocery stall, approved, followed on visits (milestones done, late,
moved), reviewed each December: escaped, still poor, one fell back. The enrolment dossiers of the
dossiers demo are decided only once their plan is approved: the dossiers demo asks this app before
each decision (``projects.demo.decisions``), which writes and approves the plan that day. The mentors'
pool (one of them the demo login ``covan``, who sees only the projects assigned to him), their
assignments, a declared conflict and sessions; two success models the council confirmed (coconut
candy, goat raising) with replications before and after the 1 July 2025 reform, and one proposal
awaiting the council. The plans are in ``projects.demo.plans``.

History is written as it happened: the services take each step's day; the moments the rows were
recorded are set to their day afterwards, as the conversions demo does. Every row written is counted
(``ProjectsReport.rows``): the rows are told by their ids, higher than any before the build.

Running it again changes nothing: a project is found by its name, a household by its code on its
commune's list, a mentor by name; what exists is left as it is.
"""

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.utils import timezone, translation

from demo.ground import LOGINS, PASSWORD
from demo.writer import Writer
from dossiers.catalogue import FUND_LOAN, POVERTY_ESCAPE, STARTUP_SUPPORT
from dossiers.models import Applicant, Dossier
from dossiers.services.applicants import Person, person_by_national_id
from portal.models import AdminUnit, Membership, Team, User
from portal.models.units import REFORM_DATE
from projects.access import can_change
from projects.demo import plans
from projects.models import (
    ConflictOfInterest,
    Founder,
    HouseholdListing,
    Mentor,
    MentorAssignment,
    MentorSession,
    Milestone,
    MilestoneUpdate,
    PlanFunding,
    PlanInput,
    PovertyPlan,
    PovertyStandard,
    Project,
    ProjectDossier,
    ProjectStep,
    ProjectVisit,
    SuccessModel,
    Support,
    SupportKind,
    YearlyReview,
)
from projects.services import mentors, showcase
from projects.services import plans as plan_services
from projects.services.projects import (
    correct_step,
    link_dossier,
    move_stage,
    register_project,
    update_project,
)
from projects.services.support import MilestoneFinding, record_support, record_visit

SEED = "vinh-long-projects"
# Every table this part writes, in the order the summary names them.
COUNTED = (
    Applicant,
    PovertyStandard,
    HouseholdListing,
    Project,
    Founder,
    ProjectStep,
    ProjectDossier,
    PovertyPlan,
    PlanFunding,
    PlanInput,
    Milestone,
    MilestoneUpdate,
    ProjectVisit,
    Support,
    YearlyReview,
    Mentor,
    MentorAssignment,
    ConflictOfInterest,
    MentorSession,
    SuccessModel,
)
# The moment each kind of row was recorded, set to the row's own day: (model, stamp, its day).
STAMPS = (
    (ProjectStep, "recorded_at", "taken_on"),
    (Support, "recorded_at", "given_on"),
    (ProjectVisit, "recorded_at", "visited_on"),
    (MentorSession, "logged_at", "held_on"),
)
# The administrator's example of the standard after 2025 (check it against the decree before use).
EXAMPLE_STANDARD = {
    "name": "Chuẩn nghèo đa chiều giai đoạn 2026–2030",
    "legal_basis": "Nghị định 351/2025/NĐ-CP",
    "valid_from": datetime.date(2026, 1, 1),
    "valid_until": datetime.date(2030, 12, 31),
    "rural_income_line": 2_200_000,
    "urban_income_line": 2_800_000,
    "indicators": 12,
    "deprivation_threshold": 3,
    "is_example": True,
}
REVIEW_DAY = (12, 15)  # the yearly review of poor households, in December
COUNCIL_LOGIN = "hoidong"
AGENCY_LOGIN = "thuongtruc"
MENTOR_LOGIN = "covan"


@dataclass
class ProjectsReport:
    rows: Counter = field(default_factory=Counter)  # (model, "created" | "unchanged")

    def summary(self) -> list[str]:
        rows = self.rows
        return [
            f"{label:<13}{rows[(model, 'created')]} created, {rows[(model, 'unchanged')]} unchanged."
            for label, model in (
                ("Projects:", "Project"),
                ("Households:", "HouseholdListing"),
                ("Supports:", "Support"),
                ("Mentors:", "Mentor"),
            )
        ]


def build(writer: Writer, today: datetime.date | None = None) -> ProjectsReport:
    """Record what is missing of the demo's projects; ``writer`` holds the demo's accounts."""
    today = today or timezone.localdate()
    with translation.override(settings.LANGUAGE_CODE):
        return _Builder(writer, today).build()


# Counting and dating the rows a part wrote.


def high_water() -> dict[type[models.Model], int]:
    """The highest id of each table this part writes: the rows written later have higher ones."""
    return {model: model.objects.aggregate(top=models.Max("pk"))["top"] or 0 for model in COUNTED}


def settle(marks: dict[type[models.Model], int], started: datetime.datetime) -> dict[str, list[int]]:
    """The ids of the rows written since ``marks``, by model; their recorded moments set to their day.

    A row's moment is eight in the morning of its day, a few minutes later for each later row of the
    same project, and never after ``started`` (the build's start)."""
    written = {
        model.__name__: list(model.objects.filter(pk__gt=top).order_by("pk").values_list("pk", flat=True))
        for model, top in marks.items()
    }
    for model, stamp, day_field in STAMPS:
        rows = list(
            model.objects.filter(pk__in=written[model.__name__])
            .order_by("project_id", day_field, stamp, "pk")
            .values_list("pk", "project_id", day_field)
        )
        moments, index, previous = {}, 0, None
        for pk, project_id, day in rows:
            index = index + 1 if project_id == previous else 0
            previous = project_id
            moment = timezone.make_aware(
                datetime.datetime.combine(day, datetime.time(8))
            ) + datetime.timedelta(minutes=7 * index)
            moments[pk] = min(moment, started - datetime.timedelta(minutes=len(rows) - len(moments)))
        if moments:
            model.objects.filter(pk__in=moments).update(
                **{stamp: models.Case(*(models.When(pk=pk, then=value) for pk, value in moments.items()))}
            )
    return written


def example_standard() -> bool:
    """The 2026–2030 standard as the administrator's example; True when written now."""
    if PovertyStandard.objects.filter(valid_from=EXAMPLE_STANDARD["valid_from"]).exists():
        return False
    PovertyStandard.objects.create(**EXAMPLE_STANDARD)
    return True


def moved_to_working_day(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    return day


class Places:
    """The communes of each day and who acts for them today, as the conversions demo finds them."""

    def __init__(self, writer: Writer, today: datetime.date):
        self.writer = writer
        self.today = today
        self.units: dict[str, list[AdminUnit]] = {}
        for unit in AdminUnit.objects.filter(level=AdminUnit.Level.COMMUNE).select_related("parent"):
            self.units.setdefault(unit.code, []).append(unit)
        self.by_pk = {unit.pk: unit for units in self.units.values() for unit in units}
        links = AdminUnit.successors.through.objects.values_list("from_adminunit_id", "to_adminunit_id")
        self.successor: dict[int, int] = {}
        self.predecessors: dict[int, list[int]] = {}
        for old, new in links.order_by("from_adminunit_id", "to_adminunit__code"):
            self.successor.setdefault(old, new)
            self.predecessors.setdefault(new, []).append(old)
        self.teams = list(
            Team.objects.filter(kind__in=(Team.Kind.COMMUNE_TEAM, Team.Kind.DISTRICT_TEAM)).order_by("pk")
        )
        active = Membership.objects.active_on(today).filter(team__active_until__isnull=True)
        self.members: dict[int, list[int]] = {}
        for team_id, user_id in active.order_by("pk").values_list("team_id", "user_id"):
            self.members.setdefault(team_id, []).append(user_id)
        self.users = {user.pk: user for user in User.objects.filter(memberships__isnull=False).distinct()}
        self.agency = writer.users[AGENCY_LOGIN]
        self.cache: dict[tuple[int, bool], User] = {}

    def unit_on(self, code: str, day: datetime.date) -> AdminUnit | None:
        for unit in self.units.get(code, ()):
            if (unit.valid_from is None or unit.valid_from <= day) and (
                unit.valid_until is None or day <= unit.valid_until
            ):
                return unit
        return None

    def commune(self, ward: str, former: str, day: datetime.date) -> AdminUnit:
        """The ward of that code from the reform on; before it the former commune named, or the one
        of the ward's code, or the ward's first predecessor."""
        current = self.unit_on(ward, self.today)
        if day >= REFORM_DATE:
            return current
        for code in (former, ward):
            unit = self.unit_on(code, day) if code else None
            if unit is not None:
                return unit
        return self.by_pk[self.predecessors[current.pk][0]]

    def ward_of(self, unit: AdminUnit) -> AdminUnit:
        return unit if unit.valid_until is None else self.by_pk[self.successor[unit.pk]]

    def team_on(self, unit: AdminUnit, day: datetime.date) -> Team | None:
        """The team that supported the commune that day: its own, else its former district's."""
        for kind, unit_id in ((Team.Kind.COMMUNE_TEAM, unit.pk), (Team.Kind.DISTRICT_TEAM, unit.parent_id)):
            for team in self.teams:
                if (
                    team.kind == kind
                    and team.unit_id == unit_id
                    and (team.active_from is None or team.active_from <= day)
                    and (team.active_until is None or day <= team.active_until)
                ):
                    return team
        return None

    def officer(self, unit: AdminUnit, day: datetime.date) -> User:
        """Who records it today: before the reform the former commune's head where they carried on in
        the ward's team, else the ward team's (the demo login ``xa``, its head, a member), else the
        standing agency."""
        key = (unit.pk, day < REFORM_DATE)
        if key not in self.cache:
            self.cache[key] = self._officer(unit, day)
        return self.cache[key]

    def _officer(self, unit: AdminUnit, day: datetime.date) -> User:
        ward = self.ward_of(unit)
        ward_team = next(
            (team for team in self.teams if team.unit_id == ward.pk and team.active_until is None), None
        )
        in_ward = self.members.get(ward_team.pk, []) if ward_team else []
        xa = self.writer.users.get("xa")
        candidates = []
        if day < REFORM_DATE and unit.valid_until is not None:
            former = self.team_on(unit, day)
            if former is not None and former.kind == Team.Kind.COMMUNE_TEAM:
                candidates.append(former.head_id)
        candidates += [xa.pk if xa else None, ward_team.head_id if ward_team else None, *in_ward[:1]]
        for user_id in candidates:
            if user_id in in_ward and can_change(self.users[user_id], unit.pk):
                return self.users[user_id]
        return self.agency

    def person(self, national_id: str) -> Applicant:
        """The person with this CCCD: the one the portal knows, or a new record of them on their ward."""
        known = person_by_national_id(national_id)
        if known is not None:
            return known
        person = next(person for person in plans.PEOPLE if person.national_id == national_id)
        return Applicant.objects.create(
            kind=Applicant.Kind.PERSON,
            full_name=person.full_name,
            national_id=person.national_id,
            phone=person.phone,
            address=person.address,
            unit=self.unit_on(person.ward, self.today),
            consent_at=timezone.make_aware(datetime.datetime.combine(self.today, datetime.time(7))),
        )


def as_person(applicant: Applicant) -> Person:
    return Person(full_name=applicant.full_name, national_id=applicant.national_id, phone=applicant.phone)


def plan_fields(spec: plans.Household, opened: datetime.date) -> dict:
    milestones = [
        plan_services.PlannedMilestone(title, opened + datetime.timedelta(days=after), supporter)
        for title, after, supporter in spec.milestones
    ]
    return {
        "livelihood": spec.livelihood,
        "description": spec.description,
        "budget_total": sum(amount for _source, amount in spec.fundings),
        "expected_monthly_income": spec.income,
        "starts_on": opened,
        "ends_on": opened + relativedelta(months=spec.months),
        "fundings": [plan_services.Funding(source, amount) for source, amount in spec.fundings],
        "inputs": [plan_services.Input(*item) for item in spec.inputs],
        "milestones": milestones,
    }


def open_household(
    places: Places, spec: plans.Household, unit: AdminUnit, opened: datetime.date, by: User
) -> PovertyPlan:
    """The household on its commune's list of the year and its plan, opened on ``opened``."""
    head = places.person(spec.head)
    if opened.year >= EXAMPLE_STANDARD["valid_from"].year:
        example_standard()
    listing = plan_services.list_household(
        by=by,
        unit=unit,
        year=opened.year,
        household_code=spec.code,
        head=as_person(head),
        address=head.address,
        category=spec.category,
        is_urban=False,
        income_per_person=spec.income_per_person,
        deprivations=spec.deprivations,
        members=spec.members,
    )
    return plan_services.open_plan(
        by=by, household=listing, name=spec.name, sector=spec.sector, on=opened, **plan_fields(spec, opened)
    )


def link_on(project: Project, dossier: Dossier, by: User, on: datetime.date) -> None:
    """Link the founder's dossier to the project, on the day the team did."""
    link_dossier(project=project, dossier=dossier, by=by)
    ProjectDossier.objects.filter(project=project, dossier=dossier).update(linked_on=on)


class _Builder:
    def __init__(self, writer: Writer, today: datetime.date):
        self.writer = writer
        self.today = today
        self.started = timezone.now()
        self.report = ProjectsReport()
        self.places = Places(writer, today)
        self.agency = self.places.agency
        self.council = writer.users[COUNCIL_LOGIN]
        self.rng = random.Random(SEED)
        self.projects: dict[str, Project] = {}
        self.mentors: dict[str, Mentor] = {}
        self.new: set[str] = set()  # names of the projects written on this run

    def day(self, day: plans.Day) -> datetime.date:
        if isinstance(day, datetime.date):
            return day
        return moved_to_working_day(self.today - datetime.timedelta(days=day))

    def created_now(self, project: Project) -> bool:
        """Written on this run: by this part, or before a dossier's decision (``decisions``)."""
        return project.name in self.new or self.writer.outcomes.get(("Project", project.pk)) == "created"

    def build(self) -> ProjectsReport:
        marks = high_water()
        mentor_login = next(login for login in LOGINS if login.username == MENTOR_LOGIN)
        self.writer.user(mentor_login.username, mentor_login.full_name, password=PASSWORD)
        example_standard()
        self.projects = {project.name: project for project in Project.objects.all()}
        self._mentors()
        for spec in plans.STARTUPS:
            self._startup(spec)
        for spec in plans.HOUSEHOLDS:
            self._household(spec)
        self._assignments()
        for project in self.projects.values():
            if project.name in self.new:
                self._supports(project)
        self._models()
        written = settle(marks, self.started)
        for model, pks in written.items():
            self.report.rows[model, "created"] += len(pks)
        return self.report

    # The mentors' pool.

    def _mentors(self) -> None:
        known = {mentor.full_name: mentor for mentor in Mentor.objects.all()}
        for spec in plans.MENTORS:
            if spec.full_name in known:
                self.mentors[spec.full_name] = known[spec.full_name]
                self.report.rows["Mentor", "unchanged"] += 1
                continue
            mentor = Mentor(
                full_name=spec.full_name,
                fields=spec.fields,
                organisation=spec.organisation,
                availability=spec.availability,
                phone=spec.phone,
                email=spec.email,
                public_consent=spec.public_consent,
                user=self.writer.users[spec.login] if spec.login else None,
            )
            units = [self.places.unit_on(code, self.today) for code in spec.wards]
            self.mentors[spec.full_name] = mentors.save_mentor(by=self.agency, mentor=mentor, units=units)

    # Startups.

    def _startup(self, spec: plans.Startup) -> None:
        if spec.name in self.projects:
            self.report.rows["Project", "unchanged"] += 1
            return
        registered = self.day(spec.registered)
        if registered > self.today:
            return
        unit = self.places.commune(spec.ward, spec.former, registered)
        founders = [self.places.person(national_id) for national_id in spec.founders]
        figures = spec.figures
        project = register_project(
            by=self.places.officer(unit, registered),
            founders=[as_person(founder) for founder in founders],
            address=founders[0].address,
            on=registered,
            name=spec.name,
            kind=spec.kind,
            sector=spec.sector,
            unit=unit,
            summary=spec.summary,
            stage=spec.stage,
            capital_needed=figures.capital_needed,
            own_capital=figures.own_capital,
            workers=figures.workers,
            jobs_planned=figures.jobs_planned,
        )
        self.projects[spec.name], last = project, registered
        self.new.add(spec.name)
        for step in spec.steps:
            last = self._step(project, step.stage, max(self.day(step.on), last), step.note, step.reason)
            if last is None:
                break
        update_project(
            project=project,
            by=self.places.officer(unit, self.today),
            jobs_created=figures.jobs_created,
            jobs_women=figures.jobs_women,
            jobs_young=figures.jobs_young,
        )
        if spec.dossier:
            dossier = self._dossier(founders, spec.dossier, (STARTUP_SUPPORT, FUND_LOAN))
            if dossier is not None:
                filed = timezone.localdate(dossier.submitted_at) if dossier.submitted_at else self.today
                link_on(project, dossier, self.places.officer(unit, self.today), max(filed, registered))

    def _step(
        self, project: Project, stage: str, on: datetime.date, note: str = "", reason: str = ""
    ) -> datetime.date | None:
        """The step taken that day, or None when the day is still to come."""
        if on > self.today:
            return None
        by = self.places.officer(project.unit, on)
        if stage == "correct":
            correct_step(project=project, by=by, on=on, note=note)
        else:
            move_stage(project=project, to=stage, by=by, on=on, note=note, stop_reason=reason)
        project.refresh_from_db(fields=["stage", "stop_reason"])
        return on

    def _dossier(self, founders: list[Applicant], summary: str, procedures) -> Dossier | None:
        return (
            Dossier.objects.filter(
                applicant__in=founders,
                procedure__code__in=procedures,
                summary__startswith=summary,
                submitted_at__isnull=False,
            )
            .order_by("pk")
            .first()
        )

    # Poverty-escape households.

    def _household(self, spec: plans.Household) -> None:
        project = self.projects.get(spec.name)
        if project is None and spec.decided_with_dossier:
            project = Project.objects.filter(name=spec.name).first()
        if project is not None and not self.created_now(project):
            self.report.rows["Project", "unchanged"] += 1
            return
        if project is None:
            if spec.decided_with_dossier:
                return  # its dossier is not decided yet: the plan comes with the decision
            opened = self.day(spec.opened)
            if opened > self.today:
                return
            unit = self.places.commune(spec.ward, spec.former, opened)
            by = self.places.officer(unit, opened)
            plan = open_household(self.places, spec, unit, opened, by)
            project = plan.project
            if spec.approved_after is not None:
                approved = min(opened + datetime.timedelta(days=spec.approved_after), self.today)
                plan = plan_services.approve_plan(plan=plan, by=by, on=approved)
            if spec.dossier:
                dossier = self._dossier([plan.household.head], spec.dossier, (POVERTY_ESCAPE,))
                if dossier is not None:
                    link_on(project, dossier, by, opened)
        self.projects[spec.name] = project
        self.new.add(spec.name)
        self._follow_up(spec, PovertyPlan.objects.select_related("project__unit").get(project=project))

    def _follow_up(self, spec: plans.Household, plan: PovertyPlan) -> None:
        """The project's steps, the visits with what they found of the milestones, the yearly reviews."""
        if not plan.is_approved:
            return
        project, start = plan.project, plan.starts_on
        last = plan.approved_on
        for step in spec.steps:
            on = max(start + datetime.timedelta(days=step.on), last)
            if self._step(project, step.stage, on, step.note, step.reason) is None:
                break
            last = on
        milestones = list(plan.milestones.order_by("due_on", "pk"))
        for visit in spec.visits:
            on = start + datetime.timedelta(days=visit.after)
            if on > self.today:
                break
            # A milestone moved on a visit gets a date two months on, within the plan.
            moved = min(on + datetime.timedelta(days=60), plan.ends_on)
            findings = [
                MilestoneFinding(
                    milestones[index],
                    state,
                    new_due_on=moved if state == Milestone.State.CHANGED else None,
                    reason=reason,
                )
                for index, state, reason in visit.findings
            ]
            record_visit(
                project=project,
                by=self.places.officer(project.unit, on),
                visited_on=on,
                note=visit.note,
                next_step=visit.next_step,
                findings=findings,
            )
        for year, result, note in spec.reviews:
            on = datetime.date(year, *REVIEW_DAY)
            if on > self.today or year < plan.approved_on.year:
                break
            plan_services.record_review(
                plan=plan,
                by=self.places.officer(project.unit, on),
                year=year,
                result=result,
                on=on,
                note=note,
            )

    # Supports, mentors and models.

    def _supports(self, project: Project) -> None:
        """Supports of every kind by turns, spread over the project's life up to today."""
        spec = next((spec for spec in plans.STARTUPS if spec.name == project.name), None)
        count = spec.supports if spec else 2
        span = (self.today - project.registered_on).days
        kinds = list(SupportKind)
        offset = self.rng.randrange(len(kinds))
        assigned = list(
            MentorAssignment.objects.filter(project=project).select_related("mentor").order_by("assigned_on")
        )
        for index in range(count):
            given_on = project.registered_on + datetime.timedelta(days=span * (index + 1) // (count + 1))
            kind = kinds[(offset + index) % len(kinds)]
            organisations, outcome, hours, value = plans.SUPPORTS[kind]
            provider: dict = {}
            mentor = next((row.mentor for row in assigned if row.assigned_on <= given_on), None)
            team = self.places.team_on(project.unit, given_on)
            if kind == SupportKind.MENTORING and mentor is not None:
                provider["mentor"] = mentor
            elif organisations and (team is None or index % 2):
                provider["organisation"] = self.rng.choice(organisations)
            elif team is not None:
                provider["team"] = team
            else:
                provider["organisation"] = "Sở Tài chính – Cơ quan thường trực"
            record_support(
                project=project,
                by=self.places.officer(project.unit, given_on),
                kind=kind,
                given_on=given_on,
                hours=Decimal(hours) if hours else None,
                value=value,
                outcome=outcome,
                **provider,
            )

    def _assignments(self) -> None:
        for mentor_name, project_name, reason, on in plans.CONFLICTS:
            project = self.projects.get(project_name)
            if project is None or project_name not in self.new or self.day(on) < project.registered_on:
                continue
            mentor = self.mentors[mentor_name]
            mentors.declare_conflict(
                mentor=mentor, project=project, by=mentor.user or self.agency, reason=reason, on=self.day(on)
            )
        for spec in plans.ASSIGNMENTS:
            project = self.projects.get(spec.project)
            if project is None or spec.project not in self.new:
                continue
            on = max(self.day(spec.on), project.registered_on)
            if on > self.today:
                continue
            mentor = self.mentors[spec.mentor]
            assignment = mentors.assign_mentor(mentor=mentor, project=project, by=self.agency, on=on)
            ended = self.day(spec.ended) if spec.ended is not None else None
            for after, hours, topic, next_step in spec.sessions:
                held_on = on + datetime.timedelta(days=after)
                if held_on > self.today or (ended is not None and held_on > ended):
                    continue
                logger = mentor.user or self.places.officer(project.unit, held_on)
                mentors.log_session(
                    mentor=mentor,
                    project=project,
                    by=logger,
                    held_on=held_on,
                    hours=Decimal(hours),
                    topic=topic,
                    next_step=next_step,
                )
            if ended is not None and on <= ended <= self.today:
                mentors.end_assignment(assignment=assignment, by=self.agency, on=ended)

    def _models(self) -> None:
        for spec in plans.MODELS:
            project = self.projects.get(spec.project)
            proposed = self.day(spec.proposed)
            if project is None or proposed > self.today or proposed < project.registered_on:
                continue
            if SuccessModel.objects.filter(project=project).exists():
                continue
            project.refresh_from_db(fields=["stage"])
            model = showcase.propose_model(
                project=project,
                by=self.agency,
                on=proposed,
                title=spec.title,
                yearly_revenue=spec.yearly_revenue,
                jobs=spec.jobs,
                years_operating=spec.years_operating,
                evidence=spec.evidence,
                public_consent=spec.public_consent,
            )
            if spec.decided is not None and self.day(spec.decided) <= self.today:
                showcase.decide_model(model=model, by=self.council, confirm=True, on=self.day(spec.decided))
        for project_name, model_project, since in plans.REPLICATIONS:
            project, source = self.projects.get(project_name), self.projects.get(model_project)
            if project is None or source is None or project_name not in self.new:
                continue
            model = SuccessModel.objects.filter(project=source).first()
            on = max(self.day(since), project.registered_on)
            if model is None or not model.is_confirmed or on > self.today:
                continue
            showcase.record_replication(
                project=project, model=model, by=self.places.officer(project.unit, on), on=on
            )
