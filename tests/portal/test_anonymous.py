"""An anonymous visitor reaches only the explicitly public routes; every other route refuses."""

import pytest

from tests.fund.test_disclosure import PUBLIC_FUND_ROUTES
from tests.policies.test_policies import PUBLIC_POLICY_ROUTES
from tests.projects.test_model_pages import PUBLIC_MODEL_ROUTES
from tests.routes import all_routes

# The routes anyone may open without signing in.
PUBLIC_ROUTES = {
    "home",  # the front door: what the programme offers and the ways in, nothing private
    "login",  # the sign-in page itself
    "logout",  # signing out when not signed in does no harm
    "set_language",  # the language switch on the sign-in page
    "healthz",  # for load balancers and monitoring; says nothing but "ok" or which service fails
    "register",  # an applicant creates their account
    "dossier_lookup",  # anyone looks a dossier's status up by code and the phone's last four digits
    "api:lookup",  # the same lookup for API clients
    "api:token",  # exchanging a username and password for an API token is how an API client signs in
    "admin:login",  # the Django admin's own sign-in page
    "admin:logout",
}


# The policy library, the eligibility checker and the programme pages are public information.
PUBLIC_ROUTES |= PUBLIC_POLICY_ROUTES
# The success models the council confirmed, as far as their founders agreed to publish them.
PUBLIC_ROUTES |= PUBLIC_MODEL_ROUTES
# Each fund's capital, contributions and lending as it publishes them, with no borrower's personal data.
PUBLIC_ROUTES |= PUBLIC_FUND_ROUTES


def is_refusal(response) -> bool:
    if response.status_code in (401, 403):
        return True
    return response.status_code == 302 and "login" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("route", all_routes(), ids=lambda route: route.name)
def test_anonymous_visitor_is_refused_everywhere_but_the_public_routes(client, route):
    response = client.get(route.sample_url())
    if route.name in PUBLIC_ROUTES:
        assert not is_refusal(response), f"{route.name} is public but refused an anonymous visitor"
    else:
        assert is_refusal(response), f"{route.name} answered {response.status_code} to an anonymous visitor"


def test_every_public_route_exists():
    names = {route.name for route in all_routes()}
    assert names >= PUBLIC_ROUTES
