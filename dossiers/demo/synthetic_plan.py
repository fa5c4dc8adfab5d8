"""The plan of the synthetic dossiers: plain data, made from the seed, ``as_of`` and the catalogue.

Before 1 July 2025 the dossiers are filed at former communes that had a team, under the procedures
the commune teams handled; since then at the current communes, under all four procedures of the
catalogue. Each dossier follows one story (most are decided and returned; some are refused at the
desk, withdrawn, stopped or left waiting for a supplement) up to the day before ``as_of``: a story
whose next step would come later stops there, so the recent dossiers are the open ones, and some of
them are late. ``dossiers.demo.synthetic`` writes the plan.

The same seed and ``as_of`` always give the same dossiers. Working days come from the calendar table,
read once.
"""

import bisect
import datetime
import random
from dataclasses import dataclass, field

from django.utils import timezone

from demo.names import login_name, place_name, vietnamese_name
from demo.synthetic import USERNAME_PREFIX
from dossiers.catalogue import CATALOGUE_START
from dossiers.demo.synthetic_texts import (
    APOLOGIES,
    LIVELIHOODS,
    PRODUCTS,
    QUESTIONS,
    REFUSALS,
    REPLIES,
    RESULTS,
    STOPS,
    SUMMARIES,
    SUPPLEMENT_NOTES,
    WITHDRAWALS,
)
from dossiers.models import Applicant, Dossier, Procedure
from dossiers.models.dossiers import CODE_ALPHABET
from portal.models import CalendarDay, Team, User
from portal.models.units import REFORM_DATE

Status = Dossier.Status
Channel = Dossier.Channel
HISTORY_DAYS = 730
INQUIRY_REPLY_WORKING_DAYS = 5
# The outcome a dossier's story heads for, and how often.
OUTCOMES = (
    (Status.RESULT_RETURNED, 62),
    (Status.DONE, 4),
    (Status.NOT_RECEIVED, 7),
    (Status.WITHDRAWN, 5),
    (Status.STOPPED, 4),
    (Status.SUPPLEMENT_REQUESTED, 6),
    (Status.PAYMENT_REQUESTED, 2),
    (Status.IN_PROGRESS, 5),
    ("draft", 3),
    (Status.NEW, 2),
)
STUCK = frozenset(
    {Status.IN_PROGRESS, Status.SUPPLEMENT_REQUESTED, Status.PAYMENT_REQUESTED, Status.NEW, "draft"}
)
KIND_OF_PROCEDURE = {
    Procedure.Audience.STARTUP: "startup",
    Procedure.Audience.HOUSEHOLD_BUSINESS: "conversion",
    Procedure.Audience.POOR_HOUSEHOLD: "poverty",
}


class WorkingDays:
    """``portal.working_days`` over a span read once: the same answers, without a query each."""

    def __init__(self, first: datetime.date, last: datetime.date):
        exceptions = dict(CalendarDay.objects.filter(date__range=(first, last)).values_list("date", "kind"))
        self.days = []
        day = first
        while day <= last:
            kind = exceptions.get(day)
            if kind == CalendarDay.Kind.WORKING_DAY or (kind is None and day.weekday() < 5):
                self.days.append(day)
            day += datetime.timedelta(days=1)

    def add(self, start: datetime.date, days: int) -> datetime.date:
        if days == 0:
            return self.days[bisect.bisect_left(self.days, start)]
        return self.days[bisect.bisect_right(self.days, start) + days - 1]

    def between(self, start: datetime.date, end: datetime.date) -> int:
        return bisect.bisect_right(self.days, end) - bisect.bisect_right(self.days, start)

    def on_or_before(self, day: datetime.date) -> datetime.date:
        return self.days[bisect.bisect_right(self.days, day) - 1]


@dataclass(eq=False)
class PlannedApplicant:
    kind: str
    full_name: str
    enterprise_name: str
    national_id: str
    phone: str
    address: str
    unit: object  # PlannedUnit, a current commune
    username: str = ""  # an account, to file online and rate
    consent_at: datetime.datetime | None = None
    row: Applicant | None = None
    account: User | None = None


