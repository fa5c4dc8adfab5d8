"""The fund's journeys (issue 13), in Vietnamese, every page checked for accessibility.

1. On a phone, a founder fills in the loan application of their fund-loan dossier from the dossier's
   page and sees it with its stages and reply deadlines.
2. The fund officer assigns the second officer as appraiser; the appraiser declares no conflict and
   scores every criterion; the officer records the site visit and recommends lending. The rules are
   checked item by item, each with its article.
3. The officer proposes the loan in two tranches; their own decision's page says another officer must
   check it, and the second officer approves: the loan exists. Tranche 1 is released (proposed by one
   officer, approved by the other); the borrower submits the evidence of tranche 2 from their loan's
   page, the officer accepts it, and its release is proposed and approved the same way.
4. Ten days after the first due date, the morning job finds the instalment unpaid: the loan's page
   shows it 1–30 days overdue. The repayment, made on the due date, is recorded late: the loan is not
   overdue any more.
5. Anyone, signed in or not, opens the funds' public page and a fund's disclosure: capital by source,
   loans by quarter, sector and commune, and nothing of the borrower.

Labels the Vietnamese catalogue may not hold yet are compared with what ``gettext`` gives in Vietnamese,
never typed in; fields are found by name and links by their address.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.template.defaultfilters import capfirst
from django.urls import reverse
from django.utils import formats, translation

from fund import deadlines
from fund.jobs import remind_borrowers
from fund.models import (
    Bucket,
    Decision,
    DecisionKind,
    Loan,
    LoanApplication,
    Recommendation,
    Source,
    Status,
    Tranche,
)
from fund.services import applications, rules
from fund.services.loans import current_schedule
from portal.money import dong
from portal.sectors import Sector
from tests.browser.test_commune_officer_journey import live_server_artifact
from tests.browser.test_outreach_journey import log_in
from tests.browser.test_projects_journeys import DESKTOP, PHONE, fits_the_width, vi
from tests.fund.fixtures import *  # noqa: F403 (the fund_world and media_root fixtures)
from tests.fund.fixtures import STATE_BUDGET, fund_dossier

pytestmark = pytest.mark.browser

D = datetime.date
TODAY = D(2026, 11, 18)


def in_vietnamese(value) -> str:
    """An amount, a number or a choice's label as the Vietnamese pages write it."""
    with translation.override("vi"):
        if isinstance(value, int):
            return dong(value)
        if isinstance(value, Decimal):
            return formats.localize(value)
        return capfirst(str(value))


def cells(row) -> list[str]:
    return [text.strip() for text in row.locator("th, td").all_inner_texts()]


@pytest.fixture
def desk(live_server, new_context, checked_pages):
    """``desk(username, viewport)``: a browser of that person's own, signed in, every page checked for
    accessibility; two officers work side by side, each at their desk."""

    def sit_down(username: str, viewport: dict = DESKTOP):
        page = checked_pages(new_context().new_page())
        page.set_viewport_size(viewport)
        log_in(page, live_server, username)
        return page

    return sit_down


def approve_as_checker(page, live_server, decision: Decision) -> None:
    """The second officer (Trương Văn Kiểm), at their desk, approves ``decision`` from its page."""
    page.goto(live_server.url + reverse("decision_detail", args=[decision.pk]))
    assert page.locator("#maker-notice").count() == 0
    page.locator("#approve-form textarea[name=approve-note]").fill("Đã kiểm tra hồ sơ, đồng ý.")
    page.locator("#approve-form button[type=submit]").click()
    page.wait_for_url(live_server.url + reverse("decision_detail", args=[decision.pk]))
    decision.refresh_from_db()
    assert (decision.status, decision.checked_by.username) == (Decision.Status.APPROVED, "kiemsoat")
    assert page.locator("#decision-status").inner_text() == in_vietnamese(Decision.Status.APPROVED.label)


# --- 1. A founder applies -----------------------------------------------------------------------------------


