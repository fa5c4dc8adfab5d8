"""Forms of the applicant's pages and of the public lookup."""

import re

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from dossiers.models import Applicant, Dossier, Procedure
from portal.bounds import IdChoiceField
from portal.models import AdminUnit, User

_PHONE_PUNCTUATION = re.compile(r"[\s.\-()]")
# Mobile numbers have 10 digits (03x, 05x, 07x, 08x, 09x); landlines 11, starting with 02.
_VIETNAMESE_PHONE = re.compile(r"0(?:[35789]\d{8}|2\d{9})")


def normalize_vietnamese_phone(value: str) -> str:
    """``+84 912 345 678`` and ``0912.345.678`` are stored as ``0912345678``; anything else is refused."""
    digits = _PHONE_PUNCTUATION.sub("", value or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if not _VIETNAMESE_PHONE.fullmatch(digits):
        raise ValidationError(
            _(
                "Enter a Vietnamese phone number: 10 digits for a mobile (for example 0912 345 678) "
                "or 11 digits for a landline starting with 02."
            ),
            code="invalid_phone",
        )
    return digits


def normalize_national_id(value: str) -> str:
    digits = re.sub(r"\s", "", value or "")
    if not re.fullmatch(r"\d{12}", digits):
        raise ValidationError(_("A CCCD number has exactly 12 digits."), code="invalid_national_id")
    return digits


def normalize_tax_code(value: str) -> str:
    compact = re.sub(r"[\s\-]", "", value or "")
    if re.fullmatch(r"\d{10}", compact):
        return compact
    if re.fullmatch(r"\d{13}", compact):
        return f"{compact[:10]}-{compact[10:]}"
    raise ValidationError(
        _("A tax code has 10 digits, or 13 for a branch (written 0123456789-001)."), code="invalid_tax_code"
    )


class UnitsByProvince(ModelChoiceIterator):
    """The communes and wards grouped under their province, for an easier choice in a long list."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[str, list] = {}
        for unit in self.queryset:
            groups.setdefault(unit.parent.name if unit.parent else "", []).append(self.choice(unit))
        yield from groups.items()


class UnitChoiceField(IdChoiceField):
    iterator = UnitsByProvince


def current_communes():
    return (
        AdminUnit.objects.current()
        .filter(level=AdminUnit.Level.COMMUNE)
        .select_related("parent")
        .order_by("parent__sort_name", "sort_name", "code")
    )


class ApplicantForm(forms.ModelForm):
    """Who the applicant is; on first filling, their consent to the processing of their personal data."""

    unit_search = forms.CharField(
        label=_("Find your commune or ward"),
        required=False,
        max_length=100,
        help_text=_("Type part of the name to shorten the list below, for example “an hoi”."),
    )
    unit = UnitChoiceField(
        label=_("Commune or ward where you live or do business"),
        queryset=AdminUnit.objects.none(),
        empty_label=_("— choose —"),
        error_messages={"required": _("Choose your commune or ward.")},
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the portal processes my personal data (name, CCCD number, phone number, address) "
            "to handle my dossiers, under Decree 13/2023/NĐ-CP on personal data protection."
        ),
        error_messages={"required": _("The portal can handle your dossiers only with your consent.")},
    )

    class Meta:
        model = Applicant
        fields = [
            "kind",
            "full_name",
            "enterprise_name",
            "tax_code",
            "national_id",
            "phone",
            "email",
            "address",
            "unit",
        ]
        labels = {
            "kind": _("I apply as"),
            "full_name": _("Full name"),
            "enterprise_name": _("Name of the enterprise or household business"),
            "tax_code": _("Tax code"),
            "national_id": _("CCCD number"),
            "phone": _("Phone number"),
            "email": _("E-mail"),
            "address": _("Address"),
        }
        help_texts = {
            "full_name": _("As on your CCCD; for an enterprise, its legal representative."),
            "enterprise_name": _("Only for an enterprise or a household business."),
            "tax_code": _("Only for an enterprise or a household business."),
            "national_id": _("The 12 digits on your citizen identity card; required for a person."),
            "phone": _(
                "The last four digits, with the dossier code, let you look a dossier up without signing in."
            ),
            "address": _("House number, street, hamlet (ấp)."),
        }
        error_messages = {
            "full_name": {"required": _("Enter your full name.")},
            "phone": {"required": _("Enter your phone number.")},
            "address": {"required": _("Enter your address.")},
            "email": {"invalid": _("Enter a valid e-mail address, for example ten@example.vn.")},
        }

    field_order = [
        "kind",
        "full_name",
        "enterprise_name",
        "tax_code",
        "national_id",
        "phone",
        "email",
        "address",
        "unit_search",
        "unit",
        "consent",
    ]

    def __init__(self, *args, with_consent: bool, unit_search_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = current_communes()
        # People type spaces and dots in numbers; the length that counts is checked after they go.
        for name in ("tax_code", "national_id", "phone"):
            field = self.fields[name]
            field.max_length = 24
            field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
            field.widget.attrs["maxlength"] = "24"
        if not with_consent:
            del self.fields["consent"]
        if unit_search_url:
            # htmx fetches the page with the search text and swaps in its shortened list; without
            # JavaScript the whole list, grouped by province, stays usable.
            self.fields["unit_search"].widget.attrs.update(
                {
                    "type": "search",
                    "autocomplete": "off",
                    "hx-get": unit_search_url,
                    "hx-trigger": "input changed delay:300ms, search",
                    "hx-target": "#id_unit",
                    "hx-select": "#id_unit",
                    "hx-swap": "outerHTML",
                }
            )
        else:
            del self.fields["unit_search"]

    def narrow_units(self, text: str) -> None:
        """Offer only the communes and wards whose name contains ``text`` (diacritics and case ignored)."""
        self.fields["unit"].queryset = current_communes().search(text)

    def clean_phone(self) -> str:
        return normalize_vietnamese_phone(self.cleaned_data["phone"])

    def clean_national_id(self) -> str:
        value = self.cleaned_data["national_id"]
        return normalize_national_id(value) if value.strip() else ""

    def clean_tax_code(self) -> str:
        value = self.cleaned_data["tax_code"]
        return normalize_tax_code(value) if value.strip() else ""

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if (
            kind == Applicant.Kind.PERSON
            and not cleaned.get("national_id")
            and "national_id" not in self.errors
        ):
            self.add_error("national_id", _("Enter your CCCD number."))
        if kind == Applicant.Kind.ENTERPRISE:
            if not cleaned.get("enterprise_name", "").strip():
                self.add_error(
                    "enterprise_name", _("Enter the name of the enterprise or household business.")
                )
            if not cleaned.get("tax_code") and "tax_code" not in self.errors:
                self.add_error("tax_code", _("Enter the tax code of the enterprise or household business."))
        return cleaned


class RegistrationForm(UserCreationForm):
    """The account: a username and a password checked by the portal's password rules."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username",)


class StartDossierForm(forms.Form):
    summary = forms.CharField(
        label=_("What do you ask the programme for? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class UploadForm(forms.Form):
    # Empty files reach the content check, which says so in plain words.
    file = forms.FileField(
        label=_("File"),
        allow_empty_file=True,
        error_messages={"required": _("Choose a file to upload.")},
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you withdraw the dossier?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why you withdraw the dossier.")},
    )


RATING_CHOICES = [
    (1, _("1 – very dissatisfied")),
    (2, _("2 – dissatisfied")),
    (3, _("3 – acceptable")),
    (4, _("4 – satisfied")),
    (5, _("5 – very satisfied")),
]


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with the service?"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a rating from 1 to 5."),
            "invalid_choice": _("Choose a rating from 1 to 5."),
        },
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InquiryForm(forms.Form):
    question = forms.CharField(
        label=_("Your obstacle or question"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Describe the obstacle.")},
    )


class LookupForm(forms.Form):
    code = forms.CharField(
        label=_("Dossier code"),
        max_length=30,
        help_text=_("As printed on the receipt slip, for example HS-4K7M-9QX2."),
        error_messages={"required": _("Enter the dossier code.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    phone_last_four = forms.RegexField(
        label=_("Last four digits of the applicant's phone number"),
        regex=r"^\d{4}$",
        max_length=4,
        error_messages={
            "required": _("Enter the last four digits of the phone number."),
            "invalid": _("Enter exactly four digits."),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]{4}"}),
    )


class DeskFilingForm(ApplicantForm):
    """An officer files for a person at the desk or from a letter: who they are and what they ask for."""

    procedure = IdChoiceField(
        label=_("Procedure"),
        queryset=Procedure.objects.filter(is_open=True).order_by("name"),
        empty_label=_("— choose —"),
        error_messages={"required": _("Choose the procedure.")},
    )
    channel = forms.ChoiceField(
        label=_("How the dossier came"),
        choices=[
            (Dossier.Channel.IN_PERSON, Dossier.Channel.IN_PERSON.label),
            (Dossier.Channel.POST, Dossier.Channel.POST.label),
        ],
    )
    summary = forms.CharField(
        label=_("What the applicant asks for"),
        required=False,
        max_length=StartDossierForm.base_fields["summary"].max_length,  # as when applicants file themselves
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    field_order = ["procedure", "channel", "summary", *ApplicantForm.field_order]

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, with_consent=True, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label = _("Commune or ward of the applicant")
        self.fields["kind"].label = _("The applicant is")
        self.fields["consent"].label = _(
            "The applicant agrees that the portal processes their personal data (name, CCCD number, phone "
            "number, address) to handle their dossiers, under Decree 13/2023/NĐ-CP. I have asked them."
        )
        self.fields["consent"].error_messages["required"] = _(
            "Ask the applicant for their consent first; without it the portal cannot handle the dossier."
        )
