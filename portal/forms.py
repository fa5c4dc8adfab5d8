from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from portal.bounds import IdChoiceField
from portal.models import AdminUnit, User
from portal.throttle import sign_in_blocked_until, sign_in_refusal


class SaysWhenToTryAgain:
    """A sign-in form that tells a blocked account or address when it may try again.

    The refusing and the counting happen in ``portal.throttle.ThrottledModelBackend``, under every
    door; the form only asks first, so that the person reads the time instead of "wrong password".
    """

    def clean(self):
        until = sign_in_blocked_until(self.request, self.cleaned_data.get("username") or "")
        if until is not None:
            raise forms.ValidationError(sign_in_refusal(until), code="throttled")
        return super().clean()


class ThrottledLoginForm(SaysWhenToTryAgain, AuthenticationForm):
    """The portal's sign-in form."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The username or password is not correct. Both are case-sensitive."),
    }


class ThrottledAdminLoginForm(SaysWhenToTryAgain, AdminAuthenticationForm):
    """The Django admin's sign-in form, counted with the portal's."""


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
    head = IdChoiceField(label=_("Head of the team"), queryset=User.objects.none())

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["head"].queryset = members