def test_a_founder_fills_in_the_loan_application_of_their_dossier(
    transactional_db, live_server, fund_world, page
):
    dossier = fund_dossier(fund_world.shop, fund_world.officer)  # filed today, received by the fund
    new_application = f"{reverse('application_new')}?dossier={dossier.pk}"
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "nguoinop")

    # --- From the dossier's page to the application's form --------------------------------------------------
    page.goto(live_server.url + reverse("dossier_detail", args=[dossier.pk]))
    link = page.locator(f"#dossier-belongs-to a[href='{new_application}']")
    assert link.inner_text() == vi("Fill in the loan application")
    link.click()
    page.wait_for_url(live_server.url + new_application)
    assert dossier.code in page.locator("main").inner_text()
    # One fund takes applications: it is chosen already.
    assert page.locator("select[name=fund]").input_value() == str(fund_world.fund.pk)
    assert page.locator("input[name=first_startup]").is_checked()
    page.locator("select[name=sector]").select_option(Sector.C.value)
    page.locator("input[name=enterprise_founded_on]").fill("2026-06-01")
    page.locator("input[name=project_cost]").fill("300000000")
    page.locator("input[name=amount]").fill("100000000")
    page.locator("input[name=term_months]").fill("36")
    page.locator("input[name=grace_months]").fill("6")
    page.locator("textarea[name=purpose]").fill("Mua máy sấy và bao bì cho bánh tráng dừa")
    assert fits_the_width(page)
    page.screenshot(path=str(live_server_artifact("fund-1-phone-application-form.png")), full_page=True)
    page.locator("#application-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/loan-applications/\d+/$"))

    # --- Filed: the application with its stages and reply deadlines -----------------------------------------
    application = LoanApplication.objects.get(dossier=dossier)
    assert page.url == live_server.url + reverse("application_detail", args=[application.pk])
    assert (
        application.fund,
        application.regulation,
        application.sector,
        application.amount,
        application.term_months,
        application.grace_months,
        application.filed_on,
        application.status,
    ) == (fund_world.fund, fund_world.regulation, "C", 100_000_000, 36, 6, TODAY, Status.APPRAISING)
    assert page.locator("#application-status").inner_text() == in_vietnamese(Status.APPRAISING.label)
    assert page.locator("#amount-asked").inner_text() == in_vietnamese(100_000_000)
    expected = deadlines.stages(application, None, TODAY)
    rows = page.locator("#stages tbody tr")
    assert rows.evaluate_all("(rows) => rows.map((row) => row.dataset.stage)") == [
        stage.name for stage in expected
    ]
    appraisal = cells(rows.first)
    assert appraisal[:3] == [str(expected[0].label), f"{expected[0].due:%d/%m/%Y}", "—"]
    assert expected[0].due > TODAY
    # The borrower reads their application: not the appraisal's rules, scores or visits.
    assert page.locator("#rules, #scores, #site-visits").count() == 0
    assert fits_the_width(page)
    page.screenshot(path=str(live_server_artifact("fund-2-phone-application.png")), full_page=True)


# --- 2. The appraisal --------------------------------------------------------------------------------------


