"""The fund's part of the synthetic province (``manage.py generate_data``): its loans since the reform.

The synthetic province's fund (``Quỹ Đầu tư khởi nghiệp tỉnh Mô Phỏng``, run by its fund team, founded
on the 1 July 2025 reform that made the province) lends on the fund-loan dossiers the synthetic one-stop
shop decided in favour (``dossiers.demo.synthetic``): one loan a dossier, to its applicant, at its unit,
contracted on the decision's day and released a few days later, repaid monthly from the month after
the release: most on time, some stopping (late, in every bucket), the short ones repaid. It files no
dossier of its own, so with no dossiers it lends nothing. The ledger holds the state budget received,
one disbursement per loan and one posting per repayment.

Rows are written with ``bulk_create`` in batches, as the other synthetic parts are: no ``save()``,
no audit records. The accounts' balances are set to the sums of their entries and each loan's state
fields come from the allocation replay (``fund.allocation.replay``) on ``as_of``, so ``check_ledger``
finds nothing wrong.
"""

import datetime
import random
from collections import Counter, defaultdict

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from demo.synthetic import CODE_PREFIX, SyntheticProvince
from dossiers.catalogue import FUND_LOAN
from dossiers.models import Dossier
from fund import allocation, schedules
from fund.models import (
    Account,
    AccountKind,
    Contribution,
    Entry,
    Fund,
    Instalment,
    Loan,
    LoanApplication,
    Method,
    Receipt,
    Regulation,
    Repayment,
    ScheduleVersion,
    Source,
    Status,
    Tranche,
    Transaction,
    TransactionKind,
)
from portal.models import Team, User
from portal.models.units import REFORM_DATE
from portal.text import fold

BATCH_SIZE = 2000
RATE_BP = 300
# Money the state budget puts in for each loan: more than any loan, so the cash never runs short.
CAPITAL_PER_LOAN = 300_000_000
TERMS = (6, 12, 24, 36, 48, 60)
PRODUCTS = (
    ("Mở rộng xưởng kẹo dừa", "C"),
    ("Nuôi nghêu thương phẩm", "A"),
    ("Vườn ươm cây giống", "A"),
    ("Homestay miệt vườn", "I"),
    ("Cửa hàng đặc sản trực tuyến", "G"),
    ("Lò bánh tráng", "C"),
)
# Of the borrowers who stop paying (``STOPPING``), the months before ``as_of`` they stopped.
STOPPING = 0.25
STOPPED_MONTHS = (1, 2, 4, 8, 14)
DECIDED = (Dossier.Status.DONE, Dossier.Status.RESULT_RETURNED)


def write(province: SyntheticProvince) -> Counter:
    return _Writer(province).write()


