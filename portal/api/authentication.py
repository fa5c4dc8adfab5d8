"""How an API client proves who it is: ``Authorization: Token <key>``, a key the portal keeps as a hash.

DRF's header parsing, with the portal's tokens (portal/models/tokens.py): a key that matches no
token, a token idle too long or older than its owner's password, and an inactive owner all get the
same refusal. Each use is noted (when, from which client address), which keeps the token alive.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from portal.middleware import client_address
from portal.services.tokens import find_token, record_use

REFUSED = _("The token is not valid or has expired. Sign in again to get a new one.")


class ExpiringTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        authenticated = super().authenticate(request)
        if authenticated is not None:
            record_use(token=authenticated[1], address=client_address(request))
        return authenticated

    def authenticate_credentials(self, key):
        token = find_token(key)
        if token is None or not token.works():
            raise AuthenticationFailed(REFUSED)
        return token.user, token