def test_the_appraisal_goes_from_an_appraiser_to_a_recommendation(
    transactional_db, live_server, fund_world, page, desk
):
    application, checker = fund_world.application, fund_world.checker
    address = reverse("application_detail", args=[application.pk])
    page.set_viewport_size(DESKTOP)

    # --- The fund officer assigns the second officer --------------------------------------------------------
    log_in(page, live_server, "quy")
    page.goto(live_server.url + address)
    page.locator("#assign-form select[name=user]").select_option(str(checker.pk))
    page.locator("#assign-form button[type=submit]").click()
    page.wait_for_url(live_server.url + address)
    appraiser = application.appraisers.get()
    assert (appraiser.user, appraiser.assigned_by) == (checker, fund_world.officer)
    assert vi("not declared yet") in page.locator(f"#appraisers [data-appraiser='{checker.pk}']").inner_text()
    # Only the appraiser declares and scores.
    assert page.locator("#declare-form, #score-form").count() == 0

    # --- The appraiser declares no conflict, then scores every criterion ------------------------------------
    appraiser_desk = desk("kiemsoat")
    appraiser_desk.goto(live_server.url + address)
    assert appraiser_desk.locator("#score-form").count() == 0  # a declaration comes first
    appraiser_desk.locator("#declare-form input[name=conflict][value=no]").check()
    appraiser_desk.locator("#declare-form button[type=submit]").click()
    appraiser_desk.wait_for_url(live_server.url + address)
    criteria = list(fund_world.regulation.criteria.all())
    given = dict(zip((criterion.pk for criterion in criteria), (8, 7, 9, 6), strict=True))
    for criterion in criteria:
        appraiser_desk.locator(f"#score-form input[name=score_{criterion.pk}]").fill(str(given[criterion.pk]))
    appraiser_desk.locator(f"#score-form input[name=note_{criteria[0].pk}]").fill(
        "Thị trường kẹo dừa ổn định"
    )
    appraiser_desk.locator("#score-form button[type=submit]").click()
    appraiser_desk.wait_for_url(live_server.url + address)
    assert {score.criterion_id: score.score for score in appraiser.scores.all()} == given
    assert appraiser_desk.locator("#score-form").count() == 0
    score_rows = appraiser_desk.locator("#scores tbody tr")
    assert [cells(row)[0] for row in score_rows.all()] == [criterion.name for criterion in criteria]
    weighted = applications.weighted_score(application)
    assert in_vietnamese(weighted) in appraiser_desk.locator("#weighted-score").inner_text()

    # --- The officer records the site visit and recommends lending ------------------------------------------
    page.reload()
    assert in_vietnamese(weighted) in page.locator("#weighted-score").inner_text()
    assert page.locator("#visit-form input[name=visited_on]").input_value() == TODAY.isoformat()
    page.locator("#visit-form textarea[name=findings]").fill(
        "Xưởng 80 m², hai nồi nấu cũ; sổ sách ghi chép đầy đủ."
    )
    page.locator("#visit-form button[type=submit]").click()
    page.wait_for_url(live_server.url + address)
    assert "Xưởng 80 m²" in page.locator("#site-visits").inner_text()
    page.locator("#recommend-form input[name=recommendation][value=lend]").check()
    page.locator("#recommend-form input[name=amount]").fill("120000000")
    page.locator("#recommend-form textarea[name=note]").fill("Phương án khả thi, đủ điều kiện vay.")
    page.locator("#recommend-form button[type=submit]").click()
    page.wait_for_url(live_server.url + address)
    application.refresh_from_db()
    assert (
        application.status,
        application.recommendation,
        application.recommended_amount,
        application.recommended_by,
    ) == (Status.RECOMMENDED, Recommendation.LEND, 120_000_000, fund_world.officer)
    assert page.locator("#application-status").inner_text() == in_vietnamese(Status.RECOMMENDED.label)
    assert in_vietnamese(120_000_000) in page.locator("#recommendation").inner_text()
    propose = reverse("decision_propose_loan", args=[application.pk])
    assert page.locator(f"a#propose-loan[href='{propose}']").is_visible()

    # --- The rules, item by item, with their articles -------------------------------------------------------
    with translation.override("vi"):  # the labels are lazy: read them in Vietnamese here
        checks = [(check, check.label) for check in rules.check_application(application)]
    rule_rows = page.locator("#rules tbody tr")
    assert rule_rows.evaluate_all("(rows) => rows.map((row) => row.dataset.rule)") == [
        check.rule for check, _label in checks
    ]
    articles = fund_world.regulation.articles
    for (check, label), row in zip(checks, rule_rows.all(), strict=True):
        rule, article, _met, detail = cells(row)
        assert (rule, article, detail) == (label, articles.get(check.rule, "—"), check.detail)
        assert check.passed and row.locator(".visually-hidden").inner_text() == vi("met")
    assert {"absolute_cap", "equity_share", "project_cost_share", "term"} <= {
        check.rule for check, _ in checks
    }
    page.screenshot(path=str(live_server_artifact("fund-3-application-recommended.png")), full_page=True)


