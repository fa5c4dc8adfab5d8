"""The fund's section of the review report (fund/report_sections.py) on a small hand-built fund across
the reform of 1 July 2025: known answers for the third quarter of 2025 (against the second) and the
fourth (a recall, a recovery and a write-off), the flags, the queries it costs whatever the rows,
and the dashboard, the stored report and its DOCX and XLSX agreeing.

The world (the fund of tests/fund/fixtures.py, 3 billion đồng of state budget from 15/01/2024):

- A1, Bùi Văn Nộp's application on Xã Sơn Định (ended 30/06/2025; its successor is Xã Chợ Lách):
  filed 10/06/2025, recommended 25/06, approved 15/07 (its decision due 09/07: late), 120 million
  released 20/07; 1 million repaid 25/08 (the first instalment, due 20/08, still partly unpaid:
  41 days past due on 30/09, in PAR30);
- A2 on Xã Sơn Định: filed 02/06/2025, refused 20/06/2025 (14 working days);
- A3 on Xã Chợ Lách: filed 01/08/2025, still being appraised (past its 15 working days on 30/09);
- A4 on Xã Mỏ Cày: filed 10/09/2025, being appraised (due 01/10/2025: not late on 30/09);
- 200 million đồng contributed by an enterprise on 05/08/2025.
"""

import datetime
import io

import docx
import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from dossiers.models import Dossier
from fund.measures import LOANS_APPROVED
from fund.models import (
    Account,
    AccountKind,
    Loan,
    LoanApplication,
    Regulation,
    Source,
    Status,
    TransactionKind,
)
from fund.report_sections import FundSection
from fund.services import decisions, ledger, loans
from portal import figures
from portal.models import StockDay, Target
from reports.building import build_report, compose
from reports.docx_report import report_docx
from reports.models import ReviewReport
from reports.periods import PeriodKind, ReviewPeriod
from reports.sections import check_shape, installed_sections
from reports.services import request_report
from reports.xlsx_report import report_xlsx
from tests.conversions.survival_cases import reform
from tests.fund.fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

D = datetime.date
Q3_2025 = (D(2025, 7, 1), D(2025, 9, 30))
Q2_2025 = (D(2025, 4, 1), D(2025, 6, 30))
Q4_2025 = (D(2025, 10, 1), D(2025, 12, 31))
LENT = 120_000_000
CONTRIBUTED = 200_000_000


def another_application(
    world, unit, filed_on, *, status=Status.APPRAISING, decided_on=None
) -> LoanApplication:
    model = world.dossier
    dossier = Dossier.objects.create(
        procedure=model.procedure,
        procedure_version=model.procedure_version,
        applicant=model.applicant,
        filed_by=model.filed_by,
        unit=unit,
        status=model.status,
        summary="Vay vốn làm xưởng",
    )
    return LoanApplication.objects.create(
        dossier=dossier,
        fund=world.fund,
        regulation=world.regulation,
        unit=unit,
        sector="C",
        project_cost=400_000_000,
        amount=100_000_000,
        term_months=24,
        purpose="Mua máy",
        filed_on=filed_on,
        status=status,
        decided_on=decided_on,
    )


@pytest.fixture
def world(fund_world, set_today):
    cast = fund_world.cast
    fund_world.new_communes = reform(cast)
    LoanApplication.objects.filter(pk=fund_world.application.pk).update(
        filed_on=D(2025, 6, 10), enterprise_founded_on=D(2025, 1, 1)
    )
    set_today(D(2025, 7, 15))
    decision = fund_world.proposed(LENT)
    LoanApplication.objects.filter(pk=fund_world.application.pk).update(recommended_on=D(2025, 6, 25))
    decisions.approve(decision=decision, by=fund_world.checker)
    loan = Loan.objects.get(application=fund_world.application)
    set_today(D(2025, 7, 20))
    release = decisions.propose_release(tranche=loan.tranches.get(), by=fund_world.officer, reason="Đợt 1.")
    decisions.approve(decision=release, by=fund_world.checker)
    set_today(D(2025, 8, 5))
    ledger.post(
        fund=fund_world.fund,
        kind=TransactionKind.CONTRIBUTION,
        value_date=D(2025, 8, 5),
        lines=[
            (ledger.account(fund_world.fund, AccountKind.CASH), CONTRIBUTED),
            (ledger.account(fund_world.fund, AccountKind.CAPITAL, source=Source.ENTERPRISE), -CONTRIBUTED),
        ],
        by=fund_world.officer,
        memo="Công ty Dừa Xanh góp vốn",
    )
    set_today(D(2025, 8, 25))
    loans.record_repayment(loan=loan, amount=1_000_000, paid_on=D(2025, 8, 25), by=fund_world.officer)
    fund_world.loan = Loan.objects.get(pk=loan.pk)
    commune, (new_commune, other_new) = cast.units.commune, fund_world.new_communes
    another_application(fund_world, commune, D(2025, 6, 2), status=Status.REFUSED, decided_on=D(2025, 6, 20))
    another_application(fund_world, new_commune, D(2025, 8, 1))
    another_application(fund_world, other_new, D(2025, 9, 10))
    set_today(D(2025, 10, 2))
    figures.rebuild()  # as the nightly job would: the stock stored on the month ends up to today
    return fund_world


