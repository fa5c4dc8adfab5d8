"""Forms of the success models' pages: the list's status, a project proposed as a model, the council's
decision, a photo, and a project recording the model it replicates.

What a model needs (a proven project, evidence, a note when declined, a JPEG or PNG photo, a later
project replicating a confirmed model) is the services' to say (projects/services/showcase.py);
these forms read what was typed within the bounds of what the columns hold.
"""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from portal.bounds import DayField, IdChoiceField
from portal.models.people import today
from projects.forms.fields import DAY, whole_field
from projects.models import ModelPhoto, SuccessModel


class ModelFilterForm(forms.Form):
    """The list's tab (a query string): a status that does not exist is named and the page is a 400."""

    status = forms.ChoiceField(
        label=_("status"), choices=[("", _("all")), *SuccessModel.Status.choices], required=False
    )


class ProposeForm(forms.Form):
    """The standing agency proposes the project as a model, with the evidence the council weighs."""

    title = forms.CharField(
        label=_("name of the model"),
        max_length=SuccessModel._meta.get_field("title").max_length,
        help_text=_("For example: Raising goats on the Bach Thao breed with grass grown in the garden."),
    )
    yearly_revenue = whole_field(SuccessModel, "yearly_revenue", _("yearly revenue (đồng)"))
    jobs = whole_field(SuccessModel, "jobs", _("jobs"))
    years_operating = whole_field(SuccessModel, "years_operating", _("years operating"))
    evidence = forms.CharField(
        label=_("evidence and lessons"),
        max_length=SuccessModel._meta.get_field("evidence").max_length,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the project achieved, how it is known, and what others can learn from it."),
    )
    public_consent = forms.BooleanField(
        label=_("the founder agrees to publication"),
        required=False,
        help_text=_(
            "Once the council confirms it, the public page shows the model's name, commune, sector, "
            "years, jobs, evidence and photos; never the founder's name or the revenue."
        ),
    )


class DecideForm(forms.Form):
    """The council confirms the proposed model, or does not, saying why."""

    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[("confirm", _("confirm the model")), ("decline", _("do not confirm"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("note"),
        max_length=SuccessModel._meta.get_field("decision_note").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the model is not confirmed."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_decide_%s")
        super().__init__(*args, **kwargs)


class PhotoForm(forms.Form):
    """A photo of the model: the service checks from its content that it is a JPEG or PNG."""

    file = forms.FileField(
        label=_("photo"),
        max_length=ModelPhoto._meta.get_field("original_name").max_length,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    caption = forms.CharField(
        label=_("caption"), max_length=ModelPhoto._meta.get_field("caption").max_length, required=False
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_photo_%s")
        super().__init__(*args, **kwargs)


class ModelChoiceField(IdChoiceField):
    def label_from_instance(self, model: SuccessModel) -> str:
        return f"{model.title} – {model.project.unit.name}"


class ReplicateForm(forms.Form):
    """The project's keepers record the confirmed model it copies."""

    model = ModelChoiceField(label=_("the model it replicates"), queryset=SuccessModel.objects.none())
    on = DayField(label=_("replicating since"), widget=DAY)

    def __init__(self, *args, models: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].queryset = models
        self.fields["on"].initial = today()
