"""The demo's household businesses and their conversions (issue 11): former Bến Tre's registry since 2008.

``build(writer)`` records some seventy household businesses on the communes of their registration
day (coconut candy and handicraft in Mỏ Cày, nurseries and bonsai in Chợ Lách, rice paper in Mỹ Lồng,
clams, dried fish and fish sauce on the coast…) and takes two dozen of them through the pipeline with
the services, as the commune teams would have: conversions since 2016 filed on paper at the district's
one-stop shop (the portal has the conversion-support procedure since 2024), since 2024 with the
conversion-support dossiers the owners filed in the dossiers demo, linked to their cases (Võ Thị Mỹ
Duyên, the demo login ``nguoinop``, sees her candy company's case, its dossier and its entitlements);
registered with the entitlements the rules gave on that day;
visited on the schedule, most visits on time, some late, a few still open; and what became of them:
moved out, returned to household business, suspended and back, dissolved, bankrupt. The plans are in
``conversions.demo.plans``.

The services take the day of each step, so history is written as it happened: the steps, visits and
outcomes carry their own dates; only the moments they were recorded are set to their day afterwards
(``recorded_at``), as ``dossiers.demo`` does for its timelines. The audit records are left as
written. Each step is taken by an officer who can change the case today: the head of the former
commune's team where they carried on in the ward's team, else the ward team's (the demo login ``xa``
in Xã Chợ Lách), else the standing agency.

Running it again changes nothing: a household business is found by its registration number, a case
by its household business; what exists is left as it is.
"""

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.utils import timezone, translation

from conversions.demo import plans
from conversions.demo.plans import Business, Case, Person
from conversions.demo.trades import CAKES, COAST, COCONUT, GARDENS, TOWN, Trade
from conversions.models import (
    Conversion,
    ConversionStep,
    FollowUpVisit,
    HouseholdBusiness,
    Outcome,
    OutcomeChange,
)
from conversions.models.cases import CLOSED_OUTCOMES
from conversions.services import cases
from conversions.services.followups import record_visit, skip_visit
from conversions.services.registry import record_household_business, update_household_business
from demo import names
from demo.ground import FORMER_COMMUNES_WITH_TEAMS, FORMER_UNTIL, WARD_OF_OFFICER
from demo.writer import Writer
from dossiers.catalogue import CONVERSION_SUPPORT
from dossiers.models import Applicant, Dossier
from dossiers.services import applicants
from dossiers.services.applicants import person_by_national_id
from portal.models import AdminUnit, Membership, Team, User
from portal.models.units import REFORM_DATE

SEED = "vinh-long-conversions"
# Outcomes after which the enterprise is no longer followed up.
NOT_FOLLOWED = frozenset({*CLOSED_OUTCOMES, Outcome.REVERTED, Outcome.MOVED_OUT})
# The rest of the registry: (current ward, its trades, how many).
AREAS: tuple[tuple[str, tuple[Trade, ...], int], ...] = (
    (WARD_OF_OFFICER, (*GARDENS, COCONUT[0], TOWN[0], TOWN[3]), 12),
    ("28879", GARDENS, 4),
    ("28894", GARDENS, 4),
    ("28903", COCONUT, 6),
    ("28981", COCONUT, 3),
    ("28945", COCONUT, 3),
    ("28993", CAKES, 3),
    ("29044", CAKES, 2),
    ("29050", COAST, 3),
    ("29110", COAST, 3),
    ("29227", COAST, 2),
    ("28756", TOWN, 3),
    ("28789", TOWN, 2),
)
# The generated registrations fall between these days (those after the demo's today are left out).
FIRST_REGISTRATION = datetime.date(2006, 1, 1)
LAST_REGISTRATION = datetime.date(2026, 9, 30)
CHANNELS = (FollowUpVisit.Channel.VISIT, FollowUpVisit.Channel.PHONE, FollowUpVisit.Channel.MESSAGE)
DISTRICT_LETTERS = {
    "Thành phố Bến Tre": "A",
    "Huyện Châu Thành": "B",
    "Huyện Chợ Lách": "C",
    "Huyện Bình Đại": "D",
    "Huyện Giồng Trôm": "G",
    "Huyện Mỏ Cày Nam": "M",
    "Huyện Mỏ Cày Bắc": "N",
    "Huyện Thạnh Phú": "P",
    "Huyện Ba Tri": "T",
}


