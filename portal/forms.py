from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from portal.middleware import client_address
from portal.models import AdminUnit, User
from portal.throttle import clear_login_failures, is_login_blocked, record_login_failure, window_minutes


class ThrottledLoginForm(AuthenticationForm):
    """The sign-in form, refusing further tries once an account or an address has failed too often."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The username or password is not correct. Both are case-sensitive."),
        "throttled": _("Too many failed sign-ins. Please wait %(minutes)s minutes and try again."),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = client_address(self.request) if self.request else ""
        if is_login_blocked(username=username, address=address):
            raise forms.ValidationError(
                self.error_messages["throttled"], code="throttled", params={"minutes": window_minutes()}
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            record_login_failure(username=username, address=address)
            raise
        clear_login_failures(username=username)
        return cleaned


class UnitSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or code"), required=False, max_length=100)
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All levels")), *AdminUnit.Level.choices]
    )
    current = forms.BooleanField(label=_("Current units only"), required=False)


class TeamSearchForm(forms.Form):
    q = forms.CharField(label=_("Team name"), required=False, max_length=100)


class AddMemberForm(forms.Form):
    username = forms.CharField(label=_("Username of the new member"), max_length=150)
    position = forms.CharField(label=_("Position in the team"), max_length=120, required=False)

    def clean_username(self) -> User:
        username = self.cleaned_data["username"].strip()
        try:
            return User.objects.get(username=username, is_active=True)
        except User.DoesNotExist:
            raise forms.ValidationError(
                _("No active user has the username “%(username)s”."), params={"username": username}
            ) from None


class SetHeadForm(forms.Form):
    head = forms.ModelChoiceField(label=_("Head of the team"), queryset=User.objects.none())

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["head"].queryset = members
