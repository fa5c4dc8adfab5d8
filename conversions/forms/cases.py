"""Forms of a conversion case's page, of a follow-up visit (short: it is filled in on a phone) and of the
follow-up schedule.

What the steps allow (their order, their dates, the enterprise code) is the services' to say
(conversions/services/cases.py, followups.py); these forms read what was typed within the bounds of
what the columns hold.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from conversions.models import Conversion, FollowUpVisit, Outcome, OutcomeReason, VisitSchedule
from dossiers.models import Dossier
from portal.bounds import DayField, IdChoiceField, WholeNumberField
from portal.models.people import today

DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NOTE = forms.Textarea(attrs={"rows": 2})


def _blank_first(choices) -> list:
    return [("", "---------"), *choices]


def _note(label=None, *, required: bool = False, max_length: int = 2000) -> forms.CharField:
    label = _("note") if label is None else label
    return forms.CharField(label=label, max_length=max_length, required=required, widget=NOTE)


def _whole(model, name: str, label, **kwargs) -> WholeNumberField:
    return WholeNumberField.of(
        model._meta.get_field(name),
        label=label,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        **kwargs,
    )


class CaseForm(forms.Form):
    """A form of the case page; each has its own ids, as several share the page."""

    prefix_name = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.prefix_name}_%s")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, DayField) and field.initial is None:
                field.initial = today()


class AdviseForm(CaseForm):
    prefix_name = "advise"
    on = DayField(label=_("advised on"), widget=DAY)
    note = _note()


class DossierChoiceField(IdChoiceField):
    def label_from_instance(self, dossier: Dossier) -> str:
        return _("%(code)s, filed %(day)s (%(status)s)") % {
            "code": dossier.code,
            "day": f"{dossier.submitted_at:%d/%m/%Y}" if dossier.submitted_at else "—",
            "status": dossier.get_status_display(),
        }


class LinkDossierForm(CaseForm):
    prefix_name = "link"
    dossier = DossierChoiceField(label=_("conversion-support dossier"), queryset=Dossier.objects.none())
    on = DayField(label=_("filed on"), widget=DAY)
    note = _note()

    def __init__(self, *args, dossiers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dossier"].queryset = dossiers
        if len(dossiers) == 1:
            self.fields["dossier"].initial = dossiers[0].pk


class RegisterForm(CaseForm):
    prefix_name = "register"
    enterprise_code = forms.CharField(
        label=_("enterprise code"),
        max_length=20,  # a longer one is still read, and refused with the rule's own message
        help_text=_("The 10-digit tax code on the enterprise registration certificate."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    enterprise_name = forms.CharField(
        label=_("enterprise name"), max_length=Conversion._meta.get_field("enterprise_name").max_length
    )
    registered_on = DayField(label=_("first enterprise registration certificate issued on"), widget=DAY)
    insured_workers = _whole(Conversion, "insured_workers", _("insured workers"))
    yearly_revenue = _whole(Conversion, "yearly_revenue", _("yearly revenue (đồng)"), required=False)
    capital = _whole(Conversion, "capital", _("capital (đồng)"), required=False)
    note = _note()


class OutcomeForm(CaseForm):
    prefix_name = "outcome"
    outcome = forms.ChoiceField(label=_("state of the enterprise"), choices=_blank_first(Outcome.choices))
    since = DayField(label=_("since"), widget=DAY)
    reasons = forms.MultipleChoiceField(
        label=_("reasons"),
        choices=OutcomeReason.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("At least one, unless the enterprise is operating."),
    )
    note = _note()


class CorrectForm(CaseForm):
    prefix_name = "correct"
    on = DayField(label=_("corrected on"), widget=DAY)
    reason = _note(_("why the last step is undone"), required=True)


class VisitForm(forms.Form):
    """A follow-up recorded from a phone in under a minute: the date is today unless changed."""

    done_on = DayField(label=_("date"), widget=DAY)
    channel = forms.ChoiceField(
        label=_("how"), choices=FollowUpVisit.Channel.choices, widget=forms.RadioSelect
    )
    finding = forms.ChoiceField(
        label=_("the enterprise's state"), choices=FollowUpVisit.Finding.choices, widget=forms.RadioSelect
    )
    actions = _note(_("what was done"))
    next_step = forms.CharField(
        label=_("next step"), max_length=FollowUpVisit._meta.get_field("next_step").max_length, required=False
    )
    file = forms.FileField(
        label=_("photo or document"),
        required=False,
        help_text=_("Optional: a photo (JPEG, PNG) or a document (PDF, Word)."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf,.docx"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_visit_%s")
        super().__init__(*args, **kwargs)
        self.fields["done_on"].initial = today()


class RescheduleForm(forms.Form):
    due_on = DayField(label=_("new due date"), widget=DAY)
    reason = forms.CharField(
        label=_("why it is moved"), max_length=FollowUpVisit._meta.get_field("reschedule_reason").max_length
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_reschedule_%s")
        super().__init__(*args, **kwargs)


class SkipForm(forms.Form):
    reason = forms.CharField(
        label=_("why it is skipped"), max_length=FollowUpVisit._meta.get_field("skipped_reason").max_length
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_skip_%s")
        super().__init__(*args, **kwargs)


MAX_MONTHS = 24  # months in one schedule, far more than any programme visits


class MonthsField(forms.CharField):
    """Months after registration, written "1, 3, 6, 12": each a whole number from 1 to 120."""

    def to_python(self, value):
        text = super().to_python(value)
        parts = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
        if len(parts) > MAX_MONTHS:
            raise ValidationError(
                _("Give at most %(count)s months.") % {"count": MAX_MONTHS}, code="too_many"
            )
        try:
            return [WholeNumberField(min_value=1, max_value=120).clean(part) for part in parts]
        except ValidationError as error:
            raise ValidationError(
                _("Give the months as different whole numbers from 1 to 120, separated by commas."),
                code="months",
            ) from error


class ScheduleForm(forms.Form):
    effective_from = DayField(label=_("for enterprises registered from"), widget=DAY)
    months = MonthsField(
        label=_("months after registration"),
        max_length=200,
        help_text=_("Separated by commas, for example: 1, 3, 6, 12, 24, 36."),
    )
    note = forms.CharField(
        label=_("note"), max_length=VisitSchedule._meta.get_field("note").max_length, required=False
    )
