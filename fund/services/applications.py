"""Loan applications and their appraisal: an application opened on a fund-loan dossier under the
regulation version in force on the day the dossier was filed, the appraisers the fund assigns (each
declares a conflict of interest before scoring; a conflicted appraiser never scores), the rubric's
scores, the site visits, the recommendation and a refusal.

Approving a loan takes two people and is fund/services/decisions.py's; refusing takes one officer.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.catalogue import FUND_LOAN
from dossiers.models import Dossier
from fund.access import runs
from fund.models import (
    Appraiser,
    Declaration,
    Fund,
    LoanApplication,
    Recommendation,
    Score,
    SiteVisit,
    Status,
)
from fund.services import rules
from portal.bounds import FIRST_DAY
from portal.models import Membership, User
from portal.models.people import today
from portal.money import check_amount
from portal.refusals import Refused
from portal.sectors import Sector

MAX_TERM_MONTHS = 600
TOP_SCORE = 10
# Where an application may still be appraised, recommended or refused.
UNDECIDED = (Status.APPRAISING, Status.RECOMMENDED)


def _text(value: str, limit: int, required_message: str, *, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise Refused(required_message, code="text_required")
    if len(text) > limit:
        raise Refused(
            _("The text is too long: at most %(limit)s characters.") % {"limit": limit}, code="too_long"
        )
    return text


def _limit(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def _check_officer(by: User, fund: Fund) -> None:
    if not runs(by, fund):
        raise Refused(_("Only the fund's officers appraise its applications."), code="not_writable")


def _locked(application: LoanApplication) -> LoanApplication:
    return (
        LoanApplication.objects.select_for_update()
        .select_related("fund", "regulation", "dossier__applicant")
        .get(pk=application.pk)
    )


def _check_appraising(application: LoanApplication) -> None:
    if application.status != Status.APPRAISING:
        raise Refused(
            _("The application is %(status)s: its appraisal is closed.")
            % {"status": application.get_status_display()},
            code="not_appraising",
            conflict=True,
        )


# --- Opening an application ---------------------------------------------------------------------------


def is_party(user: User, dossier: Dossier) -> bool:
    """The dossier's applicant, or who filed it for them."""
    return user.pk in (dossier.applicant.user_id, dossier.filed_by_id)


def filing_day(dossier: Dossier) -> datetime.date:
    """The day the dossier was filed (the portal's local day), or today for one not filed yet."""
    return timezone.localdate(dossier.submitted_at) if dossier.submitted_at else today()


def _check_dossier(dossier: Dossier) -> None:
    if dossier.procedure.code != FUND_LOAN:
        raise Refused(
            _("A loan application is made on a dossier of the fund-loan procedure."), code="procedure"
        )
    if dossier.status not in Dossier.OPEN_STATUSES:
        raise Refused(
            _("The dossier is %(status)s: it takes no application.")
            % {"status": dossier.get_status_display()},
            code="dossier_closed",
            conflict=True,
        )
    if LoanApplication.objects.filter(dossier=dossier).exists():
        raise Refused(_("This dossier already has its loan application."), code="duplicate", conflict=True)


def _check_terms(term_months: int, grace_months: int) -> None:
    for value in (term_months, grace_months):
        if isinstance(value, bool) or not isinstance(value, int):
            raise Refused(_("Enter the term and the grace period in whole months."), code="months")
    if not 1 <= term_months <= MAX_TERM_MONTHS:
        raise Refused(
            _("The term is 1 to %(most)s months.") % {"most": MAX_TERM_MONTHS}, code="term_out_of_range"
        )
    if not 0 <= grace_months < term_months:
        raise Refused(_("The grace period is shorter than the term."), code="grace_out_of_range")


def _check_enterprise_day(founded_on: datetime.date | None, filed_on: datetime.date) -> None:
    if founded_on is not None and not FIRST_DAY <= founded_on <= filed_on:
        raise Refused(
            _("The enterprise was founded on or before the day the application was filed."),
            code="founded_on",
        )


def _check_project(project, dossier: Dossier) -> None:
    if project is not None and not project.founders.filter(person=dossier.applicant).exists():
        raise Refused(_("Choose a project the applicant founded."), code="project_not_founded")


