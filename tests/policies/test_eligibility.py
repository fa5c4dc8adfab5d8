"""The eligibility rules: data with effective dates, checked fact by fact, refused when malformed."""

import datetime

import pytest
from django.utils import translation

from dossiers import catalogue
from policies import catalogue as policy_catalogue
from policies import eligibility
from policies.models import Entitlement, PolicyDocument
from portal.catalogue import CatalogueReport, load_reference_data

Date = datetime.date

CONVERTING_HOUSEHOLD = {"is_registered_household_business": True, "months_operating": 12}


@pytest.fixture(autouse=True)
def in_english():
    """The msgids are English; their Vietnamese lands in the catalogue later, so assert on the msgids."""
    with translation.override("en"):
        yield


@pytest.fixture
def rules(db):
    return load_reference_data()


def applying(results) -> list[str]:
    return sorted(result.entitlement.code for result in results if result.applies)


def test_the_licence_fee_exemption_ends_with_the_fee(rules):
    on_last_day = eligibility.check(CONVERTING_HOUSEHOLD, Date(2025, 12, 31), audience="household_business")
    after = eligibility.check(CONVERTING_HOUSEHOLD, Date(2026, 1, 1), audience="household_business")
    assert applying(on_last_day) == [
        "mien-le-phi-dang-ky-lan-dau",
        "mien-le-phi-mon-bai-3-nam",
        "tu-van-ho-so-chuyen-doi",
        "tu-van-thue-ke-toan-3-nam",
    ]
    assert applying(after) == [
        "mien-le-phi-dang-ky-lan-dau",
        "tu-van-ho-so-chuyen-doi",
        "tu-van-thue-ke-toan-3-nam",
    ]
    # Not refused on 1 January: no longer offered at all.
    assert "mien-le-phi-mon-bai-3-nam" not in [result.entitlement.code for result in after]


def test_the_tax_advice_starts_with_decree_80(rules):
    results = eligibility.check(CONVERTING_HOUSEHOLD, Date(2021, 10, 14), audience="household_business")
    assert applying(results) == [
        "mien-le-phi-dang-ky-lan-dau",
        "mien-le-phi-mon-bai-3-nam",
        "tu-van-ho-so-chuyen-doi",
    ]


def test_eleven_months_of_operation_are_not_enough_and_twelve_are(rules):
    day = Date(2026, 11, 27)
    eleven = eligibility.check(
        CONVERTING_HOUSEHOLD | {"months_operating": 11}, day, audience="household_business"
    )
    twelve = eligibility.check(CONVERTING_HOUSEHOLD, day, audience="household_business")
    assert applying(eleven) == []
    assert len(applying(twelve)) == 3
    advice = next(result for result in eleven if result.entitlement.code == "tu-van-ho-so-chuyen-doi")
    assert [(reason.text, reason.is_met) for reason in advice.reasons] == [
        ("registered as a household business: yes", True),
        ("months the household business has operated: at least 12 months", False),
    ]
    assert advice.document.number == "04/2017/QH14"


def test_a_fact_not_given_is_named_and_not_met(rules):
    results = eligibility.check({"is_poor_household": True}, Date(2026, 11, 27), audience="poor_household")
    (result,) = results
    assert result.applies is False
    assert [(reason.is_met, reason.is_given) for reason in result.reasons] == [(True, True), (False, False)]
    assert result.entitlement.procedure.code == catalogue.POVERTY_ESCAPE


def test_the_fund_loan_is_for_a_first_startup_founded_at_most_a_year_ago(rules):
    day = Date(2026, 11, 27)
    founder = {"is_first_startup": True, "months_since_founded": 12, "has_business_plan": True}
    assert "vay-von-quy-khoi-nghiep" in applying(eligibility.check(founder, day, audience="startup"))
    later = founder | {"months_since_founded": 13}
    assert "vay-von-quy-khoi-nghiep" not in applying(eligibility.check(later, day, audience="startup"))
    second = founder | {"is_first_startup": False}
    assert "vay-von-quy-khoi-nghiep" not in applying(eligibility.check(second, day, audience="startup"))


def test_a_changed_rule_changes_the_answer(rules):
    Entitlement.objects.filter(code="khoi-nghiep-thoat-ngheo").update(
        conditions=[{"fact": "is_poor_household", "op": "==", "value": True}]
    )
    results = eligibility.check({"is_poor_household": True}, Date(2026, 11, 27), audience="poor_household")
    assert applying(results) == ["khoi-nghiep-thoat-ngheo"]


def test_an_unknown_fact_is_refused_with_its_name():
    with pytest.raises(eligibility.RuleError, match="“years_in_business”"):
        eligibility.validate_facts({"years_in_business": 2})


def test_a_value_of_the_wrong_type_is_refused():
    with pytest.raises(eligibility.RuleError, match="a whole number"):
        eligibility.validate_facts({"months_operating": True})


@pytest.mark.parametrize(
    ("conditions", "message"),
    [
        ({"fact": "months_operating"}, "must be a list"),
        ([{"fact": "months_operating", "op": ">="}], "Condition 1 must have exactly"),
        ([{"fact": "age", "op": ">=", "value": 18}], "“age”"),
        ([{"fact": "months_operating", "op": "!=", "value": 12}], "“!=”"),
        ([{"fact": "is_first_startup", "op": ">=", "value": True}], "“>=”"),
        ([{"fact": "months_operating", "op": ">=", "value": "12"}], "a whole number"),
    ],
)
def test_malformed_conditions_are_refused(conditions, message):
    with pytest.raises(eligibility.RuleError, match=message):
        eligibility.validate_conditions(conditions)


def test_every_seeded_rule_is_well_formed():
    for entry in policy_catalogue.ENTITLEMENTS:
        assert eligibility.validate_conditions(list(entry.conditions))


def test_loading_twice_creates_nothing_and_keeps_admin_edits(rules):
    assert (rules.created["PolicyDocument"], rules.created["Entitlement"]) == (9, 7)
    PolicyDocument.objects.filter(number="04/2017/QH14").update(title="Tên do quản trị viên sửa")
    Entitlement.objects.filter(code="vay-von-quy-khoi-nghiep").delete()
    again = CatalogueReport()
    policy_catalogue.load(again)
    assert (again.created["PolicyDocument"], again.existing["PolicyDocument"]) == (0, 9)
    assert (again.created["Entitlement"], again.existing["Entitlement"]) == (1, 6)
    assert PolicyDocument.objects.get(number="04/2017/QH14").title == "Tên do quản trị viên sửa"


def test_the_licence_fee_decree_is_replaced_by_the_resolution(rules):
    decree = PolicyDocument.objects.get(number="139/2016/NĐ-CP")
    assert decree.replaced_by.number == "198/2025/QH15"
    assert (decree.is_in_force_on(Date(2025, 12, 31)), decree.is_in_force_on(Date(2026, 1, 1))) == (
        True,
        False,
    )
    assert sorted(decree.procedures.values_list("code", flat=True)) == [catalogue.CONVERSION_SUPPORT]


def test_a_malformed_seeded_rule_stops_the_load(db, monkeypatch):
    bad = policy_catalogue.ENTITLEMENTS[0].__class__(
        **{
            **policy_catalogue.ENTITLEMENTS[0].__dict__,
            "conditions": ({"fact": "age", "op": ">=", "value": 1},),
        }
    )
    monkeypatch.setattr(policy_catalogue, "ENTITLEMENTS", (bad,))
    with pytest.raises(eligibility.RuleError):
        policy_catalogue.load(CatalogueReport())
    assert PolicyDocument.objects.count() == 0
