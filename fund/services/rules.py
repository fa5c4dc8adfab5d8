"""The regulation's rules, checked item by item on an application (or on the amounts a decision
proposes), each with the regulation's article: the appraisal page, the API and the decision services
read this one list; a decision is refused while any item fails.

An application is judged by the version in force on the day it was filed (``LoanApplication.regulation``);
a new version never changes it. Who approves follows the version's threshold.
"""

from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dossiers.selectors import missing_requirements
from fund.models import Level, LoanApplication, Regulation
from fund.services.ledger import equity_of
from portal.models.units import subtree_unit_ids
from portal.money import dong

RULE_LABELS = {
    "residence": gettext_lazy("Where the borrower lives or works"),
    "enterprise_age": gettext_lazy("Age of the enterprise"),
    "first_startup": gettext_lazy("First startup"),
    "sector": gettext_lazy("Sector"),
    "absolute_cap": gettext_lazy("Largest loan"),
    "equity_share": gettext_lazy("Share of the fund's equity"),
    "project_cost_share": gettext_lazy("Share of the project's cost"),
    "term": gettext_lazy("Term and grace period"),
    "collateral": gettext_lazy("Collateral"),
    "documents": gettext_lazy("Documents required"),
}


@dataclass(frozen=True)
class RuleCheck:
    rule: str
    passed: bool
    detail: str
    article: str

    @property
    def label(self) -> str:
        return str(RULE_LABELS[self.rule])


@dataclass(frozen=True)
class Asked:
    """What is checked: the application's own figures, or a decision's."""

    amount: int
    term_months: int
    grace_months: int
    period_months: int


def asked_of(application: LoanApplication) -> Asked:
    return Asked(
        application.amount,
        application.term_months,
        application.grace_months,
        application.regulation.period_months,
    )


def _check(regulation: Regulation, rule: str, passed: bool, detail: str) -> RuleCheck:
    return RuleCheck(rule, passed, detail, regulation.article(rule))


def _lives_in(unit_id: int, area_id: int) -> bool:
    """The commune lies in the area, itself or through a commune it replaced (the merger moved them)."""
    return bool(subtree_unit_ids({unit_id}) & subtree_unit_ids({area_id}))


def _eligibility(application: LoanApplication, regulation: Regulation) -> list[RuleCheck]:
    checks = []
    if regulation.residence_unit_id:
        lives = _lives_in(application.unit_id, regulation.residence_unit_id)
        where = {"unit": application.unit, "area": regulation.residence_unit}
        detail = _("%(unit)s is in %(area)s.") if lives else _("%(unit)s is not in %(area)s.")
        checks.append(_check(regulation, "residence", lives, detail % where))
    if regulation.max_enterprise_age_months is not None and application.enterprise_founded_on:
        limit = application.filed_on - relativedelta(months=regulation.max_enterprise_age_months)
        young = application.enterprise_founded_on >= limit
        checks.append(
            _check(
                regulation,
                "enterprise_age",
                young,
                _(
                    "Founded on %(day)s; the regulation lends to enterprises founded at most %(months)s "
                    "months before applying."
                )
                % {
                    "day": f"{application.enterprise_founded_on:%d/%m/%Y}",
                    "months": regulation.max_enterprise_age_months,
                },
            )
        )
    if regulation.first_startup_only:
        checks.append(
            _check(
                regulation,
                "first_startup",
                application.first_startup,
                _("Starting up for the first time.")
                if application.first_startup
                else _("The regulation lends only to a first startup."),
            )
        )
    if regulation.excluded_sectors:
        excluded = application.sector in regulation.excluded_sectors
        checks.append(
            _check(
                regulation,
                "sector",
                not excluded,
                _("Sector %(sector)s is excluded by the regulation.") % {"sector": application.sector}
                if excluded
                else _("Sector %(sector)s may borrow.") % {"sector": application.sector},
            )
        )
    return checks


def _caps(application: LoanApplication, regulation: Regulation, asked: Asked) -> list[RuleCheck]:
    checks = []
    if regulation.absolute_cap is not None:
        checks.append(
            _check(
                regulation,
                "absolute_cap",
                asked.amount <= regulation.absolute_cap,
                _("%(amount)s asked; at most %(cap)s.")
                % {"amount": dong(asked.amount), "cap": dong(regulation.absolute_cap)},
            )
        )
    if regulation.equity_share_cap_pct is not None:
        cap = equity_of(application.fund) * regulation.equity_share_cap_pct // 100
        checks.append(
            _check(
                regulation,
                "equity_share",
                asked.amount <= cap,
                _("%(amount)s asked; at most %(pct)s%% of the fund's equity, %(cap)s today.")
                % {
                    "amount": dong(asked.amount),
                    "pct": regulation.equity_share_cap_pct,
                    "cap": dong(max(cap, 0)),
                },
            )
        )
    if regulation.project_cost_share_cap_pct is not None:
        cap = application.project_cost * regulation.project_cost_share_cap_pct // 100
        checks.append(
            _check(
                regulation,
                "project_cost_share",
                asked.amount <= cap,
                _("%(amount)s asked; at most %(pct)s%% of the project's cost, %(cap)s.")
                % {
                    "amount": dong(asked.amount),
                    "pct": regulation.project_cost_share_cap_pct,
                    "cap": dong(cap),
                },
            )
        )
    term_ok = (
        asked.term_months <= regulation.max_term_months
        and asked.grace_months <= regulation.max_grace_months
        and asked.grace_months < asked.term_months
        and asked.term_months % asked.period_months == 0
        and asked.grace_months % asked.period_months == 0
    )
    checks.append(
        _check(
            regulation,
            "term",
            term_ok,
            _(
                "%(term)s months with %(grace)s months' grace; at most %(max_term)s months with "
                "%(max_grace)s months' grace, in whole repayment periods of %(period)s months."
            )
            % {
                "term": asked.term_months,
                "grace": asked.grace_months,
                "max_term": regulation.max_term_months,
                "max_grace": regulation.max_grace_months,
                "period": asked.period_months,
            },
        )
    )
    if regulation.collateral_above is not None and asked.amount > regulation.collateral_above:
        checks.append(
            _check(
                regulation,
                "collateral",
                bool(application.collateral.strip()),
                _("Above %(limit)s a loan needs collateral; offered: %(offered)s.")
                % {"limit": dong(regulation.collateral_above), "offered": application.collateral or "—"},
            )
        )
    return checks


def _documents(application: LoanApplication, regulation: Regulation) -> list[RuleCheck]:
    missing = missing_requirements(application.dossier)
    detail = (
        _("Missing: %(names)s.") % {"names": "; ".join(str(r.document_kind) for r in missing)}
        if missing
        else _("Every document the procedure requires is in the dossier.")
    )
    return [_check(regulation, "documents", not missing, detail)]


def check_application(application: LoanApplication, asked: Asked | None = None) -> list[RuleCheck]:
    """Every rule of the application's regulation version, in the order the page shows them."""
    regulation = application.regulation
    asked = asked or asked_of(application)
    return (
        _eligibility(application, regulation)
        + _caps(application, regulation, asked)
        + _documents(application, regulation)
    )


def failures(checks: list[RuleCheck]) -> list[RuleCheck]:
    return [check for check in checks if not check.passed]


def approval_level(regulation: Regulation, amount: int) -> str:
    """The fund's board approves up to the regulation's threshold, the People's Committee above."""
    return Level.FUND_BOARD if amount <= regulation.board_limit else Level.PEOPLES_COMMITTEE
