"""Synthetic projects, poverty-escape plans, supports, mentors and models for ``demo.synthetic``'s province.

At scale 1 the province's 100 current communes hold some 1,600 projects registered since the
programme began in 2016 (``projects_per_commune``, 16): startups, household businesses, cooperatives
and ideas on the communes of their day, each with its dated steps (some stopped, with the reason);
some 3,000 poor and near-poor households on their commune's list of the year with a poverty-escape
plan (``plans_per_commune``, 30): first the households whose enrolment dossiers the synthetic one-stop
shop holds (a decided enrolment always has its plan approved by the decision's day), then others. Each
plan has its budget sources adding up to the budget, inputs and milestones within its dates; the
milestones past their day were done, marked late or moved on visits, or left open; the approved ones
are reviewed each December (escaped, still poor, near-poor, fell back after escaping). Some 20,000
supports (``supports_per_commune``, 200) are spread unevenly over the projects, from teams,
organisations and mentors; a pool of mentors (``mentors_per_commune``, 0.3) is assigned to about a
tenth of the startups and logs sessions, never where it declared a conflict; a few confirmed success
models have their replications.

The same seed and ``as_of`` give the same rows. They are written with ``bulk_create`` in batches, as
the other synthetic parts are: no ``save()`` (the search columns are set here), no audit records.
"""

import contextlib
import datetime
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from demo.names import MIDDLE_NAMES, vietnamese_name
from demo.synthetic import SyntheticProvince
from dossiers.catalogue import POVERTY_ESCAPE
from dossiers.models import Applicant, Dossier
from portal.models import AdminUnit, Team
from portal.models.units import REFORM_DATE
from portal.text import fold
from projects.demo import EXAMPLE_STANDARD
from projects.models import (
    FORWARD_STAGES,
    Category,
    ConflictOfInterest,
    Founder,
    FundingSource,
    HouseholdListing,
    Kind,
    Livelihood,
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
    ReviewResult,
    Stage,
    StopReason,
    SuccessModel,
    Support,
    SupportKind,
    YearlyReview,
)

BATCH_SIZE = 1000
PROJECTS_PER_COMMUNE = 16
PLANS_PER_COMMUNE = 30
SUPPORTS_PER_COMMUNE = 200
MENTORS_PER_COMMUNE = 0.3
PROGRAMME_START = datetime.date(2016, 7, 1)
FIRST_LIST_YEAR = 2017
DECIDED = (Dossier.Status.DONE, Dossier.Status.RESULT_RETURNED)
MILLION = 1_000_000


@dataclass(frozen=True)
class Trade:
    name: str
    kind: str
    sector: str
    workers: tuple[int, int]
    capital: tuple[int, int]  # millions of đồng


TRADES = (
    Trade("Kẹo dừa", Kind.HOUSEHOLD_BUSINESS, "C", (3, 14), (150, 1500)),
    Trade("Thạch dừa", Kind.STARTUP, "C", (4, 25), (500, 4000)),
    Trade("Chỉ xơ dừa", Kind.HOUSEHOLD_BUSINESS, "C", (4, 20), (200, 1500)),
    Trade("Bonsai mini", Kind.INNOVATIVE, "A", (2, 8), (100, 800)),
    Trade("Vườn ươm cây giống", Kind.STARTUP, "A", (3, 12), (300, 2000)),
    Trade("Hoa kiểng", Kind.HOUSEHOLD_BUSINESS, "A", (2, 10), (100, 1500)),
    Trade("Nuôi nghêu", Kind.COOPERATIVE, "A", (8, 30), (500, 2500)),
    Trade("Tôm sú sinh thái", Kind.HOUSEHOLD_BUSINESS, "A", (2, 6), (200, 900)),
    Trade("Homestay", Kind.HOUSEHOLD_BUSINESS, "I", (2, 9), (300, 1800)),
    Trade("Ứng dụng nông nghiệp", Kind.INNOVATIVE, "J", (3, 12), (500, 3000)),
    Trade("Cửa hàng đặc sản trực tuyến", Kind.STARTUP, "G", (2, 8), (100, 600)),
    Trade("Nhóm sản xuất bánh phồng", Kind.IDEA, "C", (2, 6), (50, 300)),
)


@dataclass(frozen=True)
class Livelihoodish:
    livelihood: str
    sector: str
    name: str
    input: str
    budget: tuple[int, int]  # millions
    income: tuple[int, int]  # thousands a month


