"""Each stage's reply deadline in working days (over weekends and the official calendar's holidays), the
late flag, the count of late applications, and the fund-loan dossier decided only once its application
is."""

import datetime

import pytest

from dossiers.services.dossiers import complete_dossier, decision_blockers, start_processing
from fund import deadlines
from fund.models import LoanApplication, Status
from fund.services import applications
from portal.models import CalendarDay
from portal.refusals import Refused
from tests.fund.fixtures import *  # noqa: F403

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

# Filed Thursday 05/11/2026: 15 working days over two weekends end on Thursday 26/11.
APPRAISAL_DUE = datetime.date(2026, 11, 26)


def by_name(stages) -> dict:
    return {stage.name: stage for stage in stages}


def test_the_appraisal_is_due_15_working_days_after_filing(fund_world):
    stages = deadlines.stages(fund_world.application)
    assert [stage.name for stage in stages] == ["appraisal", "decision"]
    appraisal = stages[0]
    assert (appraisal.due, appraisal.done_on, appraisal.late, appraisal.days_late) == (
        APPRAISAL_DUE,
        None,
        False,
        0,
    )
    assert stages[1].due is None  # not recommended yet


def test_a_holiday_moves_the_deadline(fund_world):
    CalendarDay.objects.create(date=datetime.date(2026, 11, 20), name="Ngày nghỉ thử nghiệm")
    assert deadlines.stages(fund_world.application)[0].due == datetime.date(2026, 11, 27)


def test_a_working_saturday_brings_it_forward(fund_world):
    CalendarDay.objects.create(
        date=datetime.date(2026, 11, 21), kind=CalendarDay.Kind.WORKING_DAY, name="Làm bù thử nghiệm"
    )
    assert deadlines.stages(fund_world.application)[0].due == datetime.date(2026, 11, 25)


def test_an_open_stage_past_its_due_date_is_late(fund_world):
    # Monday 30/11: Friday 27 and Monday 30 are the working days past Thursday 26.
    stage = deadlines.stages(fund_world.application, on=datetime.date(2026, 11, 30))[0]
    assert (stage.late, stage.days_late) == (True, 2)
    # Saturday 28/11: late by one working day (Friday 27).
    stage = deadlines.stages(fund_world.application, on=datetime.date(2026, 11, 28))[0]
    assert (stage.late, stage.days_late) == (True, 1)
    assert not deadlines.stages(fund_world.application, on=APPRAISAL_DUE)[0].late


def test_the_decision_is_due_10_working_days_after_the_recommendation(fund_world):
    application = fund_world.recommended()  # recommended Thursday 12/11/2026
    stages = by_name(deadlines.stages(application, on=datetime.date(2026, 11, 18)))
    assert (stages["appraisal"].done_on, stages["appraisal"].late) == (datetime.date(2026, 11, 12), False)
    assert (stages["decision"].due, stages["decision"].late) == (datetime.date(2026, 11, 26), False)


def test_a_stage_done_after_its_due_date_stays_late(fund_world):
    LoanApplication.objects.filter(pk=fund_world.application.pk).update(
        status=Status.REFUSED, decided_on=datetime.date(2026, 12, 1)
    )
    fund_world.application.refresh_from_db()
    appraisal = deadlines.stages(fund_world.application, on=datetime.date(2027, 1, 15))[0]
    assert (appraisal.done_on, appraisal.late, appraisal.days_late) == (datetime.date(2026, 12, 1), True, 3)


def test_the_first_release_is_due_after_the_approval(fund_world):
    loan = fund_world.approved_loan()  # approved today, Wednesday 18/11/2026
    fund_world.application.refresh_from_db()
    release = by_name(deadlines.stages(fund_world.application, loan))["first_release"]
    assert (release.due, release.done_on, release.late) == (datetime.date(2026, 11, 25), None, False)


def test_late_on_counts_the_applications_with_a_late_stage(fund_world):
    everything = LoanApplication.objects.all()
    assert deadlines.late_on(everything, APPRAISAL_DUE).count() == 0
    assert list(deadlines.late_on(everything, datetime.date(2026, 11, 27))) == [fund_world.application]
    listed = deadlines.with_stages(list(deadlines.with_release_day(everything)), datetime.date(2026, 11, 27))
    assert [application.is_late for application in listed] == [True]


def test_the_dossier_is_decided_only_once_its_application_is(fund_world):
    dossier = start_processing(dossier=fund_world.dossier, by=fund_world.officer)
    assert decision_blockers(dossier) == ["the fund appraises the loan application and recommends"]
    with pytest.raises(Refused) as refused:
        complete_dossier(dossier=dossier, by=fund_world.officer, result="Cho vay")
    assert refused.value.code == "decision_blocked"
    fund_world.recommended()
    assert decision_blockers(dossier) == [
        "the fund approves the loan (two officers) or refuses the application"
    ]
    applications.refuse_application(application=fund_world.application, by=fund_world.officer, reason="Không")
    assert decision_blockers(dossier) == []
    complete_dossier(dossier=dossier, by=fund_world.officer, result="Không cho vay")


def test_a_fund_loan_dossier_without_an_application_says_so(fund_world):
    LoanApplication.objects.filter(pk=fund_world.application.pk).delete()
    assert decision_blockers(fund_world.dossier) == ["fill in the loan application"]
    assert decision_blockers(fund_world.shop.dossier) == []
