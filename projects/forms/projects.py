"""Forms of the project pages: a project registered or its figures corrected, a step, a correction, a
support given, a visit (short: it is filled in on a phone) and a dossier linked.

The rules (figures that add up, whole đồng, the order of the stages, one provider of a support, the
milestones' dates) are the services' (projects/services/); these forms read what was typed within
the bounds of what the columns hold.
"""

import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dossiers.models import Applicant, Dossier
from portal.bounds import DayField, IdChoiceField, IdMultipleChoiceField
from portal.filters import UnitChoiceField
from portal.models import Team
from portal.models.people import today
from portal.sectors import Sector
from projects.forms.fields import DAY, blank_first, money_field, text_field, whole_field
from projects.models import (
    Kind,
    Mentor,
    Milestone,
    Project,
    ProjectVisit,
    Stage,
    StopReason,
    Support,
    SupportKind,
)
from projects.services.support import MilestoneFinding

NOTE = forms.Textarea(attrs={"rows": 2})
MAX_FOUNDERS = 3
# The kinds an officer registers here: a poverty-escape project starts from the household's plan.
REGISTERED_KINDS = [(value, label) for value, label in Kind.choices if value != Kind.POVERTY_ESCAPE]
FIGURES = (
    "capital_needed",
    "own_capital",
    "workers",
    "jobs_planned",
    "jobs_created",
    "jobs_women",
    "jobs_young",
)


class OwnIds(forms.Form):
    """A form whose fields have ids of its own, as several forms share the project page."""

    prefix_name = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.prefix_name}_%s")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, DayField) and field.initial is None:
                field.initial = today()


