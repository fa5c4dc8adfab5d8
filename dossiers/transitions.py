"""The steps of a dossier's life: from which statuses each may be taken, by whom, with what.

This table is the one place that says so. The services (dossiers/services/dossiers.py) refuse a
step it does not allow; the officials' dossier page shows a button and a form for each step it
allows to them; the applicant's page offers theirs; the API has one endpoint per step
(``POST /api/v1/dossiers/{id}/<step>/``). A step added here appears in all of them once it has
its service (``services.dossiers.SERVICES``, under the same name, taking the step's inputs).
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dossiers.models import Dossier

Status = Dossier.Status

PROCESSOR = "processor"  # the handling team, or the council and standing agency in scope
APPLICANT = "applicant"  # the applicant's own account, or the officer who filed for them


@dataclass(frozen=True)
class Step:
    name: str
    by: str  # PROCESSOR or APPLICANT
    from_statuses: frozenset[str]
    to_status: str | None  # None: the status stays (an apology, a rating)
    # What the step asks the person for, by name: the page's form fields (dossiers/forms), the API's
    # body fields (dossiers/api/serializers.py) and the service's keyword arguments share the names.
    inputs: tuple[str, ...]
    label: Promise  # the button
    timeline: Promise  # how it reads on the applicant's timeline
    done: Promise  # what the page says once it is done; "%(code)s" is the dossier's code
    summary: str  # the API endpoint's summary (the schema is in English)
    is_danger: bool = False

    @property
    def url_path(self) -> str:
        return self.name.replace("_", "-")

    def done_message(self, dossier: Dossier) -> str:
        return str(self.done) % {"code": dossier.code}

    def allows(self, dossier: Dossier) -> bool:
        """Whether the step may be taken on ``dossier`` as it is now (the service checks again, locked)."""
        if self.name == "submit":
            return dossier.is_draft
        if dossier.is_draft or dossier.status not in self.from_statuses:
            return False
        if self.name == "apologise":
            return dossier.due_date is not None and dossier.apology_issued_at is None
        if self.name == "rate":
            return dossier.rating is None
        return True


OPEN = frozenset(Dossier.OPEN_STATUSES)
ACTIVE = frozenset(
    {Status.RECEIVED, Status.IN_PROGRESS, Status.SUPPLEMENT_REQUESTED, Status.PAYMENT_REQUESTED}
)

STEPS: dict[str, Step] = {
    step.name: step
    for step in (
        Step(
            "submit",
            APPLICANT,
            frozenset({Status.NEW}),
            Status.NEW,
            (),
            _("File the dossier"),
            _("Filed"),
            _("Dossier %(code)s has been filed. The handling team will receive it and give you a due date."),
            "File a draft dossier",
        ),
        Step(
            "receive",
            PROCESSOR,
            frozenset({Status.NEW}),
            Status.RECEIVED,
            (),
            _("Receive the dossier"),
            _("Received; receipt slip issued"),
            _("The dossier has been received; the receipt slip is ready to print."),
            "Receive a filed dossier at the desk: the clock starts",
        ),
        Step(
            "refuse",
            PROCESSOR,
            frozenset({Status.NEW}),
            Status.NOT_RECEIVED,
            ("reason",),
            _("Refuse to receive"),
            _("Not received at the desk"),
            _("The dossier was not received; the refusal slip is ready to print."),
            "Refuse a filed dossier at the desk, saying why",
            is_danger=True,
        ),
        Step(
            "start",
            PROCESSOR,
            frozenset({Status.RECEIVED}),
            Status.IN_PROGRESS,
            (),
            _("Start processing"),
            _("Processing started"),
            _("Processing has started."),
            "Start processing a received dossier",
        ),
        Step(
            "request_supplement",
            PROCESSOR,
            frozenset({Status.RECEIVED, Status.IN_PROGRESS}),
            Status.SUPPLEMENT_REQUESTED,
            ("missing", "note"),
            _("Request a supplement"),
            _("Supplement requested"),
            _("The applicant has been asked for the missing documents; the slip is ready to print."),
            "Ask the applicant for missing documents: the clock pauses",
        ),
        Step(
            "supply_supplement",
            APPLICANT,
            frozenset({Status.SUPPLEMENT_REQUESTED}),
            Status.IN_PROGRESS,
            (),
            _("Send the supplement"),
            _("Supplement provided; processing resumed"),
            _(
                "The supplement has been sent. Processing resumes and the due date moves by the days "
                "it waited."
            ),
            "Tell the handling team the requested documents are there: the clock resumes",
        ),
        Step(
            "request_payment",
            PROCESSOR,
            frozenset({Status.IN_PROGRESS}),
            Status.PAYMENT_REQUESTED,
            ("note",),
            _("Request payment"),
            _("Payment requested"),
            _("The applicant has been asked to pay."),
            "Ask the applicant to pay",
        ),
        Step(
            "confirm_payment",
            PROCESSOR,
            frozenset({Status.PAYMENT_REQUESTED}),
            Status.IN_PROGRESS,
            (),
            _("Confirm the payment"),
            _("Payment confirmed"),
            _("The payment has been confirmed; processing continues."),
            "Confirm the payment: processing resumes",
        ),
        Step(
            "withdraw",
            APPLICANT,
            OPEN,
            Status.WITHDRAWN,
            ("reason",),
            _("Withdraw the dossier"),
            _("Withdrawn by the applicant"),
            _("Dossier %(code)s has been withdrawn."),
            "Withdraw the dossier, saying why",
            is_danger=True,
        ),
        Step(
            "complete",
            PROCESSOR,
            frozenset({Status.IN_PROGRESS}),
            Status.DONE,
            ("result",),
            _("Record the decision"),
            _("Decided"),
            _("The decision has been recorded."),
            "Record the decision",
        ),
        Step(
            "return_result",
            PROCESSOR,
            frozenset({Status.DONE}),
            Status.RESULT_RETURNED,
            (),
            _("Return the result"),
            _("Result returned"),
            _("The result has been returned to the applicant."),
            "Return the result to the applicant",
        ),
        Step(
            "apologise",
            PROCESSOR,
            OPEN,
            None,
            ("new_due_date", "reason"),
            _("Apologise and set a new date"),
            _("Apology issued with a new due date"),
            _("The apology has been issued with the new date; the slip is ready to print."),
            "Apologise for a dossier that will be late, with a new due date (once)",
        ),
        Step(
            "stop",
            PROCESSOR,
            ACTIVE,
            Status.STOPPED,
            ("reason",),
            _("Stop processing"),
            _("Processing stopped"),
            _("Processing has been stopped."),
            "Stop processing, saying why",
            is_danger=True,
        ),
        Step(
            "rate",
            APPLICANT,
            frozenset({Status.RESULT_RETURNED}),
            None,
            ("rating", "comment"),
            _("Send the rating"),
            _("Service rated"),
            _("Thank you for rating the service."),
            "Rate the service once the result is returned (the applicant, once)",
        ),
    )
}

# How the timeline reads the start of a draft, which is not a step of the table (nothing precedes it).
START_DRAFT = "start_draft"
TIMELINE_LABELS: dict[str, Promise] = {START_DRAFT: _("Draft started")} | {
    name: step.timeline for name, step in STEPS.items()
}


def steps_for(by: str) -> list[Step]:
    return [step for step in STEPS.values() if step.by == by]
