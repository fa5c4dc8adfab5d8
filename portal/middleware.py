import functools
import ipaddress

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from portal.audit import audit_context


class ContentSecurityPolicyMiddleware:
    """Send the Content-Security-Policy header: own origin only, no inline script."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def client_address(request) -> str:
    """The address of the client that made ``request``: what throttles count, audit records and logs keep.

    Behind the reverse proxy every connection comes from the proxy, which appends the address it
    received the request from to ``X-Forwarded-For``. That header is believed only when the
    connection comes from a trusted proxy (``TRUSTED_PROXIES``), and only from the right: the client
    is the right-most address that is not itself a trusted proxy, because anything further left was
    written by the client and can be forged. A connection from anywhere else is its own address.
    """
    if request is None:
        return ""
    peer = request.META.get("REMOTE_ADDR", "")
    address = _parsed(peer)
    if address is None:
        return peer  # not an IP connection (a Unix socket) or none at all
    if not _is_trusted_proxy(address):
        return str(address)
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        hop_address = _parsed(hop)
        if hop_address is None:
            break  # malformed: nothing is known beyond the last trusted hop, which stands for the client
        address = hop_address
        if not _is_trusted_proxy(address):
            break
    return str(address)


def _parsed(text: str) -> IPAddress | None:
    """The address in ``text``; an IPv4 address a dual-stack server wrote as IPv6 reads as IPv4."""
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    return getattr(address, "ipv4_mapped", None) or address


def _is_trusted_proxy(address: IPAddress) -> bool:
    return any(address in network for network in trusted_proxy_networks(tuple(settings.TRUSTED_PROXIES)))


@functools.cache
def trusted_proxy_networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    """The networks of ``TRUSTED_PROXIES`` (an address is a network of one), checked when settings load."""
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


class AuditContextMiddleware:
    """Attribute audited changes made while handling a request to its user and address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        channel = (
            "admin"
            if request.path.startswith("/admin/")
            else "api"
            if request.path.startswith("/api/")
            else "web"
        )
        user = request.user if request.user.is_authenticated else None
        with audit_context(actor=user, address=client_address(request), channel=channel):
            return self.get_response(request)


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Vietnamese unless the person chose another language with the switch.

    Many browsers in Vietnam announce English, so on pages the browser's
    Accept-Language header is not taken as a choice; only the language cookie is.
    Under /api/ a program states its language with Accept-Language (the cookie
    still wins), and Vietnamese stays the default.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen in dict(settings.LANGUAGES):
            language = chosen
        elif request.path_info.startswith("/api/"):
            language = translation.get_language_from_request(request)
        else:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