@dataclass(eq=False)
class PlannedDossier:
    code: str
    procedure: Procedure
    version: object
    applicant: PlannedApplicant
    filed_by: object  # PlannedMember or PlannedApplicant
    channel: str
    unit: object  # PlannedUnit
    team: object  # PlannedTeam
    summary: str
    status: str = Status.NEW
    values: dict = field(default_factory=dict)  # the dates and texts of the dossier
    events: list = field(default_factory=list)  # (action, from, to, at, actor, note)
    supplements: list = field(
        default_factory=list
    )  # (round, requested_at, by, note, supplied_at, requirement)
    inquiries: list = field(default_factory=list)  # dicts of Inquiry values, actors and teams planned
    row: Dossier | None = None


class _Story:
    """One dossier's life from its filing day, step by step, as long as the steps fall by ``as_of``."""

    def __init__(self, planner: "Planner", dossier: PlannedDossier, filed: datetime.date, officer, applicant):
        self.planner, self.dossier, self.day = planner, dossier, filed
        self.rng, self.days, self.as_of = planner.rng, planner.days, planner.as_of
        self.officer, self.applicant = officer, applicant
        self.last_moment: datetime.datetime | None = None
        self.due: datetime.date | None = None

    def moment(self, day: datetime.date) -> datetime.datetime:
        """A time in office hours on ``day``, after the story's previous one."""
        if self.last_moment is not None and timezone.localtime(self.last_moment).date() == day:
            moment = self.last_moment + datetime.timedelta(minutes=self.rng.randint(5, 90))
        else:
            minutes = self.rng.randint(7 * 60 + 30, 16 * 60 + 30)
            moment = timezone.make_aware(
                datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60))
            )
        self.last_moment = moment
        return moment

    def next(self, low: int, high: int) -> bool:
        """Move on ``low``..``high`` working days; False when that day lies after ``as_of``."""
        day = self.days.add(self.day, self.rng.randint(low, high))
        if day > self.as_of:
            return False
        self.day = day
        return True

    def step(self, action: str, to_status: str, actor, note: str = "") -> datetime.datetime:
        at = self.moment(self.day)
        self.dossier.events.append((action, self.dossier.status, to_status, at, actor, note))
        self.dossier.status = to_status
        return at

    def tell(self, outcome: str) -> None:
        dossier, values, rng = self.dossier, self.dossier.values, self.rng
        dossier.events.append(("start_draft", "", Status.NEW, self.moment(self.day), dossier.filed_by, ""))
        if outcome == "draft":
            return
        values["submitted_at"] = self.step("submit", Status.NEW, self.applicant)
        if outcome == Status.NEW or not self.next(0, 2):
            return
        if outcome == Status.NOT_RECEIVED:
            values["closing_reason"] = rng.choice(REFUSALS)
            self.step("refuse", Status.NOT_RECEIVED, self.officer, values["closing_reason"])
            return
        values["received_at"] = self.step("receive", Status.RECEIVED, self.officer)
        self.due = values["due_date"] = self.days.add(self.day, dossier.version.statutory_working_days)
        if outcome == Status.WITHDRAWN and rng.random() < 0.5:
            self.close(Status.WITHDRAWN)
            return
        if not self.next(0, 2):
            return
        self.step("start", Status.IN_PROGRESS, self.officer)
        if rng.random() < 0.12:
            self.ask()
        if not self.supplements(outcome):
            return
        if outcome in (Status.WITHDRAWN, Status.STOPPED):
            self.close(outcome)
            return
        if self.planner.kind_of(dossier.procedure) == "loan" and (
            outcome == Status.PAYMENT_REQUESTED or rng.random() < 0.4
        ):
            if not self.next(2, 5):
                return
            self.step(
                "request_payment",
                Status.PAYMENT_REQUESTED,
                self.officer,
                "Nộp phí thẩm định tài sản bảo đảm.",
            )
            if outcome == Status.PAYMENT_REQUESTED or not self.next(1, 4):
                return
            self.step("confirm_payment", Status.IN_PROGRESS, self.officer)
        if outcome not in (Status.DONE, Status.RESULT_RETURNED):
            return  # stuck: still open, and late before long
        self.decide(outcome)

    def supplements(self, outcome: str) -> bool:
        """Zero to two rounds, the last left open for a dossier waiting for one; False when the story ends."""
        rounds = self.rng.choices((0, 1, 2), weights=(65, 25, 10))[0]
        if outcome == Status.SUPPLEMENT_REQUESTED:
            rounds = max(rounds, 1)
        requirements = self.dossier.version.mandatory or self.dossier.version.all
        for number in range(1, rounds + 1):
            if not self.next(1, 4):
                return False
            note = self.rng.choice(SUPPLEMENT_NOTES)
            requested_at = self.step("request_supplement", Status.SUPPLEMENT_REQUESTED, self.officer, note)
            paused_on = self.dossier.values["paused_on"] = self.day
            supplement = [number, requested_at, self.officer, note, None, self.rng.choice(requirements)]
            self.dossier.supplements.append(supplement)
            if (outcome == Status.SUPPLEMENT_REQUESTED and number == rounds) or not self.next(2, 8):
                return False
            supplement[4] = self.step("supply_supplement", Status.IN_PROGRESS, self.applicant)
            # The clock waited: the due date moves by the working days paused.
            self.due = self.days.add(self.due, self.days.between(paused_on, self.day))
            self.dossier.values.update(due_date=self.due, paused_on=None)
        return True

    def close(self, status: str) -> None:
        """Withdrawn by the applicant or stopped by the officer, a few days on."""
        if not self.next(1, 5):
            return
        if status == Status.WITHDRAWN:
            action, actor, reason = "withdraw", self.applicant, self.rng.choice(WITHDRAWALS)
        else:
            action, actor, reason = "stop", self.officer, self.rng.choice(STOPS)
        self.dossier.values.update(closing_reason=reason, paused_on=None)
        self.step(action, status, actor, reason)

    def decide(self, outcome: str) -> None:
        """Decided within the time, or late (then most often with an apology first); returned, rated."""
        rng, values = self.rng, self.dossier.values
        left = max(self.days.between(self.day, self.due), 1)  # working days until the due date
        is_late = rng.random() < 0.2
        wait = rng.randint(left + 1, left + 15) if is_late else rng.randint(max(1, left // 3), left)
        decision_day = self.days.add(self.day, wait)
        if is_late and rng.random() < 0.6:
            # On one of the last days before the due date, with a new date after the decision day.
            apology_day = self.days.add(self.day, max(left - rng.randint(0, 2), 0))
            if apology_day > self.as_of:
                return
            self.day = apology_day
            reason = rng.choice(APOLOGIES)
            new_due = self.days.add(decision_day, rng.randint(0, 3))
            values.update(
                apology_issued_at=self.step("apologise", self.dossier.status, self.officer, reason),
                apology_reason=reason,
                original_due_date=self.due,
                due_date=new_due,
            )
            self.due = new_due
        if decision_day > self.as_of:
            return
        self.day = decision_day
        amount = f"{rng.randrange(50, 501, 10) * 1_000_000:,}".replace(",", ".")
        result = RESULTS[self.planner.kind_of(self.dossier.procedure)]
        values["result"] = result.format(amount=amount, months=rng.choice((24, 36, 48, 60)))
        values["decided_at"] = self.step("complete", Status.DONE, self.officer, values["result"])
        if outcome == Status.DONE or not self.next(0, 3):
            return
        values["result_returned_at"] = self.step("return_result", Status.RESULT_RETURNED, self.officer)
        if self.dossier.applicant.username and rng.random() < 0.6 and self.next(0, 5):
            values["rating"] = rng.choices((1, 2, 3, 4, 5), weights=(2, 3, 15, 40, 40))[0]
            self.step("rate", Status.RESULT_RETURNED, self.dossier.applicant, str(values["rating"]))

    def ask(self) -> None:
        raised = self.day
        reply_due = self.days.add(raised, INQUIRY_REPLY_WORKING_DAYS)
        inquiry = {
            "raised_by": self.applicant,
            "raised_at": self.moment(raised),
            "question": self.rng.choice(QUESTIONS),
            "reply_due": reply_due,
            "team": self.dossier.team,
            "escalated_at": None,
            "reply": "",
            "replied_at": None,
            "replied_by": None,
        }
        roll = self.rng.random()
        replied = self.days.add(raised, self.rng.randint(1, 5) if roll < 0.65 else self.rng.randint(6, 12))
        if roll < 0.85 and replied <= self.as_of:
            inquiry.update(
                reply=self.rng.choice(REPLIES), replied_at=self.planner.noon(replied), replied_by=self.officer
            )
        elif reply_due < self.as_of:
            # The morning job after the reply date hands it to the team above.
            escalated = self.days.add(reply_due, 1)
            if escalated <= self.as_of:
                inquiry["escalated_at"] = self.planner.morning(escalated)
                inquiry["team"] = self.planner.team_above(self.dossier.team) or self.dossier.team
        self.dossier.inquiries.append(inquiry)


@dataclass(frozen=True)
class _Version:
    row: object
    effective_from: datetime.date
    statutory_working_days: int
    mandatory: tuple[int, ...]
    all: tuple[int, ...]


class Planner:
    def __init__(self, rng: random.Random, plan, *, as_of: datetime.date, taken_usernames: set[str]):
        # The stories run up to the day before ``as_of``, so that no time lies after the moment of writing.
        self.rng, self.plan, self.as_of = rng, plan, as_of - datetime.timedelta(days=1)
        self.first = max(CATALOGUE_START, as_of - datetime.timedelta(days=HISTORY_DAYS))
        self.days = WorkingDays(
            self.first - datetime.timedelta(days=30), as_of + datetime.timedelta(days=400)
        )
        self.taken = taken_usernames
        self.codes: set[str] = set(Dossier.objects.values_list("code", flat=True))
        self.procedures = list(
            Procedure.objects.filter(is_open=True).order_by("code").prefetch_related("versions__requirements")
        )
        self.versions = {
            procedure.pk: sorted(
                (
                    _Version(
                        version,
                        version.effective_from,
                        version.statutory_working_days,
                        tuple(r.pk for r in version.requirements.all() if r.is_mandatory),
                        tuple(r.pk for r in version.requirements.all()),
                    )
                    for version in procedure.versions.all()
                ),
                key=lambda version: version.effective_from,
            )
            for procedure in self.procedures
        }
        teams = plan.teams
        self.standing = next(team for team in teams if team.kind == Team.Kind.STANDING_AGENCY)
        self.fund = next(team for team in teams if team.kind == Team.Kind.FUND)
        self.commune_teams = {id(team.unit): team for team in teams if team.kind == Team.Kind.COMMUNE_TEAM}
        self.district_teams = {id(team.unit): team for team in teams if team.kind == Team.Kind.DISTRICT_TEAM}
        units = plan.units
        self.current = [unit for unit in units if unit.level == "commune" and unit.current]
        self.former = [
            unit
            for unit in units
            if unit.level == "commune" and not unit.current and id(unit) in self.commune_teams
        ]
        self.applicants: dict[int, list[PlannedApplicant]] = {}
        self.all_applicants: list[PlannedApplicant] = []

    def kind_of(self, procedure: Procedure) -> str:
        if procedure.handling_team_kind == Team.Kind.FUND:
            return "loan"
        return KIND_OF_PROCEDURE[procedure.audience]

    def version_on(self, procedure: Procedure, day: datetime.date) -> _Version | None:
        found = None
        for version in self.versions[procedure.pk]:
            if version.effective_from <= day:
                found = version
        return found

    def noon(self, day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, self.rng.randint(0, 59))))

    def morning(self, day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(7, 0)))

    def team_above(self, team):
        """A former commune's district team; the standing agency above a current commune team."""
        if team.kind != Team.Kind.COMMUNE_TEAM:
            return None
        if team.unit.current:
            return self.standing
        return self.district_teams.get(id(team.unit.parent))

    def officer(self, team):
        members = [member for member in team.members if member.left_on is None] if team else []
        return members[0] if members else self.standing.members[0]

    def code(self) -> str:
        while True:
            body = "".join(self.rng.choice(CODE_ALPHABET) for _ in range(8))
            code = f"HS-{body[:4]}-{body[4:]}"
            if code not in self.codes:
                self.codes.add(code)
                return code

    def applicant(self, unit, kind: str) -> PlannedApplicant:
        """Now and then someone who filed before; else a new person of ``unit``."""
        known = self.applicants.setdefault(id(unit), [])
        if known and self.rng.random() < 0.2:
            return self.rng.choice(known)
        rng = self.rng
        full_name = vietnamese_name(rng)
        product = rng.choice(PRODUCTS)
        is_enterprise = kind in ("startup", "loan") and rng.random() < 0.6
        if is_enterprise:
            enterprise = f"Công ty TNHH {product.capitalize()} {full_name.split()[-1]}"
        elif kind == "poverty":
            enterprise = ""
        else:
            enterprise = f"Hộ kinh doanh {product.capitalize()} {full_name.split()[-1]}"
        username = ""
        if rng.random() < 0.3:
            username = USERNAME_PREFIX + login_name(full_name, self.taken)
        applicant = PlannedApplicant(
            kind=Applicant.Kind.ENTERPRISE if is_enterprise else Applicant.Kind.PERSON,
            full_name=full_name,
            enterprise_name=enterprise,
            national_id="0" + "".join(rng.choice("0123456789") for _ in range(11)),
            phone=rng.choice(("09", "08", "03", "07")) + "".join(rng.choice("0123456789") for _ in range(8)),
            address=f"Ấp {place_name(rng)}, {unit.name}",
            unit=unit,
            username=username,
        )
        known.append(applicant)
        self.all_applicants.append(applicant)
        return applicant

    def dossier(self) -> PlannedDossier:
        rng = self.rng
        filed = self.days.on_or_before(
            self.first + datetime.timedelta(days=rng.randrange((self.as_of - self.first).days + 1))
        )
        commune_procedures = [p for p in self.procedures if p.handling_team_kind == Team.Kind.COMMUNE_TEAM]
        if filed < REFORM_DATE and self.former:
            unit = rng.choice(self.former)
            procedure = rng.choice(commune_procedures)
            home = unit.successors[0]
        else:
            unit = home = rng.choice(self.current)
            procedure = rng.choice(self.procedures)
        version = self.version_on(procedure, filed) or self.versions[procedure.pk][0]
        team = {Team.Kind.STANDING_AGENCY: self.standing, Team.Kind.FUND: self.fund}.get(
            procedure.handling_team_kind
        ) or self.commune_teams.get(id(unit))
        kind = self.kind_of(procedure)
        applicant = self.applicant(home, kind)
        officer = self.officer(team)
        channel = rng.choices((Channel.ONLINE, Channel.IN_PERSON, Channel.POST), weights=(45, 45, 10))[0]
        if channel == Channel.ONLINE and not applicant.username:
            channel = Channel.IN_PERSON
        if channel == Channel.ONLINE:
            filed_by = applicant
        elif channel == Channel.IN_PERSON:
            filed_by = self.officer(self.commune_teams.get(id(unit)) or team)
        else:
            filed_by = officer
        summary = rng.choice(SUMMARIES[kind]).format(
            product=rng.choice(PRODUCTS), livelihood=rng.choice(LIVELIHOODS)
        )
        dossier = PlannedDossier(
            code=self.code(),
            procedure=procedure,
            version=version,
            applicant=applicant,
            filed_by=filed_by,
            channel=channel,
            unit=unit,
            team=team,
            summary=summary,
        )
        if applicant.consent_at is None:
            applicant.consent_at = timezone.make_aware(datetime.datetime.combine(filed, datetime.time(7, 30)))
        outcome = rng.choices([name for name, _ in OUTCOMES], weights=[weight for _, weight in OUTCOMES])[0]
        age = (self.as_of - filed).days
        if age > 120 and outcome in STUCK:
            # Nobody leaves a dossier open for months: it went on, or it was stopped.
            outcome = rng.choices((Status.RESULT_RETURNED, Status.STOPPED), weights=(70, 30))[0]
        _Story(self, dossier, filed, officer, filed_by).tell(outcome)
        return dossier


def plan_dossiers(plan, *, count: int, seed: int, as_of: datetime.date, taken_usernames: set[str]) -> Planner:
    """``count`` dossiers for the synthetic ``plan``; the same for the same seed, ``as_of`` and catalogue."""
    planner = Planner(random.Random(f"{seed}/dossiers"), plan, as_of=as_of, taken_usernames=taken_usernames)
    planner.dossiers = sorted(
        (planner.dossier() for _ in range(count)), key=lambda dossier: dossier.events[0][3]
    )
    return planner
