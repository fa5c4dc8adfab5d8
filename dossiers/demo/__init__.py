"""The demo's dossiers (DESIGN.md §7): applicants of Vĩnh Long and their requests, in every status.

``build()`` files about two dozen dossiers of local people (coconut candy from Mỏ Cày, bonsai
from Chợ Lách, clams from Bình Đại, fish sauce from Ba Tri…) and takes each through the services as the
people involved would: filed online, in person or by post, received, asked for supplements (one of them
twice), decided, returned and rated, refused at the desk, withdrawn, stopped; some late, some of those
with an apology; inquiries answered on time and late, one escalated. A few dossiers of former Chợ Lách
district communes, handled by their commune teams before the 1 July 2025 reform, are history. The demo
applicant ``nguoinop`` has three dossiers: one returned, one waiting for her supplement, one draft.

Going through the services writes the timeline, the audit records and the notifications as the portal
would. The services act on today, though, so each step is given its own day afterwards: after a step,
everything it wrote (events, notifications, documents, supplement requests, inquiries and the dossier's
dates) is moved to the step's day with ``QuerySet.update``. Dates that the services derive from today
(the due date, the paused day, a document's validity, an inquiry's reply date) are computed again from
the step's day with the same working-day rules. The audit records are left as written: they truthfully
record when the demo was loaded.

Running it again changes nothing: an applicant is found by their CCCD number and a dossier by its
applicant, procedure and summary; what exists is skipped.

The applicants are in ``people``, what happens to their dossiers in ``plans`` (with the plans from
before the reform) and ``plans_since_reform``; this module takes each plan through the services.
"""

import contextlib
import datetime
from collections import Counter
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone, translation

from demo.ground import PROVINCE_CODE
from demo.names import login_name
from demo.writer import Writer
from dossiers.demo.documents import sample_document
from dossiers.demo.people import DUYEN, PEOPLE, Person
from dossiers.demo.plans import BEFORE_REFORM, IN_PERSON, ONLINE, Plan, Step
from dossiers.demo.plans_since_reform import SINCE_REFORM
from dossiers.measures import DOSSIERS_RECEIVED
from dossiers.models import (
    Applicant,
    Document,
    Dossier,
    DossierDocument,
    DossierEvent,
    Inquiry,
    Procedure,
    SupplementRequest,
)
from dossiers.services import dossiers as services
from dossiers.services.documents import attach_document, review_document
from dossiers.services.inquiries import escalate_inquiry, raise_inquiry, reply_to_inquiry
from portal.models import AdminUnit, Membership, Notification, Target, Team, User
from portal.models.units import REFORM_DATE
from portal.plugins import app_modules
from portal.working_days import Calendar, add_working_days, working_days_between

PLANS = (*BEFORE_REFORM, *SINCE_REFORM)
# Notifications older than this have been read.
READ_AFTER = datetime.timedelta(days=10)


@dataclass
class DossierReport:
    rows: Counter = field(default_factory=Counter)  # (model, "created" | "unchanged")
    # A dossier of the demo applicant and the last four digits of her phone, for the public lookup.
    lookup: tuple[str, str] | None = None

    def summary(self) -> list[str]:
        lines = [
            f"{model + 's:':<13}{self.rows[(model, 'created')]} created, "
            f"{self.rows[(model, 'unchanged')]} unchanged."
            for model in ("Applicant", "Dossier")
        ]
        lines.append(
            f"{'Targets:':<13}{self.rows[('Target', 'created')]} created, "
            f"{self.rows[('Target', 'unchanged')]} unchanged (dossiers received)."
        )
        if self.lookup:
            code, last_four = self.lookup
            lines.append(
                f"Public lookup of a dossier: code {code}, last four digits of the phone {last_four}."
            )
        return lines


def build(writer: Writer, today: datetime.date | None = None) -> DossierReport:
    """Create the demo's applicants and dossiers that do not exist yet; ``writer`` makes their accounts."""
    today = today or timezone.localdate()
    # What the services write for people to read (notifications) is in the portal's language.
    with translation.override(settings.LANGUAGE_CODE):
        report = _build(writer, today)
    report.rows.update(_targets())
    return report


