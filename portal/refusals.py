"""The one way a rule refuses a change.

A service that finds a rule broken raises ``Refused`` before it writes anything (or inside the
transaction it rolls back), with a message for the person who asked, in their language. Pages show
the message on the page they re-render with status 400, keeping what the person wrote
(``portal.pages.attempt``); the API answers with it in ``detail`` (``portal.api.errors``): 409 when
the refusal comes from the state of what was to change (a dossier already filed, an inquiry
already answered), 400 when it comes from what was given.
"""

from django.utils.functional import Promise


class Refused(Exception):
    """A rule refuses the change; nothing was changed. ``message`` says why, in the user's language."""

    def __init__(self, message: str | Promise, *, code: str = "", conflict: bool = False):
        super().__init__(message)
        self.message = message
        self.code = code  # which rule, for a program (a test, a client) to tell refusals apart
        self.conflict = conflict

    def __str__(self) -> str:
        return str(self.message)
