"""The conversion pipeline: each step dated, by a named officer; a step undone only by a correction.

identified → advised → dossier filed → enterprise registered → followed up → outcome. Registration
grants the entitlements in force that day and makes the follow-up schedule
(conversions/services/followups.py); an outcome may change over time (a suspension ends).
"""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from conversions.access import can_change
from conversions.eligibility import judge
from conversions.models import (
    STAGE_ORDER,
    Conversion,
    ConversionStep,
    HouseholdBusiness,
    Outcome,
    OutcomeChange,
    OutcomeReason,
    Stage,
)
from conversions.services.followups import grant_entitlements, make_schedule
from conversions.services.steps import check_day, locked, mark_followed_up, move
from dossiers.catalogue import CONVERSION_SUPPORT
from dossiers.models import Dossier
from portal.models import User
from portal.refusals import Refused


def _check_writer(by: User, conversion: Conversion | HouseholdBusiness) -> None:
    if not can_change(by, conversion.unit_id):
        raise Refused(
            _("Only the commune's support team (or the standing agency) moves this case."),
            code="not_writable",
        )


@transaction.atomic
def identify_candidate(
    *, business: HouseholdBusiness, by: User, on: datetime.date, note: str = ""
) -> Conversion:
    """Open the case of a household business the team picked as a candidate."""
    business = HouseholdBusiness.objects.select_for_update().get(pk=business.pk)
    _check_writer(by, business)
    check_day(on)
    if Conversion.objects.filter(household_business=business).exists():
        raise Refused(
            _("This household business already has a conversion case."), code="has_case", conflict=True
        )
    if business.status == HouseholdBusiness.Status.CEASED:
        raise Refused(_("This household business has ceased trading."), code="ceased", conflict=True)
    # A case opened after a reform is followed by the commune that holds the business's territory now.
    conversion = Conversion.objects.create(
        household_business=business, unit=business.unit.holder_on(on), opened_by=by, opened_on=on
    )
    ConversionStep.objects.create(
        conversion=conversion, stage=Stage.IDENTIFIED, taken_on=on, note=note, by=by
    )
    business.status = HouseholdBusiness.Status.CANDIDATE
    business.save(update_fields=["status"])
    return conversion


@transaction.atomic
def advise(*, conversion: Conversion, by: User, on: datetime.date, note: str = "") -> Conversion:
    conversion = locked(conversion)
    _check_writer(by, conversion)
    return move(conversion, to=Stage.ADVISED, by=by, on=on, note=note)


@transaction.atomic
def link_dossier(
    *, conversion: Conversion, dossier: Dossier, by: User, on: datetime.date, note: str = ""
) -> Conversion:
    """The owner filed the conversion-support dossier at the one-stop shop: link it to the case."""
    conversion = locked(conversion)
    _check_writer(by, conversion)
    if dossier.procedure.code != CONVERSION_SUPPORT:
        raise Refused(_("Link a dossier of the conversion-support procedure."), code="wrong_procedure")
    if dossier.is_draft:
        raise Refused(_("The dossier has not been filed yet."), code="draft")
    if dossier.applicant_id != conversion.household_business.owner_id:
        raise Refused(_("The dossier was filed by someone other than the owner."), code="other_applicant")
    if Conversion.objects.filter(dossier=dossier).exclude(pk=conversion.pk).exists():
        raise Refused(
            _("The dossier is already linked to another case."), code="dossier_linked", conflict=True
        )
    conversion.dossier = dossier
    return move(conversion, to=Stage.FILED, by=by, on=on, note=note, fields=["dossier"])


@transaction.atomic
def record_paper_filing(*, conversion: Conversion, by: User, on: datetime.date, note: str) -> Conversion:
    """The dossier was filed outside the portal (on paper, before the one-stop shop had the procedure):
    the step is recorded with a note saying where, and no dossier is linked."""
    conversion = locked(conversion)
    _check_writer(by, conversion)
    if not note.strip():
        raise Refused(_("Say where and how the dossier was filed."), code="no_note")
    return move(conversion, to=Stage.FILED, by=by, on=on, note=note)


@transaction.atomic
def register_enterprise(
    *,
    conversion: Conversion,
    by: User,
    enterprise_code: str,
    enterprise_name: str,
    registered_on: datetime.date,
    insured_workers: int,
    yearly_revenue: int | None = None,
    capital: int | None = None,
    note: str = "",
) -> Conversion:
    """Record the first enterprise registration certificate; grant the entitlements of that day and
    make the follow-up schedule."""
    conversion = locked(conversion)
    _check_writer(by, conversion)
    if not (enterprise_code.isascii() and enterprise_code.isdigit() and len(enterprise_code) == 10):
        raise Refused(_("An enterprise code is the 10-digit tax code."), code="enterprise_code")
    if Conversion.objects.filter(enterprise_code=enterprise_code).exclude(pk=conversion.pk).exists():
        raise Refused(
            _("Enterprise code %(code)s is already on another case.") % {"code": enterprise_code},
            code="enterprise_code_taken",
        )
    business = conversion.household_business
    if registered_on <= business.registered_on:
        raise Refused(
            _("The enterprise must be registered after the household business (%(day)s).")
            % {"day": f"{business.registered_on:%d/%m/%Y}"},
            code="before_household",
        )
    sizing = judge(conversion, registered_on, insured_workers, revenue=yearly_revenue, capital=capital).sizing
    conversion.enterprise_code = enterprise_code
    conversion.enterprise_name = enterprise_name
    conversion.registered_on = registered_on
    conversion.insured_workers = insured_workers
    conversion.yearly_revenue = yearly_revenue
    conversion.capital = capital
    conversion.size_class = sizing.size
    conversion.outcome = Outcome.OPERATING
    conversion.outcome_since = registered_on
    fields = [
        "enterprise_code",
        "enterprise_name",
        "registered_on",
        "insured_workers",
        "yearly_revenue",
        "capital",
        "size_class",
        "outcome",
        "outcome_since",
    ]
    move(conversion, to=Stage.REGISTERED, by=by, on=registered_on, note=note, fields=fields)
    OutcomeChange.objects.create(conversion=conversion, outcome=Outcome.OPERATING, since=registered_on, by=by)
    business.status = HouseholdBusiness.Status.CONVERTED
    business.save(update_fields=["status"])
    grant_entitlements(conversion)
    make_schedule(conversion)
    return conversion