@dataclass
class ConversionsReport:
    rows: Counter = field(default_factory=Counter)  # (model, "created" | "unchanged")

    def summary(self) -> list[str]:
        rows = self.rows
        return [
            f"{label:<13}{rows[(model, 'created')]} created, {rows[(model, 'unchanged')]} unchanged."
            for label, model in (("Businesses:", "HouseholdBusiness"), ("Conversions:", "Conversion"))
        ]


def build(writer: Writer, today: datetime.date | None = None) -> ConversionsReport:
    """Record what is missing of the demo's registry and cases; ``writer`` holds the demo's accounts."""
    today = today or timezone.localdate()
    # What the services write for people to read (step notes) is in the portal's language.
    with translation.override(settings.LANGUAGE_CODE):
        return _Builder(writer, today).build()


class _Builder:
    def __init__(self, writer: Writer, today: datetime.date):
        self.writer = writer
        self.today = today
        self.started = timezone.now()
        self.report = ConversionsReport()
        self.units: dict[str, list[AdminUnit]] = {}
        for unit in AdminUnit.objects.filter(level=AdminUnit.Level.COMMUNE).select_related("parent"):
            self.units.setdefault(unit.code, []).append(unit)
        self.successor = dict(
            AdminUnit.successors.through.objects.values_list(
                "from_adminunit_id", "to_adminunit__code"
            ).order_by("from_adminunit_id", "-to_adminunit__code")
        )
        self.thuongtruc = writer.users["thuongtruc"]
        self.officers = self._officers()

    # Days and places.

    def day(self, day: plans.Day) -> datetime.date:
        """A date, or so many days before today moved back to a working day."""
        if isinstance(day, datetime.date):
            return day
        result = self.today - datetime.timedelta(days=day)
        while result.weekday() >= 5:
            result -= datetime.timedelta(days=1)
        return result

    def unit_on(self, code: str, day: datetime.date) -> AdminUnit:
        """The commune of that GSO code which existed on ``day``."""
        for unit in self.units[code]:
            if (unit.valid_from is None or unit.valid_from <= day) and (
                unit.valid_until is None or day <= unit.valid_until
            ):
                return unit
        raise ValueError(f"no commune {code} on {day}")

    def ward_of(self, unit: AdminUnit) -> AdminUnit:
        code = unit.code if unit.valid_until is None else self.successor[unit.pk]
        return self.unit_on(code, self.today)

    def _officers(self) -> dict[tuple[int, bool], User]:
        """Who acts for each commune, before and after the reform: see the module's docstring."""
        active = Membership.objects.active_on(self.today).filter(
            team__kind=Team.Kind.COMMUNE_TEAM, team__active_until__isnull=True
        )
        members: dict[int, list[int]] = {}
        for unit_id, user_id in active.order_by("pk").values_list("team__unit_id", "user_id"):
            members.setdefault(unit_id, []).append(user_id)
        heads = dict(
            Team.objects.filter(kind=Team.Kind.COMMUNE_TEAM, active_until__isnull=True).values_list(
                "unit_id", "head_id"
            )
        )
        former_heads = dict(
            Team.objects.filter(
                kind=Team.Kind.COMMUNE_TEAM,
                unit__code__in=FORMER_COMMUNES_WITH_TEAMS,
                active_until=FORMER_UNTIL,
            ).values_list("unit_id", "head_id")
        )
        users = {user.pk: user for user in self.writer.users.values()}
        xa = self.writer.users["xa"]
        officers = {}
        for units in self.units.values():
            for unit in units:
                ward = self.ward_of(unit) if unit.valid_until is None or unit.pk in self.successor else None
                if ward is None:
                    continue
                in_ward = members.get(ward.pk, [])
                if xa.pk in in_ward:
                    now = xa
                elif heads.get(ward.pk) in in_ward:
                    now = users[heads[ward.pk]]
                elif in_ward:
                    now = users[in_ward[0]]
                else:
                    now = self.thuongtruc
                officers[unit.pk, False] = now
                former_head = former_heads.get(unit.pk)
                officers[unit.pk, True] = users[former_head] if former_head in in_ward else now
        return officers

    def officer(self, unit: AdminUnit, day: datetime.date) -> User:
        return self.officers[unit.pk, day < REFORM_DATE]

    # The registry.

    def build(self) -> ConversionsReport:
        known = set(HouseholdBusiness.objects.values_list("registration_number", flat=True))
        people = {person.national_id: person for person in plans.PEOPLE}
        generated = self._generated()
        people.update({person.national_id: person for _business, person in generated})
        businesses = {}
        for business in (*plans.BUSINESSES, *(business for business, _person in generated)):
            if business.number in known:
                self.report.rows["HouseholdBusiness", "unchanged"] += 1
                continue
            if self.day(business.registered_on) > self.today:
                continue
            businesses[business.number] = self._record(business, people.get(business.owner))
            self.report.rows["HouseholdBusiness", "created"] += 1
        cased = set(Conversion.objects.values_list("household_business__registration_number", flat=True))
        for case in plans.CASES:
            if case.business in cased:
                self.report.rows["Conversion", "unchanged"] += 1
                continue
            business = businesses.get(case.business)
            if business is None or self.day(case.identified) > self.today:
                continue
            self._case(case, business)
            self.report.rows["Conversion", "created"] += 1
        return self.report

    def _owner(self, national_id: str, person: Person | None, registered_on: datetime.date) -> Applicant:
        """The person the portal knows by this CCCD, or a new record of them on their current ward."""
        known = person_by_national_id(national_id)
        if known is not None:
            return known
        if person is None:
            raise ValueError(f"the demo does not know the owner {national_id}")
        moment = datetime.datetime.combine(registered_on, datetime.time(9))
        self.report.rows["Applicant", "created"] += 1
        return Applicant.objects.create(
            kind=Applicant.Kind.PERSON,
            full_name=person.full_name,
            national_id=person.national_id,
            phone=person.phone,
            address=person.address,
            unit=self.unit_on(person.ward, self.today),
            consent_at=timezone.make_aware(
                min(moment, datetime.datetime.combine(self.today, datetime.time(7)))
            ),
        )

    def _record(self, business: Business, person: Person | None) -> HouseholdBusiness:
        registered_on = self.day(business.registered_on)
        unit = self.unit_on(business.commune, registered_on)
        owner = self._owner(business.owner, person, registered_on)
        by = self.officer(unit, self.today)
        record = record_household_business(
            by=by,
            owner=applicants.Person(
                full_name=owner.full_name, national_id=owner.national_id, phone=owner.phone
            ),
            name=business.name,
            registration_number=business.number,
            registered_on=registered_on,
            address=business.address,
            unit=unit,
            sector=business.sector,
            workers=business.workers,
            revenue_band=business.revenue_band,
            tax_mode=HouseholdBusiness.TaxMode.DECLARED,
        )
        if business.ceased:
            record = update_household_business(business=record, by=by, status=HouseholdBusiness.Status.CEASED)
        return record

    def _generated(self) -> list[tuple[Business, Person]]:
        """The rest of the registry: household businesses of each area's trades, the same on every run."""
        rng = random.Random(SEED)
        taken = {person.national_id for person in plans.PEOPLE}
        numbers = {business.number for business in plans.BUSINESSES}
        last_day = LAST_REGISTRATION
        span = (last_day - FIRST_REGISTRATION).days
        rows = []
        for ward_code, trades, count in AREAS:
            ward = self.unit_on(ward_code, self.today)
            former = sorted(
                (
                    unit
                    for units in self.units.values()
                    for unit in units
                    if self.successor.get(unit.pk) == ward_code
                ),
                key=lambda unit: unit.code,
            )
            for _ in range(count):
                trade = rng.choice(trades)
                full_name = names.vietnamese_name(rng)
                female = full_name.split()[1] in names.MIDDLE_NAMES["female"]
                national_id = f"083{1 if female else 0}{rng.randint(55, 99)}{rng.randint(0, 999_999):06d}"
                while national_id in taken:
                    national_id = national_id[:6] + f"{rng.randint(0, 999_999):06d}"
                taken.add(national_id)
                registered_on = FIRST_REGISTRATION + datetime.timedelta(days=rng.randrange(span))
                unit = rng.choice(former) if registered_on < REFORM_DATE and former else ward
                if unit.valid_until is None and registered_on < REFORM_DATE:
                    registered_on = REFORM_DATE + datetime.timedelta(
                        days=rng.randrange(max(1, (last_day - REFORM_DATE).days))
                    )
                hamlet = f"Ấp {names.place_name(rng)}"
                letter = DISTRICT_LETTERS.get(unit.parent.name if unit.valid_until else "", "V")
                number = f"56{letter}8{rng.randint(100_000, 999_999)}"
                while number in numbers:
                    number = f"56{letter}8{rng.randint(100_000, 999_999)}"
                numbers.add(number)
                if unit.valid_until is None:
                    address = f"{hamlet}, {unit.name.lower()[:1]}{unit.name[1:]}, tỉnh Vĩnh Long"
                else:
                    address = f"{hamlet}, {unit.name}, {unit.parent.name}, tỉnh Bến Tre"
                given = full_name.split()[-1]
                person = Person(
                    national_id,
                    full_name,
                    ward.code,
                    f"09{rng.randint(10_000_000, 99_999_999)}",
                    f"{hamlet}, {ward.name}, tỉnh Vĩnh Long",
                )
                business = Business(
                    number,
                    f"Hộ kinh doanh {trade.name} {given}",
                    national_id,
                    registered_on,
                    unit.code,
                    address,
                    trade.sector,
                    rng.randint(*trade.workers),
                    trade.bands[0] if rng.random() < 0.7 else rng.choice(trade.bands),
                    ceased=rng.random() < 0.08,
                )
                rows.append((business, person))
        return rows

    # The cases.

    def _case(self, case: Case, business: HouseholdBusiness) -> None:
        unit = business.unit
        rng = random.Random(f"{SEED}-{business.registration_number}")
        opened = self.day(case.identified)
        conversion = cases.identify_candidate(
            business=business, by=self.officer(unit, opened), on=opened, note=case.note
        )
        if case.correction:
            corrected, reason = self.day(case.correction[0]), case.correction[1]
            mistaken = corrected - datetime.timedelta(days=1)
            conversion = cases.advise(conversion=conversion, by=self.officer(unit, mistaken), on=mistaken)
            conversion = cases.correct_step(
                conversion=conversion, by=self.officer(unit, corrected), on=corrected, reason=reason
            )
        if case.advised is None or self.day(case.advised) > self.today:
            return self._dated(conversion)
        advised = self.day(case.advised)
        conversion = cases.advise(
            conversion=conversion, by=self.officer(unit, advised), on=advised, note=case.advice
        )
        registered_on = self.day(case.registered) if case.registered is not None else None
        if case.paper_filed is not None:
            filed = self.day(case.paper_filed)
            conversion = cases.record_paper_filing(
                conversion=conversion, by=self.officer(unit, filed), on=filed, note=case.paper_note
            )
        else:
            dossier = self._dossier(case, business)
            if dossier is None or dossier.submitted_at is None:
                return self._dated(conversion)
            filed = timezone.localdate(dossier.submitted_at)
            conversion = cases.link_dossier(
                conversion=conversion, dossier=dossier, by=self.officer(unit, filed), on=filed
            )
            if case.withdrawn:
                withdrawn = max(self.day(case.withdrawn[0]), filed)
                conversion = cases.correct_step(
                    conversion=conversion,
                    by=self.officer(unit, withdrawn),
                    on=withdrawn,
                    reason=case.withdrawn[1],
                )
                return self._dated(conversion)
            if dossier.decided_at is not None and dossier.status in (
                Dossier.Status.DONE,
                Dossier.Status.RESULT_RETURNED,
            ):
                registered_on = timezone.localdate(dossier.decided_at)
        if case.enterprise is None or registered_on is None or registered_on > self.today:
            return self._dated(conversion)
        enterprise = case.enterprise
        conversion = cases.register_enterprise(
            conversion=conversion,
            by=self.officer(unit, registered_on),
            enterprise_code=enterprise.code,
            enterprise_name=enterprise.name,
            registered_on=registered_on,
            insured_workers=enterprise.insured_workers,
            yearly_revenue=enterprise.revenue,
        )
        self._follow_up(case, conversion, rng)
        self._dated(conversion)

    def _dossier(self, case: Case, business: HouseholdBusiness) -> Dossier | None:
        """The demo's conversion-support dossier of the case, filed by its owner (``dossiers.demo``)."""
        if not case.dossier:
            return None
        return Dossier.objects.filter(
            procedure__code=CONVERSION_SUPPORT,
            applicant_id=business.owner_id,
            summary__startswith=case.dossier,
        ).first()

    def _follow_up(self, case: Case, conversion: Conversion, rng: random.Random) -> None:
        """The visits and the outcomes in the order they happened; visits after the end are skipped."""
        explicit = {visit.months: visit for visit in case.visits}
        changes = [(self.day(change.since), change) for change in case.changes]
        changes = [(since, change) for since, change in changes if since <= self.today]
        ended = next((since for since, change in changes if change.outcome in NOT_FOLLOWED), None)
        unit = conversion.unit
        events: list[tuple[datetime.date, int, object]] = []
        to_skip = []
        for visit in conversion.visits.order_by("months_after"):
            if ended is not None and visit.due_on >= ended:
                to_skip.append(visit)
                continue
            if visit.months_after in case.open_visits or visit.due_on > self.today:
                continue
            planned = explicit.get(visit.months_after)
            late = planned.late if planned else rng.choice((0, 1, 2, 3, 5, 7, 10, 14))
            done_on = visit.due_on + datetime.timedelta(days=late)
            if ended is not None and done_on >= ended:
                to_skip.append(visit)
                continue
            if done_on > self.today:
                continue
            events.append((done_on, 1, (visit, planned)))
        events += [(since, 0, change) for since, change in changes]
        for index, (day, _order, event) in enumerate(sorted(events, key=lambda event: event[:2])):
            by = self.officer(unit, day)
            if isinstance(event, plans.Change):
                conversion = cases.record_outcome(
                    conversion=conversion,
                    by=by,
                    outcome=event.outcome,
                    since=day,
                    reasons=list(event.reasons),
                    note=event.note,
                )
                continue
            visit, planned = event
            if planned is not None:
                channel, finding, actions, next_step = (
                    planned.channel,
                    planned.finding,
                    planned.actions,
                    planned.next_step,
                )
            else:
                suspended = _state_on(changes, day) == Outcome.SUSPENDED
                channel = CHANNELS[index % len(CHANNELS)] if index else FollowUpVisit.Channel.VISIT
                finding = FollowUpVisit.Finding.NOT_TRADING if suspended else FollowUpVisit.Finding.OPERATING
                actions = plans.NOT_TRADING_ACTIONS if suspended else rng.choice(plans.ROUTINE_ACTIONS)
                next_step = ""
            record_visit(
                visit=visit,
                by=by,
                done_on=day,
                channel=channel,
                finding=finding,
                actions=actions,
                next_step=next_step,
            )
        for visit in to_skip:
            skip_visit(visit=visit, by=self.officer(unit, self.today), reason=plans.CLOSED_VISIT)

    def _dated(self, conversion: Conversion) -> None:
        """Each step and outcome recorded at a moment of its own day, in their order, before the build."""
        steps = list(ConversionStep.objects.filter(conversion=conversion).order_by("recorded_at", "pk"))
        for model, rows, day_of in (
            (ConversionStep, steps, lambda row: row.taken_on),
            (OutcomeChange, list(conversion.outcomes.order_by("recorded_at", "pk")), lambda row: row.since),
        ):
            moments = {}
            for index, row in enumerate(rows):
                moment = timezone.make_aware(datetime.datetime.combine(day_of(row), datetime.time(8))) + (
                    datetime.timedelta(minutes=7 * index)
                )
                moments[row.pk] = min(moment, self.started - datetime.timedelta(minutes=len(rows) - index))
            if moments:
                model.objects.filter(pk__in=moments).update(
                    recorded_at=models.Case(
                        *(models.When(pk=pk, then=moment) for pk, moment in moments.items())
                    )
                )


def _state_on(changes: list[tuple[datetime.date, plans.Change]], day: datetime.date) -> str:
    state = Outcome.OPERATING
    for since, change in changes:
        if since <= day:
            state = change.outcome
    return state