LIVELIHOODS = (
    Livelihoodish(Livelihood.GOATS, "A", "Nuôi dê", "Dê giống", (20, 40), (2500, 4500)),
    Livelihoodish(Livelihood.CATTLE, "A", "Nuôi bò sinh sản", "Bò cái giống", (40, 80), (3000, 5000)),
    Livelihoodish(Livelihood.MUSHROOMS, "A", "Trồng nấm rơm", "Meo giống và rơm", (10, 20), (2000, 3500)),
    Livelihoodish(Livelihood.POULTRY, "A", "Nuôi gà thả vườn", "Gà giống và cám", (15, 35), (2000, 3500)),
    Livelihoodish(Livelihood.VEGETABLES, "A", "Trồng rau màu", "Hạt giống, phân bón", (8, 15), (1800, 3000)),
    Livelihoodish(Livelihood.FRUIT, "A", "Trồng bưởi da xanh", "Cây giống", (20, 50), (2000, 4000)),
    Livelihoodish(Livelihood.SHOP, "G", "Tạp hóa nhỏ", "Tủ kệ và hàng hóa", (15, 30), (2500, 4000)),
    Livelihoodish(Livelihood.FISH, "A", "Nuôi cá", "Cá giống và thức ăn", (15, 30), (2000, 3500)),
)
ORGANISATIONS = {
    SupportKind.TRAINING: ("Trung tâm Khuyến công tỉnh", "Trung tâm Khuyến nông tỉnh"),
    SupportKind.MENTORING: ("Hiệp hội Doanh nghiệp tỉnh",),
    SupportKind.ADVICE: ("Ngân hàng Chính sách xã hội", "Sở Công Thương"),
    SupportKind.TRADE_PROMOTION: ("Trung tâm Xúc tiến thương mại tỉnh",),
    SupportKind.PREMISES: ("Vườn ươm doanh nghiệp tỉnh",),
    SupportKind.CAPITAL: ("Quỹ Đầu tư khởi nghiệp tỉnh", "Ngân hàng Chính sách xã hội"),
    SupportKind.TECHNOLOGY: ("Sở Khoa học và Công nghệ",),
}
# Kinds measured in hours; the others in đồng.
HOURS_KINDS = frozenset({SupportKind.TRAINING, SupportKind.MENTORING, SupportKind.ADVICE})
MENTOR_FIELDS = (
    "Chế biến sản phẩm dừa",
    "Thương mại điện tử",
    "Chăn nuôi, thú y",
    "Nuôi trồng thủy sản",
    "Du lịch cộng đồng",
    "Tài chính, kế toán",
    "Hoa kiểng, cây giống",
)
STOP_REASONS = tuple(StopReason.values)


@contextlib.contextmanager
def _given_times(*fields):
    """Let bulk_create write the times given rather than now, for fields stamped when a row is added."""
    for model_field in fields:
        model_field.auto_now_add = False
    try:
        yield
    finally:
        for model_field in fields:
            model_field.auto_now_add = True


@dataclass
class _Lineage:
    current: AdminUnit
    former: list[AdminUnit]
    officer_now: int
    officer_before: dict[int, int]
    teams: list[tuple[int, datetime.date | None, datetime.date | None, int]] = field(default_factory=list)


@dataclass
class _Story:
    """A project with the rows that hang from it, before they have the project's id."""

    project: Project
    lineage: _Lineage
    founders: list[Applicant] = field(default_factory=list)
    steps: list[ProjectStep] = field(default_factory=list)
    plan: PovertyPlan | None = None
    listing: HouseholdListing | None = None
    dossiers: list[Dossier] = field(default_factory=list)


