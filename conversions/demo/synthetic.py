"""Synthetic household businesses and conversions for the province of ``demo.synthetic``.

At scale 1 the province's 100 current communes hold some 30,000 household businesses
(``household_businesses_per_commune``, 300), registered since 2005 on the communes of their day (a
former commune before 1 July 2025), and about 450 conversion cases since the programme began in 2016
(``conversions_per_commune``, 4.5), most of them in 2016–2021 as in Bến Tre, where more than 420
enterprises came from household businesses. Each case has its dated steps; the registered ones have
the entitlements the dated rules gave on their registration day
(``conversions.services.followups.grants_due``, as the registration grants them), the visits of the schedule
in force that day (done, some late, some still open, skipped after the end), and what became of them:
suspended and back, dissolved, bankrupt, returned to household business, moved out; the businesses
registered in 2020 had a hard first year. Since 2024 cases are filed with the conversion-support
dossiers of the synthetic one-stop shop, by their applicants.

The same seed and ``as_of`` give the same rows. They are written with ``bulk_create`` in batches, as
the other synthetic parts are: no ``save()`` (the search columns are set here), no audit records.
"""

import contextlib
import datetime
import math
import random
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from conversions.catalogue import FIRST_SCHEDULE_MONTHS
from conversions.demo.trades import EVERY_TRADE, Trade
from conversions.models import (
    LUMP_SUM_ENDS,
    Conversion,
    ConversionStep,
    EntitlementGrant,
    FollowUpVisit,
    HouseholdBusiness,
    Outcome,
    OutcomeChange,
    OutcomeReason,
    Stage,
    VisitSchedule,
)
from conversions.services.followups import grants_due
from demo.names import MIDDLE_NAMES, vietnamese_name
from demo.synthetic import SyntheticProvince
from dossiers.catalogue import CONVERSION_SUPPORT
from dossiers.models import Applicant, Dossier
from portal.models import AdminUnit, Team
from portal.models.units import REFORM_DATE
from portal.sectors import size_class
from portal.text import fold

BATCH_SIZE = 1000
HOUSEHOLD_BUSINESSES_PER_COMMUNE = 300
CONVERSIONS_PER_COMMUNE = 4.5
FIRST_REGISTRATION = datetime.date(2005, 1, 1)
PROGRAMME_START = datetime.date(2016, 7, 1)
PORTAL_PROCEDURE_FROM = datetime.date(2024, 1, 1)  # the conversion-support procedure's first version
# Cases opened each year, relative to a full year of 2017–2021.
YEAR_WEIGHTS = {2016: 0.5, 2017: 1.0, 2018: 1.0, 2019: 1.0, 2020: 1.0, 2021: 1.0}
LATER_YEAR_WEIGHT = 0.3
# Yearly hazard of the enterprise's state changing; a hard first year for those registered in 2020.
HAZARD = 0.11
HARD_YEAR = (datetime.date(2020, 1, 1), datetime.date(2020, 12, 31))
HARD_HAZARD = 0.45
CHANGES = (
    (Outcome.SUSPENDED, 35),
    (Outcome.DISSOLVED, 30),
    (Outcome.REVERTED, 25),
    (Outcome.BANKRUPT, 4),
    (Outcome.MOVED_OUT, 6),
)
REASONS = {
    Outcome.SUSPENDED: (
        OutcomeReason.CAPITAL,
        OutcomeReason.MARKET,
        OutcomeReason.FAMILY,
        OutcomeReason.STAFF,
    ),
    Outcome.DISSOLVED: (OutcomeReason.MARKET, OutcomeReason.CAPITAL, OutcomeReason.TAXES_ACCOUNTING),
    Outcome.BANKRUPT: (OutcomeReason.CAPITAL, OutcomeReason.MARKET),
    Outcome.REVERTED: (OutcomeReason.TAXES_ACCOUNTING, OutcomeReason.PREFERS_HOUSEHOLD, OutcomeReason.OTHER),
    Outcome.MOVED_OUT: (OutcomeReason.PREMISES, OutcomeReason.FAMILY),
}
ENDING = frozenset({Outcome.DISSOLVED, Outcome.BANKRUPT, Outcome.REVERTED, Outcome.MOVED_OUT})
TROUBLES = (
    FollowUpVisit.Finding.TAXES_ACCOUNTING,
    FollowUpVisit.Finding.MARKET,
    FollowUpVisit.Finding.CAPITAL,
    FollowUpVisit.Finding.STAFF,
)
REVENUE = {
    HouseholdBusiness.RevenueBand.UNDER_500M: (150_000_000, 500_000_000),
    HouseholdBusiness.RevenueBand.UP_TO_3B: (500_000_000, 3_000_000_000),
    HouseholdBusiness.RevenueBand.UP_TO_10B: (3_000_000_000, 10_000_000_000),
    HouseholdBusiness.RevenueBand.OVER_10B: (10_000_000_000, 30_000_000_000),
}
PAPER = "Hồ sơ giấy nộp tại Bộ phận Một cửa."
SKIPPED = "Doanh nghiệp không còn hoạt động theo mô hình doanh nghiệp."


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
    """A current commune, the former communes it came from, and who acts for them."""

    current: AdminUnit
    former: list[AdminUnit]
    officer_now: int  # a member of the commune's team since the reform
    officer_before: dict[int, int]  # former commune -> a member of its team (or of its district's)