# --- 3. The loan decided, and its tranches released ---------------------------------------------------------


def test_the_loan_is_decided_by_two_officers_and_released_in_two_tranches(
    transactional_db, live_server, fund_world, page, desk
):
    application = fund_world.recommended(120_000_000)
    page.set_viewport_size(DESKTOP)

    # --- The officer proposes the loan in two tranches ------------------------------------------------------
    log_in(page, live_server, "quy")
    page.goto(live_server.url + reverse("application_detail", args=[application.pk]))
    propose = reverse("decision_propose_loan", args=[application.pk])
    page.locator(f"a[href='{propose}']").click()
    page.wait_for_url(live_server.url + propose)
    assert page.locator("input[name=amount]").input_value() == "120000000"
    page.locator("input[name=tranche_amount_1]").fill("70000000")
    page.locator("input[name=tranche_milestone_1]").fill("Ký hợp đồng, mua nồi nấu")
    page.locator("input[name=tranche_amount_2]").fill("50000000")
    page.locator("input[name=tranche_milestone_2]").fill("Lắp xong máy đóng gói")
    page.locator("textarea[name=reason]").fill("Tổ thẩm định đề nghị cho vay; giải ngân theo tiến độ.")
    page.locator("#propose-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/decisions/\d+/$"))
    decision = Decision.objects.get(kind=DecisionKind.APPROVE_LOAN)
    assert page.url == live_server.url + reverse("decision_detail", args=[decision.pk])
    assert decision.command["tranches"] == [
        [70_000_000, "Ký hợp đồng, mua nồi nấu"],
        [50_000_000, "Lắp xong máy đóng gói"],
    ]
    # Its maker cannot check it: the page says another officer must.
    assert page.locator("#maker-notice").is_visible()
    assert page.locator("#approve-form, #reject-form").count() == 0
    assert page.locator("#withdraw-form").is_visible()
    assert len(page.locator("#rule-checks tbody tr").all()) == len(rules.check_application(application))
    assert not Loan.objects.exists()

    # --- The second officer approves: the loan exists -------------------------------------------------------
    checker = desk("kiemsoat")
    approve_as_checker(checker, live_server, decision)
    loan = Loan.objects.get(application=application)
    assert (loan.amount, loan.status, loan.disbursed) == (120_000_000, Loan.Status.APPROVED, 0)
    assert [(tranche.amount, tranche.evidence_state) for tranche in loan.tranches.all()] == [
        (70_000_000, Tranche.Evidence.ACCEPTED),
        (50_000_000, Tranche.Evidence.WAITING),
    ]
    loan_address = reverse("loan_detail", args=[loan.pk])

    # --- Tranche 1: proposed by the officer, approved by the other ------------------------------------------
    page.goto(live_server.url + reverse("loan_list"))
    page.locator(f"main a[href='{loan_address}']").click()
    page.wait_for_url(live_server.url + loan_address)
    assert page.locator("#release-form-2").count() == 0  # its evidence is not in yet
    page.locator("#release-form-1 textarea[name=release-reason]").fill("Hợp đồng đã ký: giải ngân đợt 1.")
    page.locator("#release-form-1 button[type=submit]").click()
    page.wait_for_url(re.compile(r"/decisions/\d+/$"))
    first_release = Decision.objects.get(kind=DecisionKind.DISBURSE)
    assert page.locator("#maker-notice").is_visible()
    approve_as_checker(checker, live_server, first_release)
    loan.refresh_from_db()
    assert (loan.status, loan.disbursed, loan.start_on) == (Loan.Status.ACTIVE, 70_000_000, TODAY)

    # --- The borrower submits the evidence of tranche 2 from their loan's page ------------------------------
    borrower = desk("nguoinop", PHONE)
    borrower.goto(live_server.url + reverse("loan_list"))
    borrower.locator(f"main a[href='{loan_address}']").click()
    borrower.wait_for_url(live_server.url + loan_address)
    assert borrower.locator("#release-form-1, #review-form-2, #repayment-form").count() == 0
    borrower.locator("#evidence-form-2 textarea[name=evidence-evidence]").fill(
        "Hóa đơn mua nồi nấu số 0001234 ngày 20/11/2026; biên bản lắp máy đóng gói."
    )
    assert fits_the_width(borrower)
    borrower.locator("#evidence-form-2 button[type=submit]").click()
    borrower.wait_for_url(live_server.url + loan_address)
    second = loan.tranches.get(number=2)
    assert second.evidence_state == Tranche.Evidence.SUBMITTED
    assert "0001234" in borrower.locator("#tranches tr[data-tranche='2']").inner_text()
    borrower.screenshot(path=str(live_server_artifact("fund-4-phone-borrower-loan.png")), full_page=True)

    # --- The officer accepts it and proposes the release; the other officer approves ------------------------
    page.goto(live_server.url + loan_address)
    page.locator("#review-form-2 select[name=review-accepted]").select_option("yes")
    page.locator("#review-form-2 button[type=submit]").click()
    page.wait_for_url(live_server.url + loan_address)
    second.refresh_from_db()
    assert (second.evidence_state, second.reviewed_by) == (Tranche.Evidence.ACCEPTED, fund_world.officer)
    page.locator("#release-form-2 textarea[name=release-reason]").fill("Chứng từ hợp lệ: giải ngân đợt 2.")
    page.locator("#release-form-2 button[type=submit]").click()
    page.wait_for_url(re.compile(r"/decisions/\d+/$"))
    second_release = Decision.objects.get(kind=DecisionKind.DISBURSE, tranche=second)
    assert page.locator("#maker-notice").is_visible()
    approve_as_checker(checker, live_server, second_release)
    loan.refresh_from_db()
    assert (loan.disbursed, loan.outstanding) == (120_000_000, 120_000_000)
    assert list(loan.tranches.values_list("released_on", flat=True)) == [TODAY, TODAY]
    page.goto(live_server.url + loan_address)
    released = [cells(row)[-1] for row in page.locator("#tranches tr[data-tranche]").all()]
    assert released == ["18/11/2026", "18/11/2026"]
    page.screenshot(path=str(live_server_artifact("fund-5-loan-released.png")), full_page=True)