@transaction.atomic
def open_application(
    *,
    dossier: Dossier,
    by: User,
    fund: Fund,
    sector: str,
    enterprise_founded_on: datetime.date | None,
    first_startup: bool,
    project_cost: int,
    amount: int,
    term_months: int,
    grace_months: int,
    purpose: str,
    collateral: str,
    project=None,
) -> LoanApplication:
    """The application on ``dossier``, judged by ``fund``'s regulation in force on the filing day."""
    dossier = Dossier.objects.select_for_update().select_related("procedure", "applicant").get(pk=dossier.pk)
    _check_dossier(dossier)
    if not (is_party(by, dossier) or runs(by, fund)):
        raise Refused(
            _("The applicant, whoever filed the dossier, or the fund's officers fill in the application."),
            code="not_writable",
        )
    filed_on = filing_day(dossier)
    regulation = fund.regulation_on(filed_on)
    if regulation is None:
        raise Refused(
            _("This fund has no regulation in force: it cannot take applications."),
            code="no_regulation",
            conflict=True,
        )
    if sector not in Sector.values:
        raise Refused(_("Choose the sector."), code="sector")
    check_amount(project_cost, _("Total cost of the project"), positive=True)
    check_amount(amount, _("Amount asked"), positive=True)
    _check_terms(term_months, grace_months)
    _check_enterprise_day(enterprise_founded_on, filed_on)
    _check_project(project, dossier)
    return LoanApplication.objects.create(
        dossier=dossier,
        fund=fund,
        regulation=regulation,
        project=project,
        unit_id=dossier.unit_id,
        sector=sector,
        enterprise_founded_on=enterprise_founded_on,
        first_startup=bool(first_startup),
        project_cost=project_cost,
        amount=amount,
        term_months=term_months,
        grace_months=grace_months,
        purpose=_text(purpose, _limit(LoanApplication, "purpose"), _("Say what the money is for.")),
        collateral=_text(collateral, _limit(LoanApplication, "collateral"), "", required=False),
        filed_on=filed_on,
    )


# --- Appraisers, their declarations and scores -------------------------------------------------------


@transaction.atomic
def assign_appraiser(*, application: LoanApplication, user: User, by: User) -> Appraiser:
    application = _locked(application)
    _check_officer(by, application.fund)
    _check_appraising(application)
    if not Membership.objects.active_on(today()).filter(team_id=application.fund.team_id, user=user).exists():
        raise Refused(_("An appraiser is an officer of the fund's team."), code="not_in_team")
    if application.appraisers.filter(user=user).exists():
        raise Refused(
            _("%(name)s already appraises this application.") % {"name": user},
            code="duplicate",
            conflict=True,
        )
    return Appraiser.objects.create(application=application, user=user, assigned_by=by, assigned_on=today())


def _locked_appraiser(appraiser: Appraiser, by: User) -> Appraiser:
    appraiser = (
        Appraiser.objects.select_for_update()
        .select_related("application__regulation", "application__fund")
        .get(pk=appraiser.pk)
    )
    if appraiser.user_id != by.pk:
        raise Refused(_("Only the appraiser declares and scores for themself."), code="not_appraiser")
    _check_appraising(appraiser.application)
    return appraiser


@transaction.atomic
def declare(*, appraiser: Appraiser, by: User, conflict: bool, note: str = "") -> Appraiser:
    """The appraiser's declaration of a conflict of interest (or of none), once, before scoring."""
    appraiser = _locked_appraiser(appraiser, by)
    if appraiser.declaration != Declaration.PENDING:
        raise Refused(_("You have already declared."), code="already_declared", conflict=True)
    note = _text(
        note,
        _limit(Appraiser, "declaration_note"),
        _("Say what the conflict of interest is."),
        required=bool(conflict),
    )
    appraiser.declaration = Declaration.CONFLICT if conflict else Declaration.NO_CONFLICT
    appraiser.declaration_note = note
    appraiser.declared_at = timezone.now()
    appraiser.save(update_fields=["declaration", "declaration_note", "declared_at"])
    return appraiser


def why_cannot_score(appraiser: Appraiser) -> str:
    """Why the appraiser may not score (the page and the service say the same); "" when they may."""
    if appraiser.declaration == Declaration.CONFLICT:
        return _("a conflict of interest was declared (%(note)s)") % {"note": appraiser.declaration_note}
    if appraiser.declaration == Declaration.PENDING:
        return _("no conflict of interest declared or denied yet")
    return ""


def _check_score(criterion, value) -> tuple[int, str]:
    try:
        score, note = value
    except (TypeError, ValueError):
        raise Refused(_("Give each criterion a score and a note."), code="score_shape") from None
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= TOP_SCORE:
        raise Refused(
            _("%(criterion)s: a score is a whole number from 0 to %(top)s.")
            % {"criterion": criterion.name, "top": TOP_SCORE},
            code="score_out_of_range",
        )
    return score, _text(note, _limit(Score, "note"), "", required=False)


@transaction.atomic
def score(*, appraiser: Appraiser, by: User, scores: dict[int, tuple[int, str]]) -> Decimal:
    """Every criterion of the application's rubric scored 0–10, once; returns the weighted total."""
    appraiser = _locked_appraiser(appraiser, by)
    reason = why_cannot_score(appraiser)
    if reason:
        raise Refused(
            _("You cannot score: %(reason)s.") % {"reason": reason}, code="cannot_score", conflict=True
        )
    if appraiser.scores.exists():
        raise Refused(_("Your scores are already recorded."), code="already_scored", conflict=True)
    criteria = {criterion.pk: criterion for criterion in appraiser.application.regulation.criteria.all()}
    if set(scores) != set(criteria):
        raise Refused(_("Score every criterion of the rubric, and only those."), code="scores_incomplete")
    checked = {pk: _check_score(criteria[pk], value) for pk, value in scores.items()}
    Score.objects.bulk_create(
        Score(appraiser=appraiser, criterion=criteria[pk], score=given, note=note)
        for pk, (given, note) in checked.items()
    )
    return weighted_total(sum(criteria[pk].weight * given for pk, (given, _note) in checked.items()))