@transaction.atomic
def record_outcome(
    *,
    conversion: Conversion,
    by: User,
    outcome: str,
    since: datetime.date,
    reasons: list[str],
    note: str = "",
) -> Conversion:
    """What became of the enterprise from ``since`` on; it may change again later."""
    conversion = locked(conversion)
    _check_writer(by, conversion)
    if conversion.registered_on is None:
        raise Refused(
            _("An outcome is recorded once the enterprise is registered."),
            code="not_registered",
            conflict=True,
        )
    if outcome not in Outcome.values:
        raise Refused(_("Choose one of the outcomes."), code="outcome")
    unknown = [reason for reason in reasons if reason not in OutcomeReason.values]
    if unknown or len(set(reasons)) != len(reasons):
        raise Refused(_("Choose the reasons from the list, each once."), code="reasons")
    if outcome != Outcome.OPERATING and not reasons:
        raise Refused(_("Say why: choose at least one reason."), code="no_reason")
    check_day(since, after=conversion.outcome_since)
    if outcome == conversion.outcome:
        raise Refused(
            _("The enterprise is already “%(outcome)s”.") % {"outcome": Outcome(outcome).label},
            code="same_outcome",
            conflict=True,
        )
    OutcomeChange.objects.create(
        conversion=conversion, outcome=outcome, since=since, reasons=reasons, note=note, by=by
    )
    conversion.outcome = outcome
    conversion.outcome_since = since
    conversion.save(update_fields=["outcome", "outcome_since"])
    if conversion.stage in (Stage.REGISTERED, Stage.FOLLOWED_UP):
        if conversion.stage == Stage.REGISTERED:
            mark_followed_up(conversion, by=by, on=since)
        move(conversion, to=Stage.OUTCOME, by=by, on=since, note=note)
    business = conversion.household_business
    status = (
        HouseholdBusiness.Status.OPERATING
        if outcome == Outcome.REVERTED
        else HouseholdBusiness.Status.CONVERTED
    )
    if business.status != status:
        business.status = status
        business.save(update_fields=["status"])
    return conversion


@transaction.atomic
def correct_step(*, conversion: Conversion, by: User, on: datetime.date, reason: str) -> Conversion:
    """Undo the case's last step, recording why; what it had set is cleared.

    A registration is undone only while nothing has been done after it (no visit, no outcome); a
    follow-up or an outcome is corrected by recording the next outcome, not by undoing it.
    """
    conversion = locked(conversion)
    _check_writer(by, conversion)
    if not reason.strip():
        raise Refused(_("Say why the step is corrected."), code="no_reason")
    check_day(on)
    if conversion.stage == Stage.IDENTIFIED:
        raise Refused(_("The case has no step to undo."), code="nothing_to_undo", conflict=True)
    if conversion.stage in (Stage.FOLLOWED_UP, Stage.OUTCOME):
        raise Refused(
            _("A follow-up or an outcome is not undone: record the enterprise's new state instead."),
            code="not_undoable",
            conflict=True,
        )
    previous = STAGE_ORDER[STAGE_ORDER.index(conversion.stage) - 1]
    fields = ["stage"]
    if conversion.stage == Stage.FILED:
        conversion.dossier = None
        fields.append("dossier")
    elif conversion.stage == Stage.REGISTERED:
        _undo_registration(conversion)
        fields += [
            "enterprise_code",
            "enterprise_name",
            "registered_on",
            "size_class",
            "outcome",
            "outcome_since",
        ]
    conversion.stage = previous
    conversion.save(update_fields=fields)
    ConversionStep.objects.create(
        conversion=conversion, stage=previous, taken_on=on, note=reason, by=by, is_correction=True
    )
    return conversion


def _undo_registration(conversion: Conversion) -> None:
    if (
        conversion.visits.exclude(done_on=None).exists()
        or conversion.outcomes.exclude(outcome=Outcome.OPERATING).exists()
    ):
        raise Refused(
            _("Visits or outcomes were recorded after the registration: it can no longer be undone."),
            code="not_undoable",
            conflict=True,
        )
    for row in [*conversion.entitlements.all(), *conversion.visits.all(), *conversion.outcomes.all()]:
        row.delete()  # one by one, so each removal is audited
    conversion.enterprise_code = ""
    conversion.enterprise_name = ""
    conversion.registered_on = None
    conversion.size_class = ""
    conversion.outcome = ""
    conversion.outcome_since = None
    business = conversion.household_business
    business.status = HouseholdBusiness.Status.CANDIDATE
    business.save(update_fields=["status"])