def build(unit, period=Q3_2025, previous=Q2_2025) -> dict:
    return check_shape("fund", FundSection().build(unit, period, previous))


def table(content: dict, key: str) -> dict:
    [found] = [table for table in content["tables"] if table["key"] == key]
    return found


def measures_of(content: dict) -> dict:
    return {m["key"]: (m["value"], m["previous"]) for m in content["measures"]}


def first_interest(loan: Loan) -> int:
    return loans.current_schedule(loan).instalments.get(number=1).interest


def test_the_province_in_the_third_quarter_of_2025(world):
    Target.objects.create(unit=world.cast.units.province, measure=LOANS_APPROVED, year=2025, value=8)
    content = build(world.cast.units.province)
    measures = measures_of(content)
    outstanding = LENT - (1_000_000 - first_interest(world.loan))
    assert measures["capital_raised"] == (CONTRIBUTED, 0)
    assert measures["capital_state"] == (0, 0)
    assert measures["capital_contributions"] == (CONTRIBUTED, 0)
    assert measures["capital_to_date"] == (3_000_000_000 + CONTRIBUTED, 3_000_000_000)
    assert measures["applications_received"] == (2, 2)
    assert measures["applications_approved"] == (1, 0)
    assert measures["applications_refused"] == (0, 1)
    assert measures["reply_days"] == (25.0, 14.0)
    assert measures["applications_late"] == (2, 0)  # A1's decision, A3's appraisal
    assert measures["loans_approved"] == (1, 0)
    assert measures["amount_approved"] == (LENT, 0)
    assert measures["disbursed"] == (LENT, 0)
    assert measures["outstanding"] == (outstanding, 0)
    assert measures["par30"] == (100.0, None)
    assert measures["recovered"] == (0, 0)
    assert measures["written_off"] == (0, 0)
    assert measures["jobs_created"] == (0, 0)
    targets = {m["key"]: m["target"] for m in content["measures"]}
    assert targets["loans_approved"] == 2.0  # 8 a year, a quarter of it
    assert targets["capital_to_date"] == 10_000_000_000
    by_unit = table(content, "by_unit")
    assert [row["cells"][0] for row in by_unit["rows"]] == ["Xã Chợ Lách", "Xã Mỏ Cày"]
    # A1 and its loan (on the ended Xã Sơn Định) count in Xã Chợ Lách's row.
    assert by_unit["rows"][0]["cells"][1:] == [1, 1, 0, 25.0, 2, LENT, LENT, outstanding, 100.0, 0]
    assert by_unit["rows"][1]["cells"][1:] == [1, 0, 0, None, 0, 0, 0, 0, None, 0]
    capital = table(content, "capital")
    assert [row["cells"] for row in capital["rows"]] == [
        ["state budget allocation", 0, 3_000_000_000],
        ["contribution of an enterprise", CONTRIBUTED, CONTRIBUTED],
        ["contribution of an individual", 0, 0],
    ]
    assert [(flag["where"], flag["params"]) for flag in content["flags"]] == [
        (world.fund.name, {"par": 100.0, "limit": 10}),
        ("Xã Chợ Lách", {"applications": 2}),
    ]


def test_a_recall_a_recovery_and_a_write_off_in_the_fourth_quarter(world, set_today):
    loan, officer, checker = world.loan, world.officer, world.checker
    set_today(D(2025, 10, 10))
    decisions.approve(
        decision=decisions.propose_recall(loan=loan, by=officer, reason="Sai mục đích."), by=checker
    )
    set_today(D(2025, 10, 20))
    loan = Loan.objects.get(pk=loan.pk)
    loans.record_repayment(loan=loan, amount=2_000_000, paid_on=D(2025, 10, 20), by=officer)
    set_today(D(2025, 11, 5))
    loan = Loan.objects.get(pk=loan.pk)
    lost = loan.outstanding
    decisions.approve(
        decision=decisions.propose_write_off(loan=loan, by=officer, reason="Mất khả năng."), by=checker
    )
    set_today(D(2026, 1, 5))
    measures = measures_of(build(world.cast.units.province, Q4_2025, Q3_2025))
    assert measures["recovered"] == (2_000_000, 0)
    assert measures["written_off"] == (lost, 0)
    assert measures["outstanding"][0] == 0
    assert measures["par30"] == (None, 100.0)


def test_a_commune_has_no_rows_and_no_capital(world):
    content = build(world.new_communes[1])
    assert "by_unit" not in [table["key"] for table in content["tables"]]
    measures = measures_of(content)
    assert measures["applications_received"] == (1, 0)
    assert measures["capital_to_date"] == (0, 0)
    assert content["flags"] == []