class ProjectForm(forms.Form):
    """The project's own fields; a new project also has its founders, kind, commune, date and stage."""

    name = text_field(Project, "name", _("project name"))
    sector = forms.ChoiceField(label=_("sector (VSIC section)"), choices=blank_first(Sector.choices))
    summary = forms.CharField(
        label=_("what the project does"),
        max_length=Project._meta.get_field("summary").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    capital_needed = money_field(Project, "capital_needed", _("capital needed (đồng)"), initial=0)
    own_capital = money_field(Project, "own_capital", _("own capital (đồng)"), initial=0)
    workers = whole_field(Project, "workers", _("workers recorded"), initial=0)
    jobs_planned = whole_field(Project, "jobs_planned", _("jobs planned"), initial=0)
    jobs_created = whole_field(Project, "jobs_created", _("jobs created"), initial=0)
    jobs_women = whole_field(Project, "jobs_women", _("of them, women"), initial=0)
    jobs_young = whole_field(Project, "jobs_young", _("of them, young people (16–30)"), initial=0)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is None:
            return  # the figures of a registered project
        self.fields["kind"] = forms.ChoiceField(label=_("kind"), choices=blank_first(REGISTERED_KINDS))
        self.fields["unit"] = UnitChoiceField(label=_("commune or ward"), queryset=units)
        if len(units) == 1:
            self.fields["unit"].initial = units[0].pk
        self.fields["registered_on"] = DayField(label=_("registered on"), widget=DAY, initial=today())
        self.fields["stage"] = forms.ChoiceField(
            label=_("stage"),
            choices=[(Stage.IDEA, Stage.IDEA.label), (Stage.PLAN, Stage.PLAN.label)],
            initial=Stage.IDEA,
            widget=forms.RadioSelect,
        )
        for number in range(1, MAX_FOUNDERS + 1):
            required = number == 1
            self.fields[f"founder_{number}_name"] = text_field(
                Applicant, "full_name", _("full name"), required=required
            )
            self.fields[f"founder_{number}_national_id"] = forms.CharField(
                label=_("CCCD number"),
                max_length=12,
                required=required,
                help_text=_("12 digits. A person the portal already knows is linked, never added twice."),
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            )
            self.fields[f"founder_{number}_phone"] = text_field(
                Applicant,
                "phone",
                _("phone number"),
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            )
        self.fields["address"] = text_field(
            Applicant,
            "address",
            _("founders' address"),
            help_text=_("Recorded for a founder the portal does not know yet."),
        )

    @property
    def is_new(self) -> bool:
        return "kind" in self.fields

    def clean(self):
        data = super().clean()
        if self.is_new:
            for number in range(2, MAX_FOUNDERS + 1):
                name, national_id = (data.get(f"founder_{number}_{part}") for part in ("name", "national_id"))
                if bool(name) != bool(national_id):
                    raise ValidationError(
                        _("Founder %(number)s: give both the full name and the CCCD number, or neither.")
                        % {"number": number},
                        code="founder_half",
                    )
        return data

    def founders(self) -> list[tuple[str, str, str]]:
        """(full name, CCCD, phone) of each founder given, the lead first."""
        data = self.cleaned_data
        rows = []
        for number in range(1, MAX_FOUNDERS + 1):
            name = data.get(f"founder_{number}_name", "").strip()
            if name:
                national_id = data[f"founder_{number}_national_id"].strip()
                rows.append((name, national_id, data.get(f"founder_{number}_phone", "").strip()))
        return rows

    def founder_rows(self) -> list[list]:
        return [
            [self[f"founder_{number}_{part}"] for part in ("name", "national_id", "phone")]
            for number in range(1, MAX_FOUNDERS + 1)
        ]

    def figure_fields(self) -> dict:
        """The cleaned values the services take as the project's fields (``EDITABLE``)."""
        data = self.cleaned_data
        return {name: data[name] for name in ("name", "sector", "summary", *FIGURES)}

    def record_bound_fields(self, names: tuple[str, ...]) -> list:
        return [self[name] for name in names if name in self.fields]


class StepForm(OwnIds):
    """The next stage, or "stopped" with its reason; the service says whether the step is allowed."""

    prefix_name = "step"
    to = forms.ChoiceField(label=_("to the stage"), choices=Stage.choices, widget=forms.RadioSelect)
    on = DayField(label=_("date"), widget=DAY)
    stop_reason = forms.ChoiceField(
        label=_("reason stopped"),
        choices=blank_first(StopReason.choices),
        required=False,
        help_text=_("Only when the project stops."),
    )
    note = forms.CharField(label=_("note"), max_length=2000, required=False, widget=NOTE)

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        if project.stage != Stage.STOPPED and project.stage != Stage.GROWING:
            following = Stage.values[Stage.values.index(project.stage) + 1]
            # The page offers the next stage and stopping; a value typed otherwise is the service's to refuse.
            self.offered = [(following, Stage(following).label), (Stage.STOPPED, Stage.STOPPED.label)]
            self.fields["to"].initial = following
        else:
            self.offered = [(Stage.STOPPED, Stage.STOPPED.label)]


class CorrectForm(OwnIds):
    prefix_name = "correct"
    on = DayField(label=_("corrected on"), widget=DAY)
    note = forms.CharField(label=_("why the last step is undone"), max_length=2000, widget=NOTE)


class HoursField(forms.DecimalField):
    """Hours with one decimal, written in ASCII digits (a point or a comma)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
            if value and not value.isascii():
                raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class TeamChoiceField(IdChoiceField):
    def label_from_instance(self, team: Team) -> str:
        return team.name


class SupportForm(forms.Form):
    """One support given: its kind, who gave it (a team, a mentor of the pool or an organisation), when,
    the hours or the value, and what came of it."""

    kind = forms.ChoiceField(label=_("kind of support"), choices=blank_first(SupportKind.choices))
    given_on = DayField(label=_("date"), widget=DAY)
    team = TeamChoiceField(label=_("given by a team"), queryset=Team.objects.none(), required=False)
    mentor = IdChoiceField(label=_("or by a mentor"), queryset=Mentor.objects.none(), required=False)
    organisation = text_field(
        Support,
        "organisation",
        _("or by an organisation"),
        required=False,
        help_text=_("Name one provider only."),
    )
    hours = HoursField(
        label=_("hours"),
        max_digits=6,
        decimal_places=1,
        min_value=Decimal("0.1"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    value = whole_field(
        Support,
        "value",
        _("value (đồng)"),
        required=False,
        help_text=_("Give the hours, the value or both; whole đồng, digits only."),
    )
    outcome = forms.CharField(label=_("outcome"), max_length=2000, required=False, widget=NOTE)

    def __init__(self, *args, teams, mentors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["mentor"].queryset = mentors
        self.fields["given_on"].initial = today()


STATE_CHOICES = [
    ("", _("unchanged")),
    (Milestone.State.DONE, _("done")),
    (Milestone.State.LATE, _("late")),
    (Milestone.State.CHANGED, _("changed")),
]


class VisitForm(forms.Form):
    """A visit recorded from a phone: the date is today unless changed; for a project with an approved
    plan, what became of each milestone not done yet."""

    visited_on = DayField(label=_("date"), widget=DAY)
    channel = forms.ChoiceField(
        label=_("how"),
        choices=ProjectVisit.Channel.choices,
        initial=ProjectVisit.Channel.VISIT,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("what was seen and done"),
        max_length=ProjectVisit._meta.get_field("note").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    next_step = text_field(ProjectVisit, "next_step", _("next step"), required=False)

    def __init__(self, *args, milestones: list[Milestone], inputs: QuerySet | None = None, **kwargs):
        kwargs.setdefault("auto_id", "id_visit_%s")
        super().__init__(*args, **kwargs)
        self.fields["visited_on"].initial = today()
        self.milestones = milestones
        if inputs is not None:
            self.fields["inputs_given"] = IdMultipleChoiceField(
                label=_("inputs handed over on this visit"),
                queryset=inputs,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        for milestone in milestones:
            self.fields[f"m{milestone.pk}_state"] = forms.ChoiceField(
                label=milestone.title,
                choices=STATE_CHOICES,
                required=False,
                initial="",
                widget=forms.RadioSelect,
            )
            self.fields[f"m{milestone.pk}_new_due_on"] = DayField(
                label=_("new date"), widget=DAY, required=False
            )
            self.fields[f"m{milestone.pk}_reason"] = forms.CharField(
                label=_("reason"), max_length=500, required=False
            )

    def milestone_rows(self) -> list[tuple[Milestone, object, object, object]]:
        return [
            (
                milestone,
                self[f"m{milestone.pk}_state"],
                self[f"m{milestone.pk}_new_due_on"],
                self[f"m{milestone.pk}_reason"],
            )
            for milestone in self.milestones
        ]

    def findings(self) -> list[MilestoneFinding]:
        """What the visit found of each milestone it marked (an unchanged one is left out)."""
        data = self.cleaned_data
        found = []
        for milestone in self.milestones:
            state = data.get(f"m{milestone.pk}_state")
            if state:
                new_due_on: datetime.date | None = data.get(f"m{milestone.pk}_new_due_on")
                found.append(
                    MilestoneFinding(
                        milestone=milestone,
                        state=state,
                        new_due_on=new_due_on,
                        reason=data.get(f"m{milestone.pk}_reason", ""),
                    )
                )
        return found


class DossierChoiceField(IdChoiceField):
    def label_from_instance(self, dossier: Dossier) -> str:
        return _("%(code)s – %(procedure)s, %(name)s (%(status)s)") % {
            "code": dossier.code,
            "procedure": dossier.procedure.name,
            "name": dossier.applicant.full_name,
            "status": dossier.get_status_display(),
        }


class LinkDossierForm(OwnIds):
    prefix_name = "link"
    dossier = DossierChoiceField(label=_("dossier"), queryset=Dossier.objects.none())

    def __init__(self, *args, dossiers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dossier"].queryset = dossiers
