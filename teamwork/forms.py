"""Forms of the activity pages: a short form a commune officer fills in on a phone, and the list's filters."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from portal.bounds import DayField, IdChoiceField, WholeNumberField
from portal.models import AdminUnit, Team
from portal.models.people import today
from teamwork.models import Activity

# The fields each kind adds to the common ones; the page shows only those of the chosen kind.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    Activity.Kind.OUTREACH: ("channel", "mass_organisation", "mass_organisation_other"),
    Activity.Kind.TRAINING: (),
    Activity.Kind.SUPPORT_VISIT: ("supported_team",),
    Activity.Kind.REVIEW_MEETING: ("review_kind", "lessons_learned"),
    Activity.Kind.CONSULTATION: ("counterpart",),
}


def _blank_first(choices) -> list:
    return [("", "---------"), *choices]


def _field(name: str):
    return Activity._meta.get_field(name)


def _text(name: str, label, **kwargs) -> forms.CharField:
    """Text of at most what the model's field holds, the API's limit too (teamwork/api.py)."""
    return forms.CharField(label=label, max_length=_field(name).max_length, **kwargs)


class ActivityForm(forms.Form):
    """Every field the kinds need, optional here: portal.services.activities decides what each kind needs."""

    team = IdChoiceField(label=_("team"), queryset=Team.objects.none())
    kind = forms.ChoiceField(
        label=_("kind"),
        choices=_blank_first(Activity.Kind.choices),
        # With htmx, choosing the kind brings in its fields; without it the page shows them all.
        widget=forms.Select(
            attrs={
                "hx-get": reverse_lazy("activity_new"),
                "hx-trigger": "change",
                "hx-target": "#kind-fields",
                "hx-select": "#kind-fields",
                "hx-swap": "outerHTML",
            }
        ),
    )
    held_on = DayField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    unit = IdChoiceField(label=_("where"), queryset=AdminUnit.objects.none())
    people_reached = WholeNumberField.of(
        _field("people_reached"),
        label=_("people reached"),
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    topics = _text("topics", _("topics"))
    channel = forms.ChoiceField(
        label=_("outreach channel"), choices=_blank_first(Activity.Channel.choices), required=False
    )
    mass_organisation = forms.ChoiceField(
        label=_("mass organisation"), choices=_blank_first(Activity.MassOrganisation.choices), required=False
    )
    mass_organisation_other = _text("mass_organisation_other", _("other mass organisation"), required=False)
    supported_team = IdChoiceField(
        label=_("commune team supported"), queryset=Team.objects.none(), required=False
    )
    review_kind = forms.ChoiceField(
        label=_("review"), choices=_blank_first(Activity.ReviewKind.choices), required=False
    )
    lessons_learned = _text(
        "lessons_learned", _("lessons learned"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    counterpart = _text("counterpart", _("expert or organisation consulted"), required=False)
    notes = _text("notes", _("notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    file = forms.FileField(
        label=_("photo or minutes"),
        required=False,
        help_text=_("Optional: a photo (JPEG, PNG) or the minutes (PDF, Word)."),
    )

    def __init__(self, *args, teams, units, supported_teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["unit"].queryset = units
        self.fields["supported_team"].queryset = supported_teams
        self.fields["held_on"].initial = today()
        if len(teams) == 1:
            self.fields["team"].initial = teams[0].pk
            self.fields["team"].widget = forms.HiddenInput()
            self.fields["unit"].initial = teams[0].unit_id

    def chosen_kind(self) -> str:
        """The kind in the input, to show only its fields (all of them when none is chosen yet)."""
        value = self.data.get("kind") if self.is_bound else self.initial.get("kind")
        return value if value in KIND_FIELDS else ""

    def common_fields(self):
        return [self[name] for name in ("kind", "held_on", "unit", "people_reached", "topics")]

    def kind_fields(self):
        """(kind label, its bound fields) for the chosen kind, or for every kind when none is chosen."""
        chosen = self.chosen_kind()
        kinds = [chosen] if chosen else list(KIND_FIELDS)
        return [
            (Activity.Kind(kind).label, [self[name] for name in KIND_FIELDS[kind]])
            for kind in kinds
            if KIND_FIELDS[kind]
            and (kind != Activity.Kind.SUPPORT_VISIT or self.fields["supported_team"].queryset)
        ]