class _Writer:
    def __init__(self, province: SyntheticProvince):
        self.province = province
        self.as_of = province.as_of
        self.last_day = province.as_of - datetime.timedelta(days=1)
        self.rng = random.Random(f"{province.seed}/projects")
        self.counts: Counter = Counter()
        self.lineages = self._lineages()
        self.lineage_of = {
            unit.pk: lineage for lineage in self.lineages for unit in (lineage.current, *lineage.former)
        }
        self.taken = set(Applicant.objects.values_list("national_id", flat=True))
        self.serial = 0
        council = next(team for team in province.plan.teams if team.kind == Team.Kind.COUNCIL)
        agency = next(team for team in province.plan.teams if team.kind == Team.Kind.STANDING_AGENCY)
        self.council_member = council.members[0].row.pk
        self.agency_officer = agency.members[0].row.pk
        start = EXAMPLE_STANDARD["valid_from"]
        if self.as_of.year >= start.year and not PovertyStandard.objects.filter(valid_from=start).exists():
            PovertyStandard.objects.create(**EXAMPLE_STANDARD)
            self.counts["poverty standards (example)"] += 1
        self.standards = list(PovertyStandard.objects.order_by("valid_from"))
        self.stories: list[_Story] = []

    # Places, people and days.

    def _lineages(self) -> list[_Lineage]:
        plan = self.province.plan
        officers: dict[int, int] = {}
        for team in plan.teams:
            if team.members and team.row is not None:
                officers.setdefault(team.unit.row.pk, team.members[0].row.pk)
        agency = next(team for team in plan.teams if team.kind == Team.Kind.STANDING_AGENCY)
        fallback = agency.members[0].row.pk
        lineages = {}
        for unit in plan.units:
            if unit.level == AdminUnit.Level.COMMUNE and unit.current:
                lineages[unit.code] = _Lineage(unit.row, [], officers.get(unit.row.pk, fallback), {})
        for unit in plan.units:
            if unit.level != AdminUnit.Level.COMMUNE or unit.current:
                continue
            lineage = lineages[unit.successors[0].code]
            lineage.former.append(unit.row)
            lineage.officer_before[unit.row.pk] = officers.get(
                unit.row.pk, officers.get(unit.parent.row.pk, lineage.officer_now)
            )
        by_unit = {}
        for team in plan.teams:
            if team.kind in (Team.Kind.COMMUNE_TEAM, Team.Kind.DISTRICT_TEAM) and team.row is not None:
                by_unit.setdefault(team.unit.row.pk, []).append(
                    (team.row.pk, team.active_from, team.active_until, team.unit.row.pk)
                )
        for lineage in lineages.values():
            for unit in (lineage.current, *lineage.former):
                lineage.teams += by_unit.get(unit.pk, []) + by_unit.get(unit.parent_id, [])
        return [lineages[code] for code in sorted(lineages)]

    def officer(self, lineage: _Lineage, unit_id: int, day: datetime.date) -> int:
        if day < REFORM_DATE and unit_id in lineage.officer_before:
            return lineage.officer_before[unit_id]
        return lineage.officer_now

    def team_on(self, lineage: _Lineage, unit: AdminUnit, day: datetime.date) -> int | None:
        for team_id, start, until, unit_id in lineage.teams:
            if (
                unit_id in (unit.pk, unit.parent_id)
                and (start is None or start <= day)
                and (until is None or day <= until)
            ):
                return team_id
        return None

    def day_between(self, first: datetime.date, last: datetime.date) -> datetime.date:
        return first + datetime.timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

    def unit_for(self, lineage: _Lineage, day: datetime.date) -> tuple[AdminUnit, datetime.date]:
        """The commune of the day (a former one before the reform), and the day moved after the reform
        where the lineage has no former commune."""
        if day >= REFORM_DATE:
            return lineage.current, day
        if lineage.former:
            return self.rng.choice(lineage.former), day
        return lineage.current, self.day_between(REFORM_DATE, self.last_day)

    def person(self, unit: AdminUnit) -> Applicant:
        rng = self.rng
        full_name = vietnamese_name(rng)
        female = full_name.split()[1] in MIDDLE_NAMES["female"]
        national_id = ""
        while not national_id or national_id in self.taken:
            born = rng.randint(50, 99)
            national_id = f"083{1 if female else 0}{born}{rng.randint(0, 999_999):06d}"
        self.taken.add(national_id)
        return Applicant(
            kind=Applicant.Kind.PERSON,
            full_name=full_name,
            national_id=national_id,
            phone=rng.choice(("09", "08", "03", "07")) + f"{rng.randint(0, 99_999_999):08d}",
            address=f"Ấp {rng.randint(1, 9)}, {unit.name}",
            unit_id=unit.pk,
            consent_at=timezone.make_aware(datetime.datetime.combine(self.last_day, datetime.time(8))),
            search_name=fold(f"{full_name} "),
        )

    def moment(self, day: datetime.date, index: int = 0) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(8))) + datetime.timedelta(
            minutes=9 * index
        )

    def standard_for(self, year: int) -> PovertyStandard | None:
        first = datetime.date(year, 1, 1)
        found = None
        for standard in self.standards:
            if standard.valid_from <= first and (
                standard.valid_until is None or first <= standard.valid_until
            ):
                found = standard
        return found

    # Steps.

    def _steps(self, story: _Story, first_stage: str, start: datetime.date, *, stop: float) -> None:
        """The project's steps from ``start``: forward now and then, stopping for good with ``stop``."""
        rng, project = self.rng, story.project
        stage, day = first_stage, start
        self._step(story, stage, day)
        while FORWARD_STAGES.index(stage) + 1 < len(FORWARD_STAGES):
            day = day + datetime.timedelta(days=rng.randint(30, 420))
            if day > self.last_day:
                break
            if rng.random() < stop:
                stage = Stage.STOPPED
                self._step(story, stage, day, rng.choice(STOP_REASONS))
                break
            if rng.random() < 0.15 and stage != Stage.IDEA:
                break  # stays where it is
            stage = FORWARD_STAGES[FORWARD_STAGES.index(stage) + 1]
            self._step(story, stage, day)
        project.stage = stage

    def _step(self, story: _Story, stage: str, day: datetime.date, reason: str = "") -> None:
        story.steps.append(
            ProjectStep(
                stage=stage,
                taken_on=day,
                stop_reason=reason,
                by_id=self.officer(story.lineage, story.project.unit_id, day),
                recorded_at=self.moment(day, len(story.steps)),
            )
        )
        if stage == Stage.STOPPED:
            story.project.stop_reason = reason

    # Startups.

    def startups(self, per_commune: int) -> None:
        rng = self.rng
        for lineage in self.lineages:
            for _ in range(per_commune):
                registered, trade = self.day_between(PROGRAMME_START, self.last_day), rng.choice(TRADES)
                unit, registered = self.unit_for(lineage, registered)
                founders = [self.person(lineage.current) for _ in range(1 if rng.random() < 0.8 else 2)]
                need = rng.randint(*trade.capital) * MILLION
                place = unit.name.split(maxsplit=1)[-1]
                project = Project(
                    name=f"{trade.name} {founders[0].full_name.split()[-1]} {place}",
                    kind=trade.kind,
                    sector=trade.sector,
                    unit_id=unit.pk,
                    summary=f"{trade.name} của {founders[0].full_name}.",
                    capital_needed=need,
                    own_capital=need * rng.randint(15, 60) // 100,
                    registered_on=registered,
                    registered_by_id=self.officer(lineage, unit.pk, registered),
                )
                project.search_name = fold(project.name)
                story = _Story(project, lineage, founders)
                self._steps(story, Stage.IDEA if rng.random() < 0.4 else Stage.PLAN, registered, stop=0.08)
                workers = rng.randint(*trade.workers)
                project.workers = workers
                project.jobs_planned = max(1, workers + rng.randint(-2, 3))
                if project.stage in (Stage.STARTED, Stage.OPERATING, Stage.GROWING) or (
                    project.stage == Stage.STOPPED and len(story.steps) > 2
                ):
                    project.jobs_created = rng.randint(1, workers)
                    project.jobs_women = rng.randint(0, project.jobs_created)
                    project.jobs_young = rng.randint(0, project.jobs_created)
                self.stories.append(story)
                self.counts[f"projects {trade.kind}"] += 1

    # Poverty-escape households.

    def households(self, per_commune: int) -> None:
        planned: Counter = Counter()
        enrolments = []
        for applicant, dossiers in self._enrolments():
            lineage = self.lineage_of.get(dossiers[0].unit_id)
            if lineage is None:
                continue
            decided = [
                timezone.localdate(d.decided_at) for d in dossiers if d.status in DECIDED and d.decided_at
            ]
            enrolments.append((applicant, dossiers, lineage, min(decided) if decided else None))
        # A decided enrolment always has its plan; the others have one while the commune's count allows.
        enrolments.sort(key=lambda enrolment: enrolment[3] is None)
        for applicant, dossiers, lineage, decided in enrolments:
            if decided is None and planned[lineage.current.pk] >= per_commune:
                continue
            filed = min(timezone.localdate(dossier.submitted_at) for dossier in dossiers)
            unit = next(unit for unit in (lineage.current, *lineage.former) if unit.pk == dossiers[0].unit_id)
            story = self._household(lineage, unit, filed, applicant, decided=decided)
            if story is not None:
                story.dossiers = dossiers
                planned[lineage.current.pk] += 1
        for lineage in self.lineages:
            for _ in range(max(0, per_commune - planned[lineage.current.pk])):
                first = max(PROGRAMME_START, datetime.date(FIRST_LIST_YEAR, 1, 1))
                opened = self.day_between(first, self.last_day - datetime.timedelta(days=20))
                unit, opened = self.unit_for(lineage, opened)
                self._household(lineage, unit, opened, self.person(lineage.current), decided=None)

    def _enrolments(self) -> list[tuple[Applicant, list[Dossier]]]:
        """The synthetic poverty-escape enrolments filed, by applicant."""
        rows = (
            Dossier.objects.filter(
                procedure__code=POVERTY_ESCAPE, unit__code__startswith="S", submitted_at__isnull=False
            )
            .select_related("applicant")
            .order_by("pk")
        )
        by_applicant: dict[int, list[Dossier]] = {}
        for dossier in rows:
            by_applicant.setdefault(dossier.applicant_id, []).append(dossier)
        return [(dossiers[0].applicant, dossiers) for dossiers in by_applicant.values()]

    def _listing(self, unit: AdminUnit, year: int, head: Applicant) -> HouseholdListing | None:
        rng = self.rng
        standard = self.standard_for(year)
        if standard is None:
            return None
        poor = rng.random() < 0.7
        line = standard.rural_income_line
        if poor:
            income = rng.randint(line * 6 // 10, line) // 10_000 * 10_000
            deprivations = rng.randint(standard.deprivation_threshold, standard.indicators)
        else:
            income = (
                rng.randint(max(standard.rural_extreme_line + 10_000, line * 8 // 10), line)
                // 10_000
                * 10_000
            )
            deprivations = rng.randint(0, standard.deprivation_threshold - 1)
        category = standard.classify(income=income, deprivations=deprivations, urban=False)
        self.serial += 1
        return HouseholdListing(
            unit_id=unit.pk,
            year=year,
            household_code=f"S{self.serial:07d}",
            head=head,
            members=rng.randint(1, 7),
            category=category or Category.NEAR_POOR,
            income_per_person=income,
            deprivations=deprivations,
            standard=standard,
        )

    def _household(
        self,
        lineage: _Lineage,
        unit: AdminUnit,
        opened: datetime.date,
        head: Applicant,
        *,
        decided: datetime.date | None,
    ) -> _Story | None:
        rng = self.rng
        listing = self._listing(unit, opened.year, head)
        if listing is None:
            return None
        kind = rng.choice(LIVELIHOODS)
        budget = rng.randint(*kind.budget) * MILLION
        project = Project(
            name=f"{kind.name} – hộ {head.full_name}",
            kind=Kind.POVERTY_ESCAPE,
            sector=kind.sector,
            unit_id=unit.pk,
            registered_on=opened,
            registered_by_id=self.officer(lineage, unit.pk, opened),
            stage=Stage.PLAN,
        )
        project.search_name = fold(project.name)
        story = _Story(project, lineage, [head], listing=listing)
        self._step(story, Stage.PLAN, opened)
        ends_on = opened + relativedelta(months=rng.choice((12, 18, 24)))
        plan = PovertyPlan(
            livelihood=kind.livelihood,
            description=f"{kind.name} theo kế hoạch của tổ hỗ trợ.",
            budget_total=budget,
            expected_monthly_income=rng.randint(*kind.income) * 1000,
            starts_on=opened,
            ends_on=ends_on,
            written_by_id=project.registered_by_id,
        )
        story.plan = plan
        if decided is not None:
            approved = self.day_between(max(opened, decided - datetime.timedelta(days=5)), decided)
        elif rng.random() < 0.8:
            approved = opened + datetime.timedelta(days=rng.randint(3, 30))
        else:
            approved = None
        # A decided enrolment always has its plan approved by the decision's day.
        if approved is not None and (approved <= self.last_day or decided is not None):
            plan.status, plan.approved_on = PovertyPlan.Status.APPROVED, approved
            plan.approved_by_id = self.officer(lineage, unit.pk, approved)
            project.stage = Stage.PLAN
            self._poverty_steps(story, approved)
        self.stories.append(story)
        return story

    def _poverty_steps(self, story: _Story, approved: datetime.date) -> None:
        rng = self.rng
        day = approved + datetime.timedelta(days=rng.randint(3, 40))
        project = story.project
        for stage in (Stage.STARTED, Stage.OPERATING, Stage.GROWING):
            if day > self.last_day:
                return
            if stage != Stage.STARTED and rng.random() < 0.08:
                self._step(story, Stage.STOPPED, day, rng.choice(STOP_REASONS))
                project.stage = Stage.STOPPED
                return
            self._step(story, stage, day)
            project.stage = stage
            if rng.random() < (0.35 if stage == Stage.STARTED else 0.85):
                return
            day = day + datetime.timedelta(days=rng.randint(120, 400))

    # Writing.

    def write(self, supports_per_commune: float, mentors_per_commune: float) -> None:
        people = [founder for story in self.stories for founder in story.founders if founder.pk is None]
        Applicant.objects.bulk_create(people, batch_size=BATCH_SIZE)
        self.counts["founders and heads of households (new people)"] = len(people)
        projects = [story.project for story in self.stories]
        Project.objects.bulk_create(projects, batch_size=BATCH_SIZE)
        self.counts["projects"] = len(projects)
        founders, steps = [], []
        for story in self.stories:
            for index, person in enumerate(story.founders):
                founders.append(Founder(project_id=story.project.pk, person_id=person.pk, is_lead=index == 0))
            for step in story.steps:
                step.project_id = story.project.pk
            steps += story.steps
        Founder.objects.bulk_create(founders, batch_size=BATCH_SIZE)
        with _given_times(ProjectStep._meta.get_field("recorded_at")):
            ProjectStep.objects.bulk_create(steps, batch_size=BATCH_SIZE)
        self.counts["project steps"] = len(steps)
        households = [story for story in self.stories if story.plan is not None]
        for story in households:
            story.listing.head_id = story.listing.head.pk
        HouseholdListing.objects.bulk_create([story.listing for story in households], batch_size=BATCH_SIZE)
        for story in households:
            story.plan.project_id, story.plan.household_id = story.project.pk, story.listing.pk
        PovertyPlan.objects.bulk_create([story.plan for story in households], batch_size=BATCH_SIZE)
        self.counts["households listed"] = len(households)
        self.counts["poverty-escape plans"] = len(households)
        self.counts["plans approved"] = sum(1 for story in households if story.plan.is_approved)
        self._plan_rows(households)
        self._links(households)
        mentors = self._mentors(max(3, round(mentors_per_commune * len(self.lineages))))
        self._supports(round(supports_per_commune * len(self.lineages)), mentors)
        self._models()
        for story in self.stories:
            self.counts[f"projects at {story.project.stage}"] += 1

    def _plan_rows(self, households: list[_Story]) -> None:
        rng = self.rng
        fundings, inputs, milestones, reviews = [], [], [], []
        visits: list[tuple[ProjectVisit, list[tuple[Milestone, str, datetime.date | None]]]] = []
        for story in households:
            plan = story.plan
            parts = [FundingSource.OWN, FundingSource.PROGRAMME, FundingSource.POLICY_LOAN][
                : rng.randint(2, 3)
            ]
            left = plan.budget_total
            for index, source in enumerate(parts):
                amount = left if index == len(parts) - 1 else left * rng.randint(15, 45) // 100
                left -= amount
                fundings.append(PlanFunding(plan_id=plan.pk, source=source, amount=amount))
            inputs.append(
                PlanInput(
                    plan_id=plan.pk,
                    description=next(k.input for k in LIVELIHOODS if k.livelihood == plan.livelihood),
                    value=plan.budget_total // 2,
                    given_by="Chương trình khởi nghiệp thoát nghèo",
                )
            )
            span = (plan.ends_on - plan.starts_on).days
            for number in range(rng.randint(3, 4)):
                due = plan.starts_on + datetime.timedelta(days=span * (number + 1) // 5)
                milestone = Milestone(
                    plan_id=plan.pk,
                    title=(
                        "Chuẩn bị chuồng trại, mặt bằng",
                        "Nhận đầu vào",
                        "Thu hoạch, bán lứa đầu",
                        "Ổn định",
                    )[number],
                    due_on=due,
                    planned_on=due,
                    supporter="Tổ hỗ trợ xã",
                )
                milestones.append(milestone)
                if not plan.is_approved or due > self.last_day:
                    continue
                roll = rng.random()
                if roll < 0.75:
                    done_on = min(due + datetime.timedelta(days=rng.randint(-5, 20)), self.last_day)
                    done_on = max(done_on, plan.approved_on)
                    milestone.state, milestone.done_on = Milestone.State.DONE, done_on
                    visits.append((self._visit(story, done_on), [(milestone, Milestone.State.DONE, None)]))
                elif roll < 0.9:
                    seen = min(due + datetime.timedelta(days=rng.randint(1, 30)), self.last_day)
                    milestone.state = Milestone.State.LATE
                    visits.append((self._visit(story, seen), [(milestone, Milestone.State.LATE, None)]))
                elif roll < 0.95 and due < plan.ends_on:
                    seen = max(plan.approved_on, due - datetime.timedelta(days=rng.randint(1, 20)))
                    moved = min(due + datetime.timedelta(days=rng.randint(20, 60)), plan.ends_on)
                    milestone.state, milestone.due_on = Milestone.State.CHANGED, moved
                    visits.append((self._visit(story, seen), [(milestone, Milestone.State.CHANGED, moved)]))
            if plan.is_approved:
                reviews += self._reviews(story)
        PlanFunding.objects.bulk_create(fundings, batch_size=BATCH_SIZE)
        PlanInput.objects.bulk_create(inputs, batch_size=BATCH_SIZE)
        Milestone.objects.bulk_create(milestones, batch_size=BATCH_SIZE)
        with _given_times(ProjectVisit._meta.get_field("recorded_at")):
            ProjectVisit.objects.bulk_create([visit for visit, _ in visits], batch_size=BATCH_SIZE)
        updates = [
            MilestoneUpdate(
                visit_id=visit.pk,
                milestone_id=milestone.pk,
                state=state,
                new_due_on=moved,
                reason="Chậm so với kế hoạch." if state != Milestone.State.DONE else "",
            )
            for visit, found in visits
            for milestone, state, moved in found
        ]
        MilestoneUpdate.objects.bulk_create(updates, batch_size=BATCH_SIZE)
        YearlyReview.objects.bulk_create(reviews, batch_size=BATCH_SIZE)
        self.counts.update(
            {
                "plan budget sources": len(fundings),
                "plan inputs": len(inputs),
                "milestones": len(milestones),
                "project visits": len(visits),
                "milestone updates": len(updates),
                "yearly reviews": len(reviews),
            }
        )
        for review in reviews:
            self.counts[f"reviews {review.result}"] += 1

    def _visit(self, story: _Story, day: datetime.date) -> ProjectVisit:
        return ProjectVisit(
            project_id=story.project.pk,
            visited_on=day,
            note="Thăm hộ, kiểm tra tiến độ kế hoạch.",
            by_id=self.officer(story.lineage, story.project.unit_id, day),
            recorded_at=self.moment(day, 3),
        )

    def _reviews(self, story: _Story) -> list[YearlyReview]:
        """Each December from the approval's year: escaped now and then; a household that escaped stays
        out or falls back."""
        rng, plan = self.rng, story.plan
        rows, escaped = [], False
        for year in range(plan.approved_on.year, self.last_day.year + 1):
            on = datetime.date(year, 12, 15)
            if on > self.last_day:
                break
            if on < plan.approved_on:
                continue
            if escaped:
                result = ReviewResult.FELL_BACK if rng.random() < 0.07 else ReviewResult.ESCAPED
            else:
                result = rng.choices(
                    (ReviewResult.ESCAPED, ReviewResult.NEAR_POOR, ReviewResult.STILL_POOR),
                    weights=(40, 25, 35),
                )[0]
            escaped = result == ReviewResult.ESCAPED
            rows.append(
                YearlyReview(
                    plan_id=plan.pk,
                    year=year,
                    result=result,
                    reviewed_on=on,
                    by_id=self.officer(story.lineage, story.project.unit_id, on),
                )
            )
        return rows

    def _links(self, households: list[_Story]) -> None:
        links = [
            ProjectDossier(
                project_id=story.project.pk,
                dossier_id=dossier.pk,
                linked_on=story.project.registered_on,
                by_id=story.project.registered_by_id,
            )
            for story in households
            for dossier in story.dossiers
        ]
        ProjectDossier.objects.bulk_create(links, batch_size=BATCH_SIZE)
        self.counts["enrolment dossiers linked"] = len(links)

    def _mentors(self, count: int) -> list[Mentor]:
        rng = self.rng
        mentors = []
        for _ in range(count):
            full_name = vietnamese_name(rng)
            fields = rng.choice(MENTOR_FIELDS)
            mentor = Mentor(
                full_name=full_name,
                fields=fields,
                organisation=rng.choice(("Trường Đại học Cần Thơ", "Hiệp hội Doanh nghiệp tỉnh", "")),
                availability=rng.choice(Mentor.Availability.values[:2]),
                phone=f"09{rng.randint(10_000_000, 99_999_999)}",
                public_consent=rng.random() < 0.6,
            )
            mentor.derive()
            mentors.append(mentor)
        Mentor.objects.bulk_create(mentors, batch_size=BATCH_SIZE)
        units = Mentor.units.through
        Mentor.units.through.objects.bulk_create(
            [
                units(mentor_id=mentor.pk, adminunit_id=lineage.current.pk)
                for mentor in mentors
                for lineage in rng.sample(self.lineages, min(3, len(self.lineages)))
            ],
            batch_size=BATCH_SIZE,
        )
        startups = [story for story in self.stories if story.plan is None]
        assignments, conflicts, sessions = [], [], []
        conflicted: set[tuple[int, int]] = set()
        for story in startups:
            if rng.random() < 0.01:
                mentor = rng.choice(mentors)
                conflicted.add((mentor.pk, story.project.pk))
                conflicts.append(
                    ConflictOfInterest(
                        mentor_id=mentor.pk,
                        project_id=story.project.pk,
                        reason="Là người thân của nhà sáng lập.",
                        declared_on=self.day_between(story.project.registered_on, self.last_day),
                        by_id=self.agency_officer,
                    )
                )
        for story in startups:
            if rng.random() >= 0.1:
                continue
            mentor = rng.choice(mentors)
            if (mentor.pk, story.project.pk) in conflicted:
                continue
            assigned = self.day_between(story.project.registered_on, self.last_day)
            ended = None
            if rng.random() < 0.3 and (self.last_day - assigned).days > 60:
                ended = self.day_between(assigned + datetime.timedelta(days=30), self.last_day)
            assignments.append(
                MentorAssignment(
                    mentor_id=mentor.pk,
                    project_id=story.project.pk,
                    assigned_on=assigned,
                    ended_on=ended,
                    by_id=self.agency_officer,
                )
            )
            for _ in range(rng.randint(1, 4)):
                held = self.day_between(assigned, ended or self.last_day)
                sessions.append(
                    MentorSession(
                        mentor_id=mentor.pk,
                        project_id=story.project.pk,
                        held_on=held,
                        hours=Decimal(rng.choice(("1", "1.5", "2", "3"))),
                        topic="Tư vấn kế hoạch kinh doanh",
                        logged_by_id=self.officer(story.lineage, story.project.unit_id, held),
                        logged_at=self.moment(held, 5),
                    )
                )
        ConflictOfInterest.objects.bulk_create(conflicts, batch_size=BATCH_SIZE)
        MentorAssignment.objects.bulk_create(assignments, batch_size=BATCH_SIZE)
        with _given_times(MentorSession._meta.get_field("logged_at")):
            MentorSession.objects.bulk_create(sessions, batch_size=BATCH_SIZE)
        self.counts.update(
            {
                "mentors": len(mentors),
                "mentor assignments": len(assignments),
                "conflicts of interest": len(conflicts),
                "mentor sessions": len(sessions),
            }
        )
        self.assigned = {(row.project_id, row.mentor_id) for row in assignments}
        return mentors

    def _supports(self, count: int, mentors: list[Mentor]) -> None:
        """``count`` supports, spread unevenly: a few projects get many, most a handful, some none."""
        rng = self.rng
        stories = [story for story in self.stories if story.project.registered_on <= self.last_day]
        weights = [rng.paretovariate(1.6) for _ in stories]
        mentors_of: dict[int, list[int]] = {}
        for project_id, mentor_id in self.assigned:
            mentors_of.setdefault(project_id, []).append(mentor_id)
        kinds = SupportKind.values
        rows = []
        for story in rng.choices(stories, weights=weights, k=count) if stories else ():
            project = story.project
            given_on = self.day_between(project.registered_on, self.last_day)
            kind = rng.choice(kinds)
            support = Support(
                project_id=project.pk,
                kind=kind,
                given_on=given_on,
                outcome="",
                by_id=self.officer(story.lineage, project.unit_id, given_on),
                recorded_at=self.moment(given_on, 6),
            )
            own_mentors = mentors_of.get(project.pk)
            team = self.team_on(story.lineage, self._unit(story), given_on)
            roll = rng.random()
            if kind == SupportKind.MENTORING and own_mentors:
                support.mentor_id = rng.choice(sorted(own_mentors))
            elif roll < 0.5 and team is not None:
                support.team_id = team
            else:
                support.organisation = rng.choice(ORGANISATIONS[kind])
            if kind in HOURS_KINDS:
                support.hours = Decimal(rng.choice(("1", "2", "4", "8", "16")))
            else:
                support.value = rng.randint(2, 60) * MILLION
            rows.append(support)
        with _given_times(Support._meta.get_field("recorded_at")):
            Support.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        self.counts["supports"] = len(rows)
        for row in rows:
            self.counts[f"supports {row.kind}"] += 1

    def _unit(self, story: _Story) -> AdminUnit:
        return next(
            unit
            for unit in (story.lineage.current, *story.lineage.former)
            if unit.pk == story.project.unit_id
        )

    def _models(self) -> None:
        """A confirmed model for every 25 communes, from an operating startup, with later replications."""
        rng = self.rng
        proven = [
            story
            for story in self.stories
            if story.plan is None
            and story.project.stage in (Stage.OPERATING, Stage.GROWING)
            and story.project.registered_on.year <= 2021
        ]
        models, replicated = [], []
        taken: set[int] = set()
        for story in rng.sample(proven, min(len(proven), max(1, len(self.lineages) // 25))):
            project = story.project
            proposed = self.day_between(max(project.registered_on, datetime.date(2022, 1, 1)), self.last_day)
            decided = min(proposed + datetime.timedelta(days=rng.randint(14, 60)), self.last_day)
            model = SuccessModel(
                project_id=project.pk,
                title=f"Mô hình {project.name}",
                status=SuccessModel.Status.CONFIRMED,
                yearly_revenue=rng.randint(500, 6000) * MILLION,
                jobs=project.jobs_created,
                years_operating=max(1, (proposed - project.registered_on).days // 365),
                evidence="Hoạt động ổn định, tạo việc làm cho lao động địa phương.",
                public_consent=True,
                consent_recorded_on=proposed,
                proposed_by_id=self.agency_officer,
                proposed_on=proposed,
                decided_by_id=self.council_member,
                decided_on=decided,
            )
            models.append(model)
            taken.add(project.pk)
        SuccessModel.objects.bulk_create(models, batch_size=BATCH_SIZE)
        for model in models:
            source = next(story.project for story in self.stories if story.project.pk == model.project_id)
            later = [
                story.project
                for story in self.stories
                if story.project.registered_on > source.registered_on
                and story.project.pk not in taken
                and story.project.replicates_id is None
            ]
            for project in rng.sample(later, min(len(later), rng.randint(3, 6))):
                project.replicates_id = model.pk
                project.replicates_since = self.day_between(project.registered_on, self.last_day)
                replicated.append(project)
        Project.objects.bulk_update(replicated, ["replicates", "replicates_since"], batch_size=BATCH_SIZE)
        self.counts["success models confirmed"] = len(models)
        self.counts["replications"] = len(replicated)


def write(province: SyntheticProvince) -> Counter:
    """The projects' part of the synthetic province."""
    options = province.options
    writer = _Writer(province)
    writer.startups(options.get("projects_per_commune", PROJECTS_PER_COMMUNE))
    writer.households(options.get("plans_per_commune", PLANS_PER_COMMUNE))
    writer.write(
        options.get("supports_per_commune", SUPPORTS_PER_COMMUNE),
        options.get("mentors_per_commune", MENTORS_PER_COMMUNE),
    )
    return writer.counts
