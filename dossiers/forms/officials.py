"""Forms of the officials' dossier pages: the queue's filters, the actions, reviews, replies, reassignment.

Forms only parse input; the services in ``portal.services`` decide whether a change is allowed.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from dossiers.models import Dossier, Procedure, Requirement
from portal.models import AdminUnit, Team

DATE_INPUT = "%d/%m/%Y"


class DossierQueueForm(forms.Form):
    """The queue's filters, read from the query string; an invalid value is ignored, the others apply."""

    DEADLINES = [
        ("overdue", _("Overdue")),
        ("due_today", _("Due today")),
        ("due_soon", _("Due soon")),
    ]
    ORDERS = [("newest", _("Newest first")), ("due", _("Earliest due date first"))]

    q = forms.CharField(label=_("Code or applicant"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Dossier.Status.choices]
    )
    deadline = forms.ChoiceField(
        label=_("Deadline"), required=False, choices=[("", _("Any deadline")), *DEADLINES]
    )
    procedure = forms.ModelChoiceField(
        label=_("Procedure"),
        required=False,
        queryset=Procedure.objects.all(),
        empty_label=_("All procedures"),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), required=False, queryset=AdminUnit.objects.none(), empty_label=_("All units")
    )
    team = forms.ModelChoiceField(
        label=_("Handling team"), required=False, queryset=Team.objects.none(), empty_label=_("All teams")
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All channels")), *Dossier.Channel.choices]
    )
    order = forms.ChoiceField(label=_("Order"), required=False, choices=ORDERS)

    def __init__(self, *args, units, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = unit_label
        self.fields["team"].queryset = teams

    def filters(self) -> dict:
        """The valid filters; a value that does not parse (or is outside scope) is left out."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


def unit_label(unit: AdminUnit) -> str:
    """A unit's name, with the day it ended for a former unit: names repeat across the 2025 reform."""
    if unit.valid_until is None:
        return unit.name
    return _("%(name)s (until %(day)s)") % {"name": unit.name, "day": unit.valid_until.strftime("%d/%m/%Y")}


class ReassignForm(forms.Form):
    team = forms.ModelChoiceField(
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
    missing = forms.ModelMultipleChoiceField(
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
    new_due_date = forms.DateField(
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
