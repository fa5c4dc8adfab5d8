"""The one way a page carries out a change that a rule may refuse, and refuses a query string that
does not parse."""

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.http import HttpResponse
from django.shortcuts import render

from portal.refusals import Refused

T = TypeVar("T")


def attempt(form: forms.Form, change: Callable[[dict], T]) -> T | None:
    """Run ``change(form.cleaned_data)`` if the form is valid and return what it returned.

    None when the form is invalid or a rule refused the change (every service returns what it
    changed). A refusal becomes the form's error: the page is shown again with status 400, the
    message above the form and what the person wrote kept; nothing was changed.
    """
    if not form.is_valid():
        return None
    try:
        return change(form.cleaned_data)
    except Refused as refusal:
        form.add_error(None, str(refusal))
        return None


def refuse_parameters(request, form: forms.Form) -> HttpResponse:
    """The answer to an address whose query string does not parse, for a page that has no form to show
    it on: status 400 in the portal's layout, naming each parameter and what is wrong; nothing done."""
    return render(request, "portal/bad_parameters.html", {"form": form}, status=400)
