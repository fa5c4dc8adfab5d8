"""The pages of errors (handler400/403/404/500 in portal/urls.py, settings.CSRF_FAILURE_VIEW).

Each says, in the visitor's language and the portal's layout, what happened and where to go from
there. Under /api/ the same errors answer JSON in the API's one error shape (portal/api/errors.py).

The page of a server error may be shown because the database is down, so it reads nothing from it:
it is rendered without the request, hence without the context processors that count unread
notifications or read the user's scope, from a template of its own that does not extend
base.html (whose menu needs both).
"""

from urllib.parse import urlsplit

from django.core.exceptions import DisallowedHost
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.csrf import requires_csrf_token

from portal.api.errors import csrf_failure_message, json_error

API_PREFIX = "/api/"


def is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def back_url(request) -> str:
    """The page the visitor came from, when it is one of the portal's; else ""."""
    referer = request.META.get("HTTP_REFERER", "")
    try:
        host = request.get_host()
    except DisallowedHost:  # what some 400s are about
        return ""
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={host}, require_https=request.is_secure()
    ):
        return referer
    return ""


def _page(request, template: str, status: int):
    back = back_url(request)
    # Signing in leads back to the page the visitor came from, or to this one if it can be fetched again.
    sign_in_next = urlsplit(back).path if back else request.get_full_path() if request.method == "GET" else ""
    context = {"status": status, "back_url": back, "sign_in_next": sign_in_next}
    return render(request, template, context, status=status)


@requires_csrf_token
def bad_request(request, exception=None):
    if is_api(request):
        return json_error(gettext("The request is malformed; nothing was changed."), 400, code="bad_request")
    return _page(request, "errors/400.html", 400)


@requires_csrf_token
def permission_denied(request, exception=None):
    if is_api(request):
        return json_error(gettext("You do not have permission to perform this action."), 403)
    return _page(request, "errors/403.html", 403)


@requires_csrf_token
def page_not_found(request, exception=None):
    if is_api(request):
        return json_error(
            gettext("The API has no address %(path)s; /api/docs/ lists them all.") % {"path": request.path},
            404,
        )
    return _page(request, "errors/404.html", 404)


def csrf_failure(request, reason=""):
    if is_api(request):
        return json_error(csrf_failure_message(), 403, code="csrf_failed")
    return _page(request, "errors/403_csrf.html", 403)


def server_error(request):
    if is_api(request):
        return json_error(gettext("A server error occurred."), 500)
    # Rendered without the request: no context processor, so no query.
    page = loader.get_template("errors/500.html").render({"back_url": back_url(request)})
    return HttpResponseServerError(page)
