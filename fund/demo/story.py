"""The demo's funds as they happened: every step taken through the services on its own day.

The fund services act on the business date (``portal.models.people.today``) — the day a posting is
posted on, a loan approved or released, a freeze starts — so each step runs with the clock moved to
nine in the morning of its day (``time_machine``), and the ledger, the loans' states and the audit
records are what the portal would have written that day. The steps of every fund and loan are put
in the order of their days, so that the ledger of each fund grows as it did.

Before the 1 July 2025 reform each fund is run by its former province's fund team (written here,
with two officers); on the reform day every fund passes to the merged province's fund team of the
ground (the demo login ``quy`` prepares, ``kiemsoat`` checks).
"""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import time_machine
from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.utils import timezone

from demo.ground import FUND_NAME, PROVINCE_CODE
from demo.names import login_name, vietnamese_name
from demo.writer import Writer
from dossiers.catalogue import FUND_LOAN
from dossiers.demo.documents import sample_document
from dossiers.models import Applicant, Dossier, Procedure
from dossiers.services import dossiers as dossier_services
from dossiers.services.documents import attach_document, review_document
from fund.demo.plans import FUND_LOAN_SINCE, RUBRIC, FundPlan
from fund.models import Fund, Loan, LoanApplication, Method, Recommendation
from fund.services import applications, capital, decisions, evidence, loans, regulations
from portal.models import AdminUnit, Team, User
from portal.models.units import REFORM_DATE

SEED = "vinh-long-fund"
FORMER_UNTIL = REFORM_DATE - datetime.timedelta(days=1)
OLD_TEAMS_FROM = datetime.date(2019, 1, 2)
FILED_BEFORE_RELEASE = datetime.timedelta(days=24)
# Days past due each late loan is meant to have today: inside its bucket, away from its edges.
LATE_DAYS = {"late_1_30": 15, "late_31_90": 60, "late_91_180": 130, "late_180": 250}
# Months before today the first tranche of the loans in good standing was released, by turns.
CURRENT_MONTHS = (28, 18, 9, 13)


@dataclass
class Officers:
    maker: User
    checker: User


@dataclass
class LoanStory:
    """One application and, when it is lent, its loan: the fund, the borrower, the terms, the fate."""

    fund: Fund
    plan: FundPlan
    fate: str
    index: int
    purpose: str
    sector: str
    project_cost: int
    amount: int
    term_months: int
    tranches: list[tuple[int, str]]
    method: str = Method.EQUAL_PRINCIPAL
    project: object = None
    borrower: Applicant | None = None
    application: LoanApplication | None = None
    loan: Loan | None = None
    steps: list[tuple[datetime.date, Callable[[], None]]] = field(default_factory=list)


def at_nine(day: datetime.date, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9))) + datetime.timedelta(
        minutes=minute
    )


def clipped(day: datetime.date) -> datetime.date:
    """The day, moved back to the 28th at most: its monthly due dates then fall on the same day."""
    return day - datetime.timedelta(days=max(day.day - 28, 0))