def weighted_total(weighted_sum: int) -> Decimal:
    """sum(weight × score) / 10: out of 100 when the weights add up to 100 and scores are out of 10."""
    return Decimal(weighted_sum) / TOP_SCORE


def appraisers_totals(application: LoanApplication) -> dict[int, Decimal]:
    """appraiser id -> weighted total, for the appraisers who scored every criterion (one query)."""
    criteria = application.regulation.criteria.count()
    rows = (
        Score.objects.filter(appraiser__application=application)
        .order_by()
        .values("appraiser")
        .annotate(weighted=Sum(F("score") * F("criterion__weight")), scored=Count("pk"))
    )
    return {row["appraiser"]: weighted_total(row["weighted"]) for row in rows if row["scored"] == criteria}


def weighted_score(application: LoanApplication) -> Decimal | None:
    """The average of the weighted totals of the appraisers without a conflict; None before any."""
    clear = set(
        application.appraisers.filter(declaration=Declaration.NO_CONFLICT).values_list("pk", flat=True)
    )
    totals = [total for pk, total in appraisers_totals(application).items() if pk in clear]
    if not totals:
        return None
    return (sum(totals) / len(totals)).quantize(Decimal("0.1"))


# --- Site visit, recommendation, refusal --------------------------------------------------------------


@transaction.atomic
def record_site_visit(
    *, application: LoanApplication, by: User, visited_on: datetime.date, findings: str
) -> SiteVisit:
    application = _locked(application)
    _check_officer(by, application.fund)
    _check_appraising(application)
    if not FIRST_DAY <= visited_on <= today():
        raise Refused(_("The visit took place today or before."), code="visit_in_future")
    return SiteVisit.objects.create(
        application=application,
        visited_on=visited_on,
        by=by,
        findings=_text(findings, _limit(SiteVisit, "findings"), _("Write what the visit found.")),
    )


def _rules_refusal(broken: list[rules.RuleCheck]) -> Refused:
    named = "; ".join(
        f"{check.label} ({check.article}): {check.detail}"
        if check.article
        else f"{check.label}: {check.detail}"
        for check in broken
    )
    return Refused(
        _("The regulation does not allow this loan: %(rules)s.") % {"rules": named}, code="rules_broken"
    )


@transaction.atomic
def recommend(
    *,
    application: LoanApplication,
    by: User,
    recommendation: str,
    amount: int | None = None,
    note: str,
) -> LoanApplication:
    """The appraisal's conclusion: lend (an amount the rules allow) or do not; after a full scoring and a
    site visit."""
    application = _locked(application)
    _check_officer(by, application.fund)
    _check_appraising(application)
    if recommendation not in Recommendation.values:
        raise Refused(_("Recommend lending or not."), code="recommendation")
    if weighted_score(application) is None:
        raise Refused(
            _("An appraiser without a conflict of interest scores every criterion first."),
            code="not_scored",
            conflict=True,
        )
    if not application.site_visits.exists():
        raise Refused(_("Record the site visit first."), code="no_site_visit", conflict=True)
    note = _text(note, _limit(LoanApplication, "recommendation_note"), _("Write the reasons."))
    if recommendation == Recommendation.LEND:
        check_amount(amount, _("Amount recommended"), positive=True)
        asked = rules.Asked(
            amount, application.term_months, application.grace_months, application.regulation.period_months
        )
        broken = rules.failures(rules.check_application(application, asked))
        if broken:
            raise _rules_refusal(broken)
    application.status = Status.RECOMMENDED
    application.recommendation = recommendation
    application.recommended_amount = amount if recommendation == Recommendation.LEND else None
    application.recommendation_note = note
    application.recommended_by = by
    application.recommended_on = today()
    application.save(
        update_fields=[
            "status",
            "recommendation",
            "recommended_amount",
            "recommendation_note",
            "recommended_by",
            "recommended_on",
        ]
    )
    return application


@transaction.atomic
def refuse_application(*, application: LoanApplication, by: User, reason: str) -> LoanApplication:
    """The fund refuses the application (one officer; lending takes two, through a decision)."""
    application = _locked(application)
    _check_officer(by, application.fund)
    if application.status not in UNDECIDED:
        raise Refused(
            _("The application is %(status)s: it cannot be refused now.")
            % {"status": application.get_status_display()},
            code="not_refusable",
            conflict=True,
        )
    application.refusal_reason = _text(
        reason, _limit(LoanApplication, "refusal_reason"), _("Write why the application is refused.")
    )
    application.status = Status.REFUSED
    application.decided_on = today()
    application.save(update_fields=["status", "refusal_reason", "decided_on"])
    return application
