"""The signed-in person's account page (Tài khoản của tôi): who they are and their API tokens.

The web sign-out ends the browser's session only: a token belongs to another device or program, which
signs itself out (``api:sign-out``); here its owner revokes any of them, and a password change ends all.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.access import get_token_for_owner
from portal.models import ApiToken
from portal.services.tokens import revoke_token


@login_required
def my_account(request):
    tokens = ApiToken.objects.visible_to(request.user)
    idle_days = settings.API_TOKEN_IDLE_TIMEOUT.total_seconds() / 86400
    return render(request, "portal/account.html", {"tokens": tokens, "idle_days": f"{idle_days:g}"})


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_token_for_owner(request.user, pk)
    revoke_token(token=token)
    messages.success(
        request, _("The token %(token)s is revoked: it no longer signs anything in.") % {"token": token}
    )
    return redirect("my_account")