# The province's yearly target of dossiers received.
YEARLY_TARGET = {2025: 30, 2026: 30}


def _targets() -> Counter:
    """The province's targets of dossiers received, written when missing or different."""
    rows: Counter = Counter()
    province = AdminUnit.objects.get(code=PROVINCE_CODE, valid_until__isnull=True)
    for year, value in YEARLY_TARGET.items():
        target, created = Target.objects.get_or_create(
            unit=province, year=year, measure=DOSSIERS_RECEIVED, defaults={"value": value}
        )
        if not created and target.value != value:
            target.value = value
            target.save(update_fields=["value"])
        rows["Target", "created" if created else "unchanged"] += 1
    return rows


def _build(writer: Writer, today: datetime.date) -> DossierReport:
    builder = _Builder(writer, today)
    report = DossierReport()
    applicants = {person.national_id: builder.applicant(person, report) for person in PEOPLE}
    # What had happened by today: a demo loaded on an earlier day shows fewer dossiers.
    plans = sorted(
        (plan for plan in PLANS if builder.filed_on(plan) <= today), key=lambda plan: builder.filed_on(plan)
    )
    existing = set(Dossier.objects.values_list("applicant_id", "procedure__code", "summary"))
    for plan in plans:
        applicant = applicants[plan.person]
        if (applicant.pk, plan.procedure, plan.summary) in existing:
            report.rows[("Dossier", "unchanged")] += 1
            continue
        builder.dossier(plan, applicant)
        report.rows[("Dossier", "created")] += 1
    duyen = applicants[DUYEN]
    waiting = duyen.dossiers.filter(status=Dossier.Status.SUPPLEMENT_REQUESTED).first()
    if waiting is not None:
        report.lookup = (waiting.code, duyen.phone_last_four)
    return report


