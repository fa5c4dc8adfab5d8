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


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


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

    Many browsers in Vietnam announce English, so the browser's Accept-Language
    header is not taken as a choice; only the language cookie is.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
