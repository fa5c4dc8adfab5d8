"""The root page: each person's home, starting with what is theirs to do; the front door for anyone
not signed in.

The ground knows no app: the panels come from each app's ``home`` module (portal/panels.py), each
built from what ``visible_to(user)`` lets the person see.
"""

from django.shortcuts import render

from portal.forms import ThrottledLoginForm
from portal.models.people import today
from portal.panels import panels_for, public_panels


def home(request):
    if not request.user.is_authenticated:
        return _front_door(request)
    panels = panels_for(request.user, today())
    context = {"panels": panels, "to_do": sum(panel.to_do for panel in panels)}
    return render(request, "portal/home.html", context)


def _front_door(request):
    """What the programme offers and the ways in: public information only, Vietnamese first."""
    login_form = ThrottledLoginForm(request)
    # The sign-in form is one way in among others: focusing it would scroll the page past the rest.
    login_form.fields["username"].widget.attrs.pop("autofocus", None)
    context = {"panels": public_panels(today()), "login_form": login_form}
    return render(request, "portal/front_door.html", context)