class Story:
    def __init__(self, writer: Writer, today: datetime.date):
        self.writer = writer
        self.today = today
        self.rng = random.Random(SEED)
        self.procedure = Procedure.objects.get(code=FUND_LOAN)
        self.events: list[tuple[datetime.date, int, Callable[[], None]]] = []
        province = AdminUnit.objects.get(code=PROVINCE_CODE, valid_until__isnull=True)
        self.team = Team.objects.get(name=FUND_NAME, kind=Team.Kind.FUND, unit=province)
        self.new_officers = Officers(writer.users["quy"], writer.users["kiemsoat"])
        self.old_officers: dict[str, tuple[Team, Officers]] = {}
        self.funds: list[Fund] = []
        self.stories: list[LoanStory] = []

    # People and teams.

    def _old_team(self, plan: FundPlan, province: AdminUnit) -> tuple[Team, Officers]:
        team = self.writer.team(
            f"Quỹ Đầu tư khởi nghiệp tỉnh {province.name.removeprefix('Tỉnh ')}",
            Team.Kind.FUND,
            province,
            parent=None,
            active_from=OLD_TEAMS_FROM,
            active_until=FORMER_UNTIL,
        )
        people = []
        for position in ("Giám đốc Quỹ", "Cán bộ thẩm định"):
            full_name = vietnamese_name(self.rng)
            user = self.writer.user(login_name(full_name, set(self.writer.users)), full_name)
            self.writer.member(team, user, position, OLD_TEAMS_FROM, FORMER_UNTIL)
            people.append(user)
        self.writer.head(team, people[0])
        return team, Officers(maker=people[1], checker=people[0])

    def officers(self, fund_plan: FundPlan, day: datetime.date) -> Officers:
        """Who acts for the fund that day, read afresh: their scope is that of the day."""
        found = self.new_officers if day >= REFORM_DATE else self.old_officers[fund_plan.slug][1]
        return Officers(User.objects.get(pk=found.maker.pk), User.objects.get(pk=found.checker.pk))

    # The plan of events.

    def at(self, day: datetime.date, step: Callable[[], None]) -> None:
        self.events.append((day, len(self.events), step))

    def run(self) -> None:
        """Every step in the order of its day, with the clock on that day."""
        for minute, (day, _order, step) in enumerate(sorted(self.events, key=lambda event: event[:2])):
            with time_machine.travel(at_nine(day, minute % 480), tick=False):
                step()
        for story in self.stories:
            if story.loan is not None:
                loans.catch_up(Loan.objects.get(pk=story.loan.pk), self.today)

    # Funds, regulations and capital.

    def fund(self, plan: FundPlan) -> None:
        province = AdminUnit.objects.get(code=plan.province_code, valid_until=FORMER_UNTIL)
        team, officers = self._old_team(plan, province)
        self.old_officers[plan.slug] = (team, officers)
        fund = Fund.objects.create(
            name=plan.name,
            slug=plan.slug,
            unit=province,
            team=team,
            founded_on=plan.founded_on,
            capital_target=plan.capital_target,
            description=plan.description,
        )
        self.funds.append(fund)
        for rules in plan.regulations:
            self.at(rules["signed_on"], lambda rules=rules: self._regulation(fund, plan, rules))
        for source, contributor, anonymous, amount, day, note in plan.contributions:
            gift = (source, contributor, anonymous, amount, day, note)
            self.at(day, partial(self._contribution, fund, plan, gift, None))
        if plan.campaign:
            self.at(plan.campaign["starts_on"], partial(self._campaign, fund, plan))
            for source, contributor, anonymous, amount, day in plan.campaign_gifts:
                if day <= self.today:
                    gift = (source, contributor, anonymous, amount, day, "")
                    self.at(day, partial(self._contribution, fund, plan, gift, plan.campaign["name"]))
        self.at(REFORM_DATE, partial(self._hand_over, fund))
        for index, fate in enumerate(plan.fates):
            self._loan(fund, plan, fate, index)

    def _regulation(self, fund: Fund, plan: FundPlan, rules: dict) -> None:
        by = self.officers(plan, rules["signed_on"]).checker
        regulations.add_regulation(fund=fund, by=by, criteria=list(RUBRIC), **rules)

    def _contribution(self, fund: Fund, plan: FundPlan, gift: tuple, campaign_name: str | None) -> None:
        source, contributor, anonymous, amount, day, note = gift
        by = self.officers(plan, day).maker
        pledge = capital.pledge(
            fund=fund,
            by=by,
            source=source,
            contributor=contributor,
            contact="",
            anonymous=anonymous,
            pledged=amount,
            pledged_on=day,
            campaign=fund.campaigns.get(name=campaign_name) if campaign_name else None,
            note=note,
        )
        capital.receive(contribution=pledge, by=by, amount=amount, received_on=day)

    def _campaign(self, fund: Fund, plan: FundPlan) -> None:
        capital.add_campaign(
            fund=fund, by=self.officers(plan, plan.campaign["starts_on"]).maker, **plan.campaign
        )

    def _hand_over(self, fund: Fund) -> None:
        """On the reform day the merged province's fund team takes over every former province's fund."""
        fund.refresh_from_db()
        fund.team = self.team
        fund.save(update_fields=["team"])

    # Loans.

    def _terms(self, plan: FundPlan, fate: str, index: int) -> LoanStory:
        purpose, sector, cost = plan.products[index % len(plan.products)]
        rules = plan.regulations[0]
        amount = min(cost * 2 // 5 // 10_000_000 * 10_000_000, rules["absolute_cap"])
        term = (
            12
            if fate == "repaid"
            else min(48 if fate in ("current", "linked") else 36, rules["max_term_months"])
        )
        tranches = [(amount, "Ký hợp đồng vay vốn")]
        if fate.startswith(("tranche", "release")):
            first = amount * 3 // 5 // 1_000_000 * 1_000_000
            tranches = [
                (first, "Ký hợp đồng vay vốn"),
                (amount - first, "Có hóa đơn mua máy móc, vật tư của đợt 1"),
            ]
        return LoanStory(
            fund=self.funds[-1],
            plan=plan,
            fate=fate,
            index=index,
            purpose=purpose,
            sector=sector,
            project_cost=cost,
            amount=amount,
            term_months=term,
            tranches=tranches,
            method=Method.ANNUITY if rules["yearly_rate_bp"] and index % 2 else Method.EQUAL_PRINCIPAL,
        )

    def _loan(
        self, fund: Fund, plan: FundPlan, fate: str, index: int, filed_from: datetime.date = FUND_LOAN_SINCE
    ) -> None:
        """The loan's steps on their days; the loan is filed on ``filed_from`` at the earliest."""
        story = self._terms(plan, fate, index)
        self.stories.append(story)
        today, months = self.today, relativedelta
        if fate in ("awaiting_checker", "appraising", "refused"):
            filed = today - datetime.timedelta(
                days={"awaiting_checker": 25, "appraising": 12, "refused": 60}[fate]
            )
            self.at(filed, partial(self._file, story))
            if fate == "appraising":
                self.at(filed + datetime.timedelta(days=2), partial(self._assign, story))
            elif fate == "refused":
                self.at(filed + datetime.timedelta(days=15), partial(self._refuse, story))
            else:
                self.at(filed + datetime.timedelta(days=5), partial(self._appraise, story))
                self.at(today - datetime.timedelta(days=5), partial(self._propose, story))
            return
        release, stop, gaps = self._dates(fate, index)
        release = max(
            release, FUND_LOAN_SINCE + datetime.timedelta(days=30), filed_from + FILED_BEFORE_RELEASE
        )
        self.at(release - FILED_BEFORE_RELEASE, partial(self._file, story))
        self.at(release - datetime.timedelta(days=20), partial(self._appraise, story))
        self.at(release - datetime.timedelta(days=14), partial(self._propose, story))
        self.at(release - datetime.timedelta(days=10), partial(self._approve_loan, story))
        self.at(release, partial(self._release, story, 1))
        for count in range(1, 120):
            day = release + months(months=count)
            if day >= min(stop, today):
                break
            if not any(start <= day < end for start, end in gaps):
                self.at(day, partial(self._pay, story))
        self._changes(story, release)

    def _dates(self, fate: str, index: int):
        """The day the first tranche is released, the day repayments stop, and the gaps between."""
        today, months, days = self.today, relativedelta, datetime.timedelta
        if fate in LATE_DAYS:
            target = clipped(today - days(days=LATE_DAYS[fate]))
            return target - months(months=6), target, []
        stories = {
            "current": (today - months(months=CURRENT_MONTHS[index % len(CURRENT_MONTHS)]), today, []),
            "linked": (today - months(months=9), today, []),
            "repaid": (today - months(months=14), today, []),
            "extended": (
                today - months(months=16),
                today,
                [(today - months(months=7), today - months(months=5))],
            ),
            "frozen": (today - months(months=12), today - months(months=3), []),
            "recalled": (today - months(months=12), today - months(months=5), []),
            "written_off": (today - months(months=20), today - months(months=14), []),
            "extension_pending": (today - months(months=10), today - months(months=2), []),
            "tranche_released": (today - months(months=9), today, []),
            "release_pending": (today - months(months=6), today, []),
        }
        return stories.get(fate, (today - months(months=5), today, []))

    def _changes(self, story: LoanStory, release: datetime.date) -> None:
        today, months, days = self.today, relativedelta, datetime.timedelta
        fate = story.fate
        if fate == "extended":
            self.at(today - months(months=5) - days(days=3), partial(self._change, story, "extension"))
        elif fate == "extension_pending":
            self.at(today - days(days=10), partial(self._change, story, "extension", False))
        elif fate == "frozen":
            self.at(today - days(days=40), partial(self._change, story, "freeze"))
        elif fate == "recalled":
            self.at(today - months(months=3), partial(self._change, story, "recall"))
        elif fate == "written_off":
            self.at(today - months(months=2), partial(self._change, story, "write_off"))
        elif fate == "tranche_submitted":
            self.at(today - days(days=10), partial(self._evidence, story, False))
        elif fate == "tranche_released":
            self.at(release + months(months=4), partial(self._evidence, story, True))
            self.at(release + months(months=4) + days(days=3), partial(self._release, story, 2))
        elif fate == "release_pending":
            self.at(today - days(days=20), partial(self._evidence, story, True))
            self.at(today - days(days=18), partial(self._release, story, 2, False))

    # The steps, each on its day.

    def _person(self, story: LoanStory, unit: AdminUnit) -> Applicant:
        code = story.plan.province_code
        national_id = f"0{code}{200 + story.index:03d}{self.rng.randrange(10**6):06d}"
        full_name = vietnamese_name(self.rng)
        return Applicant.objects.create(
            kind=Applicant.Kind.PERSON,
            full_name=full_name,
            national_id=national_id,
            phone=f"09{self.rng.randrange(10**8):08d}",
            address=f"Ấp {self.rng.randint(1, 9)}, {unit.name}",
            unit=unit,
            consent_at=timezone.now(),
        )

    def _place(self, story: LoanStory, day: datetime.date) -> tuple[AdminUnit, AdminUnit]:
        """The commune of the filing day and the ward it is part of today."""
        communes = list(
            AdminUnit.objects.filter(
                level=AdminUnit.Level.COMMUNE, valid_until=FORMER_UNTIL, parent__parent=story.fund.unit
            ).order_by("code")
        )
        commune = communes[(story.index * 7) % len(communes)]
        ward = commune.successors.order_by("code").first()
        return (commune if day < REFORM_DATE else ward), ward

    def _founder(self, day: datetime.date):
        """A demo project registered by then and its lead founder, found through the app registry."""
        project_model = apps.get_model("projects", "Project")
        project = (
            project_model.objects.filter(
                registered_on__lte=day, founders__is_lead=True, unit__valid_until=None
            )
            .order_by("pk")
            .first()
        )
        if project is None:
            return None, None
        return project, project.founders.get(is_lead=True).person

    def _file(self, story: LoanStory) -> None:
        day = timezone.localdate()
        officers = self.officers(story.plan, day)
        unit, ward = self._place(story, day)
        if story.fate == "linked":
            story.project, story.borrower = self._founder(day)
            if story.borrower is not None:
                unit = story.project.unit
        if story.borrower is None:
            story.borrower = self._person(story, ward)
        by = officers.maker
        dossier = dossier_services.start_dossier(
            procedure=self.procedure,
            applicant=story.borrower,
            filed_by=by,
            unit=unit,
            channel=Dossier.Channel.IN_PERSON,
            summary=f"Vay vốn: {story.purpose}.",
        )
        given = set(dossier.documents.values_list("requirement_id", flat=True))
        for requirement in dossier.procedure_version.requirements.exclude(pk__in=given):
            if requirement.is_mandatory:
                attach_document(
                    dossier=dossier,
                    requirement=requirement,
                    upload=sample_document(requirement, story.borrower),
                    by=by,
                )
        dossier_services.submit_dossier(dossier=dossier, by=by)
        dossier_services.receive_dossier(dossier=dossier, by=by)
        dossier_services.start_processing(dossier=dossier, by=by)
        story.application = applications.open_application(
            dossier=dossier,
            by=by,
            fund=story.fund,
            sector=story.sector,
            enterprise_founded_on=day - relativedelta(months=5),
            first_startup=True,
            project_cost=story.project_cost,
            amount=story.amount,
            term_months=story.term_months,
            grace_months=0,
            purpose=story.purpose,
            collateral="Quyền sử dụng đất nông nghiệp của gia đình" if story.amount > 100_000_000 else "",
            project=story.project,
        )

    def _assign(self, story: LoanStory):
        officers = self.officers(story.plan, timezone.localdate())
        appraiser = applications.assign_appraiser(
            application=story.application, user=officers.checker, by=officers.maker
        )
        return officers, appraiser

    def _appraise(self, story: LoanStory) -> None:
        day = timezone.localdate()
        officers, appraiser = self._assign(story)
        appraiser = applications.declare(appraiser=appraiser, by=officers.checker, conflict=False)
        criteria = story.application.regulation.criteria.all()
        applications.score(
            appraiser=appraiser,
            by=officers.checker,
            scores={criterion.pk: (7 + (criterion.pk + story.index) % 3, "") for criterion in criteria},
        )
        applications.record_site_visit(
            application=story.application,
            by=officers.maker,
            visited_on=day,
            findings="Cơ sở sản xuất đúng như phương án; người vay có kinh nghiệm và đầu ra ổn định.",
        )
        applications.recommend(
            application=story.application,
            by=officers.maker,
            recommendation=Recommendation.LEND,
            amount=story.amount,
            note="Phương án khả thi, đủ điều kiện theo quy chế; đề nghị cho vay.",
        )

    def _refuse(self, story: LoanStory) -> None:
        """The fund refuses, and the dossier is decided with the refusal (not left open to fall late)."""
        officers = self.officers(story.plan, timezone.localdate())
        reason = "Phương án chưa chứng minh được đầu ra; doanh nghiệp đã hoạt động trên 3 năm."
        applications.refuse_application(application=story.application, by=officers.maker, reason=reason)
        self._decide_dossier(story, officers, f"Quỹ không cho vay: {reason}")

    def _decide_dossier(self, story: LoanStory, officers: Officers, result: str) -> None:
        """The fund-loan dossier's documents accepted and its decision recorded."""
        dossier = story.application.dossier
        for use in dossier.documents.filter(review="pending"):
            review_document(use=use, by=officers.maker, accepted=True)
        dossier_services.complete_dossier(dossier=dossier, by=officers.maker, result=result)

    def _propose(self, story: LoanStory) -> None:
        officers = self.officers(story.plan, timezone.localdate())
        decisions.propose_loan(
            application=story.application,
            by=officers.maker,
            amount=story.amount,
            term_months=story.term_months,
            grace_months=0,
            method=story.method,
            period_months=1,
            tranches=story.tranches,
            reason="Tổ thẩm định đề nghị cho vay theo phương án đã duyệt.",
        )

    def _check(self, story: LoanStory, decision, officers: Officers) -> None:
        """The second officer approves; above the board's limit with the People's Committee's decision."""
        day = timezone.localdate()
        outside = {}
        if decision.level != "fund_board":
            outside = {"outside_number": f"{100 + story.index}/QĐ-UBND", "outside_date": day}
        decisions.approve(decision=decision, by=officers.checker, note="Đồng ý.", **outside)

    def _approve_loan(self, story: LoanStory) -> None:
        officers = self.officers(story.plan, timezone.localdate())
        decision = story.application.decisions.get(status="pending")
        self._check(story, decision, officers)
        story.loan = Loan.objects.get(application=story.application)
        self._decide_dossier(story, officers, f"Quỹ đồng ý cho vay theo hợp đồng {story.loan}.")

    def _release(self, story: LoanStory, number: int, approve: bool = True) -> None:
        officers = self.officers(story.plan, timezone.localdate())
        decision = decisions.propose_release(
            tranche=story.loan.tranches.get(number=number),
            by=officers.maker,
            reason=f"Giải ngân đợt {number} theo hợp đồng.",
        )
        if approve:
            self._check(story, decision, officers)

    def _evidence(self, story: LoanStory, accept: bool) -> None:
        officers = self.officers(story.plan, timezone.localdate())
        tranche = story.loan.tranches.get(number=2)
        evidence.submit_evidence(
            tranche=tranche,
            by=officers.maker,
            evidence="Hóa đơn mua máy móc đợt 1 và biên bản kiểm tra thực tế của Quỹ.",
        )
        if accept:
            evidence.review_evidence(tranche=tranche, by=officers.checker, accepted=True, note="Đủ chứng từ.")

    def _pay(self, story: LoanStory) -> None:
        """The borrower pays what is due today, overdue included."""
        day = timezone.localdate()
        loan = Loan.objects.get(pk=story.loan.pk)
        if loan.status not in (Loan.Status.ACTIVE, Loan.Status.RECALLED):
            return
        state = loans.replay(loan, on=day)
        due = state.overdue_principal + state.overdue_interest
        if state.next_due is not None and state.next_due.due_on == day:
            due += state.next_due_amount
        if due:
            loans.record_repayment(
                loan=loan, amount=due, paid_on=day, by=self.officers(story.plan, day).maker
            )

    def _change(self, story: LoanStory, kind: str, approve: bool = True) -> None:
        day = timezone.localdate()
        officers = self.officers(story.plan, day)
        loan = loans.catch_up(Loan.objects.get(pk=story.loan.pk), day)
        if kind == "extension":
            decision = decisions.propose_extension(
                loan=loan,
                by=officers.maker,
                extra_periods=6,
                reason="Người vay gặp khó khăn do hạn mặn, xin gia hạn.",
            )
        elif kind == "freeze":
            decision = decisions.propose_freeze(
                loan=loan,
                by=officers.maker,
                start=day,
                months=6,
                reason="Dịch bệnh trên tôm, mất trắng vụ nuôi.",
            )
        elif kind == "recall":
            decision = decisions.propose_recall(
                loan=loan,
                by=officers.maker,
                reason="Kiểm tra thực tế: vốn vay dùng sai mục đích (mua xe cá nhân).",
            )
        else:
            decision = decisions.propose_write_off(
                loan=loan,
                by=officers.maker,
                reason="Người vay mất khả năng trả nợ, đã xử lý hết tài sản bảo đảm.",
            )
        if approve:
            self._check(story, decision, officers)

    # The dossiers demo's fund-loan dossiers, decided through their applications.

    def build_funds(self, plans: list[FundPlan]) -> None:
        for plan in plans:
            self.fund(plan)
        self.run()

    def project_loan(self, fund: Fund, plan: FundPlan) -> None:
        """A loan to a demo project's lead founder, written once the projects' demo has run.

        The fund exists already, run by the merged province's fund team: the loan is filed on the reform
        day at the earliest, and waits for a later run while it could not have been released before today.
        """
        if self._founder(self.today)[0] is None or self.today < REFORM_DATE + FILED_BEFORE_RELEASE:
            return
        self.funds.append(fund)
        self._loan(fund, plan, "linked", len(plan.fates), filed_from=REFORM_DATE)
        self.run()

    def decide(self, dossier: Dossier, day: datetime.date, plan: FundPlan, amount: int, term: int) -> None:
        """The application on a dossier of the dossiers demo, appraised and approved on ``day``."""
        fund = Fund.objects.get(slug=plan.slug)
        story = LoanStory(
            fund=fund,
            plan=plan,
            fate="decided",
            index=len(self.stories) + 50,
            purpose=dossier.summary[:200] or "Vay vốn khởi nghiệp",
            sector="A",
            project_cost=amount * 2,
            amount=amount,
            term_months=term,
            tranches=[(amount, "Ký hợp đồng vay vốn")],
            borrower=dossier.applicant,
        )
        with time_machine.travel(at_nine(day), tick=False):
            officers = self.officers(plan, day)
            story.application = applications.open_application(
                dossier=dossier,
                by=officers.maker,
                fund=fund,
                sector=story.sector,
                enterprise_founded_on=applications.filing_day(dossier) - relativedelta(months=5),
                first_startup=True,
                project_cost=story.project_cost,
                amount=amount,
                term_months=term,
                grace_months=0,
                purpose=story.purpose,
                collateral="Quyền sử dụng đất của gia đình",
            )
            self._appraise(story)
            self._propose(story)
            self._check(story, story.application.decisions.get(status="pending"), officers)
