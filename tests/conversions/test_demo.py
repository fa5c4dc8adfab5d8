"""The conversions' part of the demo and of the synthetic province (issue 11, part 9)."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.http import Http404
from django.test import override_settings

from conversions.access import get_conversion_for_user
from conversions.demo.journey import JOURNEY_WORKBOOK, ROWS, journey_workbook
from conversions.models import (
    Conversion,
    ConversionStep,
    EntitlementGrant,
    FollowUpVisit,
    HouseholdBusiness,
    Outcome,
    OutcomeChange,
    Stage,
)
from conversions.services.followups import grants_due
from conversions.services.import_rows import build_preview
from conversions.spreadsheets import read_rows
from dossiers.catalogue import CONVERSION_SUPPORT
from portal.models import AdminUnit, User
from tests.conftest import SUITE_START, VIETNAM

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("conversions-demo")]

TODAY = SUITE_START.date()
AS_OF = datetime.date(2026, 11, 20)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory) -> str:
    """The demo, loaded once for the module at the suite's moment and rolled back at its end."""
    with (
        django_db_blocker.unblock(),
        time_machine.travel(SUITE_START, tick=True),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo-media")),
        transaction.atomic(),
    ):
        out = StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def login(username: str) -> User:
    return User.objects.get(username=username)


def valid_on(unit: AdminUnit, day: datetime.date) -> bool:
    return (unit.valid_from is None or unit.valid_from <= day) and (
        unit.valid_until is None or day <= unit.valid_until
    )


def from_ben_tre(unit: AdminUnit) -> bool:
    if unit.valid_until is None:
        return unit.predecessors.filter(parent__parent__code="83").exists()
    return unit.parent.parent.code == "83"


def test_a_registry_of_former_ben_tre_on_the_communes_of_its_days(demo):
    businesses = list(HouseholdBusiness.objects.select_related("unit__parent__parent", "owner"))
    assert len(businesses) == 77
    assert "Businesses:  77 created, 0 unchanged." in demo
    for business in businesses:
        assert valid_on(business.unit, business.registered_on), business
        assert from_ben_tre(business.unit), business
        assert business.tax_mode == HouseholdBusiness.TaxMode.DECLARED
    # Before the reform on former communes, after it on the wards of Vĩnh Long.
    assert any(business.unit.valid_until is not None for business in businesses)
    assert any(business.unit.valid_until is None for business in businesses)
    trades = " ".join(business.name for business in businesses)
    for trade in ("Kẹo dừa", "Hoa kiểng", "Vườn ươm", "Bánh tráng", "Nuôi nghêu", "Nước mắm", "Mỹ nghệ"):
        assert trade in trades
    # One person, one record: the owners of the dossiers demo are found again by their CCCD.
    duyen = HouseholdBusiness.objects.get(registration_number="56C8000489")
    assert duyen.owner.user == login("nguoinop")
    # The demo commune officer keeps a list of her ward (and of the communes it came from).
    assert HouseholdBusiness.objects.visible_to(login("xa")).count() >= 18


def test_conversions_in_every_stage_with_what_became_of_them(demo):
    conversions = Conversion.objects.all()
    assert conversions.count() == 27
    assert set(conversions.values_list("stage", flat=True)) == set(Stage.values)
    assert {Outcome.REVERTED, Outcome.DISSOLVED, Outcome.BANKRUPT, Outcome.MOVED_OUT} <= set(
        conversions.values_list("outcome", flat=True)
    )
    # A suspension that ended, and the household businesses that went back to being one.
    back = Conversion.objects.get(enterprise_code="1301190123")
    assert list(back.outcomes.values_list("outcome", flat=True)) == ["operating", "suspended", "operating"]
    for conversion in conversions.filter(outcome=Outcome.REVERTED):
        assert conversion.household_business.status == HouseholdBusiness.Status.OPERATING
    # Since 2016, on both sides of the 1 July 2025 reform.
    registered = conversions.registered()
    assert registered.order_by("registered_on").first().registered_on.year == 2017
    assert registered.filter(registered_on__gte=datetime.date(2025, 7, 1)).exists()
    # A correction undoes a step with its reason; the withdrawn dossier is unlinked that way.
    corrections = ConversionStep.objects.filter(is_correction=True)
    assert corrections.count() == 2
    # Each step's moment is on its own day, in their order.
    for conversion in conversions:
        steps = list(conversion.steps.order_by("recorded_at", "pk"))
        assert [step.taken_on for step in steps] == sorted(step.taken_on for step in steps)
        for step in steps:
            assert step.recorded_at.astimezone(VIETNAM).date() == step.taken_on
        if not steps[-1].is_correction:
            assert steps[-1].stage == conversion.stage


def test_follow_ups_done_and_late(demo):
    visits = FollowUpVisit.objects.all()
    assert visits.filter(done_on__isnull=False).count() >= 60
    assert visits.exclude(skipped_reason="").exists()
    overdue = FollowUpVisit.objects.overdue_on(TODAY)
    assert overdue.count() >= 4
    assert FollowUpVisit.objects.overdue_on(TODAY - datetime.timedelta(days=30)).exists()
    assert overdue.visible_to(login("xa")).exists()
    # Done late, in the commune's record.
    assert any(visit.done_on > visit.due_on for visit in visits.exclude(done_on=None))
    # A closed enterprise is not visited: its later visits were skipped.
    for visit in visits.filter(conversion__outcome__in=[Outcome.DISSOLVED, Outcome.BANKRUPT]):
        assert not visit.is_open