class _Builder:
    def __init__(self, writer, today: datetime.date):
        self.writer = writer
        self.today = today
        # Every rewritten time lies before this, so a step's own writes are told apart by being later.
        self.started = timezone.now()
        self.procedures = {procedure.code: procedure for procedure in Procedure.objects.all()}
        self.logins = {
            username: writer.users.get(username) for username in ("thuongtruc", "quy", "xa", "nguoinop")
        }
        codes = {person.ward for person in PEOPLE} | {
            plan.former_commune for plan in PLANS if plan.former_commune
        }
        self.units = {
            (unit.code, unit.valid_until is None): unit
            for unit in AdminUnit.objects.filter(level=AdminUnit.Level.COMMUNE, code__in=codes)
        }
        self.calendar = Calendar(today - datetime.timedelta(days=800), today + datetime.timedelta(days=120))

    # Days.

    def filed_on(self, plan: Plan) -> datetime.date:
        """The plan's day, or so many days before today; never before the wards of the reform existed."""
        if isinstance(plan.filed, datetime.date):
            return plan.filed
        day = self.today - datetime.timedelta(days=plan.filed)
        while not self.calendar.is_working_day(day):
            day -= datetime.timedelta(days=1)
        return day if plan.former_commune else max(day, self._first_working_day_from(REFORM_DATE))

    def _first_working_day_from(self, day: datetime.date) -> datetime.date:
        while not self.calendar.is_working_day(day):
            day += datetime.timedelta(days=1)
        return day

    def moment(self, day: datetime.date, index: int, salt: int = 0) -> datetime.datetime:
        """A time in office hours on ``day``, later for a later step of the day, before the build began.

        ``salt`` (the dossier's id) spreads the dossiers over the day. Steps of today are put in the
        hour before the build, so that none lies in the future.
        """
        if day >= self.today:
            return self.started - datetime.timedelta(minutes=3 * (20 - min(index, 19)))
        start = 7 * 60 + 30 + (salt * 37 + day.toordinal() * 11) % 240
        minutes = min(start + 23 * index, 16 * 60 + 45)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60)))

    # People.

    def applicant(self, person: Person, report: DossierReport) -> Applicant:
        applicant = Applicant.objects.filter(national_id=person.national_id).select_related("user").first()
        if applicant is not None:
            report.rows[("Applicant", "unchanged")] += 1
            if person.has_account and applicant.user is not None:
                self.writer.user(applicant.user.username, applicant.user.full_name)  # counted as unchanged
            return applicant
        user = None
        if person.login:
            user = self.logins[person.login]
        elif person.has_account:
            user = self.writer.user(login_name(person.full_name, set(self.writer.users)), person.full_name)
        first_filing = min(self.filed_on(plan) for plan in PLANS if plan.person == person.national_id)
        applicant = Applicant.objects.create(
            kind=person.kind,
            full_name=person.full_name,
            enterprise_name=person.enterprise_name,
            tax_code=person.tax_code,
            national_id=person.national_id,
            phone=person.phone,
            email=user.email if user else "",
            address=person.address,
            unit=self.units[(person.ward, True)],
            user=user,
            consent_at=self.moment(first_filing, 0),
        )
        report.rows[("Applicant", "created")] += 1
        return applicant

    def officer(self, team: Team | None) -> User:
        """Who acts for ``team``: the demo login where there is one, else its head or first member."""
        if team is None:
            return self.logins["thuongtruc"]
        if team.kind == Team.Kind.STANDING_AGENCY:
            return self.logins["thuongtruc"]
        if team.kind == Team.Kind.FUND:
            return self.logins["quy"]
        members = Membership.objects.filter(team=team, left_on__isnull=True).order_by("pk")
        if members.filter(user=self.logins["xa"]).exists():
            return self.logins["xa"]
        if team.head_id:
            return team.head
        return members.first().user if members.exists() else self.logins["thuongtruc"]

    def commune_team(self, unit: AdminUnit, day: datetime.date) -> Team | None:
        return Team.objects.active_on(day).filter(kind=Team.Kind.COMMUNE_TEAM, unit=unit).first()

    # Dossiers.

    def dossier(self, plan: Plan, applicant: Applicant) -> None:
        procedure = self.procedures[plan.procedure]
        day = self.filed_on(plan)
        unit = self.units[(plan.former_commune, False)] if plan.former_commune else applicant.unit
        handling_team = services.handling_team_for(procedure, unit, on=day)
        handler = self.officer(handling_team)
        if plan.channel == ONLINE:
            filer = applicant.user
        elif plan.channel == IN_PERSON and procedure.handling_team_kind == Team.Kind.STANDING_AGENCY:
            # The commune team takes the dossier and files it on the applicant's behalf.
            filer = self.officer(self.commune_team(unit, day))
        else:
            filer = handler
        timeline = _Timeline(self)

        with timeline.step(day) as step:
            dossier = services.start_dossier(
                procedure=procedure,
                applicant=applicant,
                filed_by=filer,
                unit=unit,
                channel=plan.channel,
                summary=plan.summary,
            )
            step.dossier = dossier
            self._pin_to(dossier, day, handling_team)
            given = set(dossier.documents.values_list("requirement__document_kind__code", flat=True))
            for requirement in dossier.procedure_version.requirements.select_related("document_kind"):
                code = requirement.document_kind.code
                wanted = code in plan.documents if plan.documents is not None else requirement.is_mandatory
                if wanted and code not in given:
                    attach_document(
                        dossier=dossier,
                        requirement=requirement,
                        upload=sample_document(requirement, applicant),
                        by=filer,
                    )

        acting_applicant = applicant.user if plan.channel == ONLINE else filer
        for plan_step in plan.steps:
            day = add_working_days(day, plan_step.gap) if plan_step.gap else day
            day = min(day, self.today)
            with timeline.step(day) as step:
                step.dossier, step.action = dossier, plan_step.action
                self._do(plan_step, dossier, handler=handler, applicant=acting_applicant, day=day)

    def _pin_to(self, dossier: Dossier, day: datetime.date, team: Team | None) -> None:
        """The version and the handling team in force on the filing day, rather than today's."""
        version = dossier.procedure.version_on(day)
        if version != dossier.procedure_version:
            for use in dossier.documents.select_related("requirement"):
                counterpart = version.requirements.filter(
                    document_kind_id=use.requirement.document_kind_id
                ).first()
                if counterpart is None:
                    use.delete()
                else:
                    use.requirement = counterpart
                    use.save(update_fields=["requirement"])
            dossier.procedure_version = version
            dossier.save(update_fields=["procedure_version"])
        if team != dossier.handling_team:
            dossier.handling_team = team
            dossier.save(update_fields=["handling_team"])

    def _do(
        self, step: Step, dossier: Dossier, *, handler: User, applicant: User, day: datetime.date
    ) -> None:
        action = step.action
        if action == "submit":
            services.submit_dossier(dossier=dossier, by=applicant)
        elif action == "receive":
            services.receive_dossier(dossier=dossier, by=handler)
        elif action == "refuse":
            services.refuse_dossier(dossier=dossier, by=handler, reason=step.text)
        elif action == "start":
            services.start_processing(dossier=dossier, by=handler)
        elif action == "supplement":
            missing = list(dossier.procedure_version.requirements.filter(document_kind__code__in=step.kinds))
            for use in dossier.documents.filter(requirement__in=missing).exclude(
                review=DossierDocument.Review.REJECTED
            ):
                review_document(use=use, by=handler, accepted=False, reason=step.text)
            services.request_supplement(dossier=dossier, by=handler, missing=missing, note=step.text)
        elif action == "supply":
            supplement = dossier.supplement_requests.get(supplied_at__isnull=True)
            given = set(
                dossier.documents.exclude(review=DossierDocument.Review.REJECTED).values_list(
                    "requirement_id", flat=True
                )
            )
            for requirement in supplement.missing.select_related("document_kind"):
                if requirement.pk not in given:
                    attach_document(
                        dossier=dossier,
                        requirement=requirement,
                        upload=sample_document(requirement, dossier.applicant),
                        by=applicant,
                    )
            services.supply_supplement(dossier=dossier, by=applicant)
        elif action == "payment":
            services.request_payment(dossier=dossier, by=handler, note=step.text)
        elif action == "paid":
            services.confirm_payment(dossier=dossier, by=handler)
        elif action == "withdraw":
            services.withdraw_dossier(dossier=dossier, by=applicant, reason=step.text)
        elif action == "stop":
            services.stop_dossier(dossier=dossier, by=handler, reason=step.text)
        elif action == "complete":
            for use in dossier.documents.filter(review=DossierDocument.Review.PENDING):
                review_document(use=use, by=handler, accepted=True)
            # What the decision rests on, written by the app that holds it (a household's approved plan).
            for module in app_modules("demo.decisions"):
                module.prepare(self.writer, dossier, day=day, by=handler)
            services.complete_dossier(dossier=dossier, by=handler, result=step.text)
        elif action == "return":
            services.return_result(dossier=dossier, by=handler)
        elif action == "rate":
            services.rate_service(
                dossier=dossier, by=dossier.applicant.user, rating=step.rating, comment=step.text
            )
        elif action == "apologise":
            # On a squeezed timeline (a demo loaded soon after the reform) the due date may be later.
            dossier.refresh_from_db(fields=["due_date"])
            new_due_date = max(add_working_days(day, step.days), add_working_days(dossier.due_date, 1))
            new_due_date = min(new_due_date, services.latest_apology_date(dossier.due_date))
            services.issue_apology(dossier=dossier, by=handler, new_due_date=new_due_date, reason=step.text)
        elif action == "ask":
            raise_inquiry(dossier=dossier, by=applicant, question=step.text)
        elif action == "reply":
            inquiry = dossier.inquiries.unanswered().get()
            reply_to_inquiry(inquiry=inquiry, by=self.officer(inquiry.team), reply=step.text)
        elif action == "escalate":
            escalate_inquiry(inquiry=dossier.inquiries.unanswered().get(), on=day)
        else:
            raise ValueError(action)