class _Writer:
    def __init__(self, province: SyntheticProvince):
        self.province = province
        self.as_of = province.as_of
        self.rng = random.Random(f"fund-{province.seed}")
        self.team = Team.objects.get(kind=Team.Kind.FUND, unit=province.province)
        self.officer = User.objects.filter(memberships__team=self.team).order_by("pk").first()
        self.dossiers = list(
            Dossier.objects.filter(
                procedure__code=FUND_LOAN,
                unit__code__startswith=CODE_PREFIX,
                status__in=DECIDED,
                decided_at__isnull=False,
                loan_application__isnull=True,
            )
            .select_related("applicant")
            .order_by("decided_at", "pk")
        )
        filed = [
            timezone.localdate(dossier.submitted_at) for dossier in self.dossiers if dossier.submitted_at
        ]
        self.start = min([REFORM_DATE, *filed])
        self.counts: Counter = Counter()

    def write(self) -> Counter:
        self.fund = Fund(
            name="Quỹ Đầu tư khởi nghiệp tỉnh Mô Phỏng",
            slug=f"mo-phong-{self.province.seed}",
            unit=self.province.province,
            team=self.team,
            founded_on=self.start,
            capital_target=400_000_000_000,
        )
        Fund.objects.bulk_create([self.fund])
        self.regulation = Regulation(
            fund=self.fund,
            number="01/QĐ-UBND (ví dụ)",
            title="Quy chế cho vay của Quỹ Đầu tư khởi nghiệp tỉnh Mô Phỏng",
            signed_on=self.start,
            effective_from=self.start,
            is_example=True,
            max_term_months=60,
            yearly_rate_bp=RATE_BP,
            board_limit=200_000_000,
        )
        Regulation.objects.bulk_create([self.regulation])
        self.accounts = {
            kind: Account(fund=self.fund, kind=kind, source=source)
            for kind, source in (
                (AccountKind.CASH, ""),
                (AccountKind.CAPITAL, Source.STATE_BUDGET),
                (AccountKind.INTEREST_INCOME, ""),
            )
        }
        Account.objects.bulk_create(self.accounts.values())
        self.postings: list[tuple[Transaction, list[tuple[Account, int]]]] = []
        self._capital()
        loans = self._loans()
        self._ledger(loans)
        return self.counts

    def _post(self, kind: str, day: datetime.date, lines, memo: str, loan=None) -> Transaction:
        posting = Transaction(
            fund=self.fund,
            kind=kind,
            value_date=day,
            posted_on=day,
            period=day.replace(day=1),
            loan=loan,
            memo=memo,
            by=self.officer,
        )
        self.postings.append((posting, lines))
        return posting

    def _capital(self) -> None:
        amount = max(len(self.dossiers), 1) * CAPITAL_PER_LOAN
        contribution = Contribution(
            fund=self.fund,
            source=Source.STATE_BUDGET,
            contributor="Ngân sách tỉnh Mô Phỏng",
            pledged=amount,
            pledged_on=self.start,
            recorded_by=self.officer,
            search_name=fold("Ngân sách tỉnh Mô Phỏng"),
        )
        Contribution.objects.bulk_create([contribution])
        posting = self._post(
            TransactionKind.CONTRIBUTION,
            self.start,
            [(self.accounts[AccountKind.CASH], amount), (self.accounts[AccountKind.CAPITAL], -amount)],
            "Ngân sách tỉnh cấp vốn điều lệ",
        )
        self.receipt = Receipt(
            contribution=contribution,
            number=f"PT-{self.start.year}-00001",
            amount=amount,
            received_on=self.start,
            transaction=posting,
            recorded_by=self.officer,
        )

    def _loans(self) -> list[tuple[Loan, list, list[allocation.Payment]]]:
        rng = self.rng
        last_day = self.as_of - datetime.timedelta(days=1)
        applications, loans = [], []
        for number, dossier in enumerate(self.dossiers, start=1):
            decided = timezone.localdate(dossier.decided_at)
            filed = timezone.localdate(dossier.submitted_at) if dossier.submitted_at else decided
            release = min(decided + datetime.timedelta(days=rng.randint(2, 10)), max(decided, last_day))
            purpose, sector = PRODUCTS[number % len(PRODUCTS)]
            amount = rng.randrange(5, 30) * 10_000_000
            term = rng.choice(TERMS)
            application = LoanApplication(
                dossier=dossier,
                fund=self.fund,
                regulation=self.regulation,
                unit_id=dossier.unit_id,
                sector=sector,
                project_cost=amount * 2,
                amount=amount,
                term_months=term,
                purpose=purpose,
                filed_on=filed,
                status=Status.APPROVED,
                decided_on=decided,
            )
            applications.append(application)
            loans.append(
                Loan(
                    application=application,
                    fund=self.fund,
                    regulation=self.regulation,
                    contract_number=f"HĐ-MP-{number:07d}",
                    borrower=dossier.applicant,
                    unit_id=dossier.unit_id,
                    sector=sector,
                    amount=amount,
                    term_months=term,
                    yearly_rate_bp=RATE_BP,
                    method=Method.ANNUITY if number % 3 == 0 else Method.EQUAL_PRINCIPAL,
                    period_months=1,
                    allocation_order=list(allocation.DEFAULT_ORDER),
                    contract_on=decided,
                    start_on=release,
                    status=Loan.Status.ACTIVE,
                    disbursed=amount,
                )
            )
        LoanApplication.objects.bulk_create(applications, batch_size=BATCH_SIZE)
        for loan in loans:
            loan.application_id = loan.application.pk
        Loan.objects.bulk_create(loans, batch_size=BATCH_SIZE)
        return [self._history(loan) for loan in loans]

    def _history(self, loan: Loan) -> tuple[Loan, list, list[allocation.Payment]]:
        rows = schedules.build_schedule(
            schedules.Terms(
                principal=loan.amount,
                yearly_rate_bp=loan.yearly_rate_bp,
                start=loan.start_on,
                term_months=loan.term_months,
                grace_months=0,
                method=loan.method,
                period_months=1,
            )
        )
        stop = self.as_of
        if self.rng.random() < STOPPING:
            stop = self.as_of - relativedelta(months=self.rng.choice(STOPPED_MONTHS))
        payments = [
            allocation.Payment(row.number, row.due_on, row.total)
            for row in rows
            if row.due_on < min(stop, self.as_of)
        ]
        return loan, rows, payments

    def _ledger(self, histories) -> None:
        cash, capital_, income = (
            self.accounts[AccountKind.CASH],
            self.accounts[AccountKind.CAPITAL],
            self.accounts[AccountKind.INTEREST_INCOME],
        )
        receivables = [
            Account(fund=self.fund, kind=AccountKind.LOAN, loan=loan) for loan, _r, _p in histories
        ]
        Account.objects.bulk_create(receivables, batch_size=BATCH_SIZE)
        versions, tranches, repayments_of = [], [], {}
        for (loan, rows, payments), receivable in zip(histories, receivables, strict=True):
            release = self._post(
                TransactionKind.DISBURSEMENT,
                loan.start_on,
                [(receivable, loan.amount), (cash, -loan.amount)],
                f"Giải ngân {loan.contract_number}",
                loan,
            )
            tranches.append(
                Tranche(
                    loan=loan,
                    number=1,
                    amount=loan.amount,
                    milestone="Ký hợp đồng vay vốn",
                    evidence="Hợp đồng vay vốn đã ký",
                    evidence_state=Tranche.Evidence.ACCEPTED,
                    released_on=loan.start_on,
                    transaction=release,
                )
            )
            versions.append(
                ScheduleVersion(loan=loan, number=1, reason="release", effective_from=loan.start_on)
            )
            state = allocation.replay(rows, payments, on=self.as_of)
            principal_of = defaultdict(int)
            for share in state.shares:
                if share.part == allocation.PRINCIPAL:
                    principal_of[share.payment_key] += share.amount
            repayments_of[loan.pk] = []
            for payment in payments:
                principal = principal_of[payment.key]
                posting = self._post(
                    TransactionKind.REPAYMENT,
                    payment.paid_on,
                    [(cash, payment.amount), (receivable, -principal), (income, principal - payment.amount)],
                    f"Trả nợ {loan.contract_number}",
                    loan,
                )
                repayments_of[loan.pk].append((payment, posting))
            _set_state(loan, state, self.as_of)
        postings = sorted(self.postings, key=lambda item: item[0].value_date)
        Transaction.objects.bulk_create([posting for posting, _lines in postings], batch_size=BATCH_SIZE)
        balances: Counter = Counter()
        entries = []
        for posting, lines in self.postings:
            for account, amount in lines:
                if amount:
                    entries.append(Entry(transaction=posting, account=account, amount=amount))
                    balances[account.pk] += amount
        Entry.objects.bulk_create(entries, batch_size=BATCH_SIZE * 2)
        self.receipt.transaction_id = self.receipt.transaction.pk
        Receipt.objects.bulk_create([self.receipt])
        for tranche in tranches:
            tranche.transaction_id = tranche.transaction.pk
        Tranche.objects.bulk_create(tranches, batch_size=BATCH_SIZE)
        ScheduleVersion.objects.bulk_create(versions, batch_size=BATCH_SIZE)
        Instalment.objects.bulk_create(
            (
                Instalment(
                    schedule=version,
                    number=row.number,
                    due_on=row.due_on,
                    principal=row.principal,
                    interest=row.interest,
                )
                for version, (_loan, rows, _payments) in zip(versions, histories, strict=True)
                for row in rows
            ),
            batch_size=BATCH_SIZE * 2,
        )
        Repayment.objects.bulk_create(
            (
                Repayment(
                    loan_id=loan_pk,
                    paid_on=payment.paid_on,
                    amount=payment.amount,
                    recorded_by=self.officer,
                    transaction=posting,
                )
                for loan_pk, made in repayments_of.items()
                for payment, posting in made
            ),
            batch_size=BATCH_SIZE * 2,
        )
        for account in [cash, capital_, income, *receivables]:
            account.balance = balances[account.pk]
        Account.objects.bulk_update(
            [cash, capital_, income, *receivables], ["balance"], batch_size=BATCH_SIZE
        )
        loans = [loan for loan, _rows, _payments in histories]
        Loan.objects.bulk_update(loans, STATE_FIELDS, batch_size=BATCH_SIZE)
        self.counts.update(
            {
                "fund loans": len(loans),
                "fund repayments": sum(len(made) for made in repayments_of.values()),
                "fund ledger transactions": len(self.postings),
                "fund ledger entries": len(entries),
            }
        )


STATE_FIELDS = [
    "status",
    "closed_on",
    "state_on",
    "principal_repaid",
    "interest_repaid",
    "outstanding",
    "overdue",
    "days_past_due",
    "bucket",
    "debt_group",
    "at_risk",
    "next_due_on",
    "next_due_amount",
]


def _set_state(loan: Loan, state: allocation.LoanState, on: datetime.date) -> None:
    """The loan's state fields as ``fund.services.loans.catch_up`` writes them."""
    loan.state_on = on
    loan.principal_repaid = state.principal_repaid
    loan.interest_repaid = state.interest_repaid
    loan.outstanding = state.principal_outstanding
    loan.overdue = state.overdue_principal + state.overdue_interest
    loan.days_past_due = state.days_past_due
    loan.bucket = state.bucket
    loan.debt_group = state.debt_group
    loan.at_risk = state.at_risk
    loan.next_due_on = state.next_due.due_on if state.next_due else None
    loan.next_due_amount = state.next_due_amount
    if state.principal_outstanding == 0 and state.overdue_interest == 0 and state.next_due is None:
        loan.status, loan.closed_on = Loan.Status.REPAID, on