@dataclass
class _Case:
    business: HouseholdBusiness
    lineage: _Lineage
    opened: datetime.date
    dossier: dict | None = None
    steps: list[tuple[str, datetime.date, str]] = field(default_factory=list)


class _Writer:
    def __init__(self, province: SyntheticProvince):
        self.province = province
        self.as_of = province.as_of
        self.last_day = province.as_of - datetime.timedelta(days=1)
        self.rng = random.Random(f"{province.seed}/conversions")
        self.lineages = self._lineages()
        self.schedules = list(
            VisitSchedule.objects.order_by("effective_from").values_list("effective_from", "months")
        )
        self.counts: Counter = Counter()
        self.serial = 0

    # Places and people.

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
        return [lineages[code] for code in sorted(lineages)]

    def officer(self, lineage: _Lineage, unit_id: int, day: datetime.date) -> int:
        if day < REFORM_DATE and unit_id in lineage.officer_before:
            return lineage.officer_before[unit_id]
        return lineage.officer_now

    def day_between(self, first: datetime.date, last: datetime.date) -> datetime.date:
        return first + datetime.timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

    # The registry.

    def businesses(self, per_commune: int) -> list[HouseholdBusiness]:
        rng = self.rng
        taken = set(Applicant.objects.values_list("national_id", flat=True))
        owners, businesses = [], []
        for lineage in self.lineages:
            for _ in range(per_commune):
                registered_on = self.day_between(FIRST_REGISTRATION, self.last_day)
                unit = lineage.current
                if registered_on < REFORM_DATE and lineage.former:
                    unit = rng.choice(lineage.former)
                elif registered_on < REFORM_DATE:
                    registered_on = self.day_between(REFORM_DATE, self.last_day)
                owner = self._owner(lineage.current, taken)
                owners.append(owner)
                businesses.append(self._business(rng.choice(EVERY_TRADE), owner, unit, registered_on))
        Applicant.objects.bulk_create(owners, batch_size=BATCH_SIZE)
        for business in businesses:
            business.owner_id = business.owner.pk
        self.counts["household business owners"] = len(owners)
        return businesses

    def _owner(self, unit: AdminUnit, taken: set[str]) -> Applicant:
        rng = self.rng
        full_name = vietnamese_name(rng)
        female = full_name.split()[1] in MIDDLE_NAMES["female"]
        national_id = ""
        while not national_id or national_id in taken:
            province, born = rng.randint(1, 96), rng.randint(50, 99)
            national_id = f"0{province:02d}{1 if female else 0}{born}{rng.randint(0, 999_999):06d}"
        taken.add(national_id)
        address = f"Ấp {rng.randint(1, 9)}, {unit.name}"
        return Applicant(
            kind=Applicant.Kind.PERSON,
            full_name=full_name,
            national_id=national_id,
            phone=rng.choice(("09", "08", "03", "07")) + f"{rng.randint(0, 99_999_999):08d}",
            address=address,
            unit_id=unit.pk,
            consent_at=timezone.make_aware(datetime.datetime.combine(self.last_day, datetime.time(8))),
            search_name=fold(f"{full_name} "),  # as Applicant.save() folds the name and the enterprise's
        )

    def _business(
        self, trade: Trade, owner: Applicant, unit: AdminUnit, registered_on: datetime.date
    ) -> HouseholdBusiness:
        rng = self.rng
        self.serial += 1
        given = owner.full_name.split()[-1]
        name = f"Hộ kinh doanh {trade.name} {given}"
        number = f"56S{self.serial:07d}"
        address = f"Ấp {rng.randint(1, 9)}, {unit.name}"
        lump_sum = self.as_of < LUMP_SUM_ENDS and rng.random() < 0.7
        return HouseholdBusiness(
            name=name,
            owner=owner,
            registration_number=number,
            registered_on=registered_on,
            address=address,
            unit_id=unit.pk,
            sector=trade.sector,
            workers=rng.randint(*trade.workers),
            revenue_band=trade.bands[0] if rng.random() < 0.7 else rng.choice(trade.bands),
            tax_mode=HouseholdBusiness.TaxMode.LUMP_SUM if lump_sum else HouseholdBusiness.TaxMode.DECLARED,
            status=HouseholdBusiness.Status.CEASED
            if rng.random() < 0.07
            else HouseholdBusiness.Status.OPERATING,
            search_text=fold(f"{name} {number} {address}")[:500],
        )

    # The cases.

    def plan_cases(self, businesses: list[HouseholdBusiness], count: int) -> list[_Case]:
        """``count`` cases: opened year by year as the weights say; since 2024 on the one-stop shop's
        conversion-support dossiers, with a household business of their applicant."""
        rng = self.rng
        years = list(range(PROGRAMME_START.year, self.last_day.year + 1))
        weights = [YEAR_WEIGHTS.get(year, LATER_YEAR_WEIGHT) for year in years]
        per_year = Counter(rng.choices(years, weights=weights, k=count))
        pool = sorted(
            (business for business in businesses if business.status != HouseholdBusiness.Status.CEASED),
            key=lambda business: (business.registered_on, business.registration_number),
        )
        registered = [business.registered_on for business in pool]
        lineage_of = {
            unit.pk: lineage for lineage in self.lineages for unit in (lineage.current, *lineage.former)
        }
        used: set[int] = set()
        cases = []
        dossiers = self._dossiers()
        for year in sorted(per_year):
            first = max(datetime.date(year, 1, 1), PROGRAMME_START)
            last = min(datetime.date(year, 12, 31), self.last_day)
            for _ in range(per_year[year]):
                opened = self.day_between(first, last)
                if opened >= PORTAL_PROCEDURE_FROM and dossiers:
                    case = self._case_of_dossier(dossiers.pop(), lineage_of)
                    if case is not None:
                        businesses.append(case.business)
                        cases.append(case)
                        continue
                # A household business of at least 13 months by then, not yet taken.
                end = bisect_right(registered, opened - datetime.timedelta(days=400))
                if end == 0:
                    continue
                for _attempt in range(20):
                    business = pool[rng.randrange(end)]
                    if id(business) not in used:
                        used.add(id(business))
                        cases.append(_Case(business, lineage_of[business.unit_id], opened))
                        break
        return cases

    def _dossiers(self) -> list[Dossier]:
        """The synthetic conversion-support dossiers filed by people, one per applicant, shuffled."""
        rows = (
            Dossier.objects.filter(
                procedure__code=CONVERSION_SUPPORT,
                unit__code__startswith="S",
                submitted_at__isnull=False,
                applicant__kind=Applicant.Kind.PERSON,
            )
            .exclude(
                status__in=[Dossier.Status.NOT_RECEIVED, Dossier.Status.WITHDRAWN, Dossier.Status.STOPPED]
            )
            .select_related("applicant")
            .order_by("pk")
        )
        seen, dossiers = set(), []
        for dossier in rows:
            if dossier.applicant_id not in seen:
                seen.add(dossier.applicant_id)
                dossiers.append(dossier)
        self.rng.shuffle(dossiers)
        return dossiers

    def _case_of_dossier(self, dossier: Dossier, lineage_of: dict[int, _Lineage]) -> "_Case | None":
        """The case of the applicant's household business, filed with the dossier on its submission day."""
        lineage = lineage_of.get(dossier.unit_id)
        if lineage is None:
            return None
        filed = timezone.localdate(dossier.submitted_at)
        opened = filed - datetime.timedelta(days=self.rng.randint(45, 120))
        registered_on = self.day_between(FIRST_REGISTRATION, opened - datetime.timedelta(days=400))
        unit = lineage.current
        if registered_on < REFORM_DATE:
            unit = self.rng.choice(lineage.former) if lineage.former else lineage.current
            if unit is lineage.current:
                return None
        business = self._business(self.rng.choice(EVERY_TRADE), dossier.applicant, unit, registered_on)
        business.owner_id = dossier.applicant_id
        return _Case(business, lineage, opened, dossier={"row": dossier, "filed": filed})

    def write(self, businesses: list[HouseholdBusiness], cases: list[_Case]) -> None:
        HouseholdBusiness.objects.bulk_create(businesses, batch_size=BATCH_SIZE)
        self.counts["household businesses"] = len(businesses)
        conversions, stories = [], []
        for case in cases:
            conversion, story = self._story(case)
            conversions.append(conversion)
            stories.append(story)
        Conversion.objects.bulk_create(conversions, batch_size=BATCH_SIZE)
        changed = [case.business for case in cases]
        HouseholdBusiness.objects.bulk_update(changed, ["status"], batch_size=BATCH_SIZE)
        steps, outcomes, visits, grants = [], [], [], []
        for conversion, story in zip(conversions, stories, strict=True):
            for row in story["steps"] + story["outcomes"] + story["visits"] + story["grants"]:
                row.conversion_id = conversion.pk
            steps += story["steps"]
            outcomes += story["outcomes"]
            visits += story["visits"]
            grants += story["grants"]
        with _given_times(
            ConversionStep._meta.get_field("recorded_at"), OutcomeChange._meta.get_field("recorded_at")
        ):
            ConversionStep.objects.bulk_create(steps, batch_size=BATCH_SIZE)
            OutcomeChange.objects.bulk_create(outcomes, batch_size=BATCH_SIZE)
        FollowUpVisit.objects.bulk_create(visits, batch_size=BATCH_SIZE)
        EntitlementGrant.objects.bulk_create(grants, batch_size=BATCH_SIZE)
        self.counts.update(
            {
                "conversions": len(conversions),
                "conversions registered": sum(1 for row in conversions if row.registered_on),
                "conversion steps": len(steps),
                "outcome changes": len(outcomes),
                "follow-up visits": len(visits),
                "entitlements granted": len(grants),
            }
        )
        for row in conversions:
            self.counts[f"conversions {row.stage}"] += 1

    def _moment(self, day: datetime.date, index: int) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(8))) + datetime.timedelta(
            minutes=9 * index
        )

    def _story(self, case: _Case) -> tuple[Conversion, dict]:
        """The case's rows: its steps, outcomes, visits and entitlements, in the order they happened."""
        rng = self.rng
        business, lineage = case.business, case.lineage
        unit_id = business.unit_id
        conversion = Conversion(
            household_business=business,
            unit_id=unit_id,
            opened_by_id=self.officer(lineage, unit_id, case.opened),
            opened_on=case.opened,
        )
        story: dict[str, list] = {"steps": [], "outcomes": [], "visits": [], "grants": []}
        # The pipeline's days; a case stops where its next day is after the data ends, or now and then
        # for good (the owner lost interest).
        days = {Stage.IDENTIFIED: case.opened}
        if case.dossier is not None:
            filed = case.dossier["filed"]
            days[Stage.ADVISED] = self.day_between(case.opened + datetime.timedelta(days=5), filed)
            days[Stage.FILED] = filed
            dossier = case.dossier["row"]
            if dossier.status in (Dossier.Status.DONE, Dossier.Status.RESULT_RETURNED) and dossier.decided_at:
                days[Stage.REGISTERED] = max(filed, timezone.localdate(dossier.decided_at))
            conversion.dossier_id = dossier.pk
        else:
            advised = case.opened + datetime.timedelta(days=rng.randint(7, 45))
            filed = advised + datetime.timedelta(days=rng.randint(14, 75))
            registered = filed + datetime.timedelta(days=rng.randint(4, 20))
            # Now and then the owner loses interest on the way, and the case stays where it stopped.
            stops = rng.random() < 0.12
            for stage, day in (
                (Stage.ADVISED, advised),
                (Stage.FILED, filed),
                (Stage.REGISTERED, registered),
            ):
                if day > self.last_day or (stops and (stage == Stage.REGISTERED or rng.random() < 0.4)):
                    break
                days[stage] = day
        for stage, day in days.items():
            paper = stage == Stage.FILED and conversion.dossier_id is None
            self._step(case, story, stage, day, PAPER if paper else "")
        business.status = HouseholdBusiness.Status.CANDIDATE
        conversion.stage = max(days, key=lambda stage: list(Stage.values).index(stage))
        registered_on = days.get(Stage.REGISTERED)
        if registered_on is None:
            return conversion, story
        self._register(case, conversion, story, registered_on)
        return conversion, story

    def _step(self, case: _Case, story: dict, stage: str, day: datetime.date, note: str = "") -> None:
        story["steps"].append(
            ConversionStep(
                stage=stage,
                taken_on=day,
                note=note,
                by_id=self.officer(case.lineage, case.business.unit_id, day),
                recorded_at=self._moment(day, len(story["steps"])),
            )
        )

    def _register(self, case: _Case, conversion: Conversion, story: dict, day: datetime.date) -> None:
        rng = self.rng
        business = case.business
        self.serial += 1
        conversion.enterprise_code = f"18{self.serial:08d}"
        conversion.enterprise_name = business.name.replace("Hộ kinh doanh", "Công ty TNHH", 1)
        conversion.registered_on = day
        conversion.insured_workers = max(1, business.workers + rng.randint(-2, 2))
        conversion.yearly_revenue = rng.randint(*REVENUE[business.revenue_band or "under_500m"])
        conversion.size_class = size_class(
            business.sector, conversion.insured_workers, revenue=conversion.yearly_revenue, capital=None
        ).size
        business.status = HouseholdBusiness.Status.CONVERTED
        changes = self._changes(day)
        conversion.outcome, conversion.outcome_since = Outcome.OPERATING, day
        officer = self.officer(case.lineage, business.unit_id, day)
        story["outcomes"].append(
            OutcomeChange(
                outcome=Outcome.OPERATING, since=day, by_id=officer, recorded_at=self._moment(day, 0)
            )
        )
        story["grants"] = grants_due(conversion, as_of=self.as_of)
        visits = self._visits(case, day, changes)
        story["visits"] = visits
        # Followed up on the first visit done, or on the first change if none was done before it.
        firsts = [visit.done_on for visit in visits if visit.done_on] + [
            since for since, _o, _r in changes[:1]
        ]
        if firsts:
            conversion.stage = Stage.FOLLOWED_UP
            self._step(case, story, Stage.FOLLOWED_UP, min(firsts), "Ghi nhận lần theo dõi đầu tiên.")
        for index, (since, outcome, reasons) in enumerate(changes, start=1):
            by = self.officer(case.lineage, business.unit_id, since)
            story["outcomes"].append(
                OutcomeChange(
                    outcome=outcome,
                    since=since,
                    reasons=reasons,
                    by_id=by,
                    recorded_at=self._moment(since, index),
                )
            )
            if conversion.stage != Stage.OUTCOME:
                conversion.stage = Stage.OUTCOME
                self._step(case, story, Stage.OUTCOME, since)
            conversion.outcome, conversion.outcome_since = outcome, since
        if conversion.outcome == Outcome.REVERTED:
            business.status = HouseholdBusiness.Status.OPERATING

    def _changes(self, registered_on: datetime.date) -> list[tuple[datetime.date, str, list[str]]]:
        """What became of the enterprise: its state's changes after registration, up to the data's end."""
        rng = self.rng
        changes: list[tuple[datetime.date, str, list[str]]] = []
        day = registered_on
        while True:
            hard = HARD_YEAR[0] <= registered_on <= HARD_YEAR[1] and day < registered_on + relativedelta(
                years=1
            )
            years = rng.expovariate(HARD_HAZARD if hard else HAZARD)
            day = day + datetime.timedelta(days=max(20, int(years * 365)))
            if day > self.last_day:
                return changes
            outcome = rng.choices(
                [change for change, _ in CHANGES], weights=[weight for _, weight in CHANGES]
            )[0]
            reasons = sorted(rng.sample(REASONS[outcome], rng.randint(1, 2)))
            changes.append((day, outcome, reasons))
            if outcome in ENDING:
                return changes
            # A suspension ends: trading again, or closed for good.
            day = day + datetime.timedelta(days=rng.randint(90, 300))
            if day > self.last_day:
                return changes
            if rng.random() < 0.7:
                changes.append((day, Outcome.OPERATING, []))
            else:
                changes.append((day, Outcome.DISSOLVED, sorted(rng.sample(REASONS[Outcome.DISSOLVED], 1))))
                return changes

    def _visits(self, case: _Case, registered_on: datetime.date, changes) -> list[FollowUpVisit]:
        rng = self.rng
        ended = next((since for since, outcome, _reasons in changes if outcome in ENDING), None)
        visits = []
        for months in self._schedule(registered_on):
            due = registered_on + relativedelta(months=months)
            visit = FollowUpVisit(months_after=months, due_on=due)
            visits.append(visit)
            officer = self.officer(case.lineage, case.business.unit_id, due)
            if ended is not None and due >= ended:
                visit.skipped_reason, visit.recorded_by_id = SKIPPED, officer
                continue
            # Old visits were nearly all made; the last year's are more often late or still open.
            recent = (self.last_day - due).days < 365
            if rng.random() < (0.15 if recent else 0.03):
                continue
            late = rng.randint(0, 12) if rng.random() < 0.85 else rng.randint(31, 90)
            done_on = due + datetime.timedelta(days=late)
            if done_on > self.last_day or (ended is not None and done_on >= ended):
                continue
            suspended = _state_on(changes, done_on) == Outcome.SUSPENDED
            visit.done_on = done_on
            visit.channel = rng.choice(FollowUpVisit.Channel.values)
            if suspended:
                visit.finding = FollowUpVisit.Finding.NOT_TRADING
            elif rng.random() < 0.15:
                visit.finding = rng.choice(TROUBLES)
            else:
                visit.finding = FollowUpVisit.Finding.OPERATING
            visit.actions = "Hỏi thăm tình hình sản xuất kinh doanh, hướng dẫn thủ tục thuế."
            visit.recorded_by_id = officer
        return visits

    def _schedule(self, day: datetime.date) -> list[int]:
        """The months of the schedule in force on ``day`` (``VisitSchedule.objects.in_force_on``)."""
        months = FIRST_SCHEDULE_MONTHS
        for effective_from, schedule in self.schedules:
            if effective_from <= day:
                months = schedule
        return list(months)


def _state_on(changes, day: datetime.date) -> str:
    state = Outcome.OPERATING
    for since, outcome, _reasons in changes:
        if since <= day:
            state = outcome
    return state


def write(province: SyntheticProvince) -> Counter:
    """The conversions' part of the synthetic province: its registry of household businesses and cases."""
    communes = province.current_communes
    per_commune = province.options.get("household_businesses_per_commune", HOUSEHOLD_BUSINESSES_PER_COMMUNE)
    per_commune_cases = province.options.get("conversions_per_commune", CONVERSIONS_PER_COMMUNE)
    writer = _Writer(province)
    businesses = writer.businesses(per_commune)
    cases = writer.plan_cases(businesses, math.floor(per_commune_cases * communes + 0.5))
    writer.write(businesses, cases)
    return writer.counts
