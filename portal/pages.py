"""The one way a page carries out a change that a rule may refuse."""

from collections.abc import Callable
from typing import TypeVar

from django import forms

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