# Moving each step to its day.

# The times the services stamp with "now", by model; each model's rows are those of the dossier.
STAMPS = (
    (Dossier, "pk", ("submitted_at", "received_at", "decided_at", "result_returned_at", "apology_issued_at")),
    (DossierEvent, "dossier_id", ("at",)),
    (SupplementRequest, "dossier_id", ("requested_at", "supplied_at")),
    (DossierDocument, "dossier_id", ("reviewed_at",)),
    (Inquiry, "dossier_id", ("raised_at", "escalated_at", "replied_at")),
)


@dataclass
class _Step:
    day: datetime.date
    dossier: Dossier | None = None
    action: str = "file"


class _Timeline:
    """Gives the rows each step wrote the step's day; keeps the dossier's dates as they would have been."""

    def __init__(self, builder: "_Builder"):
        self.builder = builder
        self.index = 0
        self.last_day: datetime.date | None = None
        self.due: datetime.date | None = None
        self.paused_on: datetime.date | None = None

    @contextlib.contextmanager
    def step(self, day: datetime.date):
        step = _Step(day)
        # Whatever the step stamps with "now" is stamped at or after this.
        marker = timezone.now()
        yield step
        self._settle(step, marker)

    def _settle(self, step: _Step, marker: datetime.datetime) -> None:
        dossier, day = step.dossier, step.day
        self.index = self.index + 1 if day == self.last_day else 0
        self.last_day = day
        moment = self.builder.moment(day, self.index, dossier.pk)
        # Dates derived from today first, while the new rows can still be told by their time.
        Inquiry.objects.filter(dossier=dossier, raised_at__gte=marker).update(
            reply_due=add_working_days(day, settings.INQUIRY_REPLY_WORKING_DAYS)
        )
        documents = Document.objects.filter(applicant_id=dossier.applicant_id, uploaded_at__gte=marker)
        for document in documents.select_related("kind"):
            months = document.kind.validity_months
            Document.objects.filter(pk=document.pk).update(
                uploaded_at=moment, valid_until=day + relativedelta(months=months) if months else None
            )
        for model, owner, stamps in STAMPS:
            written = Q()
            for stamp in stamps:
                written |= Q(**{f"{stamp}__gte": marker})
            model.objects.filter(written, **{owner: dossier.pk}).update(
                **{
                    stamp: Case(When(**{f"{stamp}__gte": marker}, then=Value(moment)), default=F(stamp))
                    for stamp in stamps
                }
            )
        # Notifications have no dossier: the step's are those it created. Older ones have been read, and
        # their e-mail went at the time, so a worker started later sends none of them again.
        notifications = Notification.objects.filter(created_at__gte=marker)
        read_at = moment + datetime.timedelta(hours=2) if self.builder.started - moment > READ_AFTER else None
        notifications.exclude(recipient__email="").update(
            created_at=moment, read_at=read_at, emailed_at=moment
        )
        notifications.update(created_at=moment, read_at=read_at)
        self._dates(step, dossier, day)

    def _dates(self, step: _Step, dossier: Dossier, day: datetime.date) -> None:
        """The due date and the paused day as the services would have set them on ``day``."""
        values = {}
        if step.action == "receive":
            self.due = add_working_days(day, dossier.procedure_version.statutory_working_days)
            values["due_date"] = self.due
        elif step.action == "supplement":
            self.paused_on = day
            values["paused_on"] = day
        elif step.action == "supply":
            self.due = add_working_days(self.due, working_days_between(self.paused_on, day))
            self.paused_on = None
            values.update(due_date=self.due, paused_on=None)
        elif step.action == "apologise":
            # The service moved the due date from the one above to the new date, computed from ``day``.
            self.due = Dossier.objects.values_list("due_date", flat=True).get(pk=dossier.pk)
        if values:
            Dossier.objects.filter(pk=dossier.pk).update(**values)
