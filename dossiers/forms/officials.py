"""Forms of the officials' dossier pages: the steps, reviews, replies, reassignment.

The queue's filters are ``dossiers.filters.DossierFilter``. Forms only parse input; the services in
``dossiers.services`` decide whether a change is allowed.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from dossiers.models import Dossier, Requirement, SupplementRequest
from dossiers.transitions import Step
from portal.bounds import DayField, IdChoiceField, IdMultipleChoiceField, WholeNumberField
from portal.models import Team

DATE_INPUT = "%d/%m/%Y"


class ReassignForm(forms.Form):
    team = IdChoiceField(
        label=_("Hand the selected dossiers to"), queryset=Team.objects.none(), empty_label=_("Choose a team")
    )

    def __init__(self, *args, teams, **kwargs):
        # Its own ids: the queue's filters have a "team" field too.
        kwargs.setdefault("auto_id", "id_reassign_%s")
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams


def text_area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class ConfirmForm(forms.Form):
    """An action that needs nothing but the button."""


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=text_area(), max_length=2000)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("What is to be paid and how"), widget=text_area(), max_length=2000)


class ResultForm(forms.Form):
    result = forms.CharField(label=_("Decision"), widget=text_area(4), max_length=4000)


class SupplementForm(forms.Form):
    missing = IdMultipleChoiceField(
        label=_("Missing or incomplete documents"),
        queryset=Requirement.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Choose at least one missing document.")},
    )
    note = forms.CharField(
        label=_("What exactly is missing"),
        widget=text_area(),
        max_length=2000,
        help_text=_("The applicant reads this on the supplement slip."),
    )

    def __init__(self, *args, dossier: Dossier, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["missing"]
        field.queryset = dossier.procedure_version.requirements.select_related("document_kind")
        field.label_from_instance = lambda requirement: str(requirement.document_kind)


class ApologyForm(forms.Form):
    new_due_date = DayField(
        label=_("New due date"),
        input_formats=[DATE_INPUT],
        widget=forms.DateInput(
            format=DATE_INPUT, attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}
        ),
        help_text=_("Day/month/year, for example 25/12/2026."),
        error_messages={"invalid": _("Write the date as day/month/year, for example 25/12/2026.")},
    )
    reason = forms.CharField(label=_("Why the dossier will be late"), widget=text_area(), max_length=2000)


class ReviewForm(forms.Form):
    DECISIONS = [("accept", _("Accept")), ("reject", _("Reject"))]

    decision = forms.ChoiceField(
        label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect(attrs={"class": "form-check-input"})
    )
    reason = forms.CharField(
        label=_("Reason (required to reject)"), required=False, widget=text_area(2), max_length=2000
    )

    @property
    def is_accepted(self) -> bool:
        return self.cleaned_data["decision"] == "accept"


class ReplyForm(forms.Form):
    reply = forms.CharField(label=_("Reply"), widget=text_area(), max_length=4000)


class SlipForm(forms.Form):
    """A slip's query string: which supplement round (the latest when left out)."""

    round = WholeNumberField.of(
        SupplementRequest._meta.get_field("round"), label=_("Supplement round"), required=False
    )


# The form of each step of the table (dossiers/transitions.py), by what it asks for.
STEP_FORMS: dict[tuple[str, ...], type[forms.Form]] = {
    (): ConfirmForm,
    ("reason",): ReasonForm,
    ("note",): NoteForm,
    ("result",): ResultForm,
    ("missing", "note"): SupplementForm,
    ("new_due_date", "reason"): ApologyForm,
}


def step_form(step: Step, dossier: Dossier, data=None) -> forms.Form:
    """The form of ``step`` on ``dossier``, with ids of its own (a page shows several)."""
    form_class = STEP_FORMS[step.inputs]
    extra = {"dossier": dossier} if form_class is SupplementForm else {}
    return form_class(data, auto_id=f"id_{step.name}_%s", **extra)