# --- 4. An instalment unpaid, then a late record of its repayment -------------------------------------------


def test_an_unpaid_instalment_is_overdue_until_its_repayment_is_recorded(
    transactional_db, live_server, fund_world, set_today, page
):
    loan = fund_world.released_loan()
    first = current_schedule(loan).instalments.get(number=1)
    ten_days_late = first.due_on + datetime.timedelta(days=10)
    set_today(ten_days_late)
    remind_borrowers(on=ten_days_late)  # the morning job catches the loan up
    loan_address = reverse("loan_detail", args=[loan.pk])
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, "quy")

    # --- Ten days overdue -----------------------------------------------------------------------------------
    page.goto(live_server.url + loan_address)
    bucket = page.locator("h1 ~ [data-bucket]")
    assert bucket.get_attribute("data-bucket") == Bucket.DAYS_1_30
    assert bucket.inner_text() == in_vietnamese(Bucket.DAYS_1_30.label)
    owed = first.principal + first.interest
    assert page.locator("#loan-overdue").inner_text() == in_vietnamese(owed)
    assert "table-danger" in page.locator("#schedule tr[data-instalment='1']").get_attribute("class")
    page.screenshot(path=str(live_server_artifact("fund-6-loan-overdue.png")), full_page=True)

    # --- The repayment made on the due date, recorded today -------------------------------------------------
    assert page.locator("#repayment-form input[name=repayment-paid_on]").input_value() == (
        ten_days_late.isoformat()
    )
    page.locator("#repayment-form input[name=repayment-amount]").fill(str(owed))
    page.locator("#repayment-form input[name=repayment-paid_on]").fill(first.due_on.isoformat())
    page.locator("#repayment-form button[type=submit]").click()
    page.wait_for_url(live_server.url + loan_address)
    loan.refresh_from_db()
    assert (loan.bucket, loan.days_past_due, loan.overdue) == (Bucket.CURRENT, 0, 0)
    repayment = loan.repayments.get()
    assert (repayment.paid_on, repayment.amount) == (first.due_on, owed)
    bucket = page.locator("h1 ~ [data-bucket]")
    assert bucket.get_attribute("data-bucket") == Bucket.CURRENT
    assert bucket.inner_text() == in_vietnamese(Bucket.CURRENT.label)
    assert cells(page.locator(f"#repayments tr[data-repayment='{repayment.pk}']"))[:2] == [
        f"{first.due_on:%d/%m/%Y}",
        in_vietnamese(owed),
    ]
    assert "table-danger" not in (
        page.locator("#schedule tr[data-instalment='1']").get_attribute("class") or ""
    )
    page.screenshot(path=str(live_server_artifact("fund-7-loan-repaid-late.png")), full_page=True)