def test_entitlements_are_those_of_the_rules_on_the_registration_day(demo):
    for conversion in Conversion.objects.registered():
        granted = {
            (grant.entitlement_id, grant.starts_on, grant.ends_on, grant.state)
            for grant in conversion.entitlements.all()
        }
        expected = {
            (grant.entitlement_id, grant.starts_on, grant.ends_on, grant.state)
            for grant in grants_due(conversion, as_of=TODAY)
        }
        assert granted == expected, conversion
    # No support before the SME law of 2018; the licence-fee exemption ends with 2025.
    assert not EntitlementGrant.objects.filter(conversion__registered_on__year=2017).exists()
    fee = EntitlementGrant.objects.filter(entitlement__code="mien-le-phi-mon-bai-3-nam")
    assert max(fee.values_list("ends_on", flat=True)) == datetime.date(2025, 12, 31)


def test_the_owner_sees_her_case_its_dossier_and_entitlements(demo):
    nguoinop = login("nguoinop")
    case = Conversion.objects.visible_to(nguoinop).get()
    assert case.enterprise_name == "Công ty TNHH Kẹo dừa Mỹ Duyên"
    assert case.dossier.procedure.code == CONVERSION_SUPPORT
    assert case.dossier.applicant.user == nguoinop
    assert get_conversion_for_user(nguoinop, case.pk) == case
    other = Conversion.objects.exclude(pk=case.pk).first()
    with pytest.raises(Http404):
        get_conversion_for_user(nguoinop, other.pk)
    grants = {grant.entitlement.code: grant for grant in case.entitlements.select_related("entitlement")}
    assert grants["tu-van-thue-ke-toan-3-nam"].ends_on == datetime.date(2028, 10, 8)
    assert grants["tu-van-thue-ke-toan-3-nam"].state == EntitlementGrant.State.GRANTED
    assert grants["mien-le-phi-mon-bai-3-nam"].state == EntitlementGrant.State.EXPIRED
    # The demo's other conversion-support dossiers are linked to their owners' cases too.
    linked = Conversion.objects.exclude(dossier=None).select_related("dossier", "household_business")
    assert linked.count() >= 5
    for conversion in linked:
        assert conversion.dossier.applicant_id == conversion.household_business.owner_id


def test_running_twice_changes_nothing(demo):
    def state():
        return (
            list(HouseholdBusiness.objects.order_by("pk").values_list()),
            list(Conversion.objects.order_by("pk").values_list()),
            list(ConversionStep.objects.order_by("pk").values_list()),
            list(FollowUpVisit.objects.order_by("pk").values_list()),
            list(OutcomeChange.objects.order_by("pk").values_list()),
        )

    before = state()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert state() == before
    assert "Businesses:  0 created, 77 unchanged." in out.getvalue()
    assert "Conversions: 0 created, 27 unchanged." in out.getvalue()


def test_the_journeys_workbook_has_good_rows_and_the_four_problems(demo):
    committed = read_rows(SimpleUploadedFile(JOURNEY_WORKBOOK.name, JOURNEY_WORKBOOK.read_bytes()))
    fresh = read_rows(SimpleUploadedFile("fresh.xlsx", journey_workbook()))
    assert [(row.values, row.problems) for row in committed] == [(row.values, row.problems) for row in fresh]
    assert len(committed) == len(ROWS) == 13
    rows = {row.values["name"]: row for row in committed}
    assert rows["Hộ kinh doanh Sửa xe Tư Lợi"].values["registration_number"] is None
    assert [problem.column for problem in rows["Hộ kinh doanh Homestay Cồn Phú Đa"].problems] == [
        "registered_on"
    ]
    # Leading zeros kept; dates as cells, text and serial numbers read alike.
    assert all(row.values["owner_national_id"].startswith("083") for row in committed)
    assert rows["Hộ kinh doanh Cây giống Long Thới Xanh"].values["registered_on"] == datetime.date(
        2025, 10, 6
    )
    # Exactly one row is already in the demo's registry; the pre-reform name is used after the reform.
    numbers = [row.values["registration_number"] for row in committed if row.values["registration_number"]]
    known = HouseholdBusiness.objects.filter(registration_number__in=numbers)
    assert list(known.values_list("name", flat=True)) == ["Hộ kinh doanh Kẹo dừa sầu riêng Bảy Nhung"]
    hoa_nghia = AdminUnit.objects.get(name="Xã Hòa Nghĩa")
    late = rows["Hộ kinh doanh Thạch dừa Bùi Mai"]
    assert late.values["commune"] == hoa_nghia.name
    assert late.values["registered_on"] > hoa_nghia.valid_until
    assert list(hoa_nghia.successors.values_list("name", flat=True)) == ["Xã Chợ Lách"]


def test_the_journeys_workbook_previews_as_the_journey_expects(demo):
    rows = read_rows(SimpleUploadedFile(JOURNEY_WORKBOOK.name, JOURNEY_WORKBOOK.read_bytes()))
    ward = AdminUnit.objects.get(code="28870", valid_until=None)
    preview = build_preview(unit=ward, by=login("xa"), on_duplicate="skip", rows=rows)
    assert preview["counts"] == {"add": 10, "update": 0, "skip": 1, "error": 2}
    assert HouseholdBusiness.objects.count() == 77  # nothing written before the officer confirms