def test_a_fund_without_a_regulation_and_a_ledger_that_differs_are_flagged(world):
    Regulation.objects.filter(pk=world.regulation.pk).update(effective_from=D(2026, 1, 1))
    Account.objects.filter(fund=world.fund, kind=AccountKind.CASH).update(balance=F("balance") + 5)
    content = build(world.cast.units.province)
    fund_flags = [flag["message"] for flag in content["flags"] if flag["where"] == world.fund.name]
    assert fund_flags == [
        "No regulation in force: the fund cannot judge an application.",
        "PAR30 is %(par)s %%, above %(limit)s %%.",
        "The ledger differs in %(count)s places.",
    ]


def bulk_rows(world, count: int) -> None:
    """``count`` more applications of Xã Chợ Lách, each with its own dossier, half of them approved with
    a loan (no release)."""
    model, unit = world.dossier, world.new_communes[0]
    dossiers = Dossier.objects.bulk_create(
        Dossier(
            procedure=model.procedure,
            procedure_version=model.procedure_version,
            applicant=model.applicant,
            filed_by=model.filed_by,
            unit=unit,
            status=model.status,
            code=f"HS-BULK-{number:04d}",
        )
        for number in range(count)
    )
    applications = LoanApplication.objects.bulk_create(
        LoanApplication(
            dossier=dossier,
            fund=world.fund,
            regulation=world.regulation,
            unit=unit,
            sector="C",
            project_cost=400_000_000,
            amount=50_000_000,
            term_months=12,
            purpose="Mua máy",
            filed_on=D(2025, 7, 1),
            status=Status.APPROVED if number % 2 else Status.APPRAISING,
            decided_on=D(2025, 7, 30) if number % 2 else None,
        )
        for number, dossier in enumerate(dossiers)
    )
    Loan.objects.bulk_create(
        Loan(
            application=application,
            fund=world.fund,
            regulation=world.regulation,
            contract_number=f"HĐ-BULK-{application.pk}",
            borrower=model.applicant,
            unit=unit,
            sector="C",
            amount=50_000_000,
            term_months=12,
            method="equal_principal",
            allocation_order=world.loan.allocation_order,
            contract_on=D(2025, 7, 30),
        )
        for application in applications
        if application.status == Status.APPROVED
    )


# The units of the period, the successor links, the targets; the funds, the capital, the applications
# and the calendar, the loans, the releases, the write-offs, the schedules, repayments, freezes and
# recalls; the ledger's check: the funds, the transactions, the balances, cash and the receivables.
# The stock stored on 30 September (and counted on 30 June, before the first release), or counted on both.
SECTION_QUERIES = {"stored": 19, "counted": 22}


@pytest.mark.parametrize("stock", ["stored", "counted"])
@pytest.mark.parametrize("count", [4, 40])
def test_the_section_costs_the_same_queries_whatever_the_rows(world, count, stock):
    bulk_rows(world, count)
    figures.rebuild()
    if stock == "counted":
        StockDay.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        content = build(world.cast.units.province)
    assert len(queries) == SECTION_QUERIES[stock]
    measures = measures_of(content)
    assert measures["applications_received"] == (2 + count, 2)
    assert measures["loans_approved"] == (1 + count // 2, 0)


def test_the_section_is_installed_after_the_projects():
    keys = [section.key for section in installed_sections()]
    assert keys.index("fund") == keys.index("projects") + 1


Q3_REVIEW = ReviewPeriod(PeriodKind.QUARTERLY, *Q3_2025)


def test_the_dashboard_shows_the_section_and_the_report_its_docx_and_xlsx_agree(world, login):
    province = world.cast.units.province
    client = login(world.cast.council_member)
    response = client.get(reverse("reports:dashboard"), {"kind": "quarterly", "year": 2025, "part": 3})
    assert response.status_code == 200
    shown = {section["key"]: section for section in response.context["data"]["sections"]}
    assert shown["fund"]["title"] == "Startup investment fund"
    assert "Xã Chợ Lách" in response.content.decode()
    report = request_report(unit=province, period=Q3_REVIEW, by=world.cast.standing_officer)
    assert build_report(report_id=report.pk)
    stored_report = ReviewReport.objects.get(pk=report.pk)
    stored = {s["key"]: s for s in stored_report.data["sections"]}
    assert stored["fund"] == shown["fund"]
    assert [s for s in compose(province, Q3_REVIEW)["sections"] if s["key"] == "fund"] == [stored["fund"]]
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert world.fund.name in page
    with translation.override("en"):
        document = docx.Document(io.BytesIO(report_docx(stored_report)))
        workbook = load_workbook(io.BytesIO(report_xlsx(stored_report)))
    assert any(p.text.endswith("STARTUP INVESTMENT FUND") for p in document.paragraphs)
    texts = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert "Xã Chợ Lách" in texts
    assert any(name.startswith("Startup investment") for name in workbook.sheetnames)
