"""Forms of the mentors' pages: the pool's filters, a mentor added or corrected, an assignment, a declared
conflict and a session logged (short: it is filled in on a phone).

What the pool allows (an account on one mentor only, no assignment despite a conflict, a session only
while assigned) is the services' to say (projects/services/mentors.py); these forms read what was
typed within the bounds of what the columns hold.
"""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from portal.bounds import DayField, IdChoiceField, IdMultipleChoiceField
from portal.filters import UnitChoiceField, unit_label
from portal.models import AdminUnit, User
from portal.models.people import today
from portal.widgets import QuickSelect
from projects.forms.fields import DAY, blank_first, text_field
from projects.models import ConflictOfInterest, Mentor, MentorSession

PHONE = re.compile(r"\+?[0-9][0-9 .]{7,14}")
SEARCH_LENGTH = 100


def _today_initial(form: forms.Form) -> None:
    for field in form.fields.values():
        if isinstance(field, DayField) and field.initial is None:
            field.initial = today()


class MentorFilterForm(forms.Form):
    """The pool's filters (a query string): a value that does not parse is named and the page is a 400."""

    q = forms.CharField(label=_("search"), max_length=SEARCH_LENGTH, required=False)
    unit = UnitChoiceField(
        label=_("commune or unit covered"),
        queryset=AdminUnit.objects.none(),
        required=False,
        help_text=_("The mentors who cover this unit or a unit within it."),
    )
    availability = forms.ChoiceField(
        label=_("availability"), choices=blank_first(Mentor.Availability.choices), required=False
    )

    def __init__(self, *args, units: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class UnitsChoiceField(IdMultipleChoiceField):
    def label_from_instance(self, unit: AdminUnit) -> str:
        return unit_label(unit)


class MentorForm(forms.Form):
    """A mentor of the pool: who they are, what they know, where and when they can help, their account."""

    full_name = text_field(Mentor, "full_name", _("full name"))
    fields_of_expertise = text_field(
        Mentor,
        "fields",
        _("fields of expertise"),
        help_text=_("For example: food processing, marketing, accounting, aquaculture."),
    )
    organisation = text_field(Mentor, "organisation", _("organisation"), required=False)
    units = UnitsChoiceField(
        label=_("units covered"),
        queryset=AdminUnit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or ⌘) to choose several."),
    )
    availability = forms.ChoiceField(label=_("availability"), choices=Mentor.Availability.choices)
    phone = text_field(
        Mentor,
        "phone",
        _("phone number"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("e-mail"), max_length=Mentor._meta.get_field("email").max_length, required=False
    )
    public_consent = forms.BooleanField(
        label=_("agrees to be listed publicly"),
        required=False,
        help_text=_("Tick only with the mentor's written or recorded agreement."),
    )
    username = forms.CharField(
        label=_("the mentor's account (user name)"),
        max_length=User._meta.get_field("username").max_length,
        required=False,
        help_text=_("With their own account the mentor signs in and sees the projects assigned to them."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, units: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not (phone.isascii() and PHONE.fullmatch(phone)):
            raise ValidationError(_("Enter a phone number of digits, such as 0912 345 678."), code="phone")
        return phone

    def clean_username(self) -> User | None:
        username = self.cleaned_data["username"].strip()
        if not username:
            return None
        account = User.objects.filter(username=username, is_active=True).first()
        if account is None:
            raise ValidationError(_("No active account has this user name."), code="no_account")
        return account

    def fill(self, mentor: Mentor) -> Mentor:
        """``mentor`` with what was typed (not saved: the service saves it)."""
        data = self.cleaned_data
        mentor.full_name = data["full_name"]
        mentor.fields = data["fields_of_expertise"]
        mentor.organisation = data["organisation"]
        mentor.availability = data["availability"]
        mentor.phone = data["phone"]
        mentor.email = data["email"]
        mentor.public_consent = data["public_consent"]
        mentor.user = data["username"]
        return mentor

    @staticmethod
    def initial_of(mentor: Mentor) -> dict:
        return {
            "full_name": mentor.full_name,
            "fields_of_expertise": mentor.fields,
            "organisation": mentor.organisation,
            "units": [unit.pk for unit in mentor.units.all()],
            "availability": mentor.availability,
            "phone": mentor.phone,
            "email": mentor.email,
            "public_consent": mentor.public_consent,
            "username": mentor.user.username if mentor.user_id else "",
        }


class PoolSelect(QuickSelect):
    """The pool as options: a mentor who declared a conflict with the project is shown disabled, with its
    reason; one who is not available now is marked."""

    def __init__(self, *args, conflicts: dict[int, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflicts = conflicts or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        pk = getattr(value, "value", value)
        if pk in self.conflicts:
            option["attrs"]["disabled"] = True
        return option


class PoolChoiceField(IdChoiceField):
    keeps_labels = False  # a label tells the project's conflicts

    def __init__(self, *args, conflicts: dict[int, str] | None = None, **kwargs):
        self.conflicts = conflicts or {}
        super().__init__(*args, widget=PoolSelect(conflicts=self.conflicts), **kwargs)

    def label_from_instance(self, mentor: Mentor) -> str:
        label = f"{mentor.full_name} – {mentor.fields}"
        if mentor.pk in self.conflicts:
            return str(_("%(mentor)s (conflict of interest: %(reason)s)")) % {
                "mentor": label,
                "reason": self.conflicts[mentor.pk],
            }
        if mentor.availability == Mentor.Availability.UNAVAILABLE:
            return str(_("%(mentor)s (not available now)")) % {"mentor": label}
        if mentor.availability == Mentor.Availability.LIMITED:
            return str(_("%(mentor)s (a few hours a month)")) % {"mentor": label}
        return label


class AssignForm(forms.Form):
    """The standing agency assigns a mentor of the pool to the project.

    The choices hold the whole pool, conflicted mentors too (disabled on the page): a conflict is the
    service's to refuse, with its message."""

    mentor = PoolChoiceField(label=_("mentor"), queryset=Mentor.objects.none())
    on = DayField(label=_("assigned on"), widget=DAY)

    def __init__(self, *args, pool: QuerySet, conflicts: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"] = PoolChoiceField(label=_("mentor"), queryset=pool, conflicts=conflicts)
        _today_initial(self)


class EndAssignmentForm(forms.Form):
    on = DayField(label=_("ended on"), widget=DAY)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_end_%s")
        super().__init__(*args, **kwargs)
        _today_initial(self)


class MentorChoiceField(IdChoiceField):
    def label_from_instance(self, mentor: Mentor) -> str:
        return mentor.full_name


class ConflictForm(forms.Form):
    """A conflict of interest with the project, declared by the mentor (who is not asked who they are) or
    by the standing agency for a mentor of the pool."""

    mentor = MentorChoiceField(label=_("mentor"), queryset=Mentor.objects.none())
    reason = text_field(
        ConflictOfInterest,
        "reason",
        _("reason"),
        help_text=_("For example: a relative of the founder, a shareholder, a competitor."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    on = DayField(label=_("declared on"), widget=DAY)

    def __init__(self, *args, pool: QuerySet | None, **kwargs):
        super().__init__(*args, **kwargs)
        if pool is None:
            del self.fields["mentor"]
        else:
            self.fields["mentor"].queryset = pool
        _today_initial(self)


class HoursField(forms.DecimalField):
    """Hours with one decimal, written with a point or a comma (1,5), in ASCII digits."""

    def __init__(self, **kwargs):
        field = MentorSession._meta.get_field("hours")
        super().__init__(max_digits=field.max_digits, decimal_places=field.decimal_places, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip().replace(",", ".")
        if not text.isascii():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            Decimal(text)
        except InvalidOperation:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return super().to_python(text)


class SessionForm(forms.Form):
    """A mentoring session, logged by the mentor themself (no mentor to choose) or by the project's team."""

    mentor = MentorChoiceField(label=_("mentor"), queryset=Mentor.objects.none())
    held_on = DayField(label=_("date"), widget=DAY)
    hours = HoursField(
        label=_("hours"), widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
    )
    topic = text_field(MentorSession, "topic", _("topic"))
    next_step = text_field(
        MentorSession, "next_step", _("next step"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, mentors: QuerySet | None, **kwargs):
        super().__init__(*args, **kwargs)
        if mentors is None:
            del self.fields["mentor"]
        else:
            self.fields["mentor"].queryset = mentors
        _today_initial(self)