# --- 5. The public disclosure ------------------------------------------------------------------------------


def test_the_public_reads_the_funds_disclosure_without_the_borrower(
    transactional_db, live_server, fund_world, page
):
    loan = fund_world.released_loan()
    borrower = fund_world.shop.applicant
    page.set_viewport_size(DESKTOP)
    page.context.clear_cookies()

    page.goto(live_server.url + "/quy/")
    disclosure = reverse("fund_disclosure", args=[fund_world.fund.slug])
    page.locator(f"tr[data-fund='{fund_world.fund.slug}'] a[href='{disclosure}']").click()
    page.wait_for_url(live_server.url + disclosure)
    assert fund_world.fund.name in page.locator("h1").inner_text()

    # --- Capital by source ----------------------------------------------------------------------------------
    capital = page.locator("#capital-table")
    assert cells(capital.locator(f"tr[data-source='{Source.STATE_BUDGET}']"))[-1] == in_vietnamese(
        STATE_BUDGET
    )
    assert cells(capital.locator("tr[data-source=total]"))[-1] == in_vietnamese(STATE_BUDGET)

    # --- The loans by quarter, sector and commune: this one ------------------------------------------------
    one_loan = ["1", in_vietnamese(loan.amount), in_vietnamese(loan.disbursed)]
    for grouping, key in (
        ("by-quarter", "2026-Q4"),
        ("by-sector", "C"),
        ("by-unit", str(fund_world.cast.units.commune.pk)),
    ):
        rows = page.locator(f"table[data-groups='{grouping}'] tbody tr")
        assert rows.count() == 1, grouping
        assert rows.get_attribute("data-key") == key
        assert cells(rows)[1:] == one_loan, grouping
    assert cells(page.locator("table[data-groups='by-unit'] tbody tr"))[0] == loan.unit.name

    # --- Nothing of the borrower ----------------------------------------------------------------------------
    shown = page.content()
    for private in (borrower.full_name, borrower.national_id, loan.contract_number):
        assert private not in shown
    page.screenshot(path=str(live_server_artifact("fund-8-disclosure.png")), full_page=True)
    page.set_viewport_size(PHONE)
    assert fits_the_width(page)
    page.screenshot(path=str(live_server_artifact("fund-9-phone-disclosure.png")), full_page=True)
